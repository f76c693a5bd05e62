#!/usr/bin/env bash
# tarsier report against tarsier changes on the same archive (issue 14: at most 1.3x).
# Builds the large test image of the browser suite (46,000 files in 4 layers, a
# docker-archive of uncompressed layers, tests/report/make_image.py), and, when skopeo is
# installed, its oci-archive with gzip layers; times each command RUNS times (best wall
# time, with user+sys CPU of that run) and prints the ratios.
# usage: bench/report.sh [WORKDIR] [TARSIER]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
work=${1:-/var/tmp/tarsier-bench/report}
tarsier=${2:-$root/build/src/cli/tarsier}
runs=${RUNS:-5}
files=${FILES:-46000}
mkdir -p "$work"
if [[ ! -f $work/large.tar ]]; then
  python3 "$root/tests/report/make_image.py" large "$files" "$work/large.tar"
fi
archives=("$work/large.tar")
if command -v skopeo >/dev/null; then
  if [[ ! -f $work/large-oci-gzip.tar ]]; then
    skopeo copy -q docker-archive:"$work/large.tar" oci-archive:"$work/large-oci-gzip.tar" \
      --dest-compress-format gzip >/dev/null
  fi
  archives+=("$work/large-oci-gzip.tar")
fi

# best ARCHIVE CMD...: "wall cpu" of the fastest of $runs runs.
best() {
  local best_wall="" best_cpu=""
  for ((i = 0; i < runs; i++)); do
    local t0=$EPOCHREALTIME
    /usr/bin/time -o "$work/time.txt" -f "%e %U %S" "$@" >/dev/null 2>&1
    local t1=$EPOCHREALTIME
    read -r wall user sys <"$work/time.txt"
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')  # time's %e has 10 ms steps
    if [[ -z $best_wall ]] || awk "BEGIN{exit !($wall < $best_wall)}"; then
      best_wall=$wall
      best_cpu=$(awk "BEGIN{print $user + $sys}")
    fi
  done
  echo "$best_wall $best_cpu"
}

printf '%-22s %10s %10s %10s %10s %8s %8s\n' archive changes-wall report-wall changes-cpu report-cpu wall-x cpu-x
for a in "${archives[@]}"; do
  cat "$a" >/dev/null  # into the page cache
  read -r cw cc <<<"$(best "$tarsier" changes "$a")"
  read -r rw rc <<<"$(best "$tarsier" report "$a" -o /dev/null)"
  printf '%-22s %10s %10s %10s %10s %8.2f %8.2f\n' "$(basename "$a")" "$cw" "$rw" "$cc" "$rc" \
    "$(awk "BEGIN{print $rw / $cw}")" "$(awk "BEGIN{print $rc / $cc}")"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (numbers are pessimistic when it is above the cores)"
