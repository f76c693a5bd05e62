#!/usr/bin/env python3
"""Extended attribute names: `tarsier changes --format json` of every layer of a
docker-archive against Python's tarfile reading the same layer tars (PAX SCHILY.xattr.*
and LIBARCHIVE.xattr.* records, see ocilayout.xattr_names). Every entry of every layer
must carry exactly the names tarfile finds, and at least one entry must carry some (so a
fixture without xattrs cannot pass vacuously).

Usage: xattr_names.py --tarsier BIN ARCHIVE.tar     exit 0 agree, 1 disagree
"""
import argparse
import json
import os
import subprocess
import sys
import tarfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ocilayout as ol  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("archive")
    args = ap.parse_args()
    with tarfile.open(args.archive) as outer:
        manifest = json.load(outer.extractfile("manifest.json"))
        layers = [outer.extractfile(p).read() for p in manifest[0]["Layers"]]
    got = json.loads(subprocess.run([args.tarsier, "changes", args.archive, "@0", "--format", "json"],
                                    check=True, capture_output=True, timeout=60).stdout)
    problems, carrying = [], 0
    for n, data in enumerate(layers):
        want = {}
        for e in ol.tar_entries(data):
            if e["path"] and e["path"] != "..":
                want["/" + e["path"]] = e["xattrs"]
        have = {c["path"]: (c["after"] or {}).get("xattrs") for c in got["layers"][n]["changes"] if c["kind"] != "D"}
        for p, x in sorted(want.items()):
            carrying += bool(x)
            if p in have and have[p] != x:
                problems.append(f"layer {n} {p}: tar {x}, tarsier {have[p]}")
            elif p not in have and x:
                problems.append(f"layer {n} {p}: tar has xattrs {x}, tarsier reports no change")
    if carrying == 0:
        problems.append("no entry carries an extended attribute: the fixture proves nothing")
    for p in problems:
        print(p)
    print(f"{carrying} entries with xattrs; {'FAIL' if problems else 'ok'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
