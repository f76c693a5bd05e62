#!/usr/bin/env python3
"""Every option a command prints in `tarsier CMD --help` is named in its manual page.

The commands come from `tarsier --help` (its Subcommands list) and their options from
`tarsier CMD --help` (each "-x" and "--long" at the start of an Options line), both read
when the test runs, so a new or renamed option fails here until its page names it. A page
names an option when its text (roff escapes read back) holds it as a whole word: in the
OPTIONS section or in the sentence that points to COMMON OPTIONS in tarsier(1). The
other way round, each option that an OPTIONS entry of a page (a .TP tag) names must be
one the command's --help prints, so a removed option cannot stay documented. And the
SYNOPSIS of tarsier(1) must name every command.

Usage: man_options.py --tarsier BIN --source-root DIR
Exit status: 0 every option documented, 1 one is not (each is printed).
"""
import argparse
import re
import subprocess
import sys
from pathlib import Path

import roff

OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][A-Za-z0-9-]*)")


def help_text(tarsier, *args):
    done = subprocess.run([tarsier, *args, "--help"], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    if done.returncode != 0:
        sys.exit(f"man_options: tarsier {' '.join(args)} --help exited {done.returncode}: {done.stderr}")
    return done.stdout


def commands(tarsier):
    """The command names of `tarsier --help` (the first name of each, not its aliases)."""
    out, inside = [], False
    for line in help_text(tarsier).splitlines():
        if line.strip() == "Subcommands:":
            inside = True
        elif inside and line.startswith("  ") and line.strip():
            out.append(line.split()[0].rstrip(","))
        elif inside and not line.strip():
            inside = False
    return out


def options(help_output):
    """The options at the start of each line of the Options section ("-h", "--help", ...)."""
    out, inside = [], False
    for line in help_output.splitlines():
        if line.strip() == "Options:":
            inside = True
            continue
        if inside and line and not line.startswith(" "):
            inside = False
        m = re.match(r"\s+(-[^\s]+)", line) if inside else None
        if m:
            out += [o for o in m.group(1).split(",") if o.startswith("-")]
    return out


def page_text(path):
    return "".join(roff.text(l) for l in path.read_text(encoding="utf-8").splitlines(True) if not l.startswith('.\\"'))


def tagged_options(path):
    """Options named by the .TP tags of the OPTIONS section of a page."""
    lines = roff.sections(path.read_text(encoding="utf-8")).get("OPTIONS", [])
    out = set()
    for i, line in enumerate(lines[:-1]):
        if line.startswith(".TP"):
            out |= set(OPTION.findall(roff.text(lines[i + 1])))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    a = ap.parse_args()
    man = Path(a.source_root) / "man"
    problems = []
    names = commands(a.tarsier)
    if not names:
        sys.exit("man_options: tarsier --help lists no command")
    synopsis = "".join(roff.text(l) for l in roff.sections((man / "tarsier.1").read_text(encoding="utf-8"))["SYNOPSIS"])
    checked = 0
    for name in names:
        if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", synopsis):
            problems.append(f"tarsier.1: SYNOPSIS does not name the command {name}")
        page = man / f"tarsier-{name}.1"
        if not page.exists():
            problems.append(f"{page.name}: no page for the command {name}")
            continue
        text = page_text(page)
        wanted = options(help_text(a.tarsier, name))
        for option in wanted:
            checked += 1
            if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text):
                problems.append(f"{page.name}: `tarsier {name} --help` prints {option}, the page does not name it")
        for option in sorted(tagged_options(page) - set(wanted)):
            problems.append(f"{page.name}: OPTIONS documents {option}, which `tarsier {name} --help` does not print")
    for p in problems:
        print(f"FAIL {p}")
    print(f"{len(names)} commands, {checked} options checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
