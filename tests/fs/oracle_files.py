#!/usr/bin/env python3
"""`tarsier files --layer N` against umoci as the independent oracle.

For every image of every fixture and every layer position N: a copy of the image whose
manifest keeps only layers 0..N (config diff_ids and history cut to match, new digests,
a new index.json entry) is unpacked with `umoci unpack`, its rootfs is walked with
os.lstat, and the result is compared with `tarsier files --layer N --content-digest
sha256 --format json` on the ORIGINAL archive:

* the same set of paths, except the rule below;
* per path: type, permission bits (mode & 07777), uid, gid, size (regular files), the
  target (symlinks), the sha256 of the content (regular files) and the device numbers
  (character and block devices).

Rules where the two views legitimately differ, and nothing else:

1. Implicit parents. tarsier lists only paths some layer has an entry for; umoci
   creates a missing parent directory on its own (root-owned, mode from its umask).
   A directory that only the oracle has is accepted when tarsier lists something
   below it; its metadata is not compared.
2. Hardlinks. tarsier reports `hardlink` with "link": "/target"; on disk it is a
   regular file sharing an inode. The oracle's file must be a regular file whose
   content digest equals the content tarsier attributes to the link (the target's
   content when the link was applied), and whose mode and owner match. A hardlink to
   a symlink is a symlink on disk: then tarsier's entry for the target must be a
   symlink with the same target text.
3. Symlink permission bits are not compared: Linux has no lchmod, every symlink is
   0777 on disk whatever the tar header says.
4. The root directory itself is not compared (tarsier does not list "/").
5. mtimes are not compared (umoci sets them from the tar, but directories' mtimes
   change as later entries are created inside them).
6. AUFS hardlink storage. umoci knows nothing of AUFS and extracts the top-level
   `.wh..wh.plnk/` directory like any other; moby skips it (its files only serve as
   hardlink targets) and so does tarsier (FORMATS.md section 5). Paths at or below
   `/.wh..wh.plnk` that only umoci has are ignored. Links into it are still compared
   by rule 2: on disk they carry the stored file's content.

Usage: oracle_files.py --tarsier BIN [--local-only] [FIXTURE...]
Exit 0 all agree, 1 any disagreement or error, 77 when not root, a tool is missing,
or the corpus is needed and absent.
"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ocilayout as ol  # noqa: E402

AUFS_LINK_DIR = ".wh..wh.plnk"


def compare(oracle, tarsier_files):
    """Differences between umoci's tree and tarsier's listing, as strings."""
    problems = []
    t = {}
    for f in tarsier_files:
        p = f["path"].lstrip("/")
        if p in t:
            problems.append(f"/{p}: listed twice by tarsier")
        t[p] = f["entry"]
    t_parents = set()
    for p in t:
        parts = p.split("/")
        for i in range(1, len(parts)):
            t_parents.add("/".join(parts[:i]))
    for p in sorted(set(oracle) | set(t)):
        o, e = oracle.get(p), t.get(p)
        if e is None and (p == AUFS_LINK_DIR or p.startswith(AUFS_LINK_DIR + "/")):
            continue  # rule 6
        if e is None:
            if o["type"] == "dir" and p in t_parents:
                continue  # rule 1
            problems.append(f"/{p}: only in umoci's rootfs ({o['type']} {o['mode']:04o} {o['uid']}:{o['gid']})")
            continue
        if o is None:
            problems.append(f"/{p}: only in tarsier's listing ({e['type']} {e['mode'] & 0o7777:04o} link={e['link']})")
            continue
        d = []
        if e["type"] == "hardlink":  # rule 2
            target = t.get(e["link"].lstrip("/"))
            if o["type"] != "file":
                # A hardlink to a symlink (or a device) is that kind of inode on disk.
                if not (target and target["type"] == o["type"] and target["link"] == o["link"]):
                    d.append(f"type: tarsier hardlink to {e['link']} "
                             f"({target['type'] if target else 'absent'}), umoci {o['type']}")
            elif e["content"] != o["content"]:
                d.append(f"content: tarsier hardlink to {e['link']} with {e['content']}, umoci {o['content']} "
                         f"(size {o['size']})")
        else:
            if e["type"] != o["type"]:
                d.append(f"type: tarsier {e['type']}, umoci {o['type']}")
            if e["type"] == o["type"] == "file":
                if e["size"] != o["size"]:
                    d.append(f"size: tarsier {e['size']}, umoci {o['size']}")
                if e["content"] != o["content"]:
                    d.append(f"content: tarsier {e['content']}, umoci {o['content']}")
            if e["type"] == o["type"] == "symlink" and e["link"] != o["link"]:
                d.append(f"link: tarsier {e['link']!r}, umoci {o['link']!r}")
            if e["type"] == o["type"] and o["type"] in ("char", "block"):
                dev = e.get("device") or {}
                if (dev.get("major"), dev.get("minor")) != o["dev"]:
                    d.append(f"device: tarsier {dev.get('major')},{dev.get('minor')}, umoci {o['dev'][0]},{o['dev'][1]}")
        if o["type"] != "symlink" and (e["mode"] & 0o7777) != o["mode"]:  # rule 3
            d.append(f"mode: tarsier {e['mode'] & 0o7777:04o}, umoci {o['mode']:04o}")
        if (e["uid"], e["gid"]) != (o["uid"], o["gid"]):
            d.append(f"owner: tarsier {e['uid']}:{e['gid']}, umoci {o['uid']}:{o['gid']}")
        for x in d:
            problems.append(f"/{p}: {x}")
    return problems


def check_source(src, tarsier, oracle, verbose):
    """Returns (layers compared, list of failure lines)."""
    images, skipped = ol.find_images(src.layout)
    failures, compared, unnamed = [], 0, []
    for where, why in skipped:
        if verbose:
            print(f"  skip {where}: {why}")
    for im in images:
        sel, why = tarsier.select(src.archive, im)
        if sel is None:
            # Not a filesystem disagreement: tarsier cannot be asked about this image.
            print(f"  cannot name {im} in tarsier: {why}")
            unnamed.append(f"{src.label} {im}")
            continue
        for n in range(len(im.layers)):
            head = f"{src.label} {im} layer {n}"
            try:
                tree = oracle.tree(im, n)
                got = tarsier.run_json(["files", src.archive] + sel +
                                       ["--layer", str(n), "--content-digest", "sha256", "--format", "json"])
            except Exception as ex:  # one layer's failure must not hide the others
                failures.append(f"{head}: {ex}")
                continue
            problems = compare(tree, got["files"])
            compared += 1
            if problems:
                failures.append(f"{head}: {len(problems)} difference(s)")
                failures.extend("    " + p for p in problems)
            elif verbose:
                print(f"  ok {head}: {len(got['files'])} paths")
    return compared, failures, unnamed


def main():
    return ol.main(__doc__, check_source, tools=("umoci", "skopeo", "tar"), work_prefix="tarsier-oracle-files.",
                   verb="compared", total_label="layer trees compared")


if __name__ == "__main__":
    sys.exit(main())
