#!/usr/bin/env bash
# Measures `tarsier packages` against `tarsier changes` on the same large archive, in one
# run (issue 12: packages <= 1.2 x changes). The archive is make-metadata-archive.sh's
# (~1 GB, ~40,000 entries from this machine's /usr) with one more layer holding this
# machine's real dpkg database (/var/lib/dpkg: status, info/*.list and *.md5sums; tens of
# MB on a desktop system) and /etc/os-release, so that packages has real databases to
# capture and parse. Built once, cached in WORKDIR.
# Usage: bench/packages.sh [WORKDIR (default /var/tmp/tarsier-bench)] [TARSIER]
# Needs umoci, skopeo, /usr/bin/time; RUNS (default 3): best of N, warm page cache.
# Prints the wall-time ratio (the target), the CPU-time ratio (steadier on a busy machine)
# and the peak memory against changes' plus the databases' size (the memory target).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${1:-/var/tmp/tarsier-bench}
tarsier=${2:-/tmp/build-bench/src/cli/tarsier}
runs=${RUNS:-3}
mkdir -p "$work"
archive=$work/packages-bench.tar
for tool in umoci skopeo /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "packages.sh: $tool is missing" >&2; exit 2; }
done
[[ -x $tarsier ]] || { echo "packages.sh: no tarsier binary at $tarsier" >&2; exit 2; }

if [[ ! -f $archive ]]; then
    tmp=$(mktemp -d "$work/build.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    "$here/make-metadata-archive.sh" "$tmp/big.tar" >/dev/null
    skopeo copy --quiet "docker-archive:$tmp/big.tar" "oci:$tmp/oci:big"
    umoci unpack --image "$tmp/oci:big" "$tmp/bundle" >/dev/null
    mkdir -p "$tmp/bundle/rootfs/var/lib/dpkg/info" "$tmp/bundle/rootfs/etc"
    cp /var/lib/dpkg/status "$tmp/bundle/rootfs/var/lib/dpkg/"
    cp /var/lib/dpkg/info/*.list /var/lib/dpkg/info/*.md5sums "$tmp/bundle/rootfs/var/lib/dpkg/info/" 2>/dev/null || true
    cp -L /etc/os-release "$tmp/bundle/rootfs/etc/os-release"
    umoci repack --image "$tmp/oci:big" --history.created_by "COPY dpkg database" "$tmp/bundle" >/dev/null
    skopeo copy --quiet "oci:$tmp/oci:big" "docker-archive:$archive:bench/packages:latest"
fi
ls -l "$archive" >&2

# best RUNS: the best wall seconds, the best user+system CPU seconds (what a busy machine
# disturbs least) and the peak RSS (MB) of the run with the best wall time.
best() {
    local b="" c="" m="" t u s r
    for ((i = 0; i < runs; i++)); do
        local t0=$EPOCHREALTIME
        /usr/bin/time -f '%e %U %S %M' -o "$work/time.out" "$@" >/dev/null 2>&1
        local t1=$EPOCHREALTIME
        read -r t u s r < <(tail -1 "$work/time.out")
        t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')  # time's %e has 10 ms steps
        u=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
        if [[ -z $b ]] || awk -v a="$t" -v b="$b" 'BEGIN { exit !(a < b) }'; then b=$t; m=$((r / 1024)); fi
        if [[ -z $c ]] || awk -v a="$u" -v b="$c" 'BEGIN { exit !(a < b) }'; then c=$u; fi
    done
    echo "$b $c $m"
}
cat "$archive" >/dev/null  # warm the page cache
read -r changes changes_cpu changes_mb < <(best "$tarsier" changes "$archive")
read -r packages packages_cpu packages_mb < <(best "$tarsier" packages "$archive")
count=$("$tarsier" packages "$archive" --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["packages"]))')
# The databases' size: the regular files that packages reads (dpkg's, os-release).
db_mb=$("$tarsier" files "$archive" /var/lib/dpkg /etc/os-release --format json | python3 -c '
import json, sys
files = json.load(sys.stdin)["files"]
print(sum(f["entry"]["size"] for f in files if f["entry"]["type"] == "file") // 2**20)')
ratio=$(awk -v p="$packages" -v c="$changes" 'BEGIN { printf "%.2f", p / c }')
cpu_ratio=$(awk -v p="$packages_cpu" -v c="$changes_cpu" 'BEGIN { printf "%.2f", p / c }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.20 ? "PASS" : "MISS") }')
mem_budget=$((changes_mb + db_mb))
mem_verdict=$([[ $packages_mb -le $mem_budget ]] && echo PASS || echo MISS)
echo "| measure | wall seconds | CPU seconds (user+sys) | peak RSS MB |"
echo "|---|---|---|---|"
echo "| tarsier changes | $changes | $changes_cpu | $changes_mb |"
echo "| tarsier packages ($count packages, databases $db_mb MB) | $packages | $packages_cpu | $packages_mb |"
echo "| packages / changes (target <= 1.20) | $ratio $verdict | $cpu_ratio | |"
echo "| packages peak RSS (target <= changes' $changes_mb MB + databases' $db_mb MB = $mem_budget MB) | | | $packages_mb $mem_verdict |"
