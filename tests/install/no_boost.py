#!/usr/bin/env python3
"""`meson setup` works on a system without Boost (tests=auto leaves the tests out).

Boost is hidden from Meson by a native file whose `boost_root` is an empty directory
(Meson then looks for Boost there only). What is proved: with the default tests=auto,
configuring succeeds, says that the tests are left out and registers no test. (That
-Dtests=true then fails is Meson's `required : true`, not checked here: a second configure
would double the test's time.) Only the configure step runs; building without Boost is the same compile as any build's, since
nothing outside tests/ uses Boost (`grep -r boost src` finds nothing; checked here too).

Usage: no_boost.py --meson MESON --source-root DIR
Exit status: 0 pass, 1 fail, 77 no meson.
"""
import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meson", required=True)
    ap.add_argument("--source-root", required=True)
    a = ap.parse_args()
    meson = shutil.which(a.meson) or a.meson
    if not Path(meson).exists():
        print(f"no_boost: {a.meson} not found: skipped")
        return 77
    problems = []
    src = Path(a.source_root)
    users = [str(p.relative_to(src)) for p in (src / "src").rglob("*") if p.is_file() and "boost" in p.read_text(errors="replace").lower()]
    if users:
        problems.append(f"src/ uses Boost: {users}")
    with tempfile.TemporaryDirectory(prefix="tarsier-noboost.") as tmp:
        empty = Path(tmp) / "empty"
        empty.mkdir()
        native = Path(tmp) / "native.ini"
        native.write_text(f"[properties]\nboost_root = '{empty}'\n", encoding="utf-8")
        auto = subprocess.run([meson, "setup", "--native-file", str(native), str(Path(tmp) / "auto"), str(src)],
                              capture_output=True, text=True)
        if auto.returncode != 0:
            problems.append(f"tests=auto without Boost: meson setup exited {auto.returncode}:\n{auto.stdout[-2000:]}")
        else:
            if "tests: left out: Boost.Test was not found" not in auto.stdout:
                problems.append("tests=auto without Boost: no message that the tests are left out")
            tests = json.loads((Path(tmp) / "auto" / "meson-info" / "intro-tests.json").read_text())
            if tests:
                problems.append(f"tests=auto without Boost: {len(tests)} tests registered")
    for p in problems:
        print(f"FAIL {p}")
    print(f"configured without Boost (tests=auto): {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
