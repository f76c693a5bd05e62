#!/usr/bin/env python3
"""Walks every command's option list (`tarsier CMD --help`) and checks that the options
commands share are one option: the same spelling (long and short form), the same value
placeholder, the same help text (the meaning), and for --format the same values with
"table" accepted as "text"; that every command that reads an archive takes --platform and
-j, and every single-image command takes --image; and that no help shows parser internals.

Usage: options_consistency.py --tarsier BIN --source-root DIR
Exit status: 0 consistent, 1 a problem (each printed), 2 usage.
"""
import argparse
import os
import re
import subprocess
import sys

# Options whose help differs per command on purpose, with where the difference is documented.
PER_COMMAND = {
    "--quiet": "tarsier(1) COMMON OPTIONS: image IDs only (ls, history), failures only (verify)",
    "--format": "the values differ per command; checked separately below",
    "--layer": "what the layer chooses (one layer's changes, or the filesystem after it); suffix checked below",
}
# Short forms that Docker gives one option on one command and another elsewhere, kept for
# Docker users' habits: `docker image inspect -f TEMPLATE` beside `docker image ls -f FILTER`.
DOCKER_SHORTS = {("inspect", "--format"): "-f"}
# Commands that compare or list several archives and so do not choose one image.
MULTI = {"ls", "verify", "diff"}
# Arguments that make each command with --format run on the sample archive.
RUN_ARGS = {
    "ls": ["testdata/sample.tar", "--now", "0"],
    "history": ["testdata/sample.tar", "--now", "0"],
    "layers": ["testdata/sample.tar"],
    "verify": ["testdata/sample.tar"],
    "waste": ["testdata/sample.tar"],
    "changes": ["testdata/sample.tar"],
    "files": ["testdata/sample.tar"],
    "blame": ["testdata/sample.tar", "/etc"],
    "diff": ["testdata/sample.tar", "testdata/sample.tar", "--old-image", "@0", "--new-image", "@0"],
    "audit": ["testdata/sample.tar"],
    "inspect": ["testdata/sample.tar"],
    "packages": ["testdata/dpkg-layers/dpkg-layers.docker.tar"],
    "check": ["testdata/sample.tar"],
}
INTERNALS = re.compile(r"\(\d+x\)|:UINT|:INT\b|:FLOAT|:TEXT|\bin \[|NUMBER|IMAGE_AND")
OPTION = re.compile(r"^  (?:(-\w),)?(--[\w-]+)(?: (\S+))?(?: \.\.\.)?\s{2,}(.*)$")


def run(tarsier, root, *args):
    return subprocess.run([tarsier, *args], cwd=root, capture_output=True, text=True, timeout=120)


def commands(tarsier, root):
    out = run(tarsier, root, "--help").stdout
    names = []
    inside = False
    for line in out.splitlines():
        if line.startswith("Subcommands:"):
            inside = True
        elif inside and line.strip():
            names.append(line.split()[0].rstrip(","))
    return names


def options(tarsier, root, name):
    """{long: (short, placeholder, help)} of one command, and its help text."""
    text = run(tarsier, root, name, "--help").stdout
    found = {}
    for line in text.splitlines():
        m = OPTION.match(line)
        if m and m.group(2) != "--help":
            found[m.group(2)] = (m.group(1) or "", m.group(3) or "", m.group(4).strip())
    return found, text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    a = ap.parse_args()
    a.tarsier = os.path.abspath(a.tarsier)  # commands run in the source root
    problems = []
    names = commands(a.tarsier, a.source_root)
    if len(names) < 11:
        print(f"only {len(names)} commands found in tarsier --help: {names}")
        return 1
    table = {}
    for name in names:
        opts, text = options(a.tarsier, a.source_root, name)
        if not opts:
            problems.append(f"{name}: no options read from --help")
        for bad in INTERNALS.findall(text):
            problems.append(f"{name} --help shows a parser internal: {bad!r}")
        for req in ("--platform", "--jobs"):
            if req not in opts:
                problems.append(f"{name}: no {req} (every command that reads an archive takes it)")
        if name not in MULTI and "--image" not in opts:
            problems.append(f"{name}: no --image (every single-image command takes it)")
        for long, spec in opts.items():
            if DOCKER_SHORTS.get((name, long)) == spec[0]:
                spec = ("", *spec[1:])
            table.setdefault(long, []).append((name, *spec))
    shorts = {}
    for long, uses in sorted(table.items()):
        for field, index in (("short form", 1), ("value placeholder", 2)):
            if len({u[index] for u in uses}) > 1:
                problems.append(f"{long}: {field} differs: " + ", ".join(f"{u[0]}: {u[index]!r}" for u in uses))
        if long not in PER_COMMAND and len({u[3] for u in uses}) > 1:
            problems.append(f"{long}: help (meaning) differs: " + "; ".join(f"{u[0]}: {u[3]!r}" for u in uses))
        for u in uses:
            if u[1]:
                shorts.setdefault(u[1], set()).add(long)
    for short, longs in shorts.items():
        if len(longs) > 1:
            problems.append(f"{short} means several options: {sorted(longs)}")
    for u in table.get("--layer", []):
        if not u[3].endswith("its position (0 = base) or a unique prefix of its blob digest or diff_id"):
            problems.append(f"{u[0]} --layer: help does not say what it accepts: {u[3]!r}")
    for name, _, _, help_text in table.get("--format", []):
        if not help_text.startswith("output: text (default; table is the same)"):
            problems.append(f"{name} --format: help does not start with the shared values: {help_text!r}")
        if name not in RUN_ARGS:
            problems.append(f"{name}: add its arguments to RUN_ARGS so that its --format values are run")
            continue
        outs = [run(a.tarsier, a.source_root, name, *RUN_ARGS[name], "--format", f) for f in ("text", "table")]
        if outs[0].returncode not in (0, 1) or (outs[0].returncode, outs[0].stdout) != (outs[1].returncode, outs[1].stdout):
            problems.append(f"{name}: --format table is not --format text (exit {outs[0].returncode} vs "
                            f"{outs[1].returncode}): {outs[0].stderr.strip()} {outs[1].stderr.strip()}")
        bad = run(a.tarsier, a.source_root, name, *RUN_ARGS[name], "--format", "yaml")
        if bad.returncode != 2:
            problems.append(f"{name}: --format yaml exits {bad.returncode}, not 2")
    for p in problems:
        print(p)
    print(f"{len(names)} commands, {len(table)} distinct options, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
