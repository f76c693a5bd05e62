#!/usr/bin/env python3
"""tarsier on damaged copies of real archives: never a crash, a hang or a silent or
misleading answer.

    run_damaged.py --list --source-root DIR                # the test names, one a line
    run_damaged.py --tarsier EXE --source-root DIR NAME    # runs one test: exit 0 pass, 1 fail, 77 skip

The damaged copies are made at test time in a temporary directory, from testdata/*.tar,
testdata/umoci-layout and (when ../shared/corpus/real exists next to the source root) a
few archives of the real-world corpus; their tests exit 77 without it.

Tests (suite 'damaged', see tests/damaged/meson.build):
  truncate-<archive>   the outer tar cut at OFFSETS deterministic offsets: inside a header,
                       inside an entry's data (a blob, manifest.json), in the padding, at
                       the last byte. Every command must exit 3 with exactly one
                       `tarsier: error:` line naming the file and the place: `entry <name>`
                       for a cut in an entry's data, `after entry N (<name>)` with the
                       header's byte offset for a cut header. A cut at an entry boundary
                       or in the end-of-archive blocks may read (exit 0 or 1) or fail with
                       one error line.
  truncate-gzip-<archive>  the same archive gzip-compressed, cut: exit 3, one line, naming
                       gzip or the cut.
  flip-header-<archive>  one byte of a tar header (name, size, checksum) changed: the header
                       checksum no longer matches, exit 3 with one line naming the entry
                       before it.
  flip-json-<archive>  a structural byte of manifest.json or index.json changed: exit 3 (1 for
                       verify, a failed `documents` check), one line naming the document.
  layer-<kind>         a layer blob of an OCI layout whose compressed stream is damaged
                       (gzip cut in its data, gzip trailer cut or missing, gzip CRC-32 or
                       size wrong, zstd cut): the filesystem commands exit 3 naming
                       `layer N (sha256:…)` and what is wrong; verify fails `layer-decode`
                       for that layer with the same message; the metadata commands may
                       warn and exit 0.
  bare-layer-<name>    a layer tar on its own (a docker save layer.tar, a gzip OCI layer blob,
                       the corpus's raw layers): every command exits 0 with nothing on stderr,
                       `changes` adds exactly the layer's files (Python's tarfile), `ls` shows
                       one image; piped, exit 3 saying to name the file; a tar of two zero
                       blocks is still not an image (exit 3).
  stdin-tty, stdin-closed, stdin-devnull
                       `-` as a terminal (a pseudo-terminal from the pty module): exit 2 at
                       once with the one line; closed: exit 3 "standard input is closed";
                       /dev/null: exit 3 "empty input".

Every run must end by itself within TIMEOUT seconds and not by a signal, print no sanitizer
report, and exit with a documented status (0, 1, 2 or 3).
"""
import argparse
import gzip
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

TIMEOUT = 30   # seconds per tarsier run
OFFSETS = 25   # cut offsets per archive
COMMANDS = (("ls",), ("history",), ("inspect",), ("layers",), ("verify",), ("waste",), ("changes",),
            ("files",), ("audit",), ("report", "-o", "/dev/null"))
FS = {"waste", "changes", "files", "audit"}
DOCUMENTED = {0, 1, 2, 3}
SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:")

TESTDATA = ("sample.tar", "skopeo-docker.tar", "skopeo-oci-gzip.tar", "skopeo-oci-zstd.tar", "umoci-changes.tar")
CORPUS = {  # name: path under ../shared/corpus/real
    "real-test-docker-image.tar": "dive/.data/test-docker-image.tar",
    "real-hello-world-v25.tar": "ggcr/pkg/v1/tarball/testdata/hello-world-v25.tar",
    "real-whiteout_dir.tar": "ggcr/pkg/v1/mutate/testdata/whiteout_dir.tar",
    "real-hello-world.tar": "oras-go/content/oci/testdata/hello-world.tar",
}
BARE_CORPUS = {  # name: path under ../shared/corpus/real
    "real-layer-wh.tar": "regclient/testdata/layer-wh.tar",
    "real-xattr-layer.tar": "moby/daemon/builder/remotecontext/internal/tarsum/testdata/xattr/layer.tar",
    "real-content.tar.zst": "ggcr/pkg/crane/testdata/content.tar.zst",
}
BARE_TESTDATA = {  # name: (archive in testdata, the layer's entry)
    "sample-layer.tar": ("sample.tar", "abe9ce027549aaf52fe7ad77388d333bbb33740320bc13ef5e89239d7f80e621.tar"),
    "oci-gzip-layer.tar.gz": ("skopeo-oci-gzip.tar", "blobs/sha256/4fe7b3b28d37bd8794109fec8f090563828a7373f944d1522b0b64e2a1d87136"),
}
LAYER_KINDS = ("gzip-cut-in-data", "gzip-no-trailer", "gzip-cut-in-trailer", "gzip-bad-crc", "gzip-bad-size",
               "zstd-cut")


class Failure(Exception):
    pass


class Runner:
    def __init__(self, tarsier, root):
        self.tarsier = tarsier
        self.root = pathlib.Path(root)
        self.corpus = self.root / ".." / "shared" / "corpus" / "real"
        self.problems = []
        self.runs = 0

    def problem(self, msg):
        self.problems.append(msg)

    # --- running tarsier ------------------------------------------------------------------

    def run(self, args, stdin=subprocess.DEVNULL):
        cmd = [self.tarsier, *map(str, args)]
        self.runs += 1
        try:
            r = subprocess.run(cmd, stdin=stdin, capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Failure(f"{' '.join(cmd)}: no answer after {TIMEOUT} s (hang?)")
        err = r.stderr.decode(errors="replace")
        label = " ".join(map(str, args))
        if r.returncode < 0:
            raise Failure(f"{label}: killed by signal {-r.returncode} (crash)\n{err[-2000:]}")
        if SANITIZER.search(err):
            raise Failure(f"{label}: sanitizer report\n{err[-3000:]}")
        if r.returncode not in DOCUMENTED:
            self.problem(f"{label}: exit {r.returncode}, not a documented status")
        return r.returncode, r.stdout.decode(errors="replace"), err

    def errors(self, err):
        return [ln for ln in err.splitlines() if ln.startswith("tarsier: error: ")]

    def expect_fatal(self, args, path, where_re, what_re="", code=3):
        """Exit `code` with exactly one error line that names `path` and matches where_re
        (and what_re)."""
        rc, _, err = self.run(args)
        label = " ".join(map(str, args))
        if rc != code:
            self.problem(f"{label}: exit {rc}, expected {code} (stderr: {err.strip()[:300]})")
            return
        lines = self.errors(err)
        if len(lines) != 1:
            self.problem(f"{label}: {len(lines)} error lines, expected exactly one:\n{err.strip()[:600]}")
            return
        line = lines[0]
        if not line.startswith(f"tarsier: error: {path}: "):
            self.problem(f"{label}: the error does not name the file first: {line}")
        if where_re and not re.search(where_re, line):
            self.problem(f"{label}: the error does not name the place (/{where_re}/): {line}")
        if what_re and not re.search(what_re, line):
            self.problem(f"{label}: the error does not say what is wrong (/{what_re}/): {line}")

    def expect_any(self, args, path):
        """Any documented status; on exit 3, exactly one error line naming the file."""
        rc, _, err = self.run(args)
        if rc == 3:
            lines = self.errors(err)
            label = " ".join(map(str, args))
            if len(lines) != 1 or not lines[0].startswith(f"tarsier: error: {path}: "):
                self.problem(f"{label}: exit 3 needs exactly one error line naming the file:\n{err.strip()[:600]}")
        return rc

    def failed_verify(self, path, why):
        """The checks of `verify --format json PATH`, which must exit 1 (`why` says what
        should fail); None (and a problem) otherwise."""
        rc, out, err = self.run(["verify", "--format", "json", path])
        if rc != 1:
            self.problem(f"verify {path}: exit {rc}, expected 1 ({why}): {err.strip()[:200]}")
            return None
        return json.loads(out)["archives"][0]["checks"]

    # --- the archives -----------------------------------------------------------------------

    def source(self, name):
        if name in CORPUS:
            p = self.corpus / CORPUS[name]
            if not p.exists():
                raise SkipTest(f"{p}: the shared corpus is absent")
            return p
        return self.root / "testdata" / name

    @staticmethod
    def members(data):
        """(header offset, data offset, size, name) of each member, by tarfile."""
        out = []
        with tarfile.open(fileobj=__import__("io").BytesIO(data)) as t:
            for m in t.getmembers():
                out.append((m.offset, m.offset_data, m.size if m.isreg() else 0, m.name))
        return out

    @staticmethod
    def pick(candidates, n):
        """n of the candidates, evenly spread, deterministic."""
        candidates = sorted(set(candidates))
        if len(candidates) <= n:
            return candidates
        step = len(candidates) / n
        return sorted({candidates[int(i * step)] for i in range(n)})

    def cut_offsets(self, data):
        """Offsets classified: {offset: (kind, detail)}; kind 'data' (entry name), 'header'
        (the entry number and name before it), 'boundary' or 'end'."""
        ms = self.members(data)
        classes = {}
        data_end = ms[-1][1] + (ms[-1][2] + 511) // 512 * 512
        for i, (hoff, doff, size, name) in enumerate(ms):
            # inside this member's header(s): 1, 100 (in the name), 200, 511 bytes in
            for d in (1, 100, 200, 511):
                if hoff + d < doff:
                    classes[hoff + d] = ("header", (i, ms[i - 1][3] if i else None))
            if size > 0:
                for d in (1, size // 2, size - 1):
                    classes[doff + d] = ("data", name)
            if i > 0:
                classes[hoff] = ("boundary", None)
        classes[data_end] = ("boundary", None)
        classes[len(data) - 1] = ("end", None) if len(data) - 1 >= data_end else classes.get(len(data) - 1)
        # Always keep: inside manifest.json / index.json, the last byte, the first header.
        must = [o for o, (k, d) in classes.items()
                if k == "data" and d in ("manifest.json", "index.json", "./manifest.json", "./index.json")]
        must += [1, len(data) - 1]
        chosen = set(must[:6]) | set(self.pick([o for o in classes if o not in must], OFFSETS - len(must[:6])))
        return {o: classes[o] for o in sorted(chosen) if classes.get(o)}

    # --- tests --------------------------------------------------------------------------------

    def test_truncate(self, name, tmp):
        data = self.source(name).read_bytes()
        for off, (kind, detail) in self.cut_offsets(data).items():
            path = tmp / f"cut-{off}-{name}"
            path.write_bytes(data[:off])
            for cmd in COMMANDS:
                args = (*cmd, path)
                if kind == "data":
                    self.expect_fatal(args, path, r": entry " + re.escape(detail.rstrip("/")),
                                      r"file ends inside this entry \(\d+ of its \d+ bytes")
                elif kind == "header":
                    index, before = detail
                    if index == 0:
                        self.expect_fatal(args, path, "", r"not a tar archive|before the first entry")
                    else:
                        self.expect_fatal(args, path, rf": after entry {index} \(", r"at byte \d+")
                else:
                    self.expect_any(args, path)
            path.unlink()

    def test_truncate_gzip(self, name, tmp):
        data = gzip.compress(self.source(name).read_bytes(), mtime=0)
        # from byte 10 on: the gzip header is whole, so the input is known to be gzip
        offsets = self.pick(range(10, len(data)), OFFSETS - 3) + [len(data) - 8, len(data) - 4, len(data) - 1]
        for off in sorted(set(offsets)):
            path = tmp / f"cut-{off}-{name}.gz"
            path.write_bytes(data[:off])
            for cmd in COMMANDS:
                self.expect_fatal((*cmd, path), path, "", r"gzip|[Tt]runcat|ends (early|inside|before)")
            path.unlink()

    def test_flip_header(self, name, tmp):
        data = self.source(name).read_bytes()
        ms = self.members(data)
        # headers of the 2nd to last member (the first: "not a tar archive"), spread out
        picks = self.pick(range(1, len(ms)), 8)
        for i in picks:
            hoff = ms[i][0]
            for field, at in (("name", 3), ("size", 124 + 5), ("chksum", 148 + 2)):
                damaged = bytearray(data)
                damaged[hoff + at] ^= 0x5A
                path = tmp / f"flip-{i}-{field}-{name}"
                path.write_bytes(damaged)
                for cmd in COMMANDS:
                    self.expect_fatal((*cmd, path), path, rf": after entry {i} \(", r"tar header at byte \d+")
                path.unlink()

    def test_flip_json(self, name, tmp):
        data = self.source(name).read_bytes()
        ms = self.members(data)
        docs = [m for m in ms if m[3].lstrip("./") in ("manifest.json", "index.json")]
        for hoff, doff, size, doc in docs:
            text = data[doff:doff + size]
            for ch in (b"{", b"[", b":"):
                at = text.find(ch)
                if at < 0:
                    continue
                damaged = bytearray(data)
                damaged[doff + at] = ord("~")
                path = tmp / f"flip-{doc.replace('/', '_')}-{ch.decode()}-{name}"
                path.write_bytes(damaged)
                docname = re.escape(doc.lstrip("./"))
                for cmd in COMMANDS:
                    if cmd[0] == "verify":
                        checks = self.failed_verify(path, "a failed documents check")
                        if checks is not None and not any(c["verdict"] == "fail" and c["id"] in ("documents", "document") for c in checks):
                            self.problem(f"verify {path.name}: no failed documents check")
                    else:
                        self.expect_fatal((*cmd, path), path, docname, r"JSON|[Ii]nvalid|[Mm]issing|expected")
                path.unlink()

    def oci_layout(self, archive, tmp):
        """testdata/<archive> extracted to a directory; returns (root, [(layer position,
        digest, blob path, media type)]) of its first image."""
        root = tmp / "layout"
        with tarfile.open(self.root / "testdata" / archive) as t:
            t.extractall(root, filter="data") if hasattr(tarfile, "data_filter") else t.extractall(root)
        index = json.loads((root / "index.json").read_text())
        mdigest = index["manifests"][0]["digest"].split(":")[1]
        manifest = json.loads((root / "blobs" / "sha256" / mdigest).read_text())
        layers = [(i, l["digest"], root / "blobs" / "sha256" / l["digest"].split(":")[1], l["mediaType"])
                  for i, l in enumerate(manifest["layers"])]
        return root, layers

    def test_layer(self, kind, tmp):
        archive = "skopeo-oci-zstd.tar" if kind.startswith("zstd") else "skopeo-oci-gzip.tar"
        root, layers = self.oci_layout(archive, tmp)
        # the largest layer: its stream is long enough to cut in the middle
        pos, digest, blob, _ = max(layers, key=lambda l: l[2].stat().st_size)
        b = bytearray(blob.read_bytes())
        if kind == "gzip-cut-in-data":
            b = b[:len(b) // 2]
            what = r"gzip stream ends early, inside its compressed data"
        elif kind == "gzip-no-trailer":
            b = b[:-8]
            what = r"gzip stream ends before its trailer"
        elif kind == "gzip-cut-in-trailer":
            b = b[:-3]
            what = r"gzip stream ends before its trailer"
        elif kind == "gzip-bad-crc":
            b[-8] ^= 0xFF
            what = r"gzip trailer: the CRC-32 (or the size )?does not match"
        elif kind == "gzip-bad-size":
            b[-1] ^= 0xFF
            what = r"gzip trailer: (the CRC-32 or )?the size does not match"
        elif kind == "zstd-cut":
            b = b[:len(b) - 3]
            what = r"zstd stream ends early"
        blob.write_bytes(bytes(b))
        where = re.escape(f"layer {pos} ({digest})")
        for cmd in COMMANDS:
            args = (*cmd, root)
            if cmd[0] in FS:
                self.expect_fatal(args, root, where, what)
            elif cmd[0] == "verify":
                checks = self.failed_verify(root, f"layer {pos} failing layer-decode")
                if checks is None:
                    continue
                hit = [c for c in checks if c["id"] == "layer-decode" and c["verdict"] == "fail"
                       and c["subject"].startswith(f"layer {pos} of") and re.search(what, c["message"])]
                if not hit:
                    self.problem(f"verify {kind}: no failed layer-decode check of layer {pos} saying /{what}/: "
                                 f"{[(c['id'], c['subject'], c['message']) for c in checks if c['verdict'] == 'fail']}")
            else:
                rc, _, err = self.run(args)
                if rc != 0:
                    self.problem(f"{' '.join(map(str, args))}: exit {rc}, expected 0 ({err.strip()[:200]})")
                for ln in err.splitlines():
                    if ln.startswith("tarsier: warning:") and not re.search(what, ln):
                        self.problem(f"{cmd[0]} {kind}: a warning that does not say what is wrong: {ln}")

    def bare_layer(self, name, tmp):
        """The layer tar of a bare-layer test: from the corpus, or the largest layer of a
        testdata archive written to a file."""
        if name in BARE_CORPUS:
            p = self.corpus / BARE_CORPUS[name]
            if not p.exists():
                raise SkipTest(f"{p}: the shared corpus is absent")
            return p
        archive, blob = BARE_TESTDATA[name]
        with tarfile.open(self.root / "testdata" / archive) as t:
            data = t.extractfile(blob).read()
        p = tmp / name
        p.write_bytes(data)
        return p

    def test_bare_layer(self, name, tmp):
        path = self.bare_layer(name, tmp)
        raw = path.read_bytes()
        if raw[:4] == b"\x28\xb5\x2f\xfd":
            r = subprocess.run(["zstd", "-dc"], input=raw, capture_output=True, check=True)
            raw = r.stdout
        elif raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        with tarfile.open(fileobj=__import__("io").BytesIO(raw)) as t:
            want = sorted("/" + os.path.normpath(m.name).lstrip("./") for m in t.getmembers()
                          if m.isfile() and not os.path.basename(m.name).startswith(".wh."))
        for cmd in COMMANDS:
            rc, out, err = self.run([*cmd, path])
            label = f"{cmd[0]} {name}"
            if rc != 0:
                self.problem(f"{label}: exit {rc}, expected 0 (a bare layer is a one-layer image): {err.strip()[:300]}")
            # Exactly one line on standard error: the note that says how the archive was read.
            # (verify reports it among its checks instead).
            note = f"tarsier: note: {path}: read as a single layer with no config"
            if cmd[0] == "verify" and err.strip():
                self.problem(f"{label}: unexpected stderr: {err.strip()[:300]}")
            elif cmd[0] != "verify" and (len(err.splitlines()) != 1 or not err.startswith(note)):
                self.problem(f"{label}: stderr is not the one bare-layer note: {err.strip()[:300]}")
            if cmd[0] == "changes":
                got = sorted(ln[2:] for ln in out.splitlines() if ln.startswith("A /"))
                files = [p for p in got if p in want]
                if files != want:
                    self.problem(f"{label}: added files {got}, the layer tar holds {want}")
        rc, out, err = self.run(["ls", "--format", "json", path])
        rows = [ln for ln in out.splitlines() if ln.strip()]
        if rc != 0 or len(rows) != 1:
            self.problem(f"ls --format json {name}: {len(rows)} rows, expected 1 image")
        # through a pipe (a file redirected to standard input can be seeked, and is read)
        pipe = subprocess.run([self.tarsier, "files", "-"], input=path.read_bytes(), capture_output=True,
                              timeout=TIMEOUT)
        lines = self.errors(pipe.stderr.decode(errors="replace"))
        if pipe.returncode != 3 or len(lines) != 1 or "name the file" not in lines[0]:
            self.problem(f"files - < {name}: exit {pipe.returncode}, {lines}: expected exit 3 and one line saying "
                         f"a piped layer cannot be read again")
        empty = tmp / "empty-layer.tar"
        empty.write_bytes(b"\0" * 1024)
        for cmd in COMMANDS:
            self.expect_fatal((*cmd, empty), empty, "", r"not an image archive")

    def test_stdin(self, kind):
        if kind == "tty":
            import pty
            import select
            try:
                pid, fd = pty.fork()
            except OSError as e:  # no pseudo-terminals here (a chroot without /dev/pts)
                raise SkipTest(f"no pseudo-terminal to run on: {e}")
            if pid == 0:
                try:
                    os.execv(self.tarsier, [self.tarsier, "ls", "-"])
                finally:
                    os._exit(127)
            out = b""
            deadline = time.monotonic() + 10
            status = None
            while time.monotonic() < deadline:
                r, _, _ = select.select([fd], [], [], 0.2)
                if r:
                    try:
                        chunk = os.read(fd, 4096)
                    except OSError:
                        chunk = b""
                    out += chunk
                done, st = os.waitpid(pid, os.WNOHANG)
                if done:
                    status = st
                    break
            if status is None:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                raise Failure("ls - on a terminal: still waiting after 10 s (it must refuse at once)")
            try:
                while True:
                    r, _, _ = select.select([fd], [], [], 0.2)
                    if not r:
                        break
                    chunk = os.read(fd, 4096)
                    if not chunk:
                        break
                    out += chunk
            except OSError:
                pass
            os.close(fd)
            code = os.waitstatus_to_exitcode(status)
            text = out.decode(errors="replace").replace("\r\n", "\n").strip()
            want = "tarsier: error: -: standard input is a terminal; pipe an archive into it or name a file"
            if code != 2:
                self.problem(f"ls - on a terminal: exit {code}, expected 2 ({text})")
            if text != want:
                self.problem(f"ls - on a terminal: printed {text!r}, expected {want!r}")
            return
        for cmd in COMMANDS:
            args = [*cmd, "-"]
            if kind == "closed":
                try:
                    r = subprocess.run([self.tarsier, *args], stdin=None, capture_output=True, timeout=TIMEOUT,
                                       preexec_fn=lambda: os.close(0))
                except subprocess.TimeoutExpired:
                    raise Failure(f"{' '.join(args)} <&-: no answer after {TIMEOUT} s")
                code, err = r.returncode, r.stderr.decode(errors="replace")
                want = r"^tarsier: error: -: standard input is closed$"
            else:
                with open(os.devnull, "rb") as null:
                    code, _, err = self.run(args, stdin=null)
                want = r"^tarsier: error: -: empty input"
            lines = self.errors(err)
            if code != 3 or len(lines) != 1 or not re.search(want, lines[0]):
                self.problem(f"{' '.join(args)} ({kind} stdin): exit {code}, stderr {err.strip()!r}; "
                             f"expected exit 3 and one line /{want}/")


class SkipTest(Exception):
    pass


def test_names():
    names = []
    for n in TESTDATA + tuple(CORPUS):
        names.append(f"truncate-{n}")
    names += ["truncate-gzip-sample.tar", "truncate-gzip-skopeo-oci-gzip.tar"]
    for n in ("sample.tar", "skopeo-oci-gzip.tar", "real-hello-world.tar"):
        names.append(f"flip-header-{n}")
    for n in ("sample.tar", "skopeo-oci-zstd.tar", "real-hello-world-v25.tar"):
        names.append(f"flip-json-{n}")
    names += [f"layer-{k}" for k in LAYER_KINDS]
    names += ["stdin-tty", "stdin-closed", "stdin-devnull"]
    names += [f"bare-layer-{n}" for n in (*BARE_TESTDATA, *BARE_CORPUS)]
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tarsier")
    ap.add_argument("--source-root", required=True)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("test", nargs="?")
    args = ap.parse_args()
    if args.list:
        print("\n".join(test_names()))
        return 0
    if not args.tarsier or not args.test:
        ap.error("--tarsier and a test name are needed")
    runner = Runner(os.path.abspath(args.tarsier), args.source_root)
    name = args.test
    start = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="tarsier-damaged-") as tmp:
            tmp = pathlib.Path(tmp)
            if name.startswith("truncate-gzip-"):
                runner.test_truncate_gzip(name[len("truncate-gzip-"):], tmp)
            elif name.startswith("truncate-"):
                runner.test_truncate(name[len("truncate-"):], tmp)
            elif name.startswith("flip-header-"):
                runner.test_flip_header(name[len("flip-header-"):], tmp)
            elif name.startswith("flip-json-"):
                runner.test_flip_json(name[len("flip-json-"):], tmp)
            elif name.startswith("layer-") and name[6:] in LAYER_KINDS:
                runner.test_layer(name[6:], tmp)
            elif name.startswith("bare-layer-"):
                runner.test_bare_layer(name[len("bare-layer-"):], tmp)
            elif name.startswith("stdin-"):
                runner.test_stdin(name[6:])
            else:
                ap.error(f"unknown test {name}")
    except SkipTest as e:
        print(f"skip: {e}")
        return 77
    except Failure as e:
        runner.problem(str(e))
    for p in runner.problems[:40]:
        print(f"FAIL: {p}")
    if len(runner.problems) > 40:
        print(f"FAIL: ... and {len(runner.problems) - 40} more")
    if runner.problems:
        return 1
    print(f"ok: {name} ({runner.runs} runs, {time.monotonic() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
