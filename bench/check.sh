#!/usr/bin/env bash
# Measures the one-pass promise of `tarsier check`: its cost against the slowest of
# `verify`, `audit` and `waste` run alone on the same archive (the target is at most 1.1x),
# best of RUNS (default 3) with a warm page cache, all measured in this run: wall-clock
# seconds, and CPU seconds (user + system), which a loaded machine disturbs less.
# Usage: bench/check.sh [ARCHIVE...] (default: the large benchmark image of bench/verify.sh,
#        /var/tmp/tarsier-bench/images/{docker,oci-gzip,oci-zstd}.tar, built by it)
# Environment: TARSIER (default build/src/cli/tarsier), RUNS, JOBS (-j, default 2).
set -euo pipefail

tarsier=${TARSIER:-build/src/cli/tarsier}
runs=${RUNS:-3}
jobs=${JOBS:-2}
[[ -x $tarsier ]] || { echo "check.sh: no tarsier binary at $tarsier" >&2; exit 2; }
archives=("$@")
if [[ ${#archives[@]} -eq 0 ]]; then
    for v in docker oci-gzip oci-zstd; do
        f=/var/tmp/tarsier-bench/images/$v.tar
        [[ -f $f ]] && archives+=("$f")
    done
fi
[[ ${#archives[@]} -gt 0 ]] || { echo "check.sh: no archive (run bench/verify.sh once, or name one)" >&2; exit 2; }

tfile=$(mktemp)
trap 'rm -f "$tfile"' EXIT
# "WALL CPU": the best wall-clock and the best CPU seconds of `tarsier ARGS...` over $runs
# runs (exit 0 or 1 both count).
best() {
    local wall= cpu= e u s c
    for ((i = 0; i < runs; i++)); do
        local t0=$EPOCHREALTIME
        /usr/bin/time -f "%e %U %S" -o "$tfile" "$tarsier" "$@" >/dev/null 2>&1 || true
        local t1=$EPOCHREALTIME
        read -r e u s < <(tail -1 "$tfile")
        e=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')  # time's %e has 10 ms steps
        c=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
        if [[ -z $wall ]] || awk -v a="$e" -v b="$wall" 'BEGIN { exit !(a < b) }'; then wall=$e; fi
        if [[ -z $cpu ]] || awk -v a="$c" -v b="$cpu" 'BEGIN { exit !(a < b) }'; then cpu=$c; fi
    done
    echo "$wall $cpu"
}

row() {  # archive kind verify audit waste check
    awk -v a="$1" -v k="$2" -v v="$3" -v au="$4" -v w="$5" -v c="$6" 'BEGIN {
        m = v; if (au > m) m = au; if (w > m) m = w;
        r = m > 0 ? c / m : 0;
        printf "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.2f | %s |\n", a, k, v, au, w, c, r, (r <= 1.1 ? "PASS" : "MISS");
    }'
}

echo "| archive | seconds | verify | audit | waste | check | check / slowest | target 1.1 |"
echo "|---|---|---|---|---|---|---|---|"
for a in "${archives[@]}"; do
    cat "$a" >/dev/null  # warm the page cache
    read -r vw vc < <(best verify -j "$jobs" "$a")
    read -r aw ac < <(best audit -j "$jobs" "$a")
    read -r ww wc < <(best waste -j "$jobs" "$a")
    read -r cw cc < <(best check -j "$jobs" "$a")
    row "$(basename "$a")" wall "$vw" "$aw" "$ww" "$cw"
    row "$(basename "$a")" cpu "$vc" "$ac" "$wc" "$cc"
done
