#!/usr/bin/env bash
# Builds a large docker-archive (docker save layout, uncompressed layers) from files
# already on this machine, for measuring the metadata commands (ls, history, inspect):
# about 1 GB in 5 layers and about 40,000 entries. Usage: make-metadata-archive.sh OUT.tar
# Needs umoci and skopeo (Debian packages). Not reproducible across machines (it copies
# whatever /usr holds); the benchmark only needs its size and shape.
set -euo pipefail
out=${1:?usage: make-metadata-archive.sh OUT.tar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umoci init --layout "$work/oci" >/dev/null
umoci new --image "$work/oci:big" >/dev/null
layer() {  # layer SOURCE_DIR MAX_MB MAX_FILES CREATED_BY
    umoci unpack --image "$work/oci:big" "$work/bundle" >/dev/null
    local dest="$work/bundle/rootfs/$(basename "$1")"
    mkdir -p "$dest"
    # Files in name order until the size or count budget is used.
    find "$1" -xdev -type f -size -4M -printf '%s\t%P\n' | LC_ALL=C sort -t "$(printf '\t')" -k2 > "$work/all"
    awk -F '\t' -v max=$(($2 * 1024 * 1024)) -v n="$3" \
        '{ if (tot + $1 > max || c >= n) exit; tot += $1; c++; print $2 }' "$work/all" > "$work/list"
    tar -C "$1" -T "$work/list" -cf - 2>/dev/null | tar -C "$dest" -xf -
    umoci repack --image "$work/oci:big" --history.created_by "$4" "$work/bundle" >/dev/null
    rm -rf "$work/bundle"
}
layer /usr/lib/x86_64-linux-gnu 450 6000 "COPY lib /lib"
layer /usr/share 250 12000 "COPY share /share"
layer /usr/include 200 12000 "COPY include /include"
layer /usr/local 150 6000 "COPY local /local"
layer /usr/lib/python3 100 6000 "COPY python /python"
rm -f "$out"
skopeo copy --quiet "oci:$work/oci:big" "docker-archive:$out:bench/big:latest"
ls -l "$out"
tar -tvf "$out" | head -3
