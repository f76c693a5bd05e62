#!/usr/bin/env python3
"""tarsier against hostile input: one archive per attack (testdata/hostile/, made by
testdata/hostile/make-hostile.py; the large ones and the wrong-JSON-type ones are made at
test time into a temporary directory), run through every command that reads the broken part.

    run_hostile.py --list --source-root DIR                # the test names, one a line
    run_hostile.py --tarsier EXE --source-root DIR NAME    # runs one test: exit 0 pass, 1 fail

Every run of tarsier in every test must:
  * end by itself within TIMEOUT seconds, and not by a signal (no hang, no crash);
  * stay under MAX_RSS_MB of peak memory (ru_maxrss from wait4, taken by a small measuring
    process that runs tarsier, so that the runner's own memory does not count);
  * give the expected exit status, and on exit 3 exactly one line on stderr, the
    `tarsier: error: <file>: <where>: <what>` line, matching the case's regex; every other
    stderr line is a `tarsier: error:` or `tarsier: warning:` line (or an indented choice);
  * write valid UTF-8 with no raw terminal control (ESC, BEL, CR, other C0 bytes than
    newline and tab, nor the C1 range in text output) to stdout and stderr.
`verify` runs are read as --format json and must have the named check failing (or
warning) with a message matching the regex. Times of the large cases are printed.
"""
import argparse
import dataclasses
import importlib.util
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time

TIMEOUT = 120      # seconds per tarsier run
MAX_RSS_MB = 200   # peak resident memory per tarsier run


@dataclasses.dataclass
class Run:
    """One tarsier command on the case's archive (in place of each "{}" in args, else
    appended; "-" with stdin)."""
    args: tuple
    exit: int = 0
    stderr: str = ""     # regex the error / warning line must match (search)
    stdout: str = ""     # regex stdout must match (search)
    not_stdout: str = "" # regex stdout must not match
    check: str = ""      # verify: the id (a regex) of a check that must fail (or warn, see verdict)
    verdict: str = "fail"
    message: str = ""    # verify: regex on that check's message
    stdin: bool = False  # feed the archive on standard input, as "-"
    max_seconds: float = 0.0  # 0: TIMEOUT only
    quiet: bool = True   # exit 0 without `stderr`: no warning allowed
    post: object = None  # callable(stdout: bytes, stderr: bytes) -> [problems]


@dataclasses.dataclass
class Case:
    name: str
    fixture: str         # file in testdata/hostile/, "bad:<file>" in testdata/bad/, or "made:<case>"
    runs: list
    doc: str = ""
    directory: object = None  # callable(tar path, tmp dir) -> directory to run on instead
    max_rss_mb: int = MAX_RSS_MB
    heavy: bool = False  # skipped in the sanitizer run (TARSIER_HOSTILE_LIGHT=1)


def ok(*args, **kw):
    return Run(tuple(args), 0, **kw)


def err(*args, regex, **kw):
    """Exit 3 with one error line matching `regex`."""
    return Run(tuple(args), 3, stderr=regex, **kw)


def warns(*args, regex, **kw):
    """Exit 0 with a warning line matching `regex`."""
    return Run(tuple(args), 0, stderr=regex, **kw)


def any_ok(*args, **kw):
    """Exit 0; warnings allowed (an absent layer counts 0 in ls, silently or not)."""
    return Run(tuple(args), 0, quiet=False, **kw)


def vfail(check, message="", exit=1, verdict="fail", **kw):
    return Run(("verify",), exit, check=check, message=message, verdict=verdict, **kw)


def vpass(**kw):
    return Run(("verify",), 0, **kw)


FS = ("files", "changes", "waste")
META = ("ls", "inspect", "history", "layers")


def all_ok(cmds=META + FS, **kw):
    return [ok(c, **kw) for c in cmds]


REPORT = ("report", "-o", "/dev/null")  # the page reads everything the others read


def all_err(regex, cmds=META + FS + (REPORT,)):
    return [err(*c, regex=regex) if isinstance(c, tuple) else err(c, regex=regex) for c in cmds]


# ---------------------------------------------------------------------------------------
# What the generated names look like in text output (escaped) and in JSON (as Go writes).

ESC = "\x1b[31mred\x1b[0m-\x1b]0;pwned\x07-\r-\x9b2J-end"
ESC_TEXT = re.escape(r"\x1b[31mred\x1b[0m-\x1b]0;pwned\x07-\x0d-\xc2\x9b2J-end")


def json_has_path(path):
    """post-check: `files --format json` lists exactly this path."""
    def check(out, _err):
        try:
            doc = json.loads(out)
        except ValueError as e:
            return [f"not JSON: {e}"]
        paths = [f["path"] for f in doc.get("files", [])]
        return [] if path in paths else [f"{path!r} not among the JSON paths {paths!r}"]
    return check


def json_value(pred, what):
    def check(out, _err):
        try:
            docs = [json.loads(line) for line in out.decode().splitlines() if line.strip()] if out.strip()[:1] != b"[" \
                else [json.loads(out)]
        except ValueError as e:
            return [f"not JSON: {e}"]
        return [] if pred(docs) else [f"JSON: {what}"]
    return check


def dir_with_blob_link(target_kind):
    """An OCI layout directory (the case's tar, extracted) whose layer blob is a symlink
    out of it, with a decoy holding the real bytes where the link points."""
    def make(tar_path, tmp):
        root = tmp / "x" / "y" / "layout"
        root.mkdir(parents=True)
        with tarfile.open(tar_path) as t:
            for m in t.getmembers():
                p = root / m.name
                if m.isdir():
                    p.mkdir(parents=True, exist_ok=True)
                else:
                    p.parent.mkdir(parents=True, exist_ok=True)
                    p.write_bytes(t.extractfile(m).read())
        manifest = json.loads((root / "index.json").read_bytes())["manifests"][0]["digest"].split(":")[1]
        layer = json.loads((root / "blobs/sha256" / manifest).read_bytes())["layers"][0]["digest"].split(":")[1]
        blob = root / "blobs/sha256" / layer
        outside = tmp / "x" / "outside"
        if target_kind == "blobs-dir":
            shutil.move(str(root / "blobs"), str(outside))
            os.symlink("../outside", root / "blobs")
            return root
        outside.mkdir()
        (outside / layer).write_bytes(blob.read_bytes())
        blob.unlink()
        os.symlink(f"../../../outside/{layer}" if target_kind == "relative" else str(outside / layer), blob)
        return root
    return make


LEAVES = r"leaves the archive|outside|invalid"
NAME_LIMIT = r"over the limit of 65536 bytes"
TRUNC = r"[Tt]runcat|ends (early|inside)"

CASES = [
    # --- the outer archive ---------------------------------------------------------------
    Case("outer-traversal-names", "outer-traversal-names.tar",
         all_ok(not_stdout="decoy") + [vfail("entry-escapes-root", "leaves")],
         doc="entries ../manifest.json, ../../../../tmp/x, a/../../escape.json are ignored (a finding); "
             "the real image reads"),
    Case("outer-absolute-names", "outer-absolute-names.tar", all_ok() + [vpass()],
         doc="every entry name starts with '/': normalised into the archive root"),
    Case("outer-layer-symlink-loop", "outer-layer-symlink-loop.tar",
         [any_ok("ls"), ok("inspect"), vfail("layer-path-invalid", "link loop")]
         + all_err("link loop", FS)),
    Case("outer-layer-symlink-self", "outer-layer-symlink-self.tar",
         [any_ok("ls"), vfail("layer-path-invalid", "link loop")] + all_err("link loop", FS)),
    Case("outer-layer-symlink-absolute", "outer-layer-symlink-absolute.tar", all_ok() + [vpass()],
         doc="x/layer.tar -> /<diff_id>.tar resolves inside the archive, as moby's FollowSymlinkInScope"),
    Case("outer-layer-symlink-escape-deep", "outer-layer-symlink-escape-deep.tar",
         [any_ok("ls"), vfail("layer-path-invalid", "leaves the archive")]
         + all_err("leaves the archive", FS)),
    Case("outer-layer-hardlink-missing", "outer-layer-hardlink-missing.tar",
         [any_ok("ls"), vfail("layer-present")] + all_err("missing", FS)),
    Case("outer-layer-hardlink-loop", "outer-layer-hardlink-loop.tar",
         [any_ok("ls"), vfail("layer-path-invalid", "link loop")] + all_err("link loop", FS)),
    Case("outer-base256-size-huge", "outer-base256-size-huge.tar",
         all_err(r"entry junk: file ends inside this entry", META + FS + ("verify",))),
    Case("outer-base256-size-huge-first", "outer-base256-size-huge-first.tar",
         all_err(r"entry manifest.json: file ends inside this entry", META + FS + ("verify",))),
    Case("outer-base256-size-negative", "outer-base256-size-negative.tar",
         all_err(r"after entry 3 \(.+\): tar header at byte \d+: .*negative size", META + FS + ("verify",))),
    Case("outer-base256-size-overflow", "outer-base256-size-overflow.tar",
         all_err(r"after entry 3 \(.+\): tar header at byte \d+: .*size overflow", META + FS + ("verify",))),
    Case("outer-truncated-at-entry-boundary", "outer-truncated-at-entry-boundary.tar", all_ok() + [vpass()],
         doc="no end-of-archive blocks after the last entry: read, as Go's archive/tar and GNU tar do"),
    Case("outer-truncated-in-end-marker", "outer-truncated-in-end-marker.tar", all_ok() + [vpass()]),
    Case("outer-truncated-in-manifest-data", "outer-truncated-in-manifest-data.tar",
         all_err(r"entry manifest.json: file ends inside this entry", META + FS + ("verify",))),
    Case("outer-truncated-in-header", "bad:docker-truncated-in-header.tar",
         all_err(r"after entry 10 \(2e4ffd0fd4d9\w+\.tar\): file ends inside the tar header at byte 13312",
                 META + FS + ("verify",)),
         doc="testdata/bad's fixture: every command, verify included, exits 3 with the one line"),
    Case("outer-truncated-in-layer-data", "bad:docker-truncated-in-layer.tar", all_err(TRUNC)),
    Case("outer-truncated-in-first-header", "bad:docker-truncated-in-first-header.tar", all_err(TRUNC + "|not a tar")),
    Case("outer-gzip-truncated-in-member", "outer-gzip-truncated-in-member.tar.gz",
         all_err(r"gzip") + [err("verify", regex="gzip"), err("ls", regex="gzip", stdin=True)]),
    Case("outer-gzip-truncated-in-trailer", "outer-gzip-truncated-in-trailer.tar.gz",
         all_err(r"gzip stream ends before its trailer") + [err("verify", regex="gzip stream ends before its trailer")],
         doc="the deflate data is whole, the trailer is cut"),
    Case("outer-zstd-truncated", "outer-zstd-truncated.tar.zst",
         all_err(r"zstd") + [err("verify", regex="zstd"), err("ls", regex="zstd", stdin=True)]),
    Case("manifest-layer-path-escape", "bad:docker-layer-path-escape.tar",
         [any_ok("ls")] + all_err("leaves the archive", FS),
         doc="manifest.json Layers[0] = ../../etc/passwd (testdata/bad; verify: the verify suite)"),
    Case("manifest-layer-symlink-escape", "bad:docker-layer-symlink-escape.tar",
         [any_ok("ls")] + all_err("leaves the archive", FS)),
    Case("manifest-config-path-escape", "manifest-config-path-escape.tar",
         all_err(r"manifest.json/0/Config: \.\./\.\./etc/passwd: path leaves the archive", META + FS)
         + [vfail("documents?", "leaves the archive")]),
    Case("manifest-config-path-absolute", "manifest-config-path-absolute.tar",
         all_err(r"manifest.json/0/Config: config '/etc/passwd' is not in the archive", META + FS)
         + [vfail("documents?", "not in the archive")],
         doc="an absolute Config path is taken from the archive root, where there is no etc/passwd"),
    Case("oci-blob-symlink-escape", "bad:oci-blob-symlink-escape.tar",
         [any_ok("ls")] + all_err(LEAVES, FS)),
    Case("dir-blob-symlink-relative", "made:dir-base", [any_ok("ls")] + all_err(LEAVES, FS)
         + [vfail("layer-path-invalid")], directory=dir_with_blob_link("relative"),
         doc="an OCI layout directory whose layer blob links to ../../../outside/<hex> (a decoy with the real bytes)"),
    Case("dir-blob-symlink-absolute", "made:dir-base", [any_ok("ls")]
         + all_err("missing|absent", FS) + [vfail("blob-present")], directory=dir_with_blob_link("absolute"),
         doc="the layer blob links to an absolute path outside (a decoy with the real bytes): resolved inside "
             "the layout, where nothing is"),
    Case("dir-blobs-dir-symlink", "made:dir-base", [ok("ls", not_stdout="hostile")] + all_err("no runnable image", ("inspect", "files")),
         directory=dir_with_blob_link("blobs-dir"),
         doc="blobs/ itself is a symlink to a copy outside: not followed, so nothing the index names is there"),

    # --- layers ----------------------------------------------------------------------------
    Case("layer-traversal-names", "layer-traversal-names.tar",
         all_ok(stdout="") + [vpass(), ok("files", not_stdout=r"\.\./|//|/etc/evil"),
                              ok("changes", not_stdout=r"^[ACD] /\.\.|^[ACD] /etc")],
         doc="../../../etc/evil, /abs/file, a/../../b, ./ok in a layer"),
    Case("layer-symlink-escape-write-through", "layer-symlink-escape-write-through.tar",
         all_ok() + [vpass(), ok("files", not_stdout=r"^/etc/(passwd|shadow)", stdout=r"/escape -> \.\./\.\./\.\./\.\./etc")],
         doc="layer 0: escape -> ../../../../etc, abs -> /etc; layer 1 writes escape/passwd and abs/shadow: "
             "paths stay inside the image; no file is written anywhere"),
    Case("layer-hardlink-missing", "layer-hardlink-missing.tar", all_ok() + [vpass()]),
    Case("layer-hardlink-cycle", "layer-hardlink-cycle.tar", all_ok() + [vpass()]),
    Case("layer-hardlink-through-lower", "layer-hardlink-through-lower.tar", all_ok() + [vpass()]),
    Case("layer-base256-size-huge", "layer-base256-size-huge.tar",
         [warns("ls", regex=TRUNC), warns("inspect", regex=TRUNC)] + all_err(TRUNC, FS) + [vfail("layer-decode", TRUNC)]),
    Case("layer-gzip-base256-size-huge", "layer-gzip-base256-size-huge.tar",
         [warns("ls", regex=TRUNC), warns("layers", regex=TRUNC, not_stdout="EB"),
          warns("ls", regex=TRUNC, stdin=True)] + all_err(TRUNC, FS)
         + [vfail("layer-decode", TRUNC)],
         doc="a gzip layer whose one entry says 2^62 bytes (base-256): the layer is cut short, no 4.61EB size"),
    Case("layer-base256-size-negative", "layer-base256-size-negative.tar",
         [warns("ls", regex="negative")] + all_err("negative", FS) + [vfail("layer-decode", "negative")]),
    Case("layer-base256-size-overflow", "layer-base256-size-overflow.tar",
         [warns("ls", regex="overflow|not a tar")] + all_err("overflow|not a tar", FS) + [vfail("layer-decode")]),
    Case("layer-truncated-in-header", "layer-truncated-in-header.tar",
         [warns("ls", regex=TRUNC)] + all_err(TRUNC, FS) + [vfail("layer-decode", TRUNC),
                                                             err("files", regex=TRUNC, stdin=True)]),
    Case("layer-truncated-in-data", "layer-truncated-in-data.tar",
         [warns("ls", regex=TRUNC)] + all_err(TRUNC, FS) + [vfail("layer-decode", TRUNC),
                                                             err("files", regex=TRUNC, stdin=True)]),
    Case("layer-truncated-at-entry-boundary", "layer-truncated-at-entry-boundary.tar", all_ok() + [vpass()],
         doc="both entries whole, no end-of-archive blocks: read (Docker reads it too)"),
    Case("layer-gzip-truncated-in-member", "layer-gzip-truncated-in-member.tar",
         [warns("ls", regex="gzip"), warns("layers", regex="gzip")] + all_err("gzip", FS)
         + [vfail("layer-decode", "gzip")]),
    Case("layer-gzip-truncated-in-trailer", "layer-gzip-truncated-in-trailer.tar",
         [warns("ls", regex="gzip")] + all_err("gzip", FS) + [vfail("layer-decode", "gzip")]),
    Case("layer-zstd-truncated", "layer-zstd-truncated.tar",
         [warns("ls", regex="zstd")] + all_err("zstd", FS) + [vfail("layer-decode", "zstd")]),
    Case("layer-gzip-bomb", "bad:oci-gzip-bomb.tar",
         all_ok(META + FS, max_seconds=30) + [ok("ls", stdin=True)],
         doc="66 MiB of zeros in 67 KB (testdata/bad): read in bounded memory"),
    Case("layer-zstd-bomb-1g", "bad:oci-zstd-bomb-1g.tar",
         all_ok(META + FS, max_seconds=60) + [vfail("layer-decode", "2000"), ok("ls", stdin=True)],
         doc="1 GiB in 33 KB: verify stops at --max-ratio 2000; the other commands have no ratio limit and "
             "read the GiB in bounded memory"),
    Case("layer-200k-files", "made:layer-200k-files",
         all_ok(META + FS, max_seconds=60) + [vpass(max_seconds=60), ok("ls", stdin=True, max_seconds=60),
                                              ok("files", stdout=r"/d199/f0999")],
         max_rss_mb=100, heavy=True,
         doc="200,000 files in one gzip layer: every command works, quickly (times printed); the filesystem "
             "commands hold every entry (about 200 bytes each: files 42 MB, changes 47 MB; 1 KB each, 230 MB, "
             "before the compact index)"),
    Case("layer-200k-files-docker", "made:layer-200k-files-docker",
         all_ok(("ls", "inspect", "files"), max_seconds=60) + [vpass(max_seconds=60)], max_rss_mb=100, heavy=True,
         doc="the same in an uncompressed docker-archive layer (the header walker's fast path)"),
    Case("layer-deep-dirs-5000", "made:layer-deep-dirs-5000",
         all_ok(META + FS, max_seconds=60) + [vpass(), ok("files", "--layer", "0", stdout=r"^.{0,100} /d/d/d/(?:d/)*leaf$"),
                                              ok("files", not_stdout=r"/d")],
         max_rss_mb=100, heavy=True,
         doc="5,000 nested directories (paths up to 10 KB, under the 64 KiB name limit) and a whiteout of the "
             "top one: works (its 25 MB of names take 39 MB in files; 250 MB before the compact index)"),
    Case("layer-200k-files-max-entries", "made:layer-200k-files",
         [err(c, "--max-entries", "1000", regex=r"more than 1000 entries to index \(--max-entries\)") for c in FS],
         doc="--max-entries 1000 on the 200,000-file layer: the file commands stop with a limit error"),
    Case("layer-links-30000-components", "made:layer-links-30000-components",
         all_ok(META + FS, max_seconds=30) + [ok("files", stdout=r"^(?:\S+ +){6}/(?:t/)+end/f999$")],
         doc="1,000 files landing in turn through three symlinks to a 30,001-component target: each landing "
             "costs the target's length (symlinks are looked up by a hash extended a byte at a time), not a "
             "tree lookup per component (over 40 s a command before)"),
    Case("layer-deep-dirs-2000", "made:layer-deep-dirs-2000",
         all_ok(META + FS, max_seconds=60) + [vpass(), ok("files", "--layer", "0", stdout=r"^.{0,100} /d/d/d/(?:d/)*leaf$"),
                                              ok("files", not_stdout=r"/d")],
         doc="2,000 nested directories (4 KB paths) and a whiteout of the top one: works"),
    Case("layer-pax-900k-path", "layer-pax-900k-path.tar",
         [warns("ls", regex=NAME_LIMIT)] + all_err(NAME_LIMIT, FS) + [vfail("layer-decode", NAME_LIMIT)],
         doc="a 900 KiB PAX path (libarchive takes up to 1 MiB): over the 64 KiB name limit"),
    Case("layer-long-names-many", "made:layer-long-names-many",
         [warns("ls", regex=NAME_LIMIT)] + all_err(NAME_LIMIT, FS) + [vfail("layer-decode", NAME_LIMIT)],
         doc="300 names of 700 KiB in a 240 KB gzip layer (2.3 GB in files before the name limit): refused, "
             "in bounded memory"),
    Case("outer-long-names-many", "made:outer-long-names-many",
         all_ok(("ls", "inspect", "files")) + [vfail("entry-name-too-long", "longer than 65536", verdict="warn", exit=0)],
         doc="a .tar.gz with 300 extra entries of 700 KiB names (650 MB in ls before the name limit): those "
             "entries are ignored with a finding; the image reads"),
    Case("layer-pax-64m-path", "made:layer-pax-64m-path",
         [warns("ls", regex="[Pp]ax|too large|[Ll]imit|header"), warns("inspect", regex="too large")]
         + all_err("[Pp]ax|too large|[Ll]imit|header", FS) + [vfail("layer-decode")],
         doc="a 64 MiB PAX path record: rejected with a clear message, in bounded memory"),
    Case("layer-pax-64m-path-gzip", "made:layer-pax-64m-path-gzip",
         [warns("ls", regex="[Pp]ax|too large|[Ll]imit|header")]
         + all_err("[Pp]ax|too large|[Ll]imit|header", FS) + [vfail("layer-decode")]),
    Case("layer-gnu-longname-64m", "made:layer-gnu-longname-64m",
         [warns("ls", regex="too large|[Ll]imit|header|[Ll]ong")]
         + all_err("too large|[Ll]imit|header|[Ll]ong", FS) + [vfail("layer-decode")]),

    # --- names -------------------------------------------------------------------------------
    Case("names-invalid-utf8", "names-invalid-utf8.tar", [
        ok("ls", stdout=re.escape(r"hostile/\xff ") + r".*\n.*" + re.escape(r"caf\xe9")),
        ok("ls", "--format", "json", stdout=r'"Repository":"hostile/\\ufffd"'),
        ok("history", stdout=re.escape(r"RUN echo \xff\xfe")),
        ok("inspect"), ok("layers", stdout=re.escape(r"RUN echo \xff\xfe")),
        ok("files", stdout=re.escape(r"/bad-\xff\xfe-name") + r"[\s\S]*" + re.escape(r"/caf\xe9")),
        ok("files", stdout=re.escape(r"/bad-\xc0\xaf")),
        ok("files", stdout=re.escape(r"/link -> target-\xff")),
        ok("changes", stdout=re.escape(r"C /bad-\xff\xfe-name")),
        ok("waste", stdout=re.escape(r"/bad-\xff\xfe-name")),
        ok("files", "--format", "json"), ok("changes", "--format", "json"), vpass()],
        doc="names are shown with \\xNN for each byte that is not UTF-8 (never another name); JSON replaces "
            "them with U+FFFD as Go does"),
    Case("names-terminal-escapes", "names-terminal-escapes.tar", [
        ok("ls", stdout=re.escape(r"hostile/\x1b[31mred")), ok("ls", "--format", "json", stdout=r"\\u001b\[31m"),
        ok("history", stdout=re.escape(r"RUN \x1b]8;;http://evil\x07link")),
        ok("history", "--no-trunc", stdout=ESC_TEXT),
        ok("history", "--format", "json", stdout=r"\\u001b\]8;;http://evil\\u0007link"),
        ok("inspect", post=json_value(lambda d: d[0][0]["Author"] == ESC and d[0][0]["Config"]["Labels"]["x"] == ESC,
                                      "Author and the label keep the escapes, JSON-escaped")),
        ok("layers", stdout=re.escape(r"RUN \x1b]8;;http://evil\x07link")), ok("layers", "--format", "json"),
        ok("files", stdout=ESC_TEXT), ok("files", stdout=re.escape(r"/bell\x07")),
        ok("files", "--format", "json", post=json_has_path("/esc-" + ESC)),
        ok("changes", stdout=ESC_TEXT), ok("changes", "--format", "json", stdout=r"\\u001b"),
        ok("waste", stdout=ESC_TEXT), ok("waste", "--format", "json"), vpass(),
        ok("files", stdout=ESC_TEXT, stdin=True),
        ok("blame", "{}", "/", stdout=ESC_TEXT), ok("blame", "--format", "json", "{}", "/", stdout=r"\\u001b\[31m"),
        Run(("diff", "{}", "{}"), 0), Run(("diff", "--format", "json", "{}", "{}"), 0)],
        doc="ESC, CSI (7-bit and C1), OSC, BEL and CR in names, a tag, history and labels: text output shows "
            "them as \\xNN, JSON escapes them (\\u001b)"),

    # --- JSON ----------------------------------------------------------------------------------
    Case("json-duplicate-keys", "json-duplicate-keys.tar", [
        ok("ls", stdout="hostile/image", not_stdout="decoy"),
        ok("inspect", post=json_value(lambda d: d[0][0]["Architecture"] == "amd64" and d[0][0]["Os"] == "linux"
                                      and d[0][0]["Config"]["User"] == "good"
                                      and d[0][0]["Config"]["Labels"] == {"k": "last"}
                                      and list(d[0][0]["Config"]["ExposedPorts"]) == ["80/tcp"],
                                      "the last of each duplicate key wins, once")),
        ok("inspect", not_stdout=r'"80/tcp": \{\},\s*"80/tcp"'),
        ok("files"), vpass()],
        doc="Config, RepoTags, Layers, architecture, os, User, a label and a port given twice: the last wins"),
    Case("json-duplicate-keys-oci", "json-duplicate-keys-oci.tar", all_ok() + [vpass()]),
    Case("json-type-repositories-root-array", "json-type-repositories-root-array.tar",
         all_err(r"repositories: /: expected an object, found an array", META) + [vfail("documents?", "expected")],
         doc="a pre-1.10 archive whose repositories file is an array"),
    Case("json-type-repositories-tag-number", "json-type-repositories-tag-number.tar",
         all_err(r"repositories: /hostile~1image/latest: expected a string", META) + [vfail("documents?", "expected")]),
    Case("json-deep-manifest", "made:json-deep-manifest",
         all_err(r"manifest.json: JSON nested deeper than 512", META) + [vfail("documents?", "nested deeper"),
                                                                          err("ls", regex="nested deeper", stdin=True)]),
    Case("json-deep-config", "made:json-deep-config",
         all_err(r"\.json: JSON nested deeper than 512", META) + [vfail("documents?", "nested deeper")]),
    Case("json-deep-index", "made:json-deep-index",
         all_err(r"index.json: JSON nested deeper than 512", META) + [vfail("documents?", "nested deeper")]),
    Case("json-deep-oci-manifest", "made:json-deep-oci-manifest",
         all_err(r"blobs/sha256/[0-9a-f]{64}: JSON nested deeper than 512", META) + [vfail("documents?", "nested deeper")]),
    Case("json-huge-string-config", "made:json-huge-string-config",
         all_ok(META) + [ok("inspect", stdout='"Comment": "AAAA'), vpass(), ok("ls", stdin=True)],
         max_rss_mb=640,
         doc="a 50 MiB string in the config (under the 64 MiB document limit): works; memory is bounded by "
             "copies of the document (inspect: 260 MB resident, 560 MB once every allocated page is touched, "
             "as under meson's MALLOC_PERTURB_), hence the higher limit"),
    Case("json-huge-config-over-limit", "made:json-huge-config-over-limit",
         all_err(r"exceeds the limit of 67108864 bytes", META)
         + [vfail("documents?", "67108864"), err("ls", regex="67108864|limit", stdin=True)],
         doc="a 70 MiB config: refused (document limit 64 MiB), exit 3"),
]


def type_cases(mk):
    """One case per wrong JSON type (see make-hostile.py WRONG_TYPES)."""
    out = []
    for doc, path, value in mk.WRONG_TYPES:
        name = mk.wrong_type_name(doc, path, value)
        if doc == "config" and path == "os" and value is None:
            out.append(Case(name, "made:" + name, all_ok(META) + [vpass()], doc="null is an absent value, as in Go"))
            continue
        if doc == "manifest" and path == "":
            out.append(Case(name, "made:" + name, [ok("ls", not_stdout="hostile"), err("inspect", regex="no runnable image"),
                                                   vfail("unsupported-manifest", verdict="warn", exit=0)],
                            doc="a manifest that is a JSON string is an unknown document: no image, a warning"))
            continue
        source = {"manifest-json": "manifest.json", "index": "index.json", "config": r"[0-9a-f]{64}\.json",
                  "manifest": r"blobs/sha256/[0-9a-f]{64}"}[doc]
        pointer = "/" if path == "" else ("/0" if path == "[0]" else
                                          ("/0/" if doc == "manifest-json" else "/") + re.sub(r"\[(\d+)\]", r"/\1", path)
                                          .replace("org.opencontainers.image.ref.name", "REF").replace(".", "/")
                                          .replace("REF", "org.opencontainers.image.ref.name")
                                          .replace("os/version", "os.version").replace("os/features", "os.features"))
        regex = re.escape(source) if doc in ("manifest-json", "index") else source
        regex += ": " + re.escape(pointer) + r": (expected|negative)"
        out.append(Case(name, "made:" + name, all_err(regex, META) + [vfail("documents?", r"expected|negative")],
                        doc=f"{doc} {path or '(the document)'} = {json.dumps(value)}"))
    return out


# ---------------------------------------------------------------------------------------

CONTROL_TEXT = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
CONTROL_JSON = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")


class Failure(Exception):
    pass


class Runner:
    def __init__(self, tarsier, root):
        self.tarsier = tarsier
        self.root = pathlib.Path(root)
        sys.dont_write_bytecode = True  # no __pycache__ in the source tree
        spec = importlib.util.spec_from_file_location("make_hostile", self.root / "testdata/hostile/make-hostile.py")
        self.mk = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.mk)
        self.cases = CASES + type_cases(self.mk)
        self.problems = []

    def problem(self, msg):
        self.problems.append(msg)

    def fixture(self, case, tmp):
        if case.fixture.startswith("bad:"):
            path = self.root / "testdata/bad" / case.fixture[4:]
        elif case.fixture.startswith("made:"):
            name = case.fixture[5:]
            t0 = time.monotonic()
            # In another process: a runner that had held the large fixture in memory would
            # pass its size on to every tarsier it forks (ru_maxrss counts it).
            made = tmp / "made"
            subprocess.run([sys.executable, str(self.root / "testdata/hostile/make-hostile.py"), "--out", str(made),
                            "--all", "--only", name], check=True, stdout=subprocess.DEVNULL)
            path = made / self.mk.file_name(name)
            print(f"made {path.name}: {path.stat().st_size} bytes in {time.monotonic() - t0:.1f} s")
        else:
            path = self.root / "testdata/hostile" / case.fixture
        if not path.exists():
            raise Failure(f"{path}: missing (run testdata/hostile/make-hostile.py)")
        if case.directory:
            path = case.directory(path, tmp)
        return path

    def startup_kb(self):
        """Peak memory of `tarsier --version`: the binary's start-up cost, measured once."""
        if getattr(self, "_startup_kb", None) is None:
            rss_file = pathlib.Path(self.tmp) / "rss-startup"
            subprocess.run([sys.executable, __file__, "--measure", str(rss_file), "--", self.tarsier, "--version"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            try:
                self._startup_kb = int(rss_file.read_text().split()[1])
            except (OSError, ValueError, IndexError):
                self._startup_kb = 0
        return self._startup_kb

    def execute(self, case, run, args, path):
        """Runs tarsier (the archive as the last argument, or on a pipe as "-"); returns
        (stdout, stderr, exit status) or None after a problem (hang, crash). Checks time
        and peak memory."""
        where = "-" if run.stdin else str(path)
        tarsier = [self.tarsier, *(where if a == "{}" else a for a in args)]
        if "{}" not in args:
            tarsier.append(where)
        label = f"{case.name}: tarsier {' '.join(args)} {'- <' if run.stdin else ''}{path.name}"
        env = {**os.environ, "TZ": "UTC", "LC_ALL": "C.UTF-8"}
        # Through a small measuring process: a child forked from this runner would count
        # the runner's own memory (it holds large outputs) in its ru_maxrss.
        rss_file = pathlib.Path(self.tmp) / "rss"
        rss_file.unlink(missing_ok=True)
        cmd = [sys.executable, __file__, "--measure", str(rss_file), "--", *tarsier]
        t0 = time.monotonic()
        feeder = None
        if run.stdin:
            # A real pipe (standard input redirected from a file would be seekable and read
            # like a named file): the stream path, read once.
            rfd, wfd = os.pipe()
            p = subprocess.Popen(cmd, stdin=rfd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                 start_new_session=True)
            os.close(rfd)

            def feed():
                try:
                    with open(path, "rb") as src, os.fdopen(wfd, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                except BrokenPipeError:
                    pass
            feeder = threading.Thread(target=feed)
            feeder.start()
        else:
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                 start_new_session=True)
        try:
            out, err = p.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)  # the measuring process and tarsier
            p.communicate()
            self.problem(f"{label}: no answer after {TIMEOUT} s (hang?)")
            return None
        finally:
            if feeder:
                feeder.join()
        elapsed = time.monotonic() - t0
        try:
            code, rss = (int(x) for x in rss_file.read_text().split())
        except (OSError, ValueError) as e:
            self.problem(f"{label}: the measuring process failed ({e}): {err.decode(errors='replace')[-500:]}")
            return None
        print(f"{label}: exit {code}, {elapsed:.2f} s, peak {rss // 1024} MB")
        if code < 0:
            self.problem(f"{label}: killed by signal {-code} (crash)\n{err.decode(errors='replace')[-2000:]}")
            return None
        # The bound is on what the command takes beyond the binary's own start-up (about
        # 10 MB; about 130 MB in the sanitizer build, whose instrumentation data is resident).
        startup = self.startup_kb()
        if rss - startup > case.max_rss_mb * 1024:
            self.problem(f"{label}: peak memory {rss // 1024} MB ({startup // 1024} MB of it start-up), "
                         f"over {case.max_rss_mb} MB")
        if run.max_seconds and elapsed > run.max_seconds:
            self.problem(f"{label}: took {elapsed:.1f} s, more than {run.max_seconds} s")
        return out, err, code

    def run(self, case, run, path):
        args = [*run.args]
        label = f"{case.name}: tarsier {' '.join(args)} {'- <' if run.stdin else ''}{path.name}"
        done = self.execute(case, run, args, path)
        if done is None:
            return
        out, err, code = done
        err_text = err.decode(errors="replace")
        if code != run.exit:
            self.problem(f"{label}: exit {code}, expected {run.exit}; stderr: {err_text.strip()[:400]}")
        json_out = "json" in args or run.check or args[:1] == ["inspect"]
        for stream, data, rx in (("stdout", out, CONTROL_JSON if json_out else CONTROL_TEXT),
                                 ("stderr", err, CONTROL_TEXT)):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as e:
                self.problem(f"{label}: {stream} is not valid UTF-8 ({e})")
            m = rx.search(data.replace(b"\n", b"").replace(b"\t", b""))
            if m:
                self.problem(f"{label}: raw control byte {m.group()!r} on {stream}")
        lines = err_text.splitlines()
        for ln in lines:
            if not (ln.startswith("tarsier: error: ") or ln.startswith("tarsier: warning: ")
                    or ln.startswith("tarsier: note: ") or ln.startswith("  ")):
                self.problem(f"{label}: stray stderr line {ln[:200]!r}")
        if code == 3:
            errors = [ln for ln in lines if ln.startswith("tarsier: error: ")]
            if len(errors) != 1 or len(lines) != 1:
                self.problem(f"{label}: exit 3 needs exactly one error line, got: {err_text[:400]!r}")
        if run.stderr and not any(re.search(run.stderr, ln) for ln in lines):
            self.problem(f"{label}: no stderr line matches /{run.stderr}/: {err_text.strip()[:400]!r}")
        if run.exit == 0 and run.quiet and not run.stderr and any(ln.startswith("tarsier: warning") for ln in lines):
            self.problem(f"{label}: unexpected warning: {err_text.strip()[:400]!r}")
        text = out.decode(errors="replace")
        if run.stdout and not re.search(run.stdout, text, re.M):
            self.problem(f"{label}: stdout does not match /{run.stdout}/:\n{text[:1500]}")
        if run.not_stdout and re.search(run.not_stdout, text, re.M):
            self.problem(f"{label}: stdout matches /{run.not_stdout}/, it must not:\n{text[:1500]}")
        if run.post:
            for p in run.post(out, err):
                self.problem(f"{label}: {p}")

    def run_verify(self, case, run, path):
        """verify --format json: the exit status and the named check's verdict and message."""
        label = f"{case.name}: tarsier verify {path.name}"
        done = self.execute(case, run, ["verify", "--format", "json"], path)
        if done is None:
            return
        out, err, code = done
        if code != run.exit:
            self.problem(f"{label}: exit {code}, expected {run.exit}; stderr: {err.decode(errors='replace')[:300]}")
        if CONTROL_JSON.search(out.replace(b"\n", b"")):
            self.problem(f"{label}: raw control byte in the JSON")
        try:
            doc = json.loads(out)
            checks = doc["archives"][0].get("checks", [])
        except (ValueError, KeyError, IndexError) as e:
            self.problem(f"{label}: stdout is not verify's JSON ({e}): {out[:300]!r}")
            return
        if run.check:
            hits = [c for c in checks if re.fullmatch(run.check, c["id"]) and c["verdict"] == run.verdict]
            if not hits:
                self.problem(f"{label}: no {run.verdict} {run.check} check; checks: "
                             + "; ".join(f"{c['verdict']} {c['id']}: {c['message']}" for c in checks
                                         if c["verdict"] != "pass"))
            elif run.message and not any(re.search(run.message, c["message"]) for c in hits):
                self.problem(f"{label}: no {run.check} message matches /{run.message}/: "
                             + "; ".join(c["message"] for c in hits))
        elif run.exit == 0:
            bad = [c for c in checks if c["verdict"] in ("fail", "warn")]
            if bad:
                self.problem(f"{label}: " + "; ".join(f"{c['verdict']} {c['id']}: {c['message']}" for c in bad))

    def test(self, case):
        with tempfile.TemporaryDirectory(prefix="tarsier-hostile-") as tmp:
            self.tmp = tmp
            path = self.fixture(case, pathlib.Path(tmp))
            before = sorted(p.name for p in path.parent.iterdir()) if path.is_file() else None
            for run in case.runs:
                if run.args[:1] == ("verify",):
                    self.run_verify(case, run, path)
                else:
                    self.run(case, run, path)
            # tarsier never writes into or beside its input
            if before is not None and sorted(p.name for p in path.parent.iterdir()) != before:
                self.problem(f"{case.name}: files appeared beside the archive")


def measure(rss_file, cmd):
    """Runs cmd with this process's standard streams and writes "<status> <peak KB>" to
    rss_file (status negative for a signal); exits with the command's status."""
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    pathlib.Path(rss_file).write_text(f"{code} {usage.ru_maxrss}\n")
    return code if code >= 0 else 128 - code


def main():
    if len(sys.argv) > 3 and sys.argv[1] == "--measure" and sys.argv[3] == "--":
        return measure(sys.argv[2], sys.argv[4:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tarsier")
    ap.add_argument("--source-root", required=True)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("test", nargs="?")
    args = ap.parse_args()
    runner = Runner(args.tarsier, args.source_root)
    if args.list:
        print("\n".join(c.name for c in runner.cases))
        return 0
    if not args.tarsier or not args.test:
        ap.error("--tarsier and a test name are needed")
    case = next((c for c in runner.cases if c.name == args.test), None)
    if case is None:
        ap.error(f"no test {args.test}")
    if os.environ.get("TARSIER_HOSTILE_LIGHT") == "1" and (case.heavy or case.max_rss_mb > MAX_RSS_MB):
        # The heaviest cases (hundreds of MB by design) take minutes under AddressSanitizer;
        # scripts/test sets this for its sanitizer run. They still run in the normal one.
        print(f"skipped: {case.name} is heavy (TARSIER_HOSTILE_LIGHT=1)")
        return 77
    try:
        runner.test(case)
    except Failure as e:
        runner.problem(str(e))
    for p in runner.problems:
        print(f"FAIL: {p}")
    if runner.problems:
        return 1
    print(f"ok: {case.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
