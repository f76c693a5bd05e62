#!/usr/bin/env python3
"""Prints the name of each golden CLI case (cases/<name>.case), sorted, one per line.

Run by tests/cli/meson.build at configure time; a case added or removed later needs
`meson setup --reconfigure` (scripts/setup does that by itself).
"""
import pathlib
import re
import sys

cases = pathlib.Path(sys.argv[1])
names = sorted(p.stem for p in cases.glob("*.case")) if cases.is_dir() else []
for name in names:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        sys.exit(f"list_cases.py: {cases / name}.case: use only letters, digits, '_', '.', '-'")
    print(name)
