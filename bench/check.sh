#!/usr/bin/env bash
# Measures the one-pass promise of `tarsier check`: its time against the slowest of
# `verify`, `audit` and `waste` run alone on the same archive (the target is at most 1.1x),
# best of RUNS (default 3) with a warm page cache, all measured in this run.
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
# Best wall-clock seconds of `tarsier ARGS...` over $runs runs (exit 0 or 1 both count).
best() {
    local best=
    for ((i = 0; i < runs; i++)); do
        local t
        /usr/bin/time -f %e -o "$tfile" "$tarsier" "$@" >/dev/null 2>&1 || true
        t=$(tail -1 "$tfile")
        if [[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
    done
    echo "$best"
}

echo "| archive | verify s | audit s | waste s | check s | check / slowest | target 1.1 |"
echo "|---|---|---|---|---|---|---|"
for a in "${archives[@]}"; do
    cat "$a" >/dev/null  # warm the page cache
    v=$(best verify -j "$jobs" "$a")
    au=$(best audit -j "$jobs" "$a")
    w=$(best waste -j "$jobs" "$a")
    c=$(best check -j "$jobs" "$a")
    awk -v a="$(basename "$a")" -v v="$v" -v au="$au" -v w="$w" -v c="$c" 'BEGIN {
        m = v; if (au > m) m = au; if (w > m) m = w;
        r = c / m;
        printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s |\n", a, v, au, w, c, r, (r <= 1.1 ? "PASS" : "MISS");
    }'
done
