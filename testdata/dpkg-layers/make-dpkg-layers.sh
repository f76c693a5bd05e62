#!/usr/bin/env bash
# make-dpkg-layers.sh - a layered image whose package state real dpkg changes from layer to
# layer, for tests/packages (dpkg-layers): every layer's list is checked against
# `dpkg-query --admindir=<umoci unpack rootfs>/var/lib/dpkg -W`.
#
# The .debs are tiny and built here with `dpkg-deb -b` (no network): tiny-a 1.0-1 and
# 2.0-1 (an upgrade), tiny-b 1.0 (removed later), tiny-c 1:0.5 (an epoch, downgraded to
# 1:0.4 with --force-downgrade), tiny-d 1.0 (its file then deleted and another overwritten
# by hand, without dpkg). dpkg installs them with --root into umoci's bundle rootfs:
#   layer 0  base: os-release, an empty dpkg database
#   layer 1  dpkg -i tiny-a_1.0-1 tiny-b_1.0 tiny-c_1:0.5
#   layer 2  dpkg -i tiny-a_2.0-1 (upgrade) ; dpkg -r tiny-b (remove)
#   layer 3  dpkg -i tiny-c_1:0.4 (downgrade) tiny-d_1.0
#   layer 4  rm usr/share/tiny-d/data ; overwrite usr/bin/tiny-d (no dpkg)
# Outputs: oci/ (umoci layout, one tag per layer: layer0 .. layer4, and latest; @4 in it),
# dpkg-layers.docker.tar (skopeo docker-archive of latest) and layers.json (what each
# layer did, as the test expects it). Run as root; tools: dpkg, dpkg-deb, umoci, skopeo.
set -euo pipefail
umask 022
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=1700000000
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE"
for tool in dpkg dpkg-deb umoci skopeo; do
    command -v "$tool" >/dev/null || { echo "make-dpkg-layers: $tool not found" >&2; exit 1; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
rm -rf oci dpkg-layers.docker.tar

deb() {  # name version [arch] : a .deb with one binary and one data file
    local name=$1 version=$2 arch=${3:-amd64} d="$WORK/src/$1-$2"
    mkdir -p "$d/DEBIAN" "$d/usr/bin" "$d/usr/share/$name"
    printf '#!/bin/sh\necho %s %s\n' "$name" "$version" >"$d/usr/bin/$name"
    chmod 755 "$d/usr/bin/$name"
    printf '%s data %s\n' "$name" "$version" >"$d/usr/share/$name/data"
    cat >"$d/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: $arch
Maintainer: tarsier tests <tests@example.invalid>
Installed-Size: 1
Section: misc
Priority: optional
Description: tiny test package $name
 Built by testdata/dpkg-layers/make-dpkg-layers.sh.
CONTROL
    find "$d" -exec touch -h -d @1700000000 {} +
    dpkg-deb --root-owner-group -Zgzip -b "$d" "$WORK/${name}_${version//:/%3a}_$arch.deb" >/dev/null
    echo "$WORK/${name}_${version//:/%3a}_$arch.deb"
}
A1=$(deb tiny-a 1.0-1); A2=$(deb tiny-a 2.0-1); B=$(deb tiny-b 1.0 all)
C5=$(deb tiny-c 1:0.5); C4=$(deb tiny-c 1:0.4); D=$(deb tiny-d 1.0)

DPKG=(dpkg --force-not-root --force-script-chrootless --log=/dev/null)
umoci init --layout oci
umoci new --image oci:layer0
step() {  # tag from-tag created-by command...
    local tag=$1 from=$2 by=$3
    shift 3
    rm -rf "$WORK/bundle"
    umoci unpack --image "oci:$from" "$WORK/bundle" >/dev/null
    local root="$WORK/bundle/rootfs"
    "$@" "$root"
    find "$root" -newermt @1700000000 -exec touch -h -d @1700000000 {} + 2>/dev/null || true
    umoci repack --refresh-bundle --history.created_by "$by" --history.created "2023-11-14T22:13:20Z" \
        --image "oci:$tag" "$WORK/bundle"
    umoci config --image "oci:$tag" --created "2023-11-14T22:13:20Z" --architecture amd64 --os linux
}
base() {
    mkdir -p "$1/etc" "$1/var/lib/dpkg/info" "$1/var/lib/dpkg/updates" "$1/var/lib/dpkg/triggers" "$1/usr/bin"
    printf 'PRETTY_NAME="tarsier dpkg test"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' >"$1/etc/os-release"
    : >"$1/var/lib/dpkg/status"
    : >"$1/var/lib/dpkg/available"
}
# layer 0 is made from nothing: unpack the empty image
rm -rf "$WORK/bundle"
umoci unpack --image oci:layer0 "$WORK/bundle" >/dev/null
base "$WORK/bundle/rootfs"
find "$WORK/bundle/rootfs" -exec touch -h -d @1700000000 {} +
umoci repack --history.created_by "base: os-release and an empty dpkg database" \
    --history.created "2023-11-14T22:13:20Z" --image oci:layer0 "$WORK/bundle"
umoci config --image oci:layer0 --created "2023-11-14T22:13:20Z" --architecture amd64 --os linux

install() { local root=${!#}; "${DPKG[@]}" --root="$root" -i "${@:1:$#-1}" >/dev/null; }
step layer1 layer0 "dpkg -i tiny-a_1.0-1 tiny-b_1.0 tiny-c_1:0.5" install "$A1" "$B" "$C5"
l2() { "${DPKG[@]}" --root="$1" -i "$A2" >/dev/null; "${DPKG[@]}" --root="$1" -r tiny-b >/dev/null; }
step layer2 layer1 "dpkg -i tiny-a_2.0-1 && dpkg -r tiny-b" l2
l3() { "${DPKG[@]}" --root="$1" --force-downgrade -i "$C4" "$D" >/dev/null 2>&1; }
step layer3 layer2 "dpkg -i tiny-c_1:0.4 tiny-d_1.0" l3
l4() { rm "$1/usr/share/tiny-d/data"; printf '#!/bin/sh\necho patched\n' >"$1/usr/bin/tiny-d"; }
step layer4 layer3 "rm /usr/share/tiny-d/data; patch /usr/bin/tiny-d by hand" l4
umoci tag --image oci:layer4 latest
umoci gc --layout oci
skopeo copy -q oci:oci:latest docker-archive:dpkg-layers.docker.tar:tarsier/dpkg-layers:latest

cat >layers.json <<'JSON'
{
  "made_by": "make-dpkg-layers.sh",
  "layers": [
    {"tag": "layer0", "image": "@4"},
    {"tag": "layer1", "image": "@4", "installed": ["tiny-a", "tiny-b", "tiny-c"]},
    {"tag": "layer2", "image": "@4", "upgraded": ["tiny-a"], "removed": ["tiny-b"]},
    {"tag": "layer3", "image": "@4", "downgraded": ["tiny-c"], "installed": ["tiny-d"]},
    {"tag": "layer4", "image": "@4",
     "findings": [["package-files-deleted", "deb/tiny-d:amd64", "usr/share/tiny-d/data"],
                  ["package-files-overwritten", "deb/tiny-d:amd64", "usr/bin/tiny-d"]]}
  ]
}
JSON
echo "made: oci/ dpkg-layers.docker.tar layers.json"
