#!/usr/bin/env python3
"""Runs the examples of the manual pages and compares them with what the pages show.

An example is an .EX/.EE block, in any section of a page, of one of two forms:

  A session: the block's first line starts with "$ ". Each "$ COMMAND" line is a command
  and the lines up to the next "$ " line or .EE are what it prints on a terminal
  (standard output and standard error through one pipe, as 2>&1 does), compared byte for
  byte once the roff escapes are read back (roff.py), except for blanks at the end of a
  line, which a page cannot show (Docker's tables end their rows with them).
  "$ echo $?" shows the exit status of the command before it. A last output line that is
  just "..." (written \\&...) means the output goes on: the lines above it must be the
  start of the output. Every command of a session must start with "tarsier" (it may go on
  with a pipe or a redirection). A command that exits other than 0 must be followed by
  "$ echo $?".

  A command list: the block's first line starts with "tarsier ". Every line is a command
  whose output is not shown; it must exit 0, or N when the line ends with "# exits N".

Any other .EX block (a JSON shape, a format) is no example. The EXAMPLES section may hold
no .nf/.fi block, so that every example there is one of the two forms above.

Commands run from the source root with /bin/sh -c, the tarsier under test first on PATH,
TZ=UTC and LC_ALL=C.UTF-8. One that names ../shared is skipped when ../shared/corpus is
absent (and the page is skipped when that leaves nothing to run).

Usage: man_examples.py --tarsier BIN --source-root DIR PAGE...
Exit status: 0 all match, 1 a difference (a unified diff is printed), 2 a malformed
example, 77 nothing could run.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import roff

EXIT_COMMENT = re.compile(r"\s+#\s*exits?\s+(\d+)\s*$")


class Malformed(Exception):
    pass


def examples(page_text, page_name):
    """[(kind, line number, [(command, expected output or None)])] of one page."""
    lines = page_text.splitlines(keepends=True)
    found = []
    for first, block in roff.blocks(lines):
        body = [l for l in block if not l.startswith(".")]
        if not body:
            continue
        shown = [roff.text(l) for l in body]
        where = f"{page_name}:{first + 1}"
        if shown[0].startswith("$ "):
            session, command, output = [], None, []
            for line in shown:
                if line.startswith("$ "):
                    if command is not None:
                        session.append((command, "".join(output)))
                    command, output = line[2:].rstrip("\n"), []
                else:
                    output.append(line)
            session.append((command, "".join(output)))
            for command, _ in session:
                if command != "echo $?" and not command.startswith("tarsier"):
                    raise Malformed(f"{where}: a session command that is not tarsier: {command}")
            found.append(("session", where, session))
        elif shown[0].startswith("tarsier "):
            commands = []
            for line in shown:
                if not line.strip():
                    continue
                if not line.startswith("tarsier "):
                    raise Malformed(f"{where}: a command list holds a line that is not a tarsier command: {line}")
                commands.append((line.rstrip("\n"), None))
            found.append(("commands", where, commands))
    for title, section in roff.sections(page_text).items():
        if title == "EXAMPLES" and any(l.startswith(".nf") for l in section):
            raise Malformed(f"{page_name}: EXAMPLES holds a .nf block; write examples as .EX blocks")
    return found


def run(command, root, bindir):
    env = {"TZ": "UTC", "LC_ALL": "C.UTF-8", "PATH": f"{bindir}:/usr/bin:/bin", "HOME": str(root)}
    done = subprocess.run(["/bin/sh", "-c", command], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          env=env)
    return done.returncode, done.stdout.decode("utf-8", "replace")


def unpadded(text):
    """`text` without the blanks at the end of each line."""
    return "".join(re.sub(r"[ \t]+(\n?)$", r"\1", line) for line in text.splitlines(True))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    ap.add_argument("pages", nargs="+")
    a = ap.parse_args()
    root = Path(a.source_root).resolve()
    shared = (root / ".." / "shared" / "corpus").is_dir()
    passed = failed = skipped = 0
    with tempfile.TemporaryDirectory() as bindir:
        os.symlink(Path(a.tarsier).resolve(), Path(bindir) / "tarsier")
        for name in a.pages:
            page = root / "man" / name
            try:
                found = examples(page.read_text(encoding="utf-8"), name)
            except (Malformed, ValueError) as e:
                print(f"malformed example: {e}")
                return 2
            for kind, where, commands in found:
                status = None
                for command, expected in commands:
                    if command == "echo $?":
                        if status is None:
                            continue  # the command before it was skipped
                        if f"{status}\n" != expected:
                            failed += 1
                            print(f"FAIL {where}: $ echo $? shows {expected!r}, the command exited {status}")
                        else:
                            passed += 1
                        continue
                    if "../shared" in command and not shared:
                        skipped += 1
                        status = None
                        print(f"skip {where}: $ {command} (no ../shared/corpus)")
                        continue
                    want_status = 0
                    if kind == "commands":
                        m = EXIT_COMMENT.search(command)
                        want_status = int(m.group(1)) if m else 0
                    status, got = run(command, root, bindir)
                    if kind == "commands":
                        ok = status == want_status
                        if not ok:
                            print(f"FAIL {where}: $ {command} exited {status}, not {want_status}\n{got}")
                    else:
                        prefix = expected.endswith("...\n") and (expected == "...\n" or expected.endswith("\n...\n"))
                        shown = expected[:-4] if prefix else expected
                        got, shown = unpadded(got), unpadded(shown)
                        ok = got.startswith(shown) if prefix else got == shown
                        if not ok:
                            print(f"FAIL {where}: $ {command} (exit {status})")
                            sys.stdout.writelines(difflib.unified_diff(shown.splitlines(True), got.splitlines(True),
                                                                       name, "actual output"))
                        # A session command's status is checked by the "$ echo $?" after it;
                        # without one it must be 0.
                        nxt = commands[commands.index((command, expected)) + 1:][:1]
                        if ok and status != 0 and not (nxt and nxt[0][0] == "echo $?"):
                            ok = False
                            print(f"FAIL {where}: $ {command} exited {status} and no '$ echo $?' shows it")
                    if ok:
                        passed += 1
                        print(f"ok   {where}: $ {command}")
                    else:
                        failed += 1
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    if failed:
        return 1
    return 77 if passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
