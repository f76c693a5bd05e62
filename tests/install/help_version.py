#!/usr/bin/env python3
"""`tarsier help [COMMAND]` and `tarsier -V` / `--version`.

- `tarsier help` prints what `tarsier --help` prints, and `tarsier help CMD` what
  `tarsier CMD --help` prints, for every command `tarsier --help` lists; `tarsier help
  nosuch` is a usage error (exit 2) with nothing on stdout.
- `-V` and `--version` print the same; the first line is "tarsier <the Meson project
  version>"; each library line's version is the one pkg-config reports for the library
  installed here (an independent source: the .pc files the build found), when pkg-config
  knows it; ISA-L is "used" exactly when the build found libisal.

Usage: help_version.py --tarsier BIN --version V [--isal VERSION|no]
Exit status: 0 pass, 1 fail.
"""
import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "docs"))
from man_options import commands  # noqa: E402

# -V's name for a library -> its pkg-config module
PKG = {"libarchive": "libarchive", "zlib": "zlib", "zstd": "libzstd", "OpenSSL": "libcrypto",
       "RapidJSON": "RapidJSON", "fmt": "fmt", "CLI11": "CLI11", "xxHash": "libxxhash", "SQLite": "sqlite3"}


def run(tarsier, *args):
    return subprocess.run([tarsier, *args], capture_output=True, text=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--isal", default="no")
    a = ap.parse_args()
    problems = []
    top = run(a.tarsier, "--help")
    if run(a.tarsier, "help").stdout != top.stdout:
        problems.append("`tarsier help` differs from `tarsier --help`")
    names = commands(a.tarsier)
    for name in names:
        want = run(a.tarsier, name, "--help")
        got = run(a.tarsier, "help", name)
        if got.returncode != 0 or got.stdout != want.stdout:
            problems.append(f"`tarsier help {name}` (exit {got.returncode}) differs from `tarsier {name} --help`")
    bad = run(a.tarsier, "help", "nosuch")
    if bad.returncode != 2 or bad.stdout:
        problems.append(f"`tarsier help nosuch`: exit {bad.returncode}, stdout {bad.stdout!r}")

    long_v, short_v = run(a.tarsier, "--version"), run(a.tarsier, "-V")
    if long_v.returncode != 0 or long_v.stdout != short_v.stdout:
        problems.append("-V and --version differ or fail")
    lines = long_v.stdout.splitlines()
    if not lines or lines[0] != f"tarsier {a.version}":
        problems.append(f"first line {lines[:1]!r}, want 'tarsier {a.version}'")
    libs = {}
    for line in lines[1:]:
        m = re.match(r"  (\S+)\s+(\S+)(.*)", line)
        if m:
            libs[m.group(1)] = (m.group(2), m.group(3).strip())
    pkg_config = shutil.which("pkg-config")
    checked = 0
    for name, module in PKG.items():
        if name not in libs:
            problems.append(f"-V does not list {name}")
            continue
        if not pkg_config:
            continue
        pc = subprocess.run([pkg_config, "--modversion", module], capture_output=True, text=True)
        if pc.returncode == 0:
            checked += 1
            if libs[name][0] != pc.stdout.strip():
                problems.append(f"-V: {name} {libs[name][0]}, pkg-config {module}: {pc.stdout.strip()}")
    isal = libs.get("ISA-L")
    if not isal:
        problems.append("-V does not list ISA-L")
    elif a.isal == "no" and isal[0] != "no":
        problems.append(f"-V: ISA-L {isal}, but the build has no libisal")
    elif a.isal != "no" and (isal[0] != a.isal or "used" not in isal[1]):
        problems.append(f"-V: ISA-L {isal}, the build found libisal {a.isal}")
    for p in problems:
        print(f"FAIL {p}")
    print(f"help: {len(names)} commands; -V: {len(libs)} libraries, {checked} checked with pkg-config; "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
