#!/usr/bin/env bash
# Measures `tarsier export` and `tarsier extract` against their target (issue 13): at
# most 1.3 x `tarsier changes` on the same archive plus the time to write the bytes,
# which the issue measures by `tar -x` of the same export; the yardsticks are measured in
# the same run:
#   export:  1.3 x changes + `tar -x` of the export (the issue's yardstick), and, stricter,
#            1.3 x changes + `cat` of the exported tar into a new file (only its bytes);
#   extract: 1.3 x changes + `tar -x` of the same export into a new directory.
# Prints each time (best of RUNS, warm page cache; every run that writes starts after a
# `sync`, so that none pays for the writeback of the run before) and the ratio time / budget; a ratio
# of at most 1.00 meets the target. Peak memory (max RSS) is printed beside, to show it
# does not follow file sizes.
# Usage: bench/extract.sh [WORKDIR (default /var/tmp/tarsier-bench)] [TARSIER] [ARCHIVE...]
# The archives default to the images bench/verify.sh builds in WORKDIR/images (the
# 1.1 GB Debian-package image as docker-archive and as gzip oci-archive); run it first.
# Needs GNU tar, /usr/bin/time; runs as root so that tar -x keeps owners as extract does.
set -euo pipefail

work=${1:-/var/tmp/tarsier-bench}
tarsier=${2:-/tmp/build-bench/src/cli/tarsier}
shift $(( $# > 2 ? 2 : $# ))
runs=${RUNS:-3}
archives=("$@")
if (( ${#archives[@]} == 0 )); then
    archives=("$work/images/docker.tar" "$work/images/oci-gzip.tar")
fi
for a in "${archives[@]}"; do
    [[ -e $a ]] || { echo "extract.sh: $a is missing (bench/verify.sh builds it)" >&2; exit 2; }
done
[[ -x $tarsier ]] || { echo "extract.sh: no tarsier binary at $tarsier" >&2; exit 2; }
for tool in tar /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "extract.sh: $tool is missing" >&2; exit 2; }
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tarsier-bench-extract.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# best SECONDS RSS_KB of `runs` runs of "$@" (each after `prep`, untimed)
best() {
    local prep=$1; shift
    local b="" rss=0 i t
    for ((i = 0; i < runs; i++)); do
        eval "$prep"
        local t0=$EPOCHREALTIME
        /usr/bin/time -f '%e %M' -o "$scratch/time" "$@" >/dev/null
        local t1=$EPOCHREALTIME
        read -r t r <"$scratch/time"
        t=$(python3 -c "print(f'{$t1 - $t0:.3f}')")  # time's %e has 10 ms steps
        if [[ -z $b ]] || python3 -c "import sys; sys.exit(0 if $t < $b else 1)"; then b=$t; fi
        (( r > rss )) && rss=$r
    done
    echo "$b $rss"
}

printf '| archive | changes s | export s | tar -x s | export ratio | cat (write) s | export ratio, cat | extract s | extract ratio | RSS export / extract / changes MB |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for a in "${archives[@]}"; do
    read -r t_changes m_changes < <(best ":" "$tarsier" changes "$a")
    read -r t_export m_export < <(best "rm -f '$scratch/export.tar'; sync" "$tarsier" export "$a" -o "$scratch/export.tar")
    read -r t_cat _ < <(best "rm -f '$scratch/copy.tar'; sync" sh -c "cat '$scratch/export.tar' > '$scratch/copy.tar'")
    rm -f "$scratch/copy.tar"
    read -r t_extract m_extract < <(best "rm -rf '$scratch/x'; sync" "$tarsier" extract "$a" --to "$scratch/x" --same-owner --devices --preserve-setuid)
    read -r t_tarx _ < <(best "rm -rf '$scratch/t'; mkdir '$scratch/t'; sync" tar -xpf "$scratch/export.tar" -C "$scratch/t")
    rm -rf "$scratch/x" "$scratch/t" "$scratch/export.tar"
    python3 - "$a" "$t_changes" "$t_export" "$t_cat" "$t_extract" "$t_tarx" "$m_export" "$m_extract" "$m_changes" <<'PY'
import os, sys
a, ch, ex, cat, xt, tx = sys.argv[1], *map(float, sys.argv[2:7])
mex, mxt, mch = (int(v) // 1024 for v in sys.argv[7:10])
verdict = lambda r: f"{r:.2f} {'PASS' if r <= 1 else 'MISS'}"
print(f"| {os.path.basename(a)} | {ch:.3f} | {ex:.3f} | {tx:.3f} | {verdict(ex / (1.3 * ch + tx))} "
      f"| {cat:.3f} | {verdict(ex / (1.3 * ch + cat))} | {xt:.3f} | {verdict(xt / (1.3 * ch + tx))} | {mex} / {mxt} / {mch} |")
PY
done
