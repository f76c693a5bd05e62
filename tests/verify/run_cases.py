#!/usr/bin/env python3
"""`tarsier verify` against the malformed fixtures in testdata/bad/ and the good fixtures.

    run_cases.py --list --source-root DIR                  # the test names, one a line
    run_cases.py --tarsier EXE --source-root DIR NAME      # runs one test: exit 0 pass, 1 fail

Tests (suite 'verify', see tests/verify/meson.build):
  case-<name>     one bad fixture with one set of options (CASES below): the exit code, the
                  check the case is about has the expected verdict, every check that may fail
                  is listed explicitly (anything else failing or warning is an error), and the
                  checks the damage does not touch still pass.
  escape-dir-*    the escape fixtures extracted to a directory, with a decoy holding the real
                  layer bytes at the place the escaping path points to: tarsier must not read it.
  good-<fixture>  every good fixture (testdata/*.tar, umoci-layout, umoci-changes): exit 0,
                  no failure or warning, also with --strict.
  stdin-<fixture> `cat FILE | tarsier verify --format json -` gives the same checks as the
                  file (sample.tar, the two skopeo OCI archives, a gzip copy of sample.tar);
                  stdin-bad does the same for every bad fixture.
  jobs            --format json is byte-identical with -j 1 and -j 4, for every fixture.
  junit           --format junit parses (xml.etree), one testcase per check, failures = the
                  failing checks, for every fixture.
  quiet           -q prints exactly one line per failing check and nothing else.
"""
import argparse
import dataclasses
import gzip
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET

TIMEOUT = 60  # seconds per tarsier run; the slowest (1 GiB of zstd) takes about 2


@dataclasses.dataclass
class Case:
    name: str
    fixture: str                      # in testdata/bad/
    exit: int
    args: tuple = ()
    fails: tuple = ()                 # (id, subject substring) that must have verdict fail
    warns: tuple = ()                 # (id, subject substring) that must have verdict warn
    any_fail: tuple = ()              # at least one of these ids must fail
    may_fail: frozenset = frozenset() # ids allowed to fail (fails/any_fail are added)
    may_warn: frozenset = frozenset()
    passes: tuple = ()                # (id, subject substring) that must still pass
    not_pass: tuple = ()              # (id, subject substring) that must not pass
    message: str = ""                 # regex that a failing check's message must match
    message_not: str = ""             # regex that no failing check's message may match
    doc: str = ""


LIMIT_64M = r"67108864|64 ?Mi?B|64M"

CASES = [
    Case("docker-layer-flipped-byte", "docker-layer-flipped-byte.tar", 1,
         fails=(("layer-diff-id", "layer 0 of"),), passes=(("layer-diff-id", "layer 1 of"), ("config-digest", ""))),
    Case("docker-wrong-diff-id", "docker-wrong-diff-id.tar", 1,
         fails=(("layer-diff-id", "layer 1 of"),), passes=(("layer-diff-id", "layer 0 of"), ("config-digest", ""))),
    Case("docker-missing-layer", "docker-missing-layer.tar", 1,
         fails=(("layer-present", "layer 1 of"),), passes=(("layer-diff-id", "layer 0 of"), ("config-digest", ""))),
    Case("docker-manifest-json-malformed", "docker-manifest-json-malformed.tar", 1,
         any_fail=("documents", "document"), message="JSON"),
    Case("docker-config-malformed", "docker-config-malformed.tar", 1,
         any_fail=("documents", "document"), message="JSON"),
    Case("docker-layer-path-escape", "docker-layer-path-escape.tar", 1,
         fails=(("layer-path-invalid", ""),), may_fail=frozenset({"layer-present"}),
         passes=(("layer-diff-id", "layer 1 of"),), not_pass=(("layer-diff-id", "layer 0 of"),), message="leaves"),
    Case("docker-layer-symlink-escape", "docker-layer-symlink-escape.tar", 1,
         fails=(("layer-path-invalid", ""),), may_fail=frozenset({"layer-present"}),
         passes=(("layer-diff-id", "layer 1 of"),), not_pass=(("layer-diff-id", "layer 0 of"),), message="leaves"),
    Case("docker-truncated-in-layer", "docker-truncated-in-layer.tar", 3,
         doc="a cut outer archive is exit 3 with one error naming the entry, as in every command"),
    Case("docker-truncated-in-header", "docker-truncated-in-header.tar", 3,
         doc="a cut outer archive is exit 3 with one error naming the entry before the cut header"),
    Case("docker-truncated-in-first-header", "docker-truncated-in-first-header.tar", 3,
         doc="nothing at all is readable: exit 3, an error and no checks"),
    Case("oci-gzip-layer-flipped-byte", "oci-gzip-layer-flipped-byte.tar", 1,
         fails=(("blob-digest", "sha256:638f79ccc5ce"),), any_fail=("layer-decode", "layer-diff-id"),
         passes=(("layer-diff-id", "layer 0 of"), ("layer-diff-id", "layer 2 of"),
                 ("descriptor-size", "layers/1"))),
    Case("oci-wrong-diff-id", "oci-wrong-diff-id.tar", 1,
         fails=(("layer-diff-id", "layer 1 of"),),
         passes=(("layer-diff-id", "layer 0 of"), ("layer-diff-id", "layer 2 of"), ("blob-digest", ""))),
    Case("oci-wrong-descriptor-size", "oci-wrong-descriptor-size.tar", 1,
         fails=(("descriptor-size", "layers/0"),),
         passes=(("layer-diff-id", "layer 0 of"), ("blob-digest", ""))),
    Case("oci-missing-blob", "oci-missing-blob.tar", 1,
         fails=(("blob-present", "layers/0"),), may_fail=frozenset({"layer-present"}),
         passes=(("layer-diff-id", "layer 1 of"), ("layer-diff-id", "layer 2 of"))),
    Case("oci-unreferenced-blob", "oci-unreferenced-blob.tar", 0,
         warns=(("unreferenced-blob", "blobs/sha256/"),), passes=(("layer-diff-id", "layer 0 of"),)),
    Case("oci-unreferenced-blob-strict", "oci-unreferenced-blob.tar", 1, args=("--strict",),
         warns=(("unreferenced-blob", "blobs/sha256/"),), passes=(("layer-diff-id", "layer 0 of"),)),
    Case("oci-index-json-malformed", "oci-index-json-malformed.tar", 1,
         any_fail=("documents", "document"), message="JSON", may_warn=frozenset({"unreferenced-blob"}),
         passes=(("blob-digest", ""),)),
    Case("oci-config-malformed", "oci-config-malformed.tar", 1,
         any_fail=("documents", "document"), message="JSON", may_warn=frozenset({"unreferenced-blob"}),
         passes=(("blob-digest", ""),)),
    Case("oci-gzip-corrupt-midstream", "oci-gzip-corrupt-midstream.tar", 1,
         fails=(("layer-decode", "layer 1 of"),), message="gzip", message_not="not a tar archive",
         passes=(("layer-diff-id", "layer 0 of"), ("layer-diff-id", "layer 2 of"), ("blob-digest", ""))),
    Case("oci-zstd-corrupt-midstream", "oci-zstd-corrupt-midstream.tar", 1,
         fails=(("layer-decode", "layer 1 of"),), message="zstd", message_not="not a tar archive",
         doc="the layer is a tar; its zstd stream is corrupt, and the message must say so",
         passes=(("layer-diff-id", "layer 0 of"), ("layer-diff-id", "layer 2 of"), ("blob-digest", ""))),
    Case("oci-gzip-truncated-in-layer", "oci-gzip-truncated-in-layer.tar", 3,
         doc="a cut outer archive is exit 3 with one error naming the entry, as in every command"),
    Case("oci-blob-symlink-escape", "oci-blob-symlink-escape.tar", 1,
         any_fail=("blob-present", "layer-present", "layer-path-invalid"),
         passes=(("layer-diff-id", "layer 1 of"), ("layer-diff-id", "layer 2 of")),
         not_pass=(("layer-diff-id", "layer 0 of"),),
         doc="one unusable layer blob: that layer fails like a missing blob, the other layers are still verified"),
    Case("oci-gzip-bomb", "oci-gzip-bomb.tar", 0, passes=(("layer-diff-id", "layer 0 of"),)),
    Case("oci-gzip-bomb-max-layer-size", "oci-gzip-bomb.tar", 1, args=("--max-layer-size", "64M"),
         fails=(("layer-decode", "layer 0 of"),), message=LIMIT_64M),
    Case("oci-gzip-bomb-max-ratio", "oci-gzip-bomb.tar", 1, args=("--max-ratio", "100"),
         fails=(("layer-decode", "layer 0 of"),), message=r"\b100(x|\b)"),
    Case("oci-zstd-bomb", "oci-zstd-bomb.tar", 0, passes=(("layer-diff-id", "layer 0 of"),)),
    Case("oci-zstd-bomb-max-layer-size", "oci-zstd-bomb.tar", 1, args=("--max-layer-size", "64M"),
         fails=(("layer-decode", "layer 0 of"),), message=LIMIT_64M),
    Case("oci-zstd-bomb-max-ratio", "oci-zstd-bomb.tar", 1, args=("--max-ratio", "100"),
         fails=(("layer-decode", "layer 0 of"),), message=r"\b100(x|\b)"),
    Case("oci-zstd-bomb-1g", "oci-zstd-bomb-1g.tar", 1,
         fails=(("layer-decode", "layer 0 of"),), message=r"\b2000(x|\b)",
         doc="1 GiB of zeros in 40 KiB: the default --max-ratio 2000 stops it"),
    Case("oci-zstd-bomb-1g-no-limits", "oci-zstd-bomb-1g.tar", 0, args=("--max-ratio", "0"),
         passes=(("layer-diff-id", "layer 0 of"),)),
]

STDIN_GOOD = ("sample.tar", "skopeo-oci-gzip.tar", "skopeo-oci-zstd.tar", "sample.tar.gz")


class Failure(Exception):
    pass


class Runner:
    def __init__(self, tarsier, root):
        self.tarsier = tarsier
        self.root = pathlib.Path(root)
        self.bad = self.root / "testdata" / "bad"
        self.problems = []

    def problem(self, msg):
        self.problems.append(msg)

    # --- running tarsier ------------------------------------------------------------

    def run(self, args, stdin_path=None):
        """(exit code, stdout, stderr); a crash or a hang is a Failure."""
        cmd = [self.tarsier, "verify", *map(str, args)]
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        try:
            r = subprocess.run(cmd, stdin=stdin, capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Failure(f"{' '.join(cmd)}: no answer after {TIMEOUT} s (hang?)")
        finally:
            if stdin_path:
                stdin.close()
        if r.returncode < 0:
            raise Failure(f"{' '.join(cmd)}: killed by signal {-r.returncode} (crash)\n{r.stderr.decode(errors='replace')}")
        return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")

    def run_json(self, path, args=(), stdin=False):
        """(exit code, the one archive object of --format json, stderr)."""
        if stdin:
            code, out, err = self.run(["--format", "json", *args, "-"], stdin_path=path)
        else:
            code, out, err = self.run(["--format", "json", *args, path])
        try:
            doc = json.loads(out)
        except ValueError as e:
            raise Failure(f"verify --format json {' '.join(args)} {path}: stdout is not JSON ({e}): {out[:300]!r}")
        if doc.get("schemaVersion") != 1 or len(doc.get("archives", [])) != 1:
            raise Failure(f"{path}: unexpected JSON shape: {out[:300]}")
        a = doc["archives"][0]
        self.check_consistency(path, code, a)
        return code, a, err

    def check_consistency(self, path, code, a):
        verdict = a.get("verdict")
        want = {0: "pass", 1: "fail", 3: "error"}.get(code)
        if verdict != want:
            self.problem(f"{path}: exit {code} but JSON verdict {verdict!r}")
        if verdict == "error":
            return
        counts = {k: 0 for k in ("pass", "fail", "warn", "unverifiable", "absent")}
        for c in a["checks"]:
            counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
        if a.get("summary") != counts:
            self.problem(f"{path}: summary {a.get('summary')} does not count the checks {counts}")

    # --- the fixtures -----------------------------------------------------------------

    def good_fixtures(self):
        td = self.root / "testdata"
        return sorted(p.name for p in td.glob("*.tar")) + ["umoci-layout", "umoci-changes"]

    def bad_fixtures(self):
        return sorted(p.name for p in self.bad.glob("*.tar"))

    # --- the tests --------------------------------------------------------------------

    def test_case(self, case: Case):
        path = self.bad / case.fixture
        if not path.is_file():
            raise Failure(f"{path}: missing (run testdata/bad/make-bad.py)")
        code, a, err = self.run_json(path, case.args)
        self.judge(case, path, code, a, err)

    def judge(self, case, path, code, a, err, what=""):
        label = f"verify {' '.join(case.args)} {case.fixture}{what}".replace("  ", " ")
        if code != case.exit:
            self.problem(f"{label}: exit {code}, expected {case.exit} (stderr: {err.strip()[:300]})")
        if case.exit == 3:
            if a.get("checks"):
                self.problem(f"{label}: exit 3 but {len(a['checks'])} checks reported")
            errors = [ln for ln in err.splitlines() if ln.startswith("tarsier: error: ")]
            if len(errors) != 1:
                self.problem(f"{label}: exit 3 with {len(errors)} error lines, expected exactly one: {err.strip()[:300]}")
            return
        checks = a.get("checks", [])

        def find(id_, sub, verdict):
            return [c for c in checks if c["id"] == id_ and sub in c["subject"] and c["verdict"] == verdict]

        for id_, sub in case.fails:
            if not find(id_, sub, "fail"):
                self.problem(f"{label}: no failing {id_} check about '{sub}'")
        for id_, sub in case.warns:
            if not find(id_, sub, "warn"):
                self.problem(f"{label}: no {id_} warning about '{sub}'")
        if case.any_fail and not any(c["id"] in case.any_fail and c["verdict"] == "fail" for c in checks):
            self.problem(f"{label}: none of {', '.join(case.any_fail)} fails")
        for id_, sub in case.passes:
            if not find(id_, sub, "pass"):
                self.problem(f"{label}: {id_} about '{sub}' should still be checked and pass")
        for id_, sub in case.not_pass:
            if find(id_, sub, "pass"):
                self.problem(f"{label}: {id_} about '{sub}' passes, it must not")
        may_fail = set(case.may_fail) | {i for i, _ in case.fails} | set(case.any_fail)
        may_warn = set(case.may_warn) | {i for i, _ in case.warns}
        for c in checks:
            if c["verdict"] == "fail" and c["id"] not in may_fail:
                self.problem(f"{label}: unexpected failure {c['id']} [{c['subject']}] "
                             f"expected {c['expected']!r} actual {c['actual']!r}: {c['message']}")
            if c["verdict"] == "warn" and c["id"] not in may_warn:
                self.problem(f"{label}: unexpected warning {c['id']} [{c['subject']}]: {c['message']}")
        if case.message:
            failing = [c for c in checks if c["verdict"] == "fail" and c["id"] in may_fail]
            if failing and not any(re.search(case.message, c["message"]) for c in failing):
                self.problem(f"{label}: no failure message matches /{case.message}/: "
                             + "; ".join(c["message"] for c in failing))
        if case.message_not:
            for c in checks:
                if c["verdict"] == "fail" and re.search(case.message_not, c["message"]):
                    self.problem(f"{label}: {c['id']} [{c['subject']}] says {c['message']!r}, "
                                 f"which it must not (/{case.message_not}/)")

    def test_good(self, name):
        path = self.root / "testdata" / name
        for args in ((), ("--strict",)):
            code, a, err = self.run_json(path, args)
            if code != 0:
                self.problem(f"verify {' '.join(args)} {name}: exit {code}, expected 0 (stderr: {err.strip()[:300]})")
            for c in a.get("checks", []):
                if c["verdict"] in ("fail", "warn"):
                    self.problem(f"{name}: {c['verdict']} {c['id']} [{c['subject']}] expected {c['expected']!r} "
                                 f"actual {c['actual']!r}: {c['message']}")
            if not any(c["id"] == "layer-diff-id" and c["verdict"] == "pass" for c in a.get("checks", [])):
                self.problem(f"{name}: no layer-diff-id check passed (nothing verified?)")

    @staticmethod
    def key(a):
        return sorted((c["id"], c["verdict"], c["subject"], c["expected"], c["actual"]) for c in a.get("checks", []))

    def compare_stdin(self, path, args=(), label=None):
        label = label or path.name
        fc, fa, _ = self.run_json(path, args)
        sc, sa, serr = self.run_json(path, args, stdin=True)
        if fc != sc:
            self.problem(f"{label}: exit {fc} from the file, {sc} from stdin ({serr.strip()[:200]})")
        fk, sk = self.key(fa), self.key(sa)
        if fk != sk:
            only_f = [k for k in fk if k not in sk]
            only_s = [k for k in sk if k not in fk]
            self.problem(f"{label}: checks differ between file and stdin;\n  file only: {only_f}\n  stdin only: {only_s}")
        if fa.get("format") != sa.get("format"):
            self.problem(f"{label}: format {fa.get('format')!r} from the file, {sa.get('format')!r} from stdin")

    def test_stdin(self, name):
        if name.endswith(".gz"):
            with tempfile.TemporaryDirectory() as tmp:
                gz = pathlib.Path(tmp) / name
                with open(self.root / "testdata" / name[:-3], "rb") as src, \
                        gzip.GzipFile(gz, "wb", mtime=0) as dst:
                    shutil.copyfileobj(src, dst)
                self.compare_stdin(gz, label=name)
                code, a, _ = self.run_json(gz)
                plain = self.run_json(self.root / "testdata" / name[:-3])[1]
                if self.key(a) != self.key(plain):
                    self.problem(f"{name}: the gzip copy does not give the same checks as the plain archive")
        else:
            self.compare_stdin(self.root / "testdata" / name)

    def test_stdin_bad(self):
        for case in self.cases_with_options():
            self.compare_stdin(self.bad / case.fixture, case.args, label=f"{' '.join(case.args)} {case.fixture}")

    def cases_with_options(self):
        """Every fixture once per distinct set of options its cases use."""
        seen, out = set(), []
        for c in CASES:
            if (c.fixture, c.args) not in seen:
                seen.add((c.fixture, c.args))
                out.append(c)
        return out

    def all_runs(self):
        """(path, args) for every good fixture and every bad case."""
        runs = [(self.root / "testdata" / n, ()) for n in self.good_fixtures()]
        runs += [(self.bad / c.fixture, c.args) for c in self.cases_with_options()]
        return runs

    def test_jobs(self):
        for path, args in self.all_runs():
            c1, o1, _ = self.run(["--format", "json", "-j", "1", *args, path])
            c4, o4, _ = self.run(["--format", "json", "-j", "4", *args, path])
            if (c1, o1) != (c4, o4):
                self.problem(f"{' '.join([*args, path.name])}: -j 1 and -j 4 differ (exit {c1} / {c4})")

    def failing(self, a):
        strict = a.get("strict", False)
        return [c for c in a.get("checks", []) if c["verdict"] == "fail" or (strict and c["verdict"] == "warn")]

    def test_junit(self):
        for path, args in self.all_runs():
            label = f"{' '.join(args)} {path.name}".strip()
            _, a, _ = self.run_json(path, args)
            code, out, _ = self.run(["--format", "junit", *args, path])
            try:
                root = ET.fromstring(out)
            except ET.ParseError as e:
                self.problem(f"{label}: --format junit is not well-formed XML: {e}")
                continue
            if root.tag != "testsuites":
                self.problem(f"{label}: junit root element is <{root.tag}>")
                continue
            suites = root.findall("testsuite")
            if len(suites) != 1:
                self.problem(f"{label}: {len(suites)} testsuites, expected 1")
                continue
            cases = suites[0].findall("testcase")
            failures = [tc for tc in cases if tc.find("failure") is not None]
            if a.get("verdict") == "error":
                if suites[0].get("errors") != "1" or len(cases) != 1 or cases[0].find("error") is None:
                    self.problem(f"{label}: an unreadable archive should be one testcase with an <error>")
                continue
            want_fail = len(self.failing(a))
            if len(cases) != len(a["checks"]):
                self.problem(f"{label}: {len(cases)} testcases for {len(a['checks'])} checks")
            if len(failures) != want_fail:
                self.problem(f"{label}: {len(failures)} <failure> elements for {want_fail} failing checks")
            for el, what in ((suites[0], "testsuite"), (root, "testsuites")):
                if el.get("failures") != str(want_fail) or el.get("tests") != str(len(a["checks"])):
                    self.problem(f"{label}: {what} says tests={el.get('tests')} failures={el.get('failures')}, "
                                 f"expected {len(a['checks'])} and {want_fail}")
            names = sorted((tc.get("classname"), tc.get("name")) for tc in cases)
            want = sorted(("tarsier.verify." + c["id"], c["subject"]) for c in a["checks"])
            if names != want:
                self.problem(f"{label}: junit testcases do not name the checks (classname tarsier.verify.<id>, "
                             f"name = subject)")

    def test_quiet(self):
        for path, args in self.all_runs():
            label = f"{' '.join(args)} {path.name}".strip()
            _, a, _ = self.run_json(path, args)
            code, out, _ = self.run(["-q", *args, path])
            lines = [ln for ln in out.splitlines() if ln.strip()]
            failing = self.failing(a)
            if len(lines) != len(failing):
                self.problem(f"{label}: -q printed {len(lines)} lines for {len(failing)} failing checks:\n{out}")
                continue
            ids = sorted(c["id"] for c in failing)
            got = sorted(ln.split()[1] if len(ln.split()) > 1 else "" for ln in lines)
            if got != ids:
                self.problem(f"{label}: -q lines name {got}, the failing checks are {ids}")
            for ln in lines:
                if ln.split()[0] not in ("FAIL", "warn"):
                    self.problem(f"{label}: -q printed a line that is not a failure: {ln!r}")

    # --- escapes, as directories with a decoy -------------------------------------------

    def extract(self, tar_path, dest):
        """Extracts our own fixture (regular files, directories, symlinks) without following
        or checking anything: the point is to keep the escaping symlinks."""
        with tarfile.open(tar_path) as t:
            for m in t.getmembers():
                p = dest / m.name
                if m.isdir():
                    p.mkdir(parents=True, exist_ok=True)
                elif m.issym():
                    p.parent.mkdir(parents=True, exist_ok=True)
                    os.symlink(m.linkname, p)
                else:
                    p.parent.mkdir(parents=True, exist_ok=True)
                    p.write_bytes(t.extractfile(m).read())

    def test_escape_dir(self, fixture, decoys, case_name):
        """decoys: {path relative to the archive root (may start with ../): path of the file
        inside the archive whose bytes the decoy gets}."""
        case = next(c for c in CASES if c.name == case_name)
        with tempfile.TemporaryDirectory() as tmp:
            root = pathlib.Path(tmp) / "x" / "y" / "archive"
            root.mkdir(parents=True)
            self.extract(self.bad / fixture, root)
            real = {}
            with tarfile.open(self.source_of(fixture)) as t:
                for m in t.getmembers():
                    if m.isfile():
                        real[m.name] = t.extractfile(m).read()
            for rel, src in decoys.items():
                p = pathlib.Path(os.path.normpath(root / rel))
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_bytes(real[src])
            code, a, err = self.run_json(root)
            self.judge(case, root, code, a, err, what=" (extracted to a directory, decoy outside)")

    def source_of(self, fixture):
        return self.root / "testdata" / ("sample.tar" if fixture.startswith("docker-") else "skopeo-oci-gzip.tar")


L2 = "2e4ffd0fd4d9572f6f4a00eec84ef40038a7e90bf48bfb2eaebd4bd613ee7a47.tar"
OCI_L0 = "4fe7b3b28d37bd8794109fec8f090563828a7373f944d1522b0b64e2a1d87136"

ESCAPES = {
    # ../../etc/passwd from the root; the decoy is the real layer, so following it would pass.
    "escape-dir-docker-layer-path": ("docker-layer-path-escape.tar", {"../../etc/passwd": L2},
                                     "docker-layer-path-escape"),
    # <v1id>/layer.tar -> ../../etc/passwd, i.e. <root>/../etc/passwd
    "escape-dir-docker-layer-symlink": ("docker-layer-symlink-escape.tar", {"../etc/passwd": L2},
                                        "docker-layer-symlink-escape"),
    # blobs/sha256/<hex> -> ../../../outside/<hex>, i.e. <root>/../outside/<hex>
    "escape-dir-oci-blob-symlink": ("oci-blob-symlink-escape.tar", {f"../outside/{OCI_L0}": f"blobs/sha256/{OCI_L0}"},
                                    "oci-blob-symlink-escape"),
}


def test_names(runner):
    names = [f"case-{c.name}" for c in CASES]
    names += list(ESCAPES)
    names += [f"good-{n}" for n in runner.good_fixtures()]
    names += [f"stdin-{n}" for n in STDIN_GOOD] + ["stdin-bad", "jobs", "junit", "quiet"]
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tarsier")
    ap.add_argument("--source-root", required=True)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("test", nargs="?")
    args = ap.parse_args()
    runner = Runner(args.tarsier, args.source_root)
    if args.list:
        print("\n".join(test_names(runner)))
        return 0
    if not args.tarsier or not args.test:
        ap.error("--tarsier and a test name are needed")
    name = args.test
    try:
        if name.startswith("case-"):
            case = next((c for c in CASES if c.name == name[5:]), None)
            if case is None:
                ap.error(f"no case {name}")
            runner.test_case(case)
        elif name in ESCAPES:
            runner.test_escape_dir(*ESCAPES[name])
        elif name.startswith("good-"):
            runner.test_good(name[5:])
        elif name == "stdin-bad":
            runner.test_stdin_bad()
        elif name.startswith("stdin-"):
            runner.test_stdin(name[6:])
        elif name in ("jobs", "junit", "quiet"):
            getattr(runner, "test_" + name)()
        else:
            ap.error(f"unknown test {name}")
    except Failure as e:
        runner.problem(str(e))
    for p in runner.problems:
        print(f"FAIL: {p}")
    if runner.problems:
        return 1
    print(f"ok: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
