#!/usr/bin/env python3
"""Runs the examples of a README section and compares their output with what the README
shows, byte for byte, so that the section keeps showing real output.

In each fenced block of the section, a line "$ tarsier ARGS" is a command (run from the
source root, with ARGS split like a shell would) and the lines up to the next "$ " line
or the end of the block are its standard output; one blank line before a "$ " line
separates two examples and is not output. "$ echo $?" shows the exit status of the
command before it.

Usage: readme_examples.py --tarsier BIN --source-root DIR --section "TITLE"
Exit status: 0 all match, 1 a difference (shown as a unified diff), 2 usage or no example.
"""
import argparse
import difflib
import shlex
import subprocess
import sys
from pathlib import Path


def examples(readme, title):
    """(command, expected output) pairs of the section whose heading is `title`."""
    lines = readme.splitlines(keepends=True)
    try:
        start = next(i for i, l in enumerate(lines) if l.lstrip("#").strip() == title and l.startswith("#"))
    except StopIteration:
        sys.exit(f"readme_examples: no section '{title}'")
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    out, block, command, expected = [], False, None, []

    def close():
        if command is not None:
            text = "".join(expected)
            out.append((command, text))

    for line in lines[start + 1:]:
        if line.startswith("#") and not block and len(line) - len(line.lstrip("#")) <= level:
            break  # the next section
        if line.startswith("```"):
            if block:
                close()
                command, expected = None, []
            block = not block
            continue
        if not block:
            continue
        if line.startswith("$ "):
            if command is not None:
                if expected and expected[-1] == "\n":
                    expected.pop()  # the blank line between two examples
                close()
            command, expected = line[2:].strip(), []
        elif command is not None:
            expected.append(line)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    ap.add_argument("--section", required=True)
    a = ap.parse_args()
    root = Path(a.source_root)
    tarsier = str(Path(a.tarsier).resolve())  # the commands run in the source root
    pairs = examples((root / "README.md").read_text(encoding="utf-8"), a.section)
    if not pairs:
        sys.exit(f"readme_examples: no example in '{a.section}'")
    failed = 0
    status = None
    for command, expected in pairs:
        if command == "echo $?":
            got = f"{status}\n"
            if got != expected:
                failed += 1
                print(f"FAIL $ echo $?: the README shows {expected!r}, the command exited {status}")
            else:
                print(f"ok   $ echo $?  ({status})")
            continue
        argv = shlex.split(command)
        if argv[0] != "tarsier":
            sys.exit(f"readme_examples: not a tarsier command: {command}")
        run = subprocess.run([tarsier] + argv[1:], cwd=root, capture_output=True, text=True,
                             env={"TZ": "UTC", "PATH": "/usr/bin:/bin"})
        status = run.returncode
        if run.stdout != expected:
            failed += 1
            print(f"FAIL $ {command} (exit {run.returncode})")
            sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), run.stdout.splitlines(True),
                                                       "README.md", "actual output"))
        else:
            print(f"ok   $ {command}")
    print(f"{len(pairs) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
