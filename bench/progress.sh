#!/usr/bin/env bash
# The cost of the progress line: `tarsier verify -j1` and `tarsier changes -j1` on the same
# archive in a pseudo-terminal (script(1)), with the line drawn and with TARSIER_PROGRESS=0
# (no counting at all: ReadOptions::progress stays null), alternating, best of RUNS; prints
# the times and the ratio drawn / off per command (target: within noise, <= 1.02).
# Usage: bench/progress.sh ARCHIVE [TARSIER]   e.g. an archive of bench/verify.sh or
#        bench/make-metadata-archive.sh; RUNS=5 by default. Needs script (util-linux), python3.
set -euo pipefail
archive=${1:?usage: bench/progress.sh ARCHIVE [TARSIER]}
tarsier=${2:-/tmp/build-bench/src/cli/tarsier}
runs=${RUNS:-5}
command -v script >/dev/null || { echo "progress.sh: script (util-linux) is missing" >&2; exit 2; }
[[ -x $tarsier ]] || { echo "progress.sh: no tarsier binary at $tarsier" >&2; exit 2; }

# seconds CMD...: wall seconds of CMD with stdout and stderr on a pseudo-terminal.
seconds() {
  local cmd
  printf -v cmd '%q ' "$@"
  python3 -c 'import subprocess, sys, time
t = time.monotonic()
subprocess.run(["script", "-qfec", sys.argv[1], "/dev/null"], stdout=subprocess.DEVNULL, check=False)
print(f"{time.monotonic() - t:.3f}")' "$cmd"
}

cat "$archive" >/dev/null  # warm the page cache
printf '| command | progress drawn (s) | TARSIER_PROGRESS=0 (s) | ratio |\n|---|---|---|---|\n'
for sub in verify changes; do
  best_on=999999 best_off=999999
  for ((i = 0; i < runs; i++)); do
    on=$(seconds "$tarsier" "$sub" -j1 "$archive")
    off=$(seconds env TARSIER_PROGRESS=0 "$tarsier" "$sub" -j1 "$archive")
    best_on=$(python3 -c "print(min($best_on, $on))")
    best_off=$(python3 -c "print(min($best_off, $off))")
  done
  printf '| %s | %.3f | %.3f | %.3f |\n' "$sub" "$best_on" "$best_off" "$(python3 -c "print($best_on / $best_off)")"
done
