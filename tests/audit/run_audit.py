#!/usr/bin/env python3
"""Tests of `tarsier audit` on testdata/audit (made by make-audit-fixtures.py) and on the
good fixtures of testdata/. Each test is one function below, run by name:

    run_audit.py --tarsier build/src/cli/tarsier --source-root . planted-json

What is asserted is written down here, not taken from tarsier's earlier output: the
planted findings are those make-audit-fixtures.py plants (one per rule), and the formats
are parsed with json and xml.etree and compared with each other.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ARGS = None

RULES = {
    "deleted-secret-shipped": "critical",
    "escaping-name": "high",
    "symlink-escapes-root": "high",
    "hardlink-escapes-root": "high",
    "secret-env": "high",
    "setuid-file": "medium",
    "world-writable-file": "medium",
    "world-writable-dir": "medium",
    "device-node": "medium",
    "secret-file": "medium",
    "runs-as-root": "medium",
    "setgid-file": "low",
    "hardlink-missing-target": "low",
    "deleted-file-shipped": "low",
}
ORDER = ["critical", "high", "medium", "low", "info"]

ESC_NAME = "/var/shared/\x1b]0;pwned\x07title"

# (rule, severity, layer or None for the config, path or config key, a word of the detail)
PLANTED = [
    ("deleted-secret-shipped", "critical", 0, "/app/.env", "deleted by layer 2"),
    ("deleted-secret-shipped", "critical", 0, "/root/.ssh/id_rsa", "deleted by layer 1"),
    ("escaping-name", "high", 0, "../escape.txt", "leaves the root"),
    ("hardlink-escapes-root", "high", 0, "/usr/lib/hard-escape", "../../etc/passwd"),
    ("symlink-escapes-root", "high", 0, "/usr/lib/shadow-link", "../../../etc/shadow"),
    ("secret-env", "high", None, "Env/API_TOKEN", "API_TOKEN"),
    ("secret-env", "high", None, "Env/DB_PASSWORD", "DB_PASSWORD"),
    ("device-node", "medium", 0, "/dev/evil-null", "character device 1,3"),
    ("setuid-file", "medium", 0, "/usr/bin/su-helper", "mode 4755"),
    ("world-writable-dir", "medium", 0, "/var/shared", "mode 0777"),
    ("world-writable-file", "medium", 0, ESC_NAME, "mode 0666"),
    ("world-writable-file", "medium", 0, "/var/shared/notes.txt", "mode 0666"),
    ("secret-file", "medium", 2, "/app/config/server.key", "final image"),
    ("runs-as-root", "medium", None, "User", "empty"),
    ("deleted-file-shipped", "low", 0, "/app/cache.tmp", "deleted by layer 2"),
    ("deleted-file-shipped", "low", 0, "/etc/motd", "replaced by layer 2"),
    ("hardlink-missing-target", "low", 0, "/usr/lib/hardlink-orphan", "/usr/lib/not-there"),
    ("setgid-file", "low", 1, "/usr/bin/wall-helper", "mode 2755"),
]

PLANTED_CREATED_BY = [
    "/bin/sh -c #(nop) ADD file:planted-rootfs in / ",
    "/bin/sh -c rm /root/.ssh/id_rsa && install -m 2755 wall /usr/bin/wall-helper",
    "/bin/sh -c rm /app/.env /app/cache.tmp && echo hello > /etc/motd && cp server.key /app/config/",
]

# Good fixtures of testdata/: findings above "low", exactly. runs-as-root is the only one
# expected in general; umoci-changes.tar plants a setuid file on purpose (testdata/README.md).
GOOD_ABOVE_LOW = {
    "sample.tar": set(),
    "skopeo-docker.tar": set(),
    "skopeo-oci-gzip.tar": set(),
    "skopeo-oci-zstd.tar": set(),
    "umoci-changes.tar": {("setuid-file", 1, "/bin/su-demo"), ("runs-as-root", None, "User")},
}
# ... and their "low" findings: sample.tar's fixtures delete cache.txt and rewrite /etc/motd.
SAMPLE_LOW = {("deleted-file-shipped", 0, "/etc/motd"), ("deleted-file-shipped", 1, "/app/data/cache.txt")}


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def fixture(name):
    return os.path.join(ARGS.source_root, "testdata", "audit", name)


def run(*args, stdin=None):
    env = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8", NO_COLOR="1")
    p = subprocess.run([ARGS.tarsier, "audit", *args], capture_output=True, env=env, stdin=stdin, timeout=120)
    return p.returncode, p.stdout, p.stderr


def audit_json(*args):
    code, out, err = run("--format", "json", *args)
    check(code in (0, 1), f"audit --format json {args}: exit {code}: {err!r}")
    doc = json.loads(out)
    check(doc["schemaVersion"] == 1, "schemaVersion is not 1")
    return doc


def key_of(f):
    """(rule, severity, layer, path or config key) of a JSON finding."""
    layer = f["layer"]["index"] if f["layer"] is not None else None
    where = f["path"] if f["layer"] is not None else f["configKey"]
    return (f["ruleId"], f["severity"], layer, where)


def planted_keys():
    return [(r, s, l, p) for r, s, l, p, _ in PLANTED]


# ---------------------------------------------------------------------------------------


def test_planted_json():
    doc = audit_json(fixture("planted.tar"))
    got = [key_of(f) for f in doc["findings"]]
    missing = set(planted_keys()) - set(got)
    extra = set(got) - set(planted_keys())
    check(not missing, f"planted findings missing: {sorted(missing, key=str)}")
    check(not extra, f"findings not planted: {sorted(extra, key=str)}")
    check(len(got) == len(PLANTED), f"{len(got)} findings, {len(PLANTED)} planted (duplicates?)")
    # The order: severity, then layer (config last), then path.
    def order(k):
        return (ORDER.index(k[1]), k[2] if k[2] is not None else 1 << 30, k[3])
    check(got == sorted(got, key=order), f"findings out of order: {got}")
    for f in doc["findings"]:
        check(RULES[f["ruleId"]] == f["severity"], f"{f['ruleId']}: severity {f['severity']}")
        want = next(p for p in PLANTED if p[:4] == key_of(f))
        check(want[4] in f["detail"], f"{key_of(f)}: detail {f['detail']!r} lacks {want[4]!r}")
        if f["layer"] is not None:
            idx = f["layer"]["index"]
            check(f["layer"]["createdBy"] == PLANTED_CREATED_BY[idx], f"{key_of(f)}: createdBy {f['layer']['createdBy']!r}")
            check(f["layer"]["diffId"] == doc["layers"][idx]["diffId"] and f["layer"]["diffId"].startswith("sha256:"),
                  f"{key_of(f)}: diffId")
            check(f["configKey"] is None, "a file finding with a configKey")
        else:
            check(f["path"] is None, "a config finding with a path")
    summary = {s: sum(1 for k in planted_keys() if k[1] == s) for s in ORDER}
    check(doc["summary"] == summary, f"summary {doc['summary']} != {summary}")
    check(doc["failOn"] is None and doc["failed"] is False, "failOn/failed without --fail-on")
    check([l["createdBy"] for l in doc["layers"]] == PLANTED_CREATED_BY, "layers' createdBy")
    # Every rule is planted once at least.
    check({k[0] for k in got} == set(RULES), f"rules never found: {set(RULES) - {k[0] for k in got}}")


def test_planted_text():
    code, out, err = run(fixture("planted.tar"))
    check(code == 0, f"exit {code} without --fail-on")
    check(err == b"", f"stderr: {err!r}")
    check(b"\x1b" not in out and b"\x07" not in out, "a terminal escape reached the text output")
    text = out.decode()
    lines = text.splitlines()
    check(lines[0].split() == ["SEVERITY", "RULE", "LAYER", "PATH", "DETAIL"], f"header: {lines[0]!r}")
    rows = []
    for line in lines[1:]:
        if not line:
            break
        cells = re.split(r"\s{3,}", line)
        rows.append((cells[1], cells[0], None if cells[2] == "config" else int(cells[2]), cells[3]))
    want = []
    for r, s, l, p in planted_keys():
        shown = p.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
        want.append((r, s, l, shown))
    check(sorted(rows, key=str) == sorted(want, key=str), f"text rows differ:\n{rows}\n{want}")
    check([r[1] for r in rows] == sorted([r[1] for r in rows], key=ORDER.index), "text rows not sorted by severity")
    # The layer legend: every layer with findings, its 12-hex digest and CREATED BY (cut at 45).
    legend = lines[lines.index("") + 1:]
    check(legend[0].split() == ["LAYER", "DIGEST", "CREATED", "BY"], f"legend header: {legend[0]!r}")
    for i in range(3):
        cells = re.split(r"\s{3,}", legend[1 + i])
        check(cells[0] == str(i) and re.fullmatch(r"[0-9a-f]{12}", cells[1]), f"legend row {legend[1 + i]!r}")
        cb = PLANTED_CREATED_BY[i]
        check(cells[2] == (cb if len(cb) <= 45 else cb[:44] + "…").rstrip(), f"legend CREATED BY {cells[2]!r}")
    check(lines[-1] == "audit: 18 findings: 2 critical, 5 high, 7 medium, 4 low, 0 info", f"summary line {lines[-1]!r}")


def test_planted_sarif():
    doc = audit_json(fixture("planted.tar"))
    code, out, err = run("--format", "sarif", fixture("planted.tar"))
    check(code == 0, f"exit {code}")
    sarif = json.loads(out)
    check(sarif["version"] == "2.1.0", "SARIF version")
    check(len(sarif["runs"]) == 1, "one run")
    run0 = sarif["runs"][0]
    driver = run0["tool"]["driver"]
    check(driver["name"] == "tarsier", "driver name")
    rule_ids = [r["id"] for r in driver["rules"]]
    check(sorted(rule_ids) == sorted(RULES), f"SARIF rules {rule_ids}")
    level = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
    for r in driver["rules"]:
        check(r["defaultConfiguration"]["level"] == level[RULES[r["id"]]], f"rule {r['id']} level")
    results = run0["results"]
    check(len(results) == len(doc["findings"]), f"{len(results)} results, {len(doc['findings'])} JSON findings")
    for res, f in zip(results, doc["findings"]):
        check(res["ruleId"] == f["ruleId"], f"result {res['ruleId']} != {f['ruleId']}")
        check(rule_ids[res["ruleIndex"]] == res["ruleId"], f"{res['ruleId']}: ruleIndex")
        check(res["level"] == level[f["severity"]], f"{res['ruleId']}: level {res['level']}")
        check(res["properties"]["severity"] == f["severity"], "properties.severity")
        loc = res["locations"][0]
        if f["layer"] is not None:
            uri = loc["physicalLocation"]["artifactLocation"]["uri"]
            expect = f["path"].lstrip("/")
            expect = re.sub(r"[^A-Za-z0-9._~/-]", lambda m: "%%%02X" % ord(m.group()), expect).replace("..", "%2E%2E")
            check(uri == expect, f"uri {uri!r} != {expect!r}")
            check(res["properties"]["layer"] == f["layer"]["index"], "properties.layer")
            check(loc["logicalLocations"][0]["name"] == f["path"], "logicalLocation name")
        else:
            check("physicalLocation" not in loc, "a config finding with a physicalLocation")
            check(loc["logicalLocations"][0]["fullyQualifiedName"] == "config/" + f["configKey"], "config logicalLocation")


def test_planted_junit():
    doc = audit_json(fixture("planted.tar"))
    for fail_on in ("high", "medium", None):
        args = ["--format", "junit"] + (["--fail-on", fail_on] if fail_on else []) + [fixture("planted.tar")]
        code, out, err = run(*args)
        check(b"\x1b" not in out, "ESC in JUnit")
        root = ET.fromstring(out)
        cases = root.findall("./testsuite/testcase")
        check(sorted(c.get("name") for c in cases) == sorted(RULES), "one testcase per rule")
        threshold = ORDER.index(fail_on) if fail_on else -1
        failing_rules = {f["ruleId"] for f in doc["findings"] if fail_on and ORDER.index(f["severity"]) <= threshold}
        got_failing = {c.get("name") for c in cases if c.find("failure") is not None}
        check(got_failing == failing_rules, f"--fail-on {fail_on}: failing testcases {got_failing} != {failing_rules}")
        check(int(root.get("failures")) == len(failing_rules), "testsuites failures count")
        check(code == (1 if failing_rules else 0), f"--fail-on {fail_on}: exit {code}")
        # Every JSON finding is one line of its rule's testcase (failure or system-out).
        for c in cases:
            body = "".join((e.text or "") for e in list(c))
            lines = [l for l in body.splitlines() if l]
            mine = [f for f in doc["findings"] if f["ruleId"] == c.get("name")]
            check(len(lines) == len(mine), f"{c.get('name')}: {len(lines)} lines, {len(mine)} findings")
            for f in mine:
                where = f["path"] if f["layer"] is not None else f["configKey"]
                where = where.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
                check(any(where in l for l in lines), f"{c.get('name')}: {where!r} not in the testcase")


def test_fail_on():
    cases = [
        (fixture("planted.tar"), None, 0),
        (fixture("planted.tar"), "critical", 1),
        (fixture("planted.tar"), "info", 1),
        (fixture("clean.tar"), None, 0),
        (fixture("clean.tar"), "info", 0),
        # sample.tar: two low findings only.
        (os.path.join(ARGS.source_root, "testdata", "sample.tar"), "medium", 0),
        (os.path.join(ARGS.source_root, "testdata", "sample.tar"), "low", 1),
    ]
    for path, fail_on, want in cases:
        for fmt in ("text", "json", "sarif", "junit"):
            args = ["--format", fmt] + (["--fail-on", fail_on] if fail_on else []) + [path]
            code, out, err = run(*args)
            check(code == want, f"{' '.join(args)}: exit {code}, want {want}; stderr {err!r}")
    doc = audit_json("--fail-on", "critical", fixture("planted.tar"))
    check(doc["failOn"] == "critical" and doc["failed"] is True, "JSON failOn/failed")
    code, out, err = run("--fail-on", "critical", fixture("planted.tar"))
    check(out.decode().splitlines()[-1].endswith("; --fail-on critical: FAILED"), "text verdict")
    code, out, err = run("--fail-on", "severe", fixture("planted.tar"))
    check(code == 2, f"--fail-on severe: exit {code}, want 2")


def test_secret_values_hidden():
    outputs = []
    for fmt in ("text", "json", "sarif", "junit"):
        for fail_on in ([], ["--fail-on", "info"]):
            code, out, err = run("--format", fmt, *fail_on, fixture("planted.tar"))
            outputs.append((fmt, out + err))
    for fmt, data in outputs:
        check(b"hunter2" not in data, f"--format {fmt}: the value of DB_PASSWORD was printed")
        check(b"API_TOKEN=x" not in data, f"--format {fmt}: the value of API_TOKEN was printed")
        check(b"DB_PASSWORD" in data, f"--format {fmt}: the name DB_PASSWORD is missing")
        check(b"KEYBOARD_LAYOUT" not in data, f"--format {fmt}: KEYBOARD_LAYOUT reported")


def test_clean():
    doc = audit_json(fixture("clean.tar"))
    check(doc["findings"] == [], f"clean.tar findings: {[key_of(f) for f in doc['findings']]}")
    check(all(v == 0 for v in doc["summary"].values()), "clean summary")
    code, out, err = run(fixture("clean.tar"))
    check(code == 0 and out.decode() == "No findings.\naudit: 0 findings: 0 critical, 0 high, 0 medium, 0 low, 0 info\n",
          f"clean text: {out!r}")
    code, out, err = run("--format", "sarif", fixture("clean.tar"))
    check(json.loads(out)["runs"][0]["results"] == [], "clean SARIF results")
    code, out, err = run("--format", "junit", "--fail-on", "info", fixture("clean.tar"))
    root = ET.fromstring(out)
    check(root.get("failures") == "0" and len(root.findall(".//testcase")) == len(RULES), "clean JUnit")
    check(not root.findall(".//failure") and not root.findall(".//system-out"), "clean JUnit bodies")


def test_good_fixtures():
    tars = sorted(glob.glob(os.path.join(ARGS.source_root, "testdata", "*.tar")))
    check(tars, "no testdata/*.tar")
    for path in tars:
        name = os.path.basename(path)
        code, out, err = run("--format", "json", path, "@0")
        check(code == 0, f"{name}: exit {code}: {err!r}")
        doc = json.loads(out)
        above = {(f["ruleId"], f["layer"]["index"] if f["layer"] else None, f["path"] or f["configKey"])
                 for f in doc["findings"] if ORDER.index(f["severity"]) < ORDER.index("low")}
        if name in GOOD_ABOVE_LOW:
            check(above == GOOD_ABOVE_LOW[name], f"{name}: findings above low {above} != {GOOD_ABOVE_LOW[name]}")
        else:
            check(above <= {("runs-as-root", None, "User")}, f"{name}: findings above low {above}")
        if name in ("sample.tar", "skopeo-docker.tar", "skopeo-oci-gzip.tar", "skopeo-oci-zstd.tar"):
            low = {(f["ruleId"], f["layer"]["index"], f["path"]) for f in doc["findings"]}
            check(low == SAMPLE_LOW, f"{name}: {low} != {SAMPLE_LOW}")


def test_stdin():
    want = audit_json(fixture("planted.tar"))
    with open(fixture("planted.tar"), "rb") as f:
        code, out, err = run("--format", "json", "-", stdin=f)
    check(code == 0, f"stdin: exit {code}: {err!r}")
    got = json.loads(out)
    check(got["findings"] == want["findings"], "findings from standard input differ from the file's")


def test_unreadable():
    for path in (os.path.join(ARGS.source_root, "testdata", "errors", "truncated.tar"),
                 os.path.join(ARGS.source_root, "testdata", "audit", "no-such-file.tar")):
        for fmt in ("text", "json"):
            code, out, err = run("--format", fmt, path)
            check(code == 3, f"{path}: exit {code}, want 3")
            check(out == b"", f"{path}: stdout {out!r}")
            lines = err.decode().splitlines()
            check(len(lines) == 1 and lines[0].startswith("tarsier: error: "), f"{path}: stderr {err!r}")


def tar_layers(path):
    """The layers of a docker-archive (manifest.json), base first, as tarfile member lists:
    read with Python's tarfile, sharing no code with tarsier."""
    import io
    import tarfile
    with tarfile.open(path) as outer:
        manifest = json.load(outer.extractfile("manifest.json"))
        layers = []
        for name in manifest[0]["Layers"]:
            data = outer.extractfile(outer.getmember(name)).read()
            with tarfile.open(fileobj=io.BytesIO(data)) as t:
                layers.append(t.getmembers())
    return layers


def oracle_entry_findings(path):
    """The mode and link rules computed from the layer tars: (rule, first layer, path)."""
    import posixpath
    found = {}
    for i, members in enumerate(tar_layers(path)):
        for m in members:
            raw = m.name
            norm = posixpath.normpath("/" + raw) if not raw.startswith("/") else posixpath.normpath(raw)
            parts = [p for p in raw.split("/") if p not in ("", ".")]
            depth, escapes = 0, False
            for p in parts:
                depth = depth - 1 if p == ".." else depth + 1
                escapes = escapes or depth < 0
            if escapes:
                found.setdefault(("escaping-name", raw), i)
                continue
            if posixpath.basename(norm).startswith(".wh."):
                continue
            mode = m.mode
            if not m.isdir() and not m.issym() and not m.islnk():
                if mode & 0o4000:
                    found.setdefault(("setuid-file", norm), i)
                if mode & 0o2000:
                    found.setdefault(("setgid-file", norm), i)
            if m.isfile() and mode & 0o002:
                found.setdefault(("world-writable-file", norm), i)
            if m.isdir() and mode & 0o002 and not mode & 0o1000:
                found.setdefault(("world-writable-dir", norm), i)
            if m.ischr() or m.isblk():
                found.setdefault(("device-node", norm), i)
            if m.issym():
                start = [] if m.linkname.startswith("/") else norm.strip("/").split("/")[:-1]
                depth, escapes = len(start), False
                for p in m.linkname.split("/"):
                    if p == "..":
                        escapes = escapes or depth == 0
                        depth = max(depth - 1, 0)
                    elif p not in ("", "."):
                        depth += 1
                if escapes:
                    found.setdefault(("symlink-escapes-root", norm), i)
            if m.islnk():
                depth, escapes = 0, False
                for p in m.linkname.split("/"):
                    if p == "..":
                        escapes = escapes or depth == 0
                        depth = max(depth - 1, 0)
                    elif p not in ("", "."):
                        depth += 1
                if escapes:
                    found.setdefault(("hardlink-escapes-root", norm), i)
    return {(rule, layer, p) for (rule, p), layer in found.items()}


def test_planted_tarfile():
    rules = {"escaping-name", "setuid-file", "setgid-file", "world-writable-file", "world-writable-dir", "device-node",
             "symlink-escapes-root", "hardlink-escapes-root"}
    for name in ("audit/planted.tar", "audit/clean.tar", "sample.tar", "skopeo-docker.tar"):
        path = os.path.join(ARGS.source_root, "testdata", name)
        doc = audit_json(path)
        got = {(f["ruleId"], f["layer"]["index"], f["path"]) for f in doc["findings"] if f["ruleId"] in rules}
        want = oracle_entry_findings(path)
        check(got == want, f"{name}: tarsier {sorted(got)} != tarfile {sorted(want)}")
        if name == "audit/planted.tar":
            check(len(want) == 9, f"the oracle finds {len(want)} planted entries, 9 are planted")


TESTS = {
    "planted-json": test_planted_json,
    "planted-text": test_planted_text,
    "planted-sarif": test_planted_sarif,
    "planted-junit": test_planted_junit,
    "planted-tarfile": test_planted_tarfile,
    "fail-on": test_fail_on,
    "secret-values-hidden": test_secret_values_hidden,
    "clean": test_clean,
    "good-fixtures": test_good_fixtures,
    "stdin": test_stdin,
    "unreadable": test_unreadable,
}


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    ap.add_argument("tests", nargs="*", help="test names (default: all): " + ", ".join(TESTS))
    ARGS = ap.parse_args()
    failed = 0
    for name in ARGS.tests or TESTS:
        try:
            TESTS[name]()
            print(f"ok   {name}")
        except Failure as e:
            failed += 1
            print(f"FAIL {name}: {e}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
