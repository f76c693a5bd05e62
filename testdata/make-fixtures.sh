#!/usr/bin/env bash
# make-fixtures.sh - rebuild the small real-writer fixtures in testdata/.
#
# Every image is built from scratch with umoci (no base image, no network) and
# converted with skopeo. Re-running the script deletes and recreates all of its
# outputs; the committed files are exactly what it produced.
#
# Tools (Debian 12): umoci 0.4.7, skopeo 1.9.3, GNU tar, python3 (only to make
# deterministic file contents). Run as root: `umoci unpack` without --rootless
# keeps uid/gid 0 and the setuid bit, and files are chowned to fixed ids.
#
# Determinism: file mtimes are set with `touch -h -d @T`, config `created` with
# `umoci config --created`, history times with `--history.created`, the
# architecture/os explicitly. umoci layers (pgzip, tar without uname/gname/atime)
# and skopeo docker-archive output (all entry times 1970-01-01) are then
# byte-for-byte reproducible. The one exception is skopeo's `oci-archive:`: the
# *outer* tar entries carry the time of the copy and uname root, so the .tar files
# differ between runs while every blob inside (and so every digest) is identical.
#
# What the writers actually did (checked with `tar -tvf` on every blob; the
# per-layer listings are in testdata/README.md):
#   * umoci repack writes a deleted file as `<dir>/.wh.<name>`: an empty regular
#     file (typeflag '0'), mode 0000, uid/gid 0, mtime 1970-01-01.
#   * A deleted directory becomes one `.wh.<dir>` with no entries for its children.
#   * A directory replaced by a file becomes the new file entry FOLLOWED by
#     whiteouts for the old children *under the file's path*
#     (`data/replaced`, then `data/replaced/.wh.inner.txt`, `data/replaced/.wh.sub`).
#     GNU tar cannot extract those two entries ("Not a directory").
#   * umoci repack never writes an opaque whiteout. `umoci insert --opaque` writes
#     `<dir>/.wh..wh..opq` (mode 0000, 1970) BEFORE the `<dir>/` entry itself.
#   * umoci 0.4.7 `insert` never closes its tar writer (umoci#436, fixed by umoci
#     PR #534): the layer has no end-of-archive blocks and the last file's data is
#     not padded. In umoci-changes the inserted file is exactly 512 bytes so every
#     entry is complete and only the EOF marker is missing (GNU tar accepts that);
#     umoci-insert-truncated/ keeps the full bug (GNU tar: "Unexpected EOF").
#   * A hardlink to a file of a lower layer is not written as a link to the lower
#     file: umoci stores the new name as a regular file and re-emits the old name
#     as a hardlink to it (the old file's nlink changed).
#   * skopeo docker-archive: layers stored uncompressed at the top level as
#     `<diffid>.tar`, each `<v1id>/layer.tar` a symlink to it, RepoTags fully
#     qualified (`docker.io/tarsier/sample:1.0`, not the familiar form), every
#     entry mode 0444 and mtime 1970-01-01. skopeo writes one image per
#     docker-archive; --additional-tag only adds tags to that image.
#   * umoci repack silently drops `umoci config` changes made after the bundle
#     was unpacked (it builds on the bundle's original manifest): see reunpack().
set -euo pipefail
umask 022
export LC_ALL=C TZ=UTC

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE"

for tool in umoci skopeo tar python3; do
    command -v "$tool" >/dev/null || { echo "make-fixtures: $tool not found" >&2; exit 1; }
done
if [ "$(id -u)" -ne 0 ]; then
    echo "make-fixtures: run as root (umoci must keep uid 0 and setuid bits)" >&2
    exit 1
fi

OUTPUTS=(skopeo-docker.tar skopeo-oci-gzip.tar skopeo-oci-zstd.tar sample.tar
         umoci-layout umoci-changes umoci-changes.tar umoci-insert-truncated)
rm -rf "${OUTPUTS[@]}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tarsier-fixtures.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

EPOCH=1700000000            # 2023-11-14T22:13:20Z, base for every timestamp
# stamp() tells fresh edits from stamped entries by "mtime newer than a fixed
# time", so the clock must be past every fixed time used below.
if [ "$(date +%s)" -le $((EPOCH + 10000)) ]; then
    echo "make-fixtures: the system clock is before $(date -u -d @$((EPOCH + 10000)))" >&2
    exit 1
fi
AUTHOR='Tarsier Fixtures <fixtures@tarsier.invalid>'

iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# Everything in a bundle starts at $EPOCH. After each edit, stamp() gives every
# entry that the edit touched (mtime newer than the last stamp, i.e. "now") the
# step's fixed time T. Entries that were not touched keep their old time, so
# umoci's mtree diff sees only the real changes.
LAST=$EPOCH
stamp() { # stamp ROOTFS T
    find "$1" -newermt "@$LAST" -exec touch -h -d "@$2" {} +
    LAST=$2
}

# Deterministic, incompressible bytes: stretch sha256 of a seed.
randbytes() { # randbytes SEED COUNT > file
    python3 -c '
import hashlib, sys
seed, n = sys.argv[1].encode(), int(sys.argv[2])
out, i = bytearray(), 0
while len(out) < n:
    out += hashlib.sha256(seed + i.to_bytes(8, "big")).digest(); i += 1
sys.stdout.buffer.write(bytes(out[:n]))' "$1" "$2"
}

lines() { # lines PREFIX COUNT > file (compressible text)
    local i
    for ((i = 1; i <= $2; i++)); do printf '%s line %04d\n' "$1" "$i"; done
}

new_image() { # new_image LAYOUT TAG BUNDLE
    [ -d "$1" ] || umoci init --layout "$1"
    umoci new --image "$1:$2"
    umoci unpack --image "$1:$2" "$3"
    touch -h -d "@$EPOCH" "$3/rootfs"
    LAST=$EPOCH
}

# `umoci repack` builds on the manifest the bundle was unpacked from, so a
# `umoci config` made since then would be lost: unpack again after each config.
reunpack() { # reunpack LAYOUT:TAG BUNDLE
    rm -rf "$2"
    umoci unpack --image "$1" "$2"
    if [ -n "$(find "$2/rootfs" -newermt "@$LAST" -print -quit)" ]; then
        echo "make-fixtures: unpack left entries newer than the last stamp" >&2
        exit 1
    fi
}

repack() { # repack LAYOUT:TAG BUNDLE T CREATED_BY
    umoci repack --refresh-bundle --image "$1" \
        --history.created "$(iso "$3")" --history.created_by "$4" "$2"
}

###############################################################################
# 1. tarsier/sample: umoci-layout/ (tags 1.0 and 2.0) and the skopeo archives
###############################################################################
L=$WORK/sample
B=$WORK/sample-bundle
new_image "$L" 1.0 "$B"
R=$B/rootfs

# layer 1: a small "base system"
T1=$((EPOCH + 60))
mkdir -p "$R"/{bin,etc,tmp,usr/lib,usr/share/doc/tarsier}
printf 'NAME="Tarsier Demo"\nID=tarsier\nVERSION_ID=1.0\n' > "$R/etc/os-release"
printf 'Welcome to the tarsier sample image.\n' > "$R/etc/motd"
printf '#!/bin/sh\necho "hello from tarsier"\n' > "$R/bin/hello"
chmod 0755 "$R/bin/hello"
ln -s hello "$R/bin/hi"
chmod 1777 "$R/tmp"
randbytes libdemo 6000 > "$R/usr/lib/libdemo.so.1"
ln -s libdemo.so.1 "$R/usr/lib/libdemo.so"
lines README 120 > "$R/usr/share/doc/tarsier/README"
stamp "$R" "$T1"
repack "$L:1.0" "$B" "$T1" '/bin/sh -c #(nop) ADD file:4b3c1d0f9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c in / '

# empty_layer history entry between layers (config-only step)
T2=$((EPOCH + 120))
umoci config --image "$L:1.0" --config.env PATH=/usr/local/bin:/usr/bin:/bin \
    --config.env TARSIER_HOME=/app \
    --history.created "$(iso "$T2")" --history.created_by '/bin/sh -c #(nop)  ENV TARSIER_HOME=/app'
reunpack "$L:1.0" "$B"

# layer 2: the application, with a hardlink and a non-root owner
T3=$((EPOCH + 180))
mkdir -p "$R/app/data"
printf '#!/bin/sh\nexec /bin/hello "$@"\n' > "$R/app/run.sh"
chmod 0755 "$R/app/run.sh"
ln "$R/app/run.sh" "$R/app/start"
printf '{"listen": ":8080", "debug": false}\n' > "$R/app/config.json"
randbytes appdata 20000 > "$R/app/data/blob.bin"
lines cache 50 > "$R/app/data/cache.txt"
chown -R 1000:1000 "$R/app"
stamp "$R" "$T3"
repack "$L:1.0" "$B" "$T3" '/bin/sh -c mkdir -p /app/data && cp -a /src/. /app/ && chown -R 1000:1000 /app'

# layer 3: a deletion (whiteout) and a modification
T4=$((EPOCH + 240))
rm "$R/app/data/cache.txt"
printf 'Welcome to the tarsier sample image, version 1.0.\n' > "$R/etc/motd"
stamp "$R" "$T4"
repack "$L:1.0" "$B" "$T4" '/bin/sh -c rm /app/data/cache.txt && echo "Welcome ..." > /etc/motd'

# final config step: second empty_layer entry, sets created/author/arch
T5=$((EPOCH + 300))
umoci config --image "$L:1.0" --created "$(iso "$T5")" --author "$AUTHOR" \
    --architecture amd64 --os linux \
    --config.entrypoint /app/run.sh --config.cmd --serve \
    --config.user 1000:1000 --config.workingdir /app \
    --config.exposedports 8080/tcp \
    --config.label org.opencontainers.image.title=tarsier-sample \
    --config.label org.opencontainers.image.version=1.0 \
    --history.created "$(iso "$T5")" --history.author "$AUTHOR" \
    --history.created_by '/bin/sh -c #(nop)  CMD ["--serve"]'

# tag 2.0 = 1.0 plus one layer (repack from the 1.0 bundle under a new tag)
T6=$((EPOCH + 3600))
reunpack "$L:1.0" "$B"
mkdir -p "$R/app/plugins"
lines plugin 40 > "$R/app/plugins/extra.conf"
chown -R 1000:1000 "$R/app/plugins"
stamp "$R" "$T6"
repack "$L:2.0" "$B" "$T6" 'COPY plugins/ /app/plugins/ # buildkit'
umoci config --image "$L:2.0" --created "$(iso "$T6")" \
    --config.label org.opencontainers.image.version=2.0 \
    --history.created "$(iso "$T6")" --history.author "$AUTHOR" \
    --history.created_by '/bin/sh -c #(nop)  LABEL org.opencontainers.image.version=2.0'

umoci gc --layout "$L"
cp -a "$L" umoci-layout

skopeo copy -q oci:umoci-layout:1.0 docker-archive:skopeo-docker.tar:tarsier/sample:1.0
skopeo copy -q oci:umoci-layout:1.0 oci-archive:skopeo-oci-gzip.tar:1.0
skopeo copy -q --dest-compress-format zstd oci:umoci-layout:1.0 oci-archive:skopeo-oci-zstd.tar:1.0
# skopeo 1.9 writes exactly one image per docker-archive ("docker-archive doesn't
# support modifying existing images"); --additional-tag gives it a second tag.
skopeo copy -q --additional-tag tarsier/sample:latest \
    oci:umoci-layout:2.0 docker-archive:sample.tar:tarsier/sample:2.0

###############################################################################
# 2. umoci-changes/: one change kind per layer
###############################################################################
L=$WORK/changes
B=$WORK/changes-bundle
new_image "$L" 1.0 "$B"
R=$B/rootfs

# layer 1: regular files and directories that later layers change
C1=$((EPOCH + 1000))
mkdir -p "$R"/{etc,data/keep,data/gone/sub,data/replaced/sub,opt/app/old,var/empty}
printf 'keep me\n' > "$R/data/keep/a.txt"
printf 'delete me\n' > "$R/data/doomed.txt"
printf 'x\n' > "$R/data/gone/x"
printf 'y\n' > "$R/data/gone/sub/y"
printf 'inner\n' > "$R/data/replaced/inner.txt"
printf 'deep\n' > "$R/data/replaced/sub/deep.txt"
printf 'value=1\n' > "$R/etc/same-size.conf"
printf 'mode change only\n' > "$R/etc/mode.conf"
printf 'base library\n' > "$R/etc/base.txt"
printf 'old app 1\n' > "$R/opt/app/one"
printf 'old app 2\n' > "$R/opt/app/old/two"
printf 'owned by 1000\n' > "$R/data/keep/user.txt"
chown 1000:1000 "$R/data/keep/user.txt"
stamp "$R" "$C1"
repack "$L:1.0" "$B" "$C1" 'COPY base/ / # buildkit'

# layer 2: a symlink, a hardlink within the layer, a setuid file, a long path
C2=$((EPOCH + 2000))
mkdir -p "$R/bin"
printf '#!/bin/sh\nid\n' > "$R/bin/su-demo"
chmod 4755 "$R/bin/su-demo"
ln -s ../data/keep/a.txt "$R/bin/a-link"
printf 'linked content\n' > "$R/bin/orig"
ln "$R/bin/orig" "$R/bin/hardlink"
LONGDIR=long/$(printf 'd%.0s' {1..90})/$(printf 'e%.0s' {1..90})
LONGNAME=$(printf 'f%.0s' {1..110}).txt
mkdir -p "$R/$LONGDIR"
printf 'long path\n' > "$R/$LONGDIR/$LONGNAME"
stamp "$R" "$C2"
repack "$L:1.0" "$B" "$C2" 'RUN /bin/sh -c ln -s ../data/keep/a.txt /bin/a-link && ln /bin/orig /bin/hardlink && chmod u+s /bin/su-demo # buildkit'

# layer 3: delete a file and a whole directory
C3=$((EPOCH + 3000))
rm "$R/data/doomed.txt"
rm -r "$R/data/gone"
stamp "$R" "$C3"
repack "$L:1.0" "$B" "$C3" 'RUN /bin/sh -c rm /data/doomed.txt && rm -r /data/gone # buildkit'

# layer 4: a directory replaced by a file; a hardlink to a lower-layer file
C4=$((EPOCH + 4000))
rm -r "$R/data/replaced"
printf 'now a file\n' > "$R/data/replaced"
ln "$R/etc/base.txt" "$R/data/base-link"
stamp "$R" "$C4"
repack "$L:1.0" "$B" "$C4" 'RUN /bin/sh -c rm -r /data/replaced && echo "now a file" > /data/replaced && ln /etc/base.txt /data/base-link # buildkit'

# layer 5: same-size content change with the old mtime kept, and a mode-only change
C5=$((EPOCH + 5000))
printf 'value=2\n' > "$R/etc/same-size.conf"
touch -h -d "@$C1" "$R/etc/same-size.conf"
chmod 0600 "$R/etc/mode.conf"
stamp "$R" "$C5"
repack "$L:1.0" "$B" "$C5" 'RUN /bin/sh -c sed -i s/1/2/ /etc/same-size.conf && chmod 600 /etc/mode.conf # buildkit'

# layer 6: opaque directory (umoci repack never writes one; umoci insert --opaque does)
C6=$((EPOCH + 6000))
NEW=$WORK/newapp
mkdir -p "$NEW"
printf 'new app\n%.0s' {1..64} > "$NEW/main"    # 512 bytes: see the umoci#436 note above
touch -h -d "@$C6" "$NEW/main" "$NEW"
umoci insert --image "$L:1.0" --opaque \
    --history.created "$(iso "$C6")" --history.created_by 'COPY newapp/ /opt/app/ # opaque replace' \
    "$NEW" /opt/app

C7=$((EPOCH + 7000))
umoci config --image "$L:1.0" --created "$(iso "$C7")" --author "$AUTHOR" \
    --architecture amd64 --os linux --config.cmd /bin/su-demo \
    --history.created "$(iso "$C7")" --history.author "$AUTHOR" \
    --history.created_by '/bin/sh -c #(nop)  CMD ["/bin/su-demo"]'

umoci gc --layout "$L"
cp -a "$L" umoci-changes
skopeo copy -q oci:umoci-changes:1.0 oci-archive:umoci-changes.tar:1.0

###############################################################################
# 3. umoci-insert-truncated/: umoci insert's unterminated tar, kept as is
###############################################################################
L=$WORK/truncated
umoci init --layout "$L"
umoci new --image "$L:1.0"
mkdir -p "$WORK/ins"
printf 'hello\n' > "$WORK/ins/hello.txt"
touch -h -d "@$EPOCH" "$WORK/ins/hello.txt"
umoci insert --image "$L:1.0" --history.created "$(iso "$EPOCH")" \
    --history.created_by 'umoci insert hello.txt /hello.txt' "$WORK/ins/hello.txt" /hello.txt
umoci config --image "$L:1.0" --created "$(iso "$EPOCH")" --architecture amd64 --os linux \
    --no-history
umoci gc --layout "$L"
cp -a "$L" umoci-insert-truncated

echo "make-fixtures: done"
for o in "${OUTPUTS[@]}"; do printf '  %7s bytes  %s\n' "$(du -sb "$o" | cut -f1)" "$o"; done
