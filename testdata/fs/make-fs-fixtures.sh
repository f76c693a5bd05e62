#!/usr/bin/env bash
# Makes testdata/fs/edge-cases/: an OCI image layout whose layer tars are written by GNU
# tar (member order given explicitly with --no-recursion -T) and appended verbatim with
# `umoci raw add-layer`, so that it holds the layer changeset cases that the umoci- and
# skopeo-made fixtures do not: a directory replaced by a file or a symlink with no
# whiteouts, `x` and `.wh.x` in one layer, an opaque whiteout after the directory's own
# new children, a hardlink whose target is only in a lower layer (and whose target is
# modified later), a hardlink to a symlink, a duplicate entry, a directory whited out and
# recreated in one layer, AUFS `.wh..wh.plnk` hardlink storage, an overlayfs-style 0:0
# character device, devices and fifos, `./`-prefixed names.
#
# Four tags share layers 0-2:
#   1.0             layers 0-2
#   root-opaque     1.0 plus a layer with a top-level `.wh..wh..opq` and one new file
#   symlink-parent  1.0 plus a layer whose entry `tolink/via-link.txt` has a parent that
#                   is a symlink (to `d`) in the layer below
#   names-sparse    1.0 plus a PAX layer with a space, UTF-8, a tab, a newline and a
#                   non-UTF-8 byte in names, and a sparse file (GNU PAX sparse 0.0)
# See testdata/fs/README.md for the listing of every layer. Run as root (devices,
# owners). Output is byte-identical between runs: every time is fixed.
set -euo pipefail
umask 022
export LC_ALL=C TZ=UTC

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE"
for tool in umoci tar python3; do
    command -v "$tool" >/dev/null || { echo "make-fs-fixtures: $tool not found" >&2; exit 1; }
done
if [ "$(id -u)" -ne 0 ]; then
    echo "make-fs-fixtures: run as root (devices and owners)" >&2
    exit 1
fi

rm -rf edge-cases
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tarsier-fs-fixtures.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
EPOCH=1700000000
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# mklayer STAGE OUT.tar T: GNU tar of the members listed on stdin, in that order, with
# numeric owners from the staging tree and every mtime set to T.
mklayer() {
    tar --create --file "$2" --format=gnu --numeric-owner --no-recursion --sort=none \
        --mtime="@$3" -C "$1" -T -
}

L=$WORK/layout
umoci init --layout "$L"
umoci new --image "$L:1.0"
umoci config --image "$L:1.0" --no-history --created "$(iso "$EPOCH")" --architecture amd64 --os linux

add() { # add TAR T CREATED_BY [TAG]
    local tagopt=()
    [ -n "${4:-}" ] && tagopt=(--tag "$4")
    umoci raw add-layer --image "$L:1.0" "${tagopt[@]}" \
        --history.created "$(iso "$2")" --history.created_by "$3" "$1"
}

###############################################################################
# layer 0: the base
###############################################################################
S=$WORK/l0
mkdir -p "$S"/{d/sub,swap/inner,tolink,same,opq/olddir,lib,hl,recreate,modes/dir,dev,real}
printf 'keep\n' > "$S/d/keep.txt"
printf 'deep\n' > "$S/d/sub/deep.txt"
printf 'a\n' > "$S/swap/a"
printf 'b\n' > "$S/swap/inner/b"
printf 'c\n' > "$S/tolink/c"
printf 'file that becomes a directory\n' > "$S/f2d"
printf 'x old\n' > "$S/same/x.txt"
printf 'old 1\n' > "$S/opq/old1"
printf 'old 2\n' > "$S/opq/olddir/old2"
printf 'library\n' > "$S/lib/target.txt"
printf 'original content\n' > "$S/hl/orig"
printf 'old\n' > "$S/recreate/old"
printf 'mode only\n' > "$S/modes/file"
printf 'real\n' > "$S/real/r.txt"
ln -s lib/target.txt "$S/sym"
mknod "$S/dev/null" c 1 3
mknod "$S/dev/loop0" b 7 0
mkfifo "$S/dev/fifo"
chmod 0666 "$S/dev/null"
chmod 0660 "$S/dev/loop0"
chmod 0644 "$S/dev/fifo"
chown 1000:1000 "$S/d/keep.txt"
mklayer "$S" "$WORK/l0.tar" $((EPOCH + 100)) <<'EOF'
d
d/keep.txt
d/sub
d/sub/deep.txt
swap
swap/a
swap/inner
swap/inner/b
tolink
tolink/c
f2d
same
same/x.txt
opq
opq/old1
opq/olddir
opq/olddir/old2
lib
lib/target.txt
hl
hl/orig
recreate
recreate/old
modes
modes/dir
modes/file
dev
dev/null
dev/loop0
dev/fifo
real
real/r.txt
sym
EOF
add "$WORK/l0.tar" $((EPOCH + 100)) 'layer 0: base'

###############################################################################
# layer 1: replacements and same-layer whiteouts
###############################################################################
S=$WORK/l1
mkdir -p "$S"/{d,f2d,same,opq,hl,modes/dir}
chmod 0750 "$S/d"                       # dir over dir, new mode: children kept
printf 'now a file\n' > "$S/swap"        # dir -> file, no whiteouts
ln -s d "$S/tolink"                      # dir -> symlink, no whiteouts
printf 'child\n' > "$S/f2d/child"        # file -> dir
printf 'x new\n' > "$S/same/x.txt"       # x and .wh.x in one layer: x stays
: > "$S/same/.wh.x.txt"
: > "$S/same/.wh.y.txt"                  # whiteout of a path that never existed
printf 'new 1\n' > "$S/opq/new1"         # opaque marker after the layer's own child
: > "$S/opq/.wh..wh..opq"
cp -p "$WORK/l0/hl/orig" "$S/hl/orig"    # only to make tar write hl/link as a link
ln "$S/hl/orig" "$S/hl/link"
chmod 0700 "$S/modes/dir"
printf 'mode only\n' > "$S/modes/file"
chmod 0600 "$S/modes/file"
ln -s d/keep.txt "$S/sym2"
ln -P "$S/sym2" "$S/sym2hl"              # a hardlink to a symlink
printf 'one\n' > "$S/dup.txt"
for f in same/.wh.x.txt same/.wh.y.txt opq/.wh..wh..opq; do chmod 0000 "$S/$f"; done
mklayer "$S" "$WORK/l1.tar" $((EPOCH + 200)) <<'EOF'
d
swap
tolink
f2d
f2d/child
same
same/x.txt
same/.wh.x.txt
same/.wh.y.txt
opq
opq/new1
opq/.wh..wh..opq
hl
hl/orig
hl/link
modes/dir
modes/file
sym2
sym2hl
dup.txt
EOF
# hl/link must point at the lower layer's hl/orig: drop the copy tar stored.
tar --delete --file "$WORK/l1.tar" hl/orig
# A duplicate entry: dup.txt again, with other content, at the end.
printf 'two, the last one\n' > "$S/dup.txt"
tar --append --file "$WORK/l1.tar" --format=gnu --numeric-owner --mtime=@$((EPOCH + 200)) -C "$S" dup.txt
add "$WORK/l1.tar" $((EPOCH + 200)) 'layer 1: replacements and same-layer whiteouts'

###############################################################################
# layer 2: deletions, recreation, AUFS metadata; every name starts with ./
###############################################################################
S=$WORK/l2
mkdir -p "$S"/{d,recreate,hl,.wh..wh.plnk,bin,dev}
: > "$S/.wh.recreate"                    # whiteout a directory, then recreate it
printf 'new\n' > "$S/recreate/new"
printf 'modified after being linked\n' > "$S/hl/orig"   # hl/link keeps the old content
: > "$S/d/.wh.keep.txt"
: > "$S/d/.wh.sub"
: > "$S/.wh.nothing-here"
: > "$S/dev/.wh.fifo"
printf '#!/bin/sh\necho tool\n' > "$S/.wh..wh.plnk/1234.5678"
chmod 0755 "$S/.wh..wh.plnk/1234.5678"
ln "$S/.wh..wh.plnk/1234.5678" "$S/bin/tool"
: > "$S/.wh..wh.aufs"
mknod "$S/ovl-wh" c 0 0                  # what a naive tar of an overlayfs upperdir holds
for f in .wh.recreate d/.wh.keep.txt d/.wh.sub .wh.nothing-here dev/.wh.fifo .wh..wh.aufs; do
    chmod 0000 "$S/$f"
done
mklayer "$S" "$WORK/l2.tar" $((EPOCH + 300)) <<'EOF'
./.wh.recreate
./recreate
./recreate/new
./hl
./hl/orig
./d
./d/.wh.keep.txt
./d/.wh.sub
./.wh.nothing-here
./dev
./dev/.wh.fifo
./.wh..wh.plnk
./.wh..wh.plnk/1234.5678
./bin
./bin/tool
./.wh..wh.aufs
./ovl-wh
EOF
add "$WORK/l2.tar" $((EPOCH + 300)) 'layer 2: deletions, recreation, AUFS metadata'

###############################################################################
# tag root-opaque: 1.0 plus a top-level opaque whiteout
###############################################################################
S=$WORK/l3o
mkdir -p "$S"
: > "$S/.wh..wh..opq"
chmod 0000 "$S/.wh..wh..opq"
printf 'the only file left\n' > "$S/fresh.txt"
mklayer "$S" "$WORK/l3o.tar" $((EPOCH + 400)) <<'EOF'
.wh..wh..opq
fresh.txt
EOF
add "$WORK/l3o.tar" $((EPOCH + 400)) 'layer 3: opaque root' root-opaque

###############################################################################
# tag symlink-parent: 1.0 plus an entry below a symlink of a lower layer
###############################################################################
S=$WORK/l3s
mkdir -p "$S/tolink"
printf 'written through the symlink\n' > "$S/tolink/via-link.txt"
mklayer "$S" "$WORK/l3s.tar" $((EPOCH + 400)) <<'EOF'
tolink/via-link.txt
EOF
add "$WORK/l3s.tar" $((EPOCH + 400)) 'layer 3: an entry below a symlink' symlink-parent

###############################################################################
# tag names-sparse: 1.0 plus odd names and a sparse file, in POSIX (PAX) format
###############################################################################
S=$WORK/l3n
mkdir -p "$S/names"
printf 'space\n' > "$S/names/with space.txt"
printf 'utf-8\n' > "$S/names/caf$(printf '\xc3\xa9').txt"
printf 'tab\n' > "$S/names/a$(printf '\t')b"
printf 'newline\n' > "$S/names/new"$'\n'"line"
printf 'latin-1\n' > "$S/names/bad$(printf '\xe9')name"   # not UTF-8: JSON shows U+FFFD
python3 -c '
import sys
with open(sys.argv[1], "wb") as f:
    f.seek(1 << 20); f.write(b"data in the middle")
    f.seek(3 << 20); f.write(b"end")' "$S/names/sparse.bin"
# PAX names carry the bytes as they are. The sparse map is GNU's PAX 0.0 form (repeated
# GNU.sparse.offset/numbytes records; Go, Python and umoci read it). 0.1 and 1.0 store
# the member as GNUSparseFile.<pid>/..., which would make the output differ per run;
# the old GNU 'S' type is left out because umoci 0.4.7 refuses it.
(cd "$S" && printf '%s\0' names "names/with space.txt" "names/caf$(printf '\xc3\xa9').txt" \
    "names/a$(printf '\t')b" "names/new"$'\n'"line" "names/bad$(printf '\xe9')name" \
    names/sparse.bin) |
    tar --create --file "$WORK/l3n.tar" --format=posix --sparse --sparse-version=0.0 \
        --pax-option='exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime' \
        --numeric-owner --no-recursion --null --mtime=@$((EPOCH + 400)) -C "$S" -T -
add "$WORK/l3n.tar" $((EPOCH + 400)) 'layer 3: odd names and a sparse file' names-sparse

umoci gc --layout "$L"
cp -a "$L" edge-cases
echo "made $HERE/edge-cases"
