#!/usr/bin/env bash
# Measures what tarsier's file index costs per entry: peak RSS of each index command on two
# single-layer images of SMALL and LARGE files (bench/make-wide-layer.py, paths of about
# 43 bytes), and the slope between them, (RSS(LARGE) - RSS(SMALL)) / (LARGE - SMALL) in
# bytes per entry; what the commands hold whatever the layer (buffers, the program) cancels
# out. `verify` (no index) is the baseline. Prints a markdown table; a command whose slope
# is over TARGET bytes (default 220: "about 200" for these paths) is a MISS and makes the
# script exit 1.
# Usage: bench/memory.sh [WORKDIR (default /var/tmp/tarsier-bench/memory)] [TARSIER]
# Environment: SMALL (default 50000), LARGE (default 200000), TARGET (default 220).
# Needs python3 and /usr/bin/time (Debian package time).
set -euo pipefail

work=${1:-/var/tmp/tarsier-bench/memory}
tarsier=${2:-build/src/cli/tarsier}
small=${SMALL:-50000}
large=${LARGE:-200000}
target=${TARGET:-220}
here=$(cd "$(dirname "$0")" && pwd)

for tool in python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "memory.sh: $tool is missing" >&2; exit 2; }
done
[[ -x $tarsier ]] || { echo "memory.sh: no tarsier binary at $tarsier" >&2; exit 2; }
mkdir -p "$work"
for n in "$small" "$large"; do
    [[ -f $work/wide-$n.tar ]] || python3 "$here/make-wide-layer.py" "$n" "$work/wide-$n.tar"
done

# Peak RSS in KiB of one run (stdout discarded, so that output size does not count).
rss() {
    local out
    out=$(mktemp)
    /usr/bin/time -f '%M' -o "$out" "$tarsier" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$out"
    rm -f "$out"
}

commands=("verify" "files" "files --format json" "changes" "changes --format json" "changes --long" "waste"
          "blame PATH" "diff SELF" "audit")
echo "| command | RSS at $small entries | RSS at $large entries | bytes per entry | target |"
echo "|---|---:|---:|---:|---|"
miss=0
for c in "${commands[@]}"; do
    declare -A kib=()
    for n in "$small" "$large"; do
        f=$work/wide-$n.tar
        case $c in
            "blame PATH") kib[$n]=$(rss blame "$f" /usr/share/somepackage/dir003) ;;
            "diff SELF") kib[$n]=$(rss diff "$f" "$f") ;;
            *) read -r -a words <<<"$c"; kib[$n]=$(rss "${words[@]}" "$f") ;;
        esac
    done
    per=$(( (kib[$large] - kib[$small]) * 1024 / (large - small) ))
    verdict="-"
    case $c in
        verify|audit) ;;  # verify keeps no index; audit is not held to it
        "diff SELF") verdict=$([[ $per -le $((2 * target)) ]] && echo "PASS (two images, <= $((2 * target)))" || echo "MISS (two images)") ;;
        *) verdict=$([[ $per -le $target ]] && echo "PASS (<= $target)" || echo MISS) ;;
    esac
    [[ $verdict == MISS* ]] && miss=1
    printf '| %s | %d MiB | %d MiB | %d | %s |\n' "$c" $((kib[$small] / 1024)) $((kib[$large] / 1024)) "$per" "$verdict"
    unset kib
done
exit $miss
