#!/usr/bin/env python3
"""`tarsier extract`'s staging at the edges of the file system.

extract decodes a compressed layer once by writing each of its regular files into a
private directory of the target while the layer is indexed, then moving the files into
place (man tarsier-extract). Two edges, each against the tree extracted with room:

1. The disk fills: a file that a later layer deletes takes room for a while. When the
   disk is full, staging stops, what it kept is removed, and the layers are read again.
   The target is a 4 MiB tmpfs; the image's base layer holds two incompressible 3 MiB
   files that its top layer deletes, beside small files that stay.
2. A file system mounted below the target (`--force` into a tree holding a mount at
   keep/): a kept file cannot be renamed there, and is copied instead.

Each must end with exit 0, the same tree, and nothing of the staging left.

Usage: staging_edges.py --tarsier BIN [--source-root DIR]
Exit 0 pass, 1 fail, 77 when not root or tmpfs cannot be mounted here.
"""

import argparse
import gzip
import os
import pathlib
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "hostile"))
from extract_hostile import load_maker  # noqa: E402  (make-hostile.py's helpers)

MiB = 1 << 20


def tree(top):
    out = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for n in dirnames + filenames:
            full = os.path.join(dirpath, n)
            rel = os.path.relpath(full, top)
            out[rel] = pathlib.Path(full).read_bytes() if os.path.isfile(full) else None
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", default=str(pathlib.Path(__file__).resolve().parents[2]))
    a = ap.parse_args()
    if os.geteuid() != 0:
        print("not root: skipping")
        return 77
    mk = load_maker(pathlib.Path(a.source_root))
    F = mk.F
    rng = random.Random(7)
    big = [rng.randbytes(3 * MiB) for _ in range(2)]
    base = mk.layer_tar([F("keep/a.txt", b"stays\n"), F("tmp/big1", big[0]), F("tmp/big2", big[1]), F("keep/b.txt", b"stays too\n")])
    top = mk.layer_tar([F("tmp/.wh.big1"), F("tmp/.wh.big2"), F("keep/c.txt", b"added on top\n")])
    tmp = tempfile.mkdtemp(prefix="tarsier-staging-full.", dir=os.environ.get("TMPDIR", "/tmp"))
    small = os.path.join(tmp, "small")
    os.makedirs(small)
    mounted = False
    mounts = []
    try:
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small], capture_output=True).returncode != 0:
            print("cannot mount a tmpfs here: skipping")
            return 77
        mounted = True
        archive = os.path.join(tmp, "image.tar")
        pathlib.Path(archive).write_bytes(mk.Docker([gzip.compress(base, mtime=0), gzip.compress(top, mtime=0)]).tar())
        problems = []
        out = os.path.join(small, "out")
        r = subprocess.run([a.tarsier, "extract", archive, "--to", out], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            problems.append(f"exit {r.returncode}: {r.stderr.strip()}")
        roomy = os.path.join(tmp, "roomy")
        r2 = subprocess.run([a.tarsier, "extract", archive, "--to", roomy], capture_output=True, text=True, timeout=120)
        if r2.returncode != 0:
            problems.append(f"with room: exit {r2.returncode}: {r2.stderr.strip()}")
        got, want = tree(out) if os.path.isdir(out) else {}, tree(roomy) if os.path.isdir(roomy) else {}
        if got != want:
            problems.append(f"the tree differs from the one with room: {sorted(got)} against {sorted(want)}")
        if sorted(k for k in want if k.startswith("keep/")) != ["keep/a.txt", "keep/b.txt", "keep/c.txt"]:
            problems.append(f"the tree with room is not the image's: {sorted(want)}")
        left = [n for n in os.listdir(small) + (os.listdir(out) if os.path.isdir(out) else []) if n.startswith(".tarsier-staging")]
        if left:
            problems.append(f"staging left behind: {left}")
        # 2. A tmpfs mounted at keep/ in a target written with --force.
        forced = os.path.join(tmp, "forced")
        os.makedirs(os.path.join(forced, "keep"))
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", os.path.join(forced, "keep")],
                          capture_output=True).returncode == 0:
            mounts.append(os.path.join(forced, "keep"))
            r3 = subprocess.run([a.tarsier, "extract", archive, "--to", forced, "--force"], capture_output=True, text=True, timeout=120)
            if r3.returncode != 0:
                problems.append(f"across a mount: exit {r3.returncode}: {r3.stderr.strip()}")
            across = tree(forced)
            if across != want:
                problems.append(f"across a mount, the tree differs: {sorted(across)} against {sorted(want)}")
            if os.stat(os.path.join(forced, "keep", "a.txt")).st_dev == os.stat(forced).st_dev:
                problems.append("keep/a.txt is not on the mounted file system")
        else:
            print("cannot mount a second tmpfs: the mount case is not run")
        for p in problems:
            print("FAIL: " + p)
        print("ok" if not problems else "")
        return 1 if problems else 0
    finally:
        for m in mounts:
            subprocess.run(["umount", m], capture_output=True)
        if mounted:
            subprocess.run(["umount", small], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
