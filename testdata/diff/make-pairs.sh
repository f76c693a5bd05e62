#!/usr/bin/env bash
# make-pairs.sh - rebuild the image pairs that tests/cli-diff compares with `tarsier diff`.
#
# usage: make-pairs.sh [OUTDIR]    (default: the directory of this script)
#
# Each pair is one OCI layout, OUTDIR/<name>/, holding two tags, `old` and `new`, that
# differ in exactly one known way:
#
#   content   /etc/value.conf holds "value=2" instead of "value=1" (same size, mode,
#             owner and mtime)
#   mode      /bin/tool is 0755 instead of 0644
#   owner     /data/owned.txt is 1000:1000 instead of 0:0
#   symlink   /etc/link points to other.conf instead of value.conf
#   env       the config's Env has FOO=2 instead of FOO=1 (the layers are the same)
#
# Both images of a pair are built from scratch the same way (one layer, the same
# history entry, the same config), the new one with its one change. So every `old`
# image is the same image, and so is every `new` of the env pair; the file pairs' new
# layers differ from the old ones only by the change (tests/cli-diff/test_diff.py checks
# both facts).
#
# Tools (Debian 12): umoci 0.4.7. Run as root: `umoci unpack` without --rootless keeps
# uid/gid, and files are chowned to fixed ids. Determinism as in ../make-fixtures.sh:
# every mtime is set with `touch -h -d @T`, history times with --history.created, the
# config's created with `umoci config --created`, architecture and os explicitly, and
# umoci's layers (pgzip, tar without uname/gname/atime) are byte-for-byte reproducible.
set -euo pipefail
umask 022
export LC_ALL=C TZ=UTC

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-$HERE}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

command -v umoci >/dev/null || { echo "make-pairs: umoci not found" >&2; exit 1; }
if [ "$(id -u)" -ne 0 ]; then
    echo "make-pairs: run as root (umoci must keep uid/gid)" >&2
    exit 1
fi

PAIRS=(content mode owner symlink env)
for p in "${PAIRS[@]}"; do rm -rf "${OUT:?}/$p"; done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tarsier-pairs.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

EPOCH=1700000000                     # 2023-11-14T22:13:20Z
T_FILES=$((EPOCH + 60))              # every entry of the rootfs
T_LAYER=$((EPOCH + 120))             # the history entry of the layer
T_CONFIG=$((EPOCH + 180))            # the config's created
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# populate ROOTFS CHANGE: the base filesystem, with CHANGE applied ("" for none).
populate() {
    local r=$1 change=$2
    mkdir -p "$r/etc" "$r/bin" "$r/data"
    printf 'value=1\n' > "$r/etc/value.conf"
    printf 'other=1\n' > "$r/etc/other.conf"
    ln -s value.conf "$r/etc/link"
    printf '#!/bin/sh\necho tool\n' > "$r/bin/tool"
    chmod 0644 "$r/bin/tool"
    printf 'owned\n' > "$r/data/owned.txt"
    case $change in
        content) printf 'value=2\n' > "$r/etc/value.conf" ;;
        mode) chmod 0755 "$r/bin/tool" ;;
        owner) chown 1000:1000 "$r/data/owned.txt" ;;
        symlink) rm "$r/etc/link" && ln -s other.conf "$r/etc/link" ;;
        "" | env) ;;
        *) echo "make-pairs: unknown change '$change'" >&2; exit 1 ;;
    esac
    find "$r" -exec touch -h -d "@$T_FILES" {} +
}

# build LAYOUT TAG FILE_CHANGE FOO: one image from scratch.
build() {
    local layout=$1 tag=$2 change=$3 foo=$4
    local bundle=$WORK/$(basename "$layout")-$tag
    [ -d "$layout" ] || umoci init --layout "$layout"
    umoci new --image "$layout:$tag"
    umoci unpack --image "$layout:$tag" "$bundle"
    populate "$bundle/rootfs" "$change"
    umoci repack --image "$layout:$tag" \
        --history.created "$(iso "$T_LAYER")" --history.created_by 'COPY rootfs/ / # make-pairs.sh' "$bundle"
    umoci config --image "$layout:$tag" --no-history --created "$(iso "$T_CONFIG")" \
        --architecture amd64 --os linux --config.env "FOO=$foo" --config.cmd /bin/tool
}

for p in "${PAIRS[@]}"; do
    L=$WORK/$p
    build "$L" old "" 1
    if [ "$p" = env ]; then build "$L" new "" 2; else build "$L" new "$p" 1; fi
    umoci gc --layout "$L"
    cp -a "$L" "$OUT/$p"
done

echo "make-pairs: done"
for p in "${PAIRS[@]}"; do printf '  %6s bytes  %s\n' "$(du -sb "$OUT/$p" | cut -f1)" "$OUT/$p"; done
