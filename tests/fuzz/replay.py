#!/usr/bin/env python3
"""Runs one fuzz target once over every input of its seed corpus and its regression
inputs (tests/fuzz/corpus/<target>, tests/fuzz/regressions/<target>), whichever exist
when the test runs, and exits with the target's status (a crash fails the test).

usage: replay.py FUZZ-EXECUTABLE TARGET
"""
import os
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent
exe, target = sys.argv[1], sys.argv[2]
dirs = [str(here / d / target) for d in ("corpus", "regressions") if (here / d / target).is_dir()]
if not dirs:
    print(f"replay: no inputs for {target}", file=sys.stderr)
    sys.exit(77)
sys.stdout.flush()
# libFuzzer's own exit code for a crash is 77, which Meson would count as a skip.
os.execv(exe, [exe, "-runs=0", "-rss_limit_mb=2048", "-timeout=10", "-error_exitcode=1",
               "-timeout_exitcode=1", *dirs])
