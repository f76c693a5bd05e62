#!/usr/bin/env python3
"""compare.py - check tarsier against the independent oracle for one archive.

Usage:
  compare.py --tarsier PATH [--oracle FACTS_PY] ARCHIVE
  compare.py --tarsier PATH --not-an-image ARCHIVE

Exit status: 0 everything matches, 1 at least one mismatch (each one is printed
on a `MISMATCH` line), 77 ARCHIVE does not exist (the shared corpus is absent).

Normal mode
-----------
`tests/oracle/facts.py ARCHIVE` gives the oracle's images. tarsier's images are
enumerated with `tarsier layers ARCHIVE --format json`: exit 0 means one image,
exit 2 lists the choices as `  @N  <id12>  <platform>  <refs>` lines on stderr.
Every `@N` is then read with `tarsier layers ARCHIVE @N --format json` and
`tarsier inspect ARCHIVE @N`. tarsier shows a multi-platform index as one image
(the chosen platform) plus `indexPlatforms`; every other *present* platform is
read as well, with `--platform P`. The oracle lists one image per platform
manifest, so after that both sides list platform manifests.

Images are matched by image id (config digest). When several manifests share a
config (so one id stands for several images), they are paired by manifest digest.
tarsier records of the same manifest reached from several index entries are
merged (their references are united), as the oracle does.

Checked for each matched image:
  * references, as sets, in Docker's familiar `repo:tag` form on both sides
    (`docker.io/library/x:t` -> `x:t`, `docker.io/a/b:t` -> `a/b:t`, and a name
    with neither tag nor digest gets Docker's default tag: `x` -> `x:latest`);
  * for each layer, in order: the config diff_id, presence, compression (magic
    bytes), the blob size for compressed layers (`downloadSize`; also for any
    layer whose downloadSize tarsier states exactly), the uncompressed size, the
    content size (Docker's classic size) and history `created_by`; also the blob
    digest (the descriptor digest for OCI, the file's hash for manifest.json).
    For a layer the oracle cannot read (not a tar, or it does not decompress)
    tarsier may give null for the uncompressed and content sizes;
  * `inspect`: Id, Size == the sum of the oracle's contentSize,
    RootFS.Layers == the config's diff_ids, Architecture, Os, Variant;
  * that no image is missing or extra on either side;
  * for a multi-platform index whose linux/amd64 manifest is present, that
    tarsier chose linux/amd64 by default; and that the absent platforms tarsier
    reports are the ones the oracle finds absent;
  * `tarsier ls --format json --no-trunc ARCHIVE`: the same image ids as the
    default `@N` enumeration, and per id the same `Repository:Tag` set as the
    references `tarsier layers` shows (`<none>:<none>` rows mean "no tag").

Bare tags. An OCI `org.opencontainers.image.ref.name` such as `1.0` names no
repository. The oracle keeps it in `refNames` only; tarsier shows it as the
reference `<none>:1.0` (and `ls` as Repository `<none>`, Tag `1.0`). The oracle
side is therefore extended with `<none>:TAG` for each bare ref name TAG, unless
one of the image's oracle references already ends in `:TAG` (the same index
entry also carried `io.containerd.image.name`, which names the repository, as in
a containerd export). `<none>:TAG` is then compared like any other reference.

Pre-1.10 archives (no manifest.json, `repositories` and `<id>/json` chains) are
read by the oracle with `--legacy-v1`: the image id is then the top v1 id, the
layers have no config diff_id, and inspect's RootFS.Layers must be empty.

Not-an-image mode (--not-an-image)
----------------------------------
For inputs that hold no image (`manifest.json: null`; raw layer tars are bare layers, see tests/damaged): the
oracle must exit 3, and `tarsier layers`, `tarsier inspect` and `tarsier ls`
must each exit 3 with exactly one line on stderr, starting with
`tarsier: error: ARCHIVE: `.
"""

import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ORACLE = os.path.join(HERE, "..", "oracle", "facts.py")
CHOICE_RE = re.compile(r"^\s+@(\d+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$")

mismatches = []


def mismatch(where, what, tarsier=None, oracle=None, show_values=True, names=("tarsier", "oracle")):
    line = f"MISMATCH {where}: {what}"
    if show_values:
        line += f": {names[0]}={json.dumps(tarsier)} {names[1]}={json.dumps(oracle)}"
    mismatches.append(line)
    print(line)


def note(msg):
    print(f"note: {msg}")


# --------------------------------------------------------------------------
# running the programs
# --------------------------------------------------------------------------

def run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return (proc.returncode, proc.stdout.decode(errors="replace"),
            proc.stderr.decode(errors="replace"))


class Tarsier:
    def __init__(self, exe, archive):
        self.exe = exe
        self.archive = archive

    def run(self, *args):
        return run([self.exe] + list(args))

    def layers(self, selector=None, platform=None):
        args = ["layers", self.archive]
        if selector is not None:
            args.append(selector)
        if platform is not None:
            args += ["--platform", platform]
        args += ["--format", "json", "--no-trunc"]
        return self.run(*args)

    def inspect(self, selector, platform=None):
        args = ["inspect", self.archive, selector]
        if platform is not None:
            args += ["--platform", platform]
        return self.run(*args)

    def ls(self):
        return self.run("ls", "--format", "json", "--no-trunc", self.archive)


def short(digest):
    if not digest:
        return str(digest)
    return digest.split(":", 1)[-1][:12]


# --------------------------------------------------------------------------
# references
# --------------------------------------------------------------------------

def familiar(ref):
    """Docker's FamiliarString (the same rule as the oracle's, restated)."""
    name, at, digest = ref.partition("@")
    slash = name.find("/")
    first = name[:slash] if slash >= 0 else ""
    if slash >= 0 and ("." in first or ":" in first or first == "localhost"
                       or first != first.lower()):
        domain, rest = first, name[slash + 1:]
    else:
        domain, rest = "docker.io", name
    if domain == "index.docker.io":
        domain = "docker.io"
    if domain == "docker.io":
        if rest.startswith("library/") and "/" not in rest[len("library/"):]:
            rest = rest[len("library/"):]
        out = rest
    else:
        out = f"{domain}/{rest}"
    return out + at + digest


def normal(ref):
    """familiar(ref), with Docker's default tag added to a name without tag or
    digest (reference.TagNameOnly; ggcr's tarball reader, which wrote the
    tagless RepoTags of test_bundle.tar, reads them the same way)."""
    ref = familiar(ref)
    if "@" not in ref and ":" not in ref.rsplit("/", 1)[-1]:
        ref += ":latest"
    return ref


def oracle_refs(img):
    refs = {normal(r) for r in img.get("references") or []}
    for rn in img.get("refNames") or []:
        if any(c in rn for c in ":/@"):
            continue  # a full reference, already in `references`
        if any(r.endswith(":" + rn) for r in refs):
            continue  # the same descriptor named the repository too
        refs.add(f"<none>:{rn}")
    return refs


def tarsier_refs(refs):
    return {normal(r) for r in refs}


# --------------------------------------------------------------------------
# not-an-image mode
# --------------------------------------------------------------------------

def check_not_an_image(args):
    rc, out, err = run([sys.executable, args.oracle, args.archive, "--no-content"])
    if rc != 3:
        mismatch(args.archive, f"the oracle reads this input as an image archive (exit {rc}); "
                 "the test list says it is not one", show_values=False)
    prefix = f"tarsier: error: {args.archive}: "
    t = Tarsier(args.tarsier, args.archive)
    for name, (rc, out, err) in (("layers", t.layers()), ("inspect", t.inspect("@0")),
                                 ("ls", t.ls())):
        where = f"{args.archive} tarsier {name}"
        lines = err.splitlines()
        if rc != 3:
            mismatch(where, "exit status", rc, 3, names=("tarsier", "expected"))
        if len(lines) != 1:
            mismatch(where, f"stderr has {len(lines)} lines, expected 1", err, None)
        elif not lines[0].startswith(prefix):
            mismatch(where, f"stderr does not start with {prefix!r}", lines[0], None)
        if out.strip():
            mismatch(where, "stdout is not empty", out[:300], "", names=("tarsier", "expected"))
        if rc == 3 and len(lines) == 1:
            note(f"tarsier {name}: {lines[0]}")


# --------------------------------------------------------------------------
# normal mode
# --------------------------------------------------------------------------

def parse_json(where, text):
    try:
        return json.loads(text)
    except ValueError as e:
        mismatch(where, f"output is not JSON ({e})", text[:200], None)
        return None


def tarsier_images(t):
    """Every image tarsier shows: [(selector label, layers json, inspect json,
    default choice?)] and the number of @N entries."""
    rc, out, err = t.layers()
    if rc == 0:
        count = 1
    elif rc == 2:
        choices = [CHOICE_RE.match(line) for line in err.splitlines()]
        choices = [m for m in choices if m]
        count = len(choices)
        if [int(m.group(1)) for m in choices] != list(range(count)):
            mismatch(t.archive, "the @N choices are not numbered 0..N-1", err, None)
        if count < 2:
            mismatch(t.archive, "tarsier layers exited 2 without listing several images", err, None)
    else:
        mismatch(t.archive, "tarsier layers (no IMAGE) failed", {"exit": rc, "stderr": err}, None)
        return [], 0
    records = []
    for i in range(count):
        sel = f"@{i}"
        got = read_image(t, sel, None)
        if got is None:
            continue
        lay, insp = got
        records.append({"label": sel, "layers": lay, "inspect": insp, "default": True})
        image = lay["image"]
        plats = image.get("indexPlatforms") or []
        present = [p for p in plats if p.get("present")]
        amd64 = [p for p in present if p.get("platform") == "linux/amd64"]
        if amd64 and (image.get("platform") != "linux/amd64"
                      or image.get("manifestDigest") != amd64[0]["digest"]):
            mismatch(f"{t.archive} {sel}", "linux/amd64 is present in the index but not chosen",
                     [image.get("platform"), image.get("manifestDigest")],
                     ["linux/amd64", amd64[0]["digest"]], names=("tarsier", "expected"))
        names = [p.get("platform") for p in present]
        for p in present:
            if p["digest"] == image.get("manifestDigest"):
                continue
            plat = p.get("platform")
            label = f"{sel} --platform {plat}"
            if not plat:
                note(f"{label}: the index gives no platform for {p['digest']}; it cannot be selected")
                continue
            if names.count(plat) > 1:
                note(f"{label}: platform listed {names.count(plat)} times; only the first can be selected")
                continue
            # Positions shift when --platform leaves entries out: name the index instead.
            index_sel = "@" + image["indexDigest"] if image.get("indexDigest") else sel
            got = read_image(t, index_sel, plat)
            if got is None:
                continue
            lay, insp = got
            if lay["image"].get("manifestDigest") != p["digest"] or lay["image"].get("platform") != plat:
                mismatch(f"{t.archive} {label}", "--platform chose another manifest",
                         [lay["image"].get("platform"), lay["image"].get("manifestDigest")],
                         [plat, p["digest"]], names=("tarsier", "expected"))
            records.append({"label": label, "layers": lay, "inspect": insp, "default": False})
    return records, count


def read_image(t, sel, platform):
    label = sel + (f" --platform {platform}" if platform else "")
    rc, out, err = t.layers(sel, platform)
    if rc != 0:
        mismatch(f"{t.archive} {label}", "tarsier layers failed", {"exit": rc, "stderr": err}, None)
        return None
    lay = parse_json(f"{t.archive} {label} layers", out)
    rc, out, err = t.inspect(sel, platform)
    if rc != 0:
        mismatch(f"{t.archive} {label}", "tarsier inspect failed", {"exit": rc, "stderr": err}, None)
        return None
    insp = parse_json(f"{t.archive} {label} inspect", out)
    if lay is None or insp is None:
        return None
    if not isinstance(insp, list) or len(insp) != 1:
        mismatch(f"{t.archive} {label}", "inspect does not print a one-element array", insp, None)
        return None
    return lay, insp[0]


def compare_image(where, o, recs):
    """o: the oracle image; recs: tarsier records of the same manifest."""
    first = recs[0]
    img = first["layers"]["image"]
    layers = first["layers"]["layers"]
    insp = first["inspect"]

    if img.get("id") != o["id"]:
        mismatch(where, "id", img.get("id"), o["id"])
    if o.get("manifestDigest") and img.get("manifestDigest") != o["manifestDigest"]:
        mismatch(where, "manifestDigest", img.get("manifestDigest"), o["manifestDigest"])

    t_refs = set()
    for r in recs:
        t_refs |= tarsier_refs(r["layers"]["image"].get("references") or [])
    o_refs = oracle_refs(o)
    if t_refs != o_refs:
        mismatch(where, "references", sorted(t_refs), sorted(o_refs))

    # Records of one manifest reached through several entries must agree.
    for r in recs[1:]:
        if r["layers"]["layers"] != layers:
            mismatch(where, f"layers differ between {first['label']} and {r['label']}",
                     r["layers"]["layers"], layers)

    ol = o["layers"]
    if len(layers) != len(ol):
        mismatch(where, "layer count", len(layers), len(ol))
    for i, (tl, l) in enumerate(zip(layers, ol)):
        lw = f"{where} layer {i}"
        if tl.get("position") != i:
            mismatch(lw, "position", tl.get("position"), i)
        if tl.get("diffId") != l.get("configDiffId"):
            mismatch(lw, "diffId (config rootfs.diff_ids)", tl.get("diffId"), l.get("configDiffId"))
        expect_digest = l.get("descriptorDigest") or l.get("digest")
        if tl.get("digest") != expect_digest:
            mismatch(lw, "digest", tl.get("digest"), expect_digest)
        if bool(tl.get("present")) != bool(l.get("present")):
            mismatch(lw, "present", tl.get("present"), l.get("present"))
        if tl.get("createdBy") != l.get("createdBy"):
            mismatch(lw, "createdBy", tl.get("createdBy"), l.get("createdBy"))
        if not l.get("present"):
            continue
        if tl.get("compression") != l.get("compression"):
            mismatch(lw, "compression", tl.get("compression"), l.get("compression"))
        dl = tl.get("downloadSize")
        if l.get("compression") != "none":
            if dl != l.get("compressedSize"):
                mismatch(lw, "downloadSize (compressed blob size)", dl, l.get("compressedSize"))
        elif dl is not None and not tl.get("downloadSizeEstimated") and dl != l.get("compressedSize"):
            mismatch(lw, "downloadSize (blob size of an uncompressed layer)", dl, l.get("compressedSize"))
        for key in ("uncompressedSize", "contentSize"):
            if l.get("error") and tl.get(key) in (None, l.get(key)):
                # Not a tar, or it does not decompress: tarsier may call the
                # size unknown, or state the oracle's figure (if it has one).
                continue
            if tl.get(key) != l.get(key):
                mismatch(lw, key, tl.get(key), l.get(key))
        if l.get("error"):
            note(f"{lw}: the oracle could not read the layer ({l['error']}); tarsier: "
                 f"uncompressedSize {tl.get('uncompressedSize')}, contentSize {tl.get('contentSize')}")

    # inspect
    if insp.get("Id") != o["id"]:
        mismatch(where, "inspect Id", insp.get("Id"), o["id"])
    content = [l.get("contentSize") for l in ol]
    if all(c is not None for c in content):
        if insp.get("Size") != sum(content):
            mismatch(where, "inspect Size (sum of layer content sizes)", insp.get("Size"), sum(content))
    else:
        note(f"{where}: some layer content sizes are unknown to the oracle; inspect Size "
             f"{insp.get('Size')} not checked (known part {sum(c for c in content if c)})")
    diff_ids = [l.get("configDiffId") for l in ol]
    rootfs = (insp.get("RootFS") or {}).get("Layers")
    if o.get("v1"):
        # pre-1.10: there is no config and so no diff_ids
        if rootfs:
            mismatch(where, "inspect RootFS.Layers (a pre-1.10 image has no config diff_ids)", rootfs, [])
    elif "diffIdCount" in o:
        if rootfs is None or len(rootfs) != o["diffIdCount"] or rootfs[:len(diff_ids)] != diff_ids[:len(rootfs)]:
            mismatch(where, f"inspect RootFS.Layers (the config has {o['diffIdCount']} diff_ids)", rootfs, diff_ids)
    elif o.get("configPresent", True) and rootfs != diff_ids:
        mismatch(where, "inspect RootFS.Layers (config rootfs.diff_ids)", rootfs, diff_ids)
    for key, okey in (("Architecture", "architecture"), ("Os", "os"), ("Variant", "variant")):
        ov = o.get(okey)
        tv = insp.get(key)
        if (ov or "") != (tv or ""):
            mismatch(where, f"inspect {key}", tv, ov)


def check_ls(t, records):
    rc, out, err = t.ls()
    if rc != 0:
        mismatch(t.archive, "tarsier ls failed", {"exit": rc, "stderr": err}, None)
        return
    ls_refs = {}
    for line in out.splitlines():
        if not line.strip():
            continue
        row = parse_json(f"{t.archive} ls", line)
        if row is None:
            continue
        refs = ls_refs.setdefault(row.get("ID"), set())
        if not (row.get("Repository") == "<none>" and row.get("Tag") == "<none>"):
            refs.add(normal(f"{row.get('Repository')}:{row.get('Tag')}"))
    want = {}
    for r in records:
        if r["default"]:
            img = r["layers"]["image"]
            want.setdefault(img["id"], set()).update(tarsier_refs(img.get("references") or []))
    if set(ls_refs) != set(want):
        mismatch(t.archive, "ls image IDs vs the default @N images", sorted(ls_refs), sorted(want),
                 names=("ls", "layers"))
    for i in sorted(set(ls_refs) & set(want)):
        if ls_refs[i] != want[i]:
            mismatch(f"{t.archive} ls {short(i)}", "Repository:Tag set vs layers references",
                     sorted(ls_refs[i]), sorted(want[i]), names=("ls", "layers"))


def check_image_archive(args):
    rc, out, err = run([sys.executable, args.oracle, args.archive, "--legacy-v1"])
    facts = parse_json(f"{args.archive} oracle", out)
    if facts is None:
        print(err, file=sys.stderr)
        return
    if rc != 0:
        mismatch(args.archive, "the oracle does not read this archive", None, facts)
        return
    t = Tarsier(args.tarsier, args.archive)
    records, count = tarsier_images(t)
    o_images = facts["images"]
    print(f"oracle: format {facts['format']}, {len(o_images)} image(s), "
          f"{len(facts['absentPlatforms'])} absent platform(s), {len(facts['skipped'])} skipped")
    print(f"tarsier: {count} image(s) as @N, {len(records)} platform manifest(s) read")

    # tarsier records by (id, manifest digest)
    by_manifest = {}
    for r in records:
        img = r["layers"]["image"]
        by_manifest.setdefault((img["id"], img.get("manifestDigest")), []).append(r)

    ids = []
    for i in [o["id"] for o in o_images] + [k[0] for k in by_manifest]:
        if i not in ids:
            ids.append(i)
    for image_id in ids:
        os_ = [o for o in o_images if o["id"] == image_id]
        ts = [(k[1], v) for k, v in by_manifest.items() if k[0] == image_id]
        pairs = []
        if len(os_) == 1 and len(ts) == 1:
            pairs.append((os_[0], ts[0][1]))
            os_, ts = [], []
        else:
            for o in list(os_):
                hit = [x for x in ts if x[0] == o.get("manifestDigest")]
                if hit:
                    pairs.append((o, hit[0][1]))
                    os_.remove(o)
                    ts.remove(hit[0])
        for o in os_:
            mismatch(args.archive, f"image {o['id']} (manifest {o.get('manifestDigest')}, "
                     f"refs {sorted(oracle_refs(o))}) is found by the oracle but not by tarsier",
                     show_values=False)
        for md, recs in ts:
            mismatch(args.archive, f"image {image_id} (manifest {md}, via {recs[0]['label']}) "
                     "is shown by tarsier but the oracle finds no such image", show_values=False)
        for o, recs in pairs:
            plat = recs[0]["layers"]["image"].get("platform")
            where = f"{args.archive} image {short(o['id'])} ({recs[0]['label']}, {plat})"
            compare_image(where, o, recs)

    # absent platforms
    t_absent = set()
    for r in records:
        img = r["layers"]["image"]
        for p in img.get("indexPlatforms") or []:
            if not p.get("present"):
                t_absent.add((img.get("indexDigest"), p.get("digest")))
    o_absent = {(a.get("index"), a.get("digest")) for a in facts["absentPlatforms"] if a.get("index")}
    if t_absent != o_absent:
        mismatch(args.archive, "absent platforms (index, manifest)", sorted(t_absent), sorted(o_absent))

    check_ls(t, records)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tarsier", required=True, help="the tarsier executable")
    ap.add_argument("--oracle", default=DEFAULT_ORACLE, help="tests/oracle/facts.py")
    ap.add_argument("--not-an-image", action="store_true",
                    help="the input holds no image: expect exit 3 and one error line")
    ap.add_argument("archive")
    args = ap.parse_args()
    if not os.path.lexists(args.archive):
        print(f"skip: {args.archive} does not exist")
        return 77
    if args.not_an_image:
        check_not_an_image(args)
    else:
        check_image_archive(args)
    if mismatches:
        print(f"{len(mismatches)} mismatch(es)")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
