#!/usr/bin/env python3
"""Tests of `tarsier check` (and `tarsier waste --ci-config`). Each test is one function
below, run by name:

    run_check.py --tarsier build/src/cli/tarsier --source-root . default-policy

What is asserted is written down here or read from other commands and tools, not taken
from check's earlier output: the audit findings of testdata/audit/planted.tar are those
make-audit-fixtures.py plants (and `tarsier audit --format json` lists), the waste numbers
are `tarsier waste --format json`'s, the verify failures those make-bad.py plants; dive's
CI rules and report lines follow dive's runtime/ci (see man/tarsier-check.1); SARIF is
validated against the OASIS SARIF 2.1.0 schema (tests/check/schema) with python3-jsonschema,
JUnit parsed with xml.etree.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ARGS = None
# Planted audit findings at or above high (make-audit-fixtures.py): critical 2, high 5.
PLANTED_HIGH = {
    ("deleted-secret-shipped", "/app/.env"), ("deleted-secret-shipped", "/root/.ssh/id_rsa"),
    ("escaping-name", "../escape.txt"), ("hardlink-escapes-root", "/usr/lib/hard-escape"),
    ("symlink-escapes-root", "/usr/lib/shadow-link"), ("secret-env", "Env/API_TOKEN"), ("secret-env", "Env/DB_PASSWORD"),
}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def fixture(*parts):
    return os.path.join(ARGS.source_root, "testdata", *parts)


def run(*args, cwd=None):
    env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")
    p = subprocess.run([ARGS.tarsier, *args], capture_output=True, cwd=cwd, env=env, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def check_json(*args, cwd=None, expect=None):
    code, out, err = run("check", "--format", "json", *args, cwd=cwd)
    if expect is not None:
        check(code == expect, f"check {' '.join(args)}: exit {code}, expected {expect}; stderr {err!r}")
    return code, json.loads(out) if out else None, err


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def unsuppressed_errors(doc):
    return [v for v in doc["violations"] if v["error"] and v["suppressedBy"] is None]


def test_default_policy():
    code, doc, err = check_json(fixture("audit", "planted.tar"), expect=1)
    check(doc["schemaVersion"] == 1 and doc["passed"] is False, "schemaVersion / passed")
    audit = json.loads(run("audit", "--format", "json", fixture("audit", "planted.tar"))[1])
    got = [(v["ruleId"], v["path"]) for v in doc["violations"] if v["group"] == "audit"]
    want = [(f["ruleId"], f["path"] if f["layer"] is not None else f["configKey"]) for f in audit["findings"]]
    check(sorted(got) == sorted(want), f"audit violations {got} != audit findings {want}")
    errors = {(v["ruleId"], v["path"]) for v in unsuppressed_errors(doc)}
    check(errors == PLANTED_HIGH, f"errors at or above high: {errors}")
    check(doc["audit"]["failOn"] == "high", "default fail-on high")
    # The clean fixture passes; the text form ends with the verdict.
    code, out, err = run("check", fixture("audit", "clean.tar"))
    check(code == 0 and out.endswith("check: passed\n"), f"clean: exit {code}, {out!r}")


def test_fail_on():
    with tempfile.TemporaryDirectory() as tmp:
        never = write(tmp, "never.yaml", "version: 1\naudit:\n  fail-on: never\n")
        check_json("--policy", never, fixture("audit", "planted.tar"), expect=0)
        crit = write(tmp, "crit.yaml", "audit:\n  fail-on: critical\n")
        code, doc, err = check_json("--policy", crit, fixture("audit", "planted.tar"), expect=1)
        rules = {v["ruleId"] for v in unsuppressed_errors(doc)}
        check(rules == {"deleted-secret-shipped"}, f"fail-on critical: {rules}")
        failed = [r["id"] for r in doc["rules"] if r["result"] == "fail"]
        check(failed == ["deleted-secret-shipped"], f"failed rules {failed}")


def test_suppression_expiry():
    policy = """audit:
  fail-on: critical
ignore:
  - rule: deleted-secret-shipped
    path: /root/.ssh/*
    reason: a test key, rotated
    expires: 2027-01-01
  - rule: deleted-secret-shipped
    path: /app/.env
    reason: placeholder values only
  - rule: setuid-file
    reason: matches nothing at fail-on critical but is still listed
    path: /nowhere/*
"""
    with tempfile.TemporaryDirectory() as tmp:
        p = write(tmp, "p.yaml", policy)
        code, doc, err = check_json("--policy", p, "--now", "2026-12-31T23:59:59Z", fixture("audit", "planted.tar"), expect=0)
        sup = doc["suppressions"]
        check([s["matched"] for s in sup] == [1, 1, 0], f"matched {[s['matched'] for s in sup]}")
        check(not any(s["expired"] for s in sup), "expired before the date")
        check(sup[0]["where"] == p + ":4" and sup[0]["expires"] == "2027-01-01", f"where/expires {sup[0]}")
        suppressed = sorted(v["path"] for v in doc["violations"] if v["suppressedBy"] is not None)
        check(suppressed == ["/app/.env", "/root/.ssh/id_rsa"], f"suppressed {suppressed}")
        code, out, err = run("check", "--policy", p, "--now", "2026-12-31T23:59:59Z", fixture("audit", "planted.tar"))
        check("SUPPRESSED" in out and "a test key, rotated" in out and "2 violations suppressed" in out, f"text: {out}")
        # From the expiry date on, the suppression stops and is reported.
        code, doc, err = check_json("--policy", p, "--now", "2027-01-01T00:00:00Z", fixture("audit", "planted.tar"), expect=1)
        check(doc["suppressions"][0]["expired"] and doc["suppressions"][0]["matched"] == 1, "expired suppression")
        errors = [v["path"] for v in unsuppressed_errors(doc)]
        check(errors == ["/root/.ssh/id_rsa"], f"errors after expiry {errors}")
        exp = [v for v in doc["violations"] if v["ruleId"] == "suppression-expired"]
        check(len(exp) == 1 and exp[0]["group"] == "policy" and not exp[0]["error"], f"expired warning {exp}")
        code, out, err = run("check", "--policy", p, "--now", "2027-01-01T00:00:00Z", fixture("audit", "planted.tar"))
        check("(EXPIRED)" in out, "EXPIRED in the text")


def test_verify_rules():
    bad = fixture("bad", "oci-unreferenced-blob.tar")
    code, doc, err = check_json(bad, expect=0)
    warns = [v for v in doc["violations"] if v["group"] == "verify"]
    check([v["ruleId"] for v in warns] == ["unreferenced-blob"] and not warns[0]["error"], f"warning {warns}")
    with tempfile.TemporaryDirectory() as tmp:
        p = write(tmp, "p.yaml", "verify:\n  errors: [unreferenced-blob]\n")
        code, doc, err = check_json("--policy", p, bad, expect=1)
        check([v["ruleId"] for v in unsuppressed_errors(doc)] == ["unreferenced-blob"], "listed warning is an error")
        p = write(tmp, "s.yaml", "verify:\n  strict: true\n")
        check_json("--policy", p, bad, expect=1)
        p = write(tmp, "i.yaml", "verify:\n  strict: true\nignore:\n  - rule: unreferenced-blob\n    reason: kept on purpose\n")
        check_json("--policy", p, bad, expect=0)
    for name, rule in (("docker-wrong-diff-id", "layer-diff-id"), ("oci-wrong-descriptor-size", "descriptor-size"),
                       ("oci-missing-blob", "blob-present")):
        code, doc, err = check_json(fixture("bad", name + ".tar"), expect=1)
        rules = {v["ruleId"] for v in unsuppressed_errors(doc)}
        check(rule in rules, f"{name}: {rules}")
        verify = json.loads(run("verify", "--format", "json", fixture("bad", name + ".tar"))[1])
        failed = sum(1 for c in verify["archives"][0]["checks"] if c["verdict"] == "fail")
        check(doc["verify"]["failed"] == failed, f"{name}: {doc['verify']['failed']} failed, verify says {failed}")


def waste_json(archive, dive=True):
    args = ["waste", "--format", "json"] + (["--dive-compatible"] if dive else []) + [archive]
    return json.loads(run(*args)[1])


def test_dive_ci():
    archive = fixture("sample.tar")
    w = waste_json(archive)
    eff, wasted, user = w["efficiency"], w["wastedBytes"], w["userWastedFraction"]
    check(wasted > 0 and 0 < eff < 1, f"sample.tar has waste: {w}")
    cases = [
        # (rules, expected exit, {dive key: PASS/FAIL/SKIP})
        (f"lowestEfficiency: {eff + 0.001:.6f}\n  highestWastedBytes: disabled\n  highestUserWastedPercent: disabled",
         1, {"lowestEfficiency": "FAIL", "highestWastedBytes": "SKIP", "highestUserWastedPercent": "SKIP"}),
        (f"lowestEfficiency: {eff - 0.001:.6f}\n  highestWastedBytes: {wasted}\n  highestUserWastedPercent: disabled",
         0, {"lowestEfficiency": "PASS", "highestWastedBytes": "PASS", "highestUserWastedPercent": "SKIP"}),
        (f"lowestEfficiency: disabled\n  highestWastedBytes: {wasted - 1}\n  highestUserWastedPercent: {min(1, user + 0.001):.6f}",
         1, {"lowestEfficiency": "SKIP", "highestWastedBytes": "FAIL", "highestUserWastedPercent": "PASS"}),
        (f"highestUserWastedPercent: {max(0, user - 0.001):.6f}",  # the others take dive's defaults: 0.9, disabled
         1, {"lowestEfficiency": "PASS" if eff >= 0.9 else "FAIL", "highestWastedBytes": "SKIP", "highestUserWastedPercent": "FAIL"}),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for i, (rules, expect, verdicts) in enumerate(cases):
            ci = write(tmp, f"ci{i}", "rules:\n  " + rules + "\n")
            code, out, err = run("waste", "--dive-compatible", "--ci-config", ci, archive)
            check(code == expect, f"case {i}: waste exit {code}, expected {expect}: {err}")
            check(f"  wastedBytes: {wasted} bytes (" in out, f"case {i}: wastedBytes line: {out}")
            check(f"  efficiency: {eff * 100:.4f} %" in out, f"case {i}: efficiency line")
            results = dict(re.findall(r"^  (PASS|FAIL|SKIP): (\w+)", out, re.M))
            got = {k: v for v, k in re.findall(r"^  (PASS|FAIL|SKIP): (\w+)", out, re.M)}
            check(got == verdicts, f"case {i}: {got} != {verdicts}")
            n = {s: list(verdicts.values()).count(s) for s in ("PASS", "FAIL", "SKIP")}
            want = (f"Result:{'FAIL' if n['FAIL'] else 'PASS'} [Total:3] [Passed:{n['PASS']}] [Failed:{n['FAIL']}] "
                    f"[Warn:0] [Skipped:{n['SKIP']}]")
            check(want in out, f"case {i}: {want} not in {out}")
            # check reads the same file, and ./.dive-ci as dive does.
            code, doc, err = check_json("--ci-config", ci, archive, expect=expect)
            check(doc["waste"]["wastedBytes"] == wasted and doc["waste"]["mode"] == "dive-compatible", "check's waste")
            write(tmp, ".dive-ci", "rules:\n  " + rules + "\n")
            code, doc, err = check_json(os.path.abspath(archive), cwd=tmp, expect=expect)
            skipped = sorted(r["id"] for r in doc["rules"] if r["group"] == "waste" and r["result"] == "skipped")
            check(len(skipped) == n["SKIP"], f"case {i}: skipped {skipped}")
        # dive's size spellings: 20M is 20 MB (go-humanize), 1KiB binary.
        for spelling, bytes_ in (("1kB", 1000), ("1k", 1000), ("1 KiB", 1024), ("1Ki", 1024), (str(wasted), wasted)):
            ci = write(tmp, "size", f"rules:\n  highestWastedBytes: {spelling}\n  lowestEfficiency: disabled\n"
                                    "  highestUserWastedPercent: disabled\n")
            code, doc, err = check_json("--ci-config", ci, archive)
            check(doc["waste"]["thresholds"]["highestWastedBytes"] == bytes_, f"{spelling}: {doc['waste']['thresholds']}")
            check(code == (1 if wasted > bytes_ else 0), f"{spelling}: exit {code}")


def test_policy_waste():
    archive = fixture("sample.tar")
    w = waste_json(archive, dive=False)
    with tempfile.TemporaryDirectory() as tmp:
        p = write(tmp, "p.yaml", f"waste:\n  highest-wasted-bytes: {w['wastedBytes'] - 1}\n  lowest-efficiency: 1%\n")
        code, doc, err = check_json("--policy", p, archive, expect=1)
        check(doc["waste"]["wastedBytes"] == w["wastedBytes"] and doc["waste"]["mode"] == "default", "default mode numbers")
        check([v["ruleId"] for v in unsuppressed_errors(doc)] == ["highest-wasted-bytes"], "highest-wasted-bytes fails")
        check(doc["waste"]["thresholds"]["lowestEfficiency"] == 0.01, "1% is 0.01")
        p = write(tmp, "q.yaml", "waste:\n  highest-wasted-bytes: 1MB\n")
        code, doc, err = check_json("--policy", p, archive, expect=0)
        check(doc["waste"]["thresholds"]["highestWastedBytes"] == 1000000, "1MB")


def test_usage_errors():
    cases = [
        ("verify:\n  strict: true\n  strikt: false\n", "line 3", "strikt"),
        ("audit:\n  fail-on: severe\n", "line 2", "severe"),
        ("colour: red\n", "line 1", "colour"),
        ("waste:\n  lowest-efficiency: 0\n", "line 2", "never fire"),
        ("waste:\n  lowest-efficiency: 1.5\n", "line 2", "always fire"),
        ("waste:\n  highest-user-wasted-percent: 120%\n", "line 2", "outside 0..1"),
        ("waste:\n  highest-wasted-bytes: 20 parsecs\n", "line 2", "highest-wasted-bytes"),
        ("ignore:\n  - rule: setuid-file\n", "line 2", "reason"),
        ("ignore:\n  - rule: setuid-file\n    reason: r\n    expires: 2027-02-30\n", "line 4", "YYYY-MM-DD"),
        ("ignore:\n  - rule: setuid-file\n    reason: r\n    until: 2027-01-01\n", "line 4", "until"),
        ("version: 2\n", "line 1", "version"),
        ("verify: [\n", "line", ""),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for i, (text, where, word) in enumerate(cases):
            p = write(tmp, f"p{i}.yaml", text)
            code, out, err = run("check", "--policy", p, fixture("audit", "clean.tar"))
            check(code == 2, f"case {i} {text!r}: exit {code}, stderr {err!r}")
            lines = err.strip().split("\n")
            check(len(lines) == 1 and lines[0].startswith(f"tarsier: error: {p}: {where}") and word in lines[0],
                  f"case {i}: {err!r}")
            check(out == "", f"case {i}: stdout {out!r}")
        for text, word in (("rules:\n  lowestEfficiency: 1.2\n", "outside allowed range"),
                           ("rules:\n  lowestEfficency: 0.9\n", "lowestEfficency"),
                           ("rules:\n  highestWastedBytes: lots\n", "invalid config value"),
                           ("rules:\n  lowestEfficiency: 0\n", "never fire")):
            ci = write(tmp, "ci", text)
            for cmd in (["check", "--ci-config", ci], ["waste", "--ci-config", ci]):
                code, out, err = run(*cmd, fixture("audit", "clean.tar"))
                check(code == 2 and word in err and err.count("\n") == 1, f"{cmd[0]} {text!r}: {code} {err!r}")
        code, out, err = run("check", "--policy", os.path.join(tmp, "absent.yaml"), fixture("audit", "clean.tar"))
        check(code == 2 and "absent.yaml" in err, f"absent policy: {code} {err!r}")
        code, out, err = run("waste", "--ci-config", os.path.join(tmp, "ci"), "--lowest-efficiency", "0.5",
                             fixture("audit", "clean.tar"))
        check(code == 2, f"--ci-config with a rule option: {code} {err!r}")
    code, out, err = run("check", "--format", "yaml", fixture("audit", "clean.tar"))
    check(code == 2, f"bad format: {code}")


def test_unreadable():
    for name in ("empty.tar", "truncated.tar", "not-an-archive.txt"):
        code, out, err = run("check", fixture("errors", name))
        check(code == 3 and err.count("tarsier: error:") == 1 and out == "", f"{name}: exit {code} {err!r}")
    code, out, err = run("check", fixture("errors", "does-not-exist.tar"))
    check(code == 3, f"absent archive: {code}")


def validate_sarif(doc, what):
    try:
        import jsonschema
    except ImportError:
        print("SKIP: python3-jsonschema is not installed")
        sys.exit(77)
    with open(os.path.join(ARGS.source_root, "tests", "check", "schema", "sarif-schema-2.1.0.json")) as f:
        schema = json.load(f)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
    check(not errors, f"{what}: SARIF schema: {[e.message for e in errors[:3]]}")


def test_sarif():
    # A relative archive path that climbs with "..": its URI must keep the segments literal.
    rel = os.path.relpath(fixture("audit", "planted.tar"), os.path.join(ARGS.source_root, "tests"))
    code, out, err = run("check", "--format", "sarif", rel, cwd=os.path.join(ARGS.source_root, "tests"))
    check(code == 1, f"exit {code} {err}")
    doc = json.loads(out)
    validate_sarif(doc, "check")
    run0 = doc["runs"][0]
    check(run0["invocations"] == [{"executionSuccessful": True, "exitCode": 1}], f"invocations {run0['invocations']}")
    rules = run0["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    jdoc = check_json(fixture("audit", "planted.tar"))[1]
    check(ids == [f"{r['group']}/{r['id']}" for r in jdoc["rules"]], "one SARIF rule per check rule")
    for r in rules:
        check(r["helpUri"].startswith("man:tarsier-"), f"{r['id']}: helpUri")
        if r["id"].startswith("audit/") and r["properties"]["severity"] != "info":
            sev = float(r["properties"]["security-severity"])
            check(0 < sev <= 10, f"{r['id']}: security-severity {sev}")
    check(len(run0["results"]) == len(jdoc["violations"]), "one result per violation")
    for res, v in zip(run0["results"], jdoc["violations"]):
        check(ids[res["ruleIndex"]] == res["ruleId"] == f"{v['group']}/{v['ruleId']}", f"{res['ruleId']}")
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        check(".." not in uri.split("/") and "%2E%2E" in uri if v["group"] != "audit" or v["layer"] is None or
              v["path"].startswith("..") else True, f"uri {uri!r} keeps '..'")
        check(res["level"] == ("error" if v["error"] else res["level"]), "level of an error")
    # The audit's SARIF, through the same writer, is valid too.
    validate_sarif(json.loads(run("audit", "--format", "sarif", fixture("audit", "planted.tar"))[1]), "audit")
    # Suppressed results carry an accepted external suppression with the reason.
    with tempfile.TemporaryDirectory() as tmp:
        p = write(tmp, "p.yaml", "ignore:\n  - rule: secret-env\n    reason: names only, no values\n")
        doc = json.loads(run("check", "--format", "sarif", "--policy", p, fixture("audit", "planted.tar"))[1])
        validate_sarif(doc, "suppressed")
        sup = [r for r in doc["runs"][0]["results"] if "suppressions" in r]
        check(len(sup) == 2 and all(s["suppressions"][0]["justification"].startswith("names only") for s in sup),
              f"suppressions {sup}")


def test_junit():
    code, out, err = run("check", "--format", "junit", fixture("audit", "planted.tar"))
    check(code == 1, f"exit {code}")
    root = ET.fromstring(out)
    doc = check_json(fixture("audit", "planted.tar"))[1]
    cases = root.findall(".//testcase")
    check(len(cases) == len(doc["rules"]) == int(root.get("tests")), f"{len(cases)} testcases, {len(doc['rules'])} rules")
    failed = sorted(c.get("name") for c in cases if c.find("failure") is not None)
    want = sorted(r["id"] for r in doc["rules"] if r["result"] == "fail")
    check(failed == want and int(root.get("failures")) == len(want), f"failed {failed} != {want}")
    check("\x1b" not in out, "ESC in JUnit")
    with tempfile.TemporaryDirectory() as tmp:
        ci = write(tmp, "ci", "rules:\n  highestWastedBytes: disabled\n")
        root = ET.fromstring(run("check", "--format", "junit", "--ci-config", ci, fixture("sample.tar"))[1])
        skipped = [c.get("name") for c in root.findall(".//testcase") if c.find("skipped") is not None]
        check(skipped == ["highest-wasted-bytes"], f"skipped {skipped}")


TESTS = {
    "default-policy": test_default_policy,
    "fail-on": test_fail_on,
    "suppression-expiry": test_suppression_expiry,
    "verify-rules": test_verify_rules,
    "dive-ci": test_dive_ci,
    "policy-waste": test_policy_waste,
    "usage-errors": test_usage_errors,
    "unreadable": test_unreadable,
    "sarif": test_sarif,
    "junit": test_junit,
}


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    ap.add_argument("test", choices=sorted(TESTS))
    ARGS = ap.parse_args()
    ARGS.tarsier = os.path.abspath(ARGS.tarsier)
    ARGS.source_root = os.path.abspath(ARGS.source_root)
    TESTS[ARGS.test]()
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
