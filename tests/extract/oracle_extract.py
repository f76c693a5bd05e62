#!/usr/bin/env python3
"""`tarsier extract`, `export` and `cat` against umoci as the independent oracle.

For every image of every fixture (testdata and ../shared/corpus/real, the table of
tests/fs/ocilayout.py) and the chosen layer positions N, the image cut after layer N is
unpacked with `umoci unpack` (tests/fs/ocilayout.py: TruncatedLayout, Oracle) and
compared with

1. `tarsier extract --layer N --to DIR --same-owner --devices --preserve-setuid` on the
   ORIGINAL archive: the same paths, and per path the type, permission bits (mode &
   07777; not for symlinks, which have none on Linux), owner, size, sha256 of the content,
   symlink target and device numbers; and the same hardlink groups (paths sharing an inode);
2. `tarsier export --layer N` piped into GNU `tar -x` (as root, keeping owners and
   modes): the same comparison against umoci;
3. `tarsier cat --layer N PATH` of every regular file of the top layer's tree (of at
   most CAT_FILES, evenly spread, in a larger tree): the sha256 of its output equals the
   extracted file's;
4. at the top layer, `tarsier export` to a pipe and to a file (`-o FILE -j 2`: the
   layers' parts written at once at their measured offsets, files' bytes copied file to
   file in the kernel; and standard output redirected to a file after other bytes, with
   more written after): the same bytes.

Differences allowed, and nothing else: a directory that no layer has an entry for is
created by each tool with its own mode (only its presence is compared); paths under
AUFS' `.wh..wh.plnk` that only umoci writes (tests/fs/oracle_files.py rule 6).

Layer positions: every prefix of an image of at most PREFIX_LAYERS layers, otherwise the
top layer and the base layer (the test-time budget; see tests/extract/meson.build).

Usage: oracle_extract.py --tarsier BIN [--local-only | --corpus-only] [FIXTURE...]
Exit 0 all agree, 1 a disagreement, 77 when not root, a tool is missing, or the corpus is
needed and absent.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fs"))
import ocilayout as ol  # noqa: E402

PREFIX_LAYERS = 4
CAT_FILES = 60  # per image: each cat indexes every layer again (the test-time budget)
AUFS_LINK_DIR = ".wh..wh.plnk"


def groups(tree):
    """Hardlink groups: sets of paths sharing an inode (regular files with links)."""
    by_ino = {}
    for p, e in tree.items():
        if e["type"] == "file" and e["nlink"] > 1:
            by_ino.setdefault(e["ino"], set()).add(p)
    return {frozenset(g) for g in by_ino.values() if len(g) > 1}


def compare(oracle, got, what, implied):
    problems = []
    ours = {p: e for p, e in got.items()}
    theirs = {p: e for p, e in oracle.items() if not (p == AUFS_LINK_DIR or p.startswith(AUFS_LINK_DIR + "/"))}
    for p in sorted(set(theirs) - set(ours)):
        problems.append(f"/{p}: umoci has it, {what} does not")
    for p in sorted(set(ours) - set(theirs)):
        problems.append(f"/{p}: {what} has it, umoci does not")
    for p in sorted(set(ours) & set(theirs)):
        a, b = theirs[p], ours[p]
        keys = ["type", "uid", "gid", "size", "link", "content", "dev"]
        if a["type"] != "symlink":
            keys.append("mode")
        for k in keys:
            if a.get(k) != b.get(k):
                if k in ("mode", "uid", "gid") and p in implied:
                    continue  # a directory no layer has an entry for: each tool's own mode
                problems.append(f"/{p}: {k} umoci {a.get(k)!r}, {what} {b.get(k)!r}")
    # Hardlink groups, among the paths both have.
    common = set(ours) & set(theirs)
    ga = {g & common for g in groups(theirs)} - {frozenset()}
    gb = {g & common for g in groups(ours)} - {frozenset()}
    ga = {g for g in ga if len(g) > 1}
    gb = {g for g in gb if len(g) > 1}
    for g in sorted(ga - gb, key=sorted):
        problems.append(f"hardlink group {sorted(g)}: umoci has it, {what} does not")
    for g in sorted(gb - ga, key=sorted):
        problems.append(f"hardlink group {sorted(g)}: {what} has it, umoci does not")
    return problems


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


def check_layer(src, tarsier, sel, tree, n, top, work, named):
    problems = []
    args = list(sel) + ["--layer", str(n)]
    # extract and cat take the image as the argument after the archive (the synopsis's
    # [IMAGE]); export as --image: both forms are exercised.
    image = sel[1:2] if sel[:1] == ["--image"] else []
    rest = (list(sel[2:]) if image else list(sel)) + ["--layer", str(n)]
    # 1. extract
    out = os.path.join(work, "x")
    shutil.rmtree(out, ignore_errors=True)
    # -j 2: two layers written at once, whatever the machine's cores
    r = run([tarsier.binary, "extract", src.archive] + image + ["--to", out, "--same-owner", "--devices", "--preserve-setuid", "-j", "2"] + rest)
    if r.returncode not in (0, 1):
        return [f"extract: exit {r.returncode}: {r.stderr.decode(errors='replace').strip()}"]
    got = ol.walk_rootfs(out)
    implied = {p for p in tree if tree[p]["type"] == "dir"} - named
    problems += compare(tree, got, "extract", implied)
    # 2. export | tar -x
    tx = os.path.join(work, "t")
    shutil.rmtree(tx, ignore_errors=True)
    os.makedirs(tx)
    exp = subprocess.Popen([tarsier.binary, "export", src.archive] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    t = run(["tar", "-x", "-p", "--same-owner", "--numeric-owner", "-C", tx, "-f", "-"], stdin=exp.stdout)
    exp.stdout.close()
    err = exp.stderr.read()
    if exp.wait() != 0 or t.returncode != 0:
        problems.append(f"export | tar -x: exit {exp.returncode}/{t.returncode}: {err.decode(errors='replace').strip()} "
                        f"{t.stderr.decode(errors='replace').strip()}")
    else:
        problems += compare(tree, ol.walk_rootfs(tx), "export | tar -x", implied)
    # 3. cat of every regular file (top layer only; at most CAT_FILES of them, evenly
    #    spread over the sorted paths), named by its bytes as on disk
    if n == top:
        broot = os.fsencode(out)
        regular = []
        for d, _dirs, files in os.walk(broot):
            for name in files:
                full = os.path.join(d, name)
                if os.path.isfile(full) and not os.path.islink(full):
                    regular.append(full)
        regular.sort()
        step = max(1, -(-len(regular) // CAT_FILES))
        for full in regular[::step]:
                rel = b"/" + os.path.relpath(full, broot)
                c = run([tarsier.binary, "cat", src.archive] + image + [rel] + rest)
                if c.returncode != 0:
                    problems.append(f"cat {rel!r}: exit {c.returncode}: {c.stderr.decode(errors='replace').strip()}")
                elif hashlib.sha256(c.stdout).hexdigest() != sha256_of(full)[len("sha256:"):]:
                    problems.append(f"cat {rel!r}: bytes differ from the extracted file")
    # 4. export to a file (in parts at once, its files' bytes copied file to file in the
    #    kernel) gives the same stream as export to a pipe
    if n == top:
        piped = run([tarsier.binary, "export", src.archive] + args)
        as_file = os.path.join(work, "export.tar")
        to_file = run([tarsier.binary, "export", src.archive] + args + ["-o", as_file, "-j", "2"])
        if piped.returncode != 0 or to_file.returncode != 0:
            problems.append(f"export: exit {piped.returncode}/{to_file.returncode}")
        else:
            with open(as_file, "rb") as f:
                written = f.read()
            os.unlink(as_file)
            if written != piped.stdout:
                problems.append("export -o FILE: other bytes than export to a pipe")
            # Standard output redirected to a file that holds other bytes already, and more
            # written after tarsier (as `{ echo; tarsier export; echo; } > FILE` does).
            with open(as_file, "wb") as f:
                f.write(b"before\n")
                f.flush()
                r = subprocess.run([tarsier.binary, "export", src.archive] + args + ["-j", "2"], stdout=f, stderr=subprocess.PIPE)
                f.write(b"after\n")
            with open(as_file, "rb") as f:
                written = f.read()
            os.unlink(as_file)
            if r.returncode != 0 or written != b"before\n" + piped.stdout + b"after\n":
                problems.append("export > FILE after other bytes: other bytes than export to a pipe")
    return problems


def check_source(src, tarsier, oracle, verbose):
    if src.label.endswith("(skopeo oci)"):
        return 0, [], []  # the same layers as the original: checked there
    images, _ = ol.find_images(src.layout)
    failures, compared, unnamed = [], 0, []
    work = tempfile.mkdtemp(prefix="tarsier-extract.", dir=os.environ.get("TMPDIR", "/tmp"))
    try:
        for im in images:
            sel, why = tarsier.select(src.archive, im)
            if sel is None:
                print(f"  cannot name {im} in tarsier: {why}")
                unnamed.append(f"{src.label} {im}")
                continue
            count = len(im.layers)
            if count == 0:
                continue
            positions = range(count) if count <= PREFIX_LAYERS else sorted({0, count - 1})
            named, named_after = set(), {}
            for n in range(max(positions) + 1):
                for m in ol.tar_entries(ol.layer_bytes(im.layout, im.layers[n]["digest"])):
                    if m.get("path"):
                        named.add(m["path"])
                named_after[n] = set(named)
            for n in positions:
                head = f"{src.label} {im} layer {n}"
                try:
                    tree = oracle.tree(im, n)
                    problems = check_layer(src, tarsier, sel, tree, n, count - 1, work, named_after[n])
                except Exception as ex:
                    failures.append(f"{head}: {ex}")
                    continue
                compared += 1
                if problems:
                    failures.append(f"{head}: {len(problems)} difference(s)")
                    failures.extend("    " + p for p in problems[:40])
                elif verbose:
                    print(f"  ok {head}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return compared, failures, unnamed


def main():
    return ol.main(__doc__, check_source, tools=("umoci", "skopeo", "tar"), work_prefix="tarsier-oracle-extract.",
                   verb="compared", total_label="layer trees compared (extract, export | tar -x, cat)")


if __name__ == "__main__":
    sys.exit(main())
