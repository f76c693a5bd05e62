#!/usr/bin/env python3
"""The manual pages pass groff's and mandoc's checks with no message at all.

Runs `groff -man -ww -z PAGE` (every warning) and `mandoc -Tlint PAGE` (every message,
style ones included) on each page of man/; any line either prints fails the test.

Usage: man_lint.py --source-root DIR
Exit status: 0 clean, 1 a message (printed), 77 groff or mandoc is not installed.
"""
import argparse
import shutil
import subprocess
import sys
from pathlib import Path


def clean(page):
    """Whether groff and mandoc say nothing about `page`; prints what they say."""
    messages = []
    for argv in (["groff", "-man", "-ww", "-z", str(page)], ["mandoc", "-Tlint", str(page)]):
        run = subprocess.run(argv, capture_output=True, text=True, env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"})
        messages += [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    print(f"{'FAIL' if messages else 'ok  '} {page.name}")
    for m in messages:
        print(f"  {m}")
    return not messages


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-root", required=True)
    a = ap.parse_args()
    missing = [tool for tool in ("groff", "mandoc") if shutil.which(tool) is None]
    if missing:
        print(f"man_lint: skipped, not installed: {' '.join(missing)}")
        return 77
    pages = sorted((Path(a.source_root) / "man").glob("*.[1-9]"))
    if not pages:
        sys.exit("man_lint: no pages in man/")
    failing = [page for page in pages if not clean(page)]
    print(f"{len(pages) - len(failing)} of {len(pages)} pages clean")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
