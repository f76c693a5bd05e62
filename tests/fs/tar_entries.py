#!/usr/bin/env python3
"""`tarsier changes` against the layer tars themselves, read by Python's tarfile.

For every layer N of every image of the fixtures, the decompressed layer (Python's gzip,
the zstd CLI) is listed with tarfile and compared with what `tarsier changes --long
--format json` reports for that layer. What the filesystem looked like before the layer
comes from the independent oracle: umoci's unpack of layers 0..N-1 (see
oracle_files.py), walked with os.lstat.

Checks, per layer (entries with the same path: the last one counts):

1. Every entry that is not a whiteout (nor under AUFS `.wh..wh.plnk/`, nor the root,
   nor a name leaving the root) appears as A or C, with `after` equal to the tar header:
   type, mode & 07777, uid, gid, xattr names; size and sha256 of the data (regular files); device
   numbers (character and block devices); the link (symlinks as stored; hardlinks as
   "/" + the normalised target, with the content of that target: an earlier entry of
   the layer, AUFS `.wh..wh.plnk/` storage included, or else the file below as umoci
   unpacked it). A when the path did not exist before, C when it did. The one
   exception is tarsier's documented rule: a directory entry over a directory with the
   same mode and owner is not a change (and then it must be absent).
   Implicit parents: umoci creates directories no tar entry named, tarsier does not
   know them; a directory entry over such a directory may be A or C.
2. A whiteout `.wh.x` whose target existed before appears as D of the target (or C
   when the same layer writes the target again, or is covered by a D or a
   replacement of an ancestor of the target). A whiteout whose target did not exist is
   a no-op: no D for it.
3. An opaque whiteout `d/.wh..wh..opq`: every child of d that existed before appears
   as D (or C when the layer writes it again); d itself is not deleted.
4. Nothing else: every A or C has a tar entry at its path, every D is the target of
   a whiteout, a child of an opaque directory, or below one of those.
5. `before` of every C and D has the type the path had before (a hardlink counts as
   a file), and for non-links the same mode and owner.
6. Warnings: duplicate-entry exactly for the paths written twice, overlay-whiteout
   exactly for 0:0 character devices, whiteout-without-name for a bare `.wh.`.

Usage: tar_entries.py --tarsier BIN [--local-only|--corpus-only] [FIXTURE...]
Exit 0 all agree, 1 any disagreement, 77 when not root, a tool is missing, or the
corpus is needed and absent.
"""

import os
import posixpath
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ocilayout as ol  # noqa: E402

AUFS_LINK_DIR = ".wh..wh.plnk"
OPAQUE = ".wh..wh..opq"


def base(p):
    return posixpath.basename(p)


def parent(p):
    return posixpath.dirname(p)


def ancestors(p):
    out = []
    while "/" in p:
        p = parent(p)
        out.append(p)
    return out


def landing(p, links):
    """Where an extractor that writes through symlinks (umoci's securejoin) puts entry p:
    every parent component resolved through `links` (path -> symlink target), never
    above the root; None after 255 links."""
    pending = list(reversed(parent(p).split("/"))) if "/" in p else []
    out, hops = "", 0
    while pending:
        c = pending.pop()
        if c in ("", "."):
            continue
        if c == "..":
            out = parent(out) if "/" in out else ""
            continue
        nxt = posixpath.join(out, c) if out else c
        if nxt in links:
            hops += 1
            if hops > 255:
                return None
            t = links[nxt]
            if t.startswith("/"):
                out = ""
            pending.extend(reversed(t.split("/")))
            continue
        out = nxt
    return posixpath.join(out, base(p)) if out else base(p)


def kind_of(type_name):
    return "file" if type_name == "hardlink" else type_name


def check_layer(entries, before, changes, warnings):
    """Problems with one layer's changes, as strings."""
    problems = []
    before = {p: e for p, e in before.items() if p != AUFS_LINK_DIR and not p.startswith(AUFS_LINK_DIR + "/")}
    ch = {}
    for c in changes:
        p = c["path"].lstrip("/")
        if p in ch:
            problems.append(f"/{p}: reported twice")
        ch[p] = c

    written, counts, whiteouts, opaques = {}, {}, [], []
    expect_warn = set()
    link_content = {}  # hardlink path -> the content of its target when the link was read
    seen_content = {}  # every regular-file entry so far in this layer, AUFS storage included
    links = {q: b["link"] for q, b in before.items() if b["type"] == "symlink"}
    for e in entries:
        p = e["path"]
        if p is None:
            continue
        if p != ".." and p != AUFS_LINK_DIR and not p.startswith(AUFS_LINK_DIR + "/"):
            p = landing(p, links) or p
            if not base(p).startswith(".wh."):
                if e["type"] == "symlink":
                    links[p] = e["link"]
                else:
                    links.pop(p, None)
        if e["type"] == "file" and p != "..":
            seen_content[p] = e["content"]
        if e["type"] == "hardlink" and p != "..":
            t = e["link"]
            link_content[p] = seen_content[t] if t in seen_content else (before.get(t) or {}).get("content")
        if p == "..":
            expect_warn.add(("escaping-name", e["raw"]))
            continue
        b = base(p)
        if p == AUFS_LINK_DIR or p.startswith(AUFS_LINK_DIR + "/"):
            continue
        if b == OPAQUE:
            opaques.append(parent(p))
            continue
        if b.startswith(".wh..wh."):
            continue  # other AUFS metadata
        if b.startswith(".wh."):
            if b == ".wh.":
                expect_warn.add(("whiteout-without-name", p))
            else:
                whiteouts.append(posixpath.join(parent(p), b[4:]))
            continue
        if e["type"] == "char" and e.get("dev") == (0, 0):
            expect_warn.add(("overlay-whiteout", p))
        counts[p] = counts.get(p, 0) + 1
        written[p] = e
    for p, n in counts.items():
        if n > 1:
            expect_warn.add(("duplicate-entry", p))

    # 1. entries -> A/C
    for p, e in written.items():
        c = ch.get(p)
        old = before.get(p)
        if c is None:
            if e["type"] == "dir" and old and old["type"] == "dir" and \
                    (old["mode"], old["uid"], old["gid"]) == (e["mode"], e["uid"], e["gid"]):
                continue  # tarsier's rule: an unchanged directory entry is no change
            problems.append(f"/{p}: tar entry ({e['type']} {e['mode']:04o} {e['uid']}:{e['gid']}) not reported")
            continue
        if c["kind"] not in ("A", "C"):
            problems.append(f"/{p}: tar entry reported as {c['kind']}")
            continue
        existed = old is not None
        if c["kind"] == "A" and existed and not (old["type"] == "dir" and e["type"] == "dir"):
            problems.append(f"/{p}: reported A but it existed before ({old['type']})")
        if c["kind"] == "C" and not existed:
            problems.append(f"/{p}: reported C but nothing was there before")
        a = c["after"] or {}
        want = {"type": e["type"], "mode": e["mode"], "uid": e["uid"], "gid": e["gid"], "xattrs": e["xattrs"]}
        got = {"type": a.get("type"), "mode": (a.get("mode") or 0) & 0o7777, "uid": a.get("uid"), "gid": a.get("gid"),
               "xattrs": a.get("xattrs")}
        if e["type"] == "file":
            want.update(size=e["size"], content=e["content"])
            got.update(size=a.get("size"), content=a.get("content"))
        if e["type"] == "symlink":
            want["link"], got["link"] = e["link"], a.get("link")
        if e["type"] in ("char", "block"):
            dev = a.get("device") or {}
            want["device"], got["device"] = e["dev"], (dev.get("major"), dev.get("minor"))
        if e["type"] == "hardlink":
            want["link"], got["link"] = "/" + e["link"], a.get("link")
            want["content"], got["content"] = link_content.get(p), a.get("content")
        for k in want:
            if want[k] != got[k]:
                problems.append(f"/{p}: after.{k}: tar {want[k]!r}, tarsier {got[k]!r}")
        if c["kind"] == "C" and c["before"] and old:
            problems.extend(check_before(p, c["before"], old))

    def covered(p):
        """A D or a non-directory replacement of an ancestor removed p already."""
        for a in ancestors(p):
            c = ch.get(a)
            if c and (c["kind"] == "D" or (c["kind"] == "C" and (c["after"] or {}).get("type") != "dir")):
                return True
        return False

    # 2. whiteouts
    justified_d = set()
    for t in whiteouts:
        justified_d.add(t)
        c = ch.get(t)
        if t in before:
            if c is None:
                if not covered(t):
                    problems.append(f"/{t}: whited out ({before[t]['type']} before) but not reported")
            elif c["kind"] == "D" or (c["kind"] == "C" and t in written):
                if c["before"]:
                    problems.extend(check_before(t, c["before"], before[t]))
            else:
                problems.append(f"/{t}: whited out, reported {c['kind']}")
        elif c is not None and c["kind"] == "D":
            problems.append(f"/{t}: whiteout of a path that did not exist reported as D")

    # 3. opaque directories
    for d in opaques:
        if d and ch.get(d, {}).get("kind") == "D" and d not in whiteouts:
            problems.append(f"/{d}: opaque directory itself reported deleted")
        prefix = d + "/" if d else ""
        for p in before:
            if not p.startswith(prefix) or "/" in p[len(prefix):]:
                continue
            justified_d.add(p)
            c = ch.get(p)
            if c is None:
                if not covered(p):
                    problems.append(f"/{p}: child of opaque /{d} not reported deleted")
            elif c["kind"] == "D" or (c["kind"] == "C" and p in written):
                if c["before"]:
                    problems.extend(check_before(p, c["before"], before[p]))
            else:
                problems.append(f"/{p}: child of opaque /{d} reported {c['kind']}")

    # 4. nothing else
    for p, c in ch.items():
        if c["kind"] in ("A", "C") and p not in written:
            problems.append(f"/{p}: reported {c['kind']} without a tar entry")
        if c["kind"] == "D" and p not in justified_d and not any(a in justified_d for a in ancestors(p)):
            problems.append(f"/{p}: reported D without a whiteout or opaque directory")
        if c["kind"] == "D" and p not in before:
            problems.append(f"/{p}: reported D but did not exist before")

    # 6. warnings
    got_warn = set()
    for w in warnings:
        path = w["path"]
        got_warn.add((w["code"], path if w["code"] == "escaping-name" else path.lstrip("/")))
    watched = {"duplicate-entry", "overlay-whiteout", "whiteout-without-name"}
    for w in sorted(expect_warn - got_warn):
        if w[0] in watched:
            problems.append(f"warning {w[0]} for /{w[1]} missing")
    for w in sorted(got_warn - expect_warn):
        if w[0] in watched:
            problems.append(f"unexpected warning {w[0]} for /{w[1]}")
    return problems


def check_before(p, b, old):
    """5. tarsier's `before` against the oracle's state before the layer."""
    out = []
    if kind_of(b["type"]) != old["type"] and not (b["type"] == "hardlink" and old["type"] != "dir"):
        out.append(f"/{p}: before.type: tarsier {b['type']}, umoci {old['type']}")
    elif b["type"] not in ("hardlink", "symlink"):
        if (b["mode"] & 0o7777, b["uid"], b["gid"]) != (old["mode"], old["uid"], old["gid"]):
            out.append(f"/{p}: before: tarsier {b['mode'] & 0o7777:04o} {b['uid']}:{b['gid']}, "
                       f"umoci {old['mode']:04o} {old['uid']}:{old['gid']}")
    return out


def check_source(src, tarsier, oracle, verbose):
    images, _ = ol.find_images(src.layout)
    failures, compared, unnamed = [], 0, []
    for im in images:
        sel, why = tarsier.select(src.archive, im)
        if sel is None:
            print(f"  cannot name {im} in tarsier: {why}")
            unnamed.append(f"{src.label} {im}")
            continue
        try:
            got = tarsier.run_json(["changes", src.archive] + sel + ["--long", "--content-digest", "sha256",
                                                                     "--format", "json"])
        except Exception as ex:
            failures.append(f"{src.label} {im}: {ex}")
            continue
        layers = got["layers"]
        if len(layers) != len(im.layers):
            failures.append(f"{src.label} {im}: tarsier reports {len(layers)} layers, the manifest has {len(im.layers)}")
            continue
        for n, layer in enumerate(layers):
            head = f"{src.label} {im} layer {n}"
            try:
                entries = ol.tar_entries(ol.layer_bytes(im.layout, im.layers[n]["digest"]))
                before = oracle.tree(im, n - 1) if n > 0 else {}
            except Exception as ex:
                failures.append(f"{head}: {ex}")
                continue
            problems = []
            if layer["position"] != n:
                problems.append(f"position {layer['position']}")
            problems += check_layer(entries, before, layer["changes"], layer["warnings"])
            compared += 1
            if problems:
                failures.append(f"{head}: {len(problems)} problem(s)")
                failures.extend("    " + p for p in problems)
            elif verbose:
                print(f"  ok {head}: {len(entries)} entries, {len(layer['changes'])} changes")
    return compared, failures, unnamed


def main():
    return ol.main(__doc__, check_source, tools=("umoci", "skopeo", "tar", "zstd"), work_prefix="tarsier-tar-entries.",
                   verb="checked", total_label="layers checked")


if __name__ == "__main__":
    sys.exit(main())
