#!/usr/bin/env python3
"""Runs one golden CLI case and compares stdout, stderr and the exit status exactly.

usage: run_case.py --binary PATH --source-root DIR [--bless] CASES/NAME.case

NAME.case holds the arguments after `tarsier` on its first line (split like a POSIX
shell would, by shlex); `@SRC@` in an argument becomes the source root and `@SHARED@`
the shared corpus directory (<source root>/../shared). Later lines may say
`requires: shared` (skip when ../shared/corpus/real is absent); blank lines and lines
starting with '#' are ignored. Beside it: NAME.exit, and NAME.stdout and NAME.stderr
unless that output is empty (an absent file expects nothing; bless removes empty ones).

The binary runs with cwd = source root, stdin from /dev/null and a fixed environment
(TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1 COLUMNS=200). Before comparing, the source root and
shared directory are written back as @SRC@ and @SHARED@ in its output, so expected files
hold no machine's paths. With --bless (or TARSIER_BLESS=1) the expected files are
rewritten from this run instead.

exit status: 0 match (or blessed); 1 mismatch; 77 skipped; 99 the case or the set-up is
broken (Meson reports 77 as SKIP and 99 as ERROR).
"""
import argparse
import difflib
import os
import pathlib
import shlex
import subprocess
import sys

EXIT_MISMATCH = 1
EXIT_SKIP = 77
EXIT_BROKEN = 99

FIXED_ENV = {"TZ": "UTC", "LC_ALL": "C.UTF-8", "NO_COLOR": "1", "COLUMNS": "200"}
# Inherited so the binary can run at all (and sanitizers stay configurable); nothing
# else from the caller's environment reaches it.
PASSED_THROUGH = ("PATH", "HOME", "TMPDIR", "LD_LIBRARY_PATH", "MALLOC_PERTURB_",
                  "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "MSAN_OPTIONS")
KNOWN_REQUIREMENTS = {"shared"}


class BrokenCase(Exception):
    """The case file or the set-up is wrong, as opposed to the binary's output."""


def parse_case(path):
    """Returns (argument template list, set of requirements) from a .case file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise BrokenCase(f"{path}: {error.strerror}") from error
    if not lines or not lines[0].strip():
        raise BrokenCase(f"{path}:1: the first line must hold the arguments after 'tarsier'")
    try:
        arguments = shlex.split(lines[0])
    except ValueError as error:
        raise BrokenCase(f"{path}:1: {error}") from error
    requirements = set()
    for number, line in enumerate(lines[1:], start=2):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(":")
        if key.strip() != "requires" or value.strip() not in KNOWN_REQUIREMENTS:
            raise BrokenCase(f"{path}:{number}: expected 'requires: shared', got {line!r}")
        requirements.add(value.strip())
    return arguments, requirements


def path_replacements(source_root, shared):
    """(bytes in output, placeholder) pairs, longest first so no path eats another."""
    pairs = {}
    for placeholder, path in (("@SHARED@", shared), ("@SRC@", source_root)):
        for form in {str(path), os.path.realpath(path)}:
            pairs.setdefault(os.fsencode(form), placeholder.encode())
    pairs.setdefault(os.fsencode(os.path.join(source_root, "..", "shared")), b"@SHARED@")
    return sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True)


def normalise(data, replacements):
    for found, placeholder in replacements:
        data = data.replace(found, placeholder)
    return data


def show_diff(label, expected, actual):
    """Prints a unified diff of two byte strings, decoded leniently for display."""
    def lines(data):
        return data.decode("utf-8", errors="backslashreplace").splitlines(keepends=True)
    diff = difflib.unified_diff(lines(expected), lines(actual),
                                f"expected {label}", f"actual {label}")
    for line in diff:
        sys.stdout.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")


def run(args):
    case = pathlib.Path(args.case).resolve()
    if case.suffix != ".case":
        raise BrokenCase(f"{case}: not a .case file")
    source_root = os.path.abspath(args.source_root)
    shared = os.path.normpath(os.path.join(source_root, "..", "shared"))
    templates, requirements = parse_case(case)

    if "shared" in requirements and not os.path.isdir(os.path.join(shared, "corpus", "real")):
        print(f"skipped: {case.stem} requires {shared}/corpus/real")
        return EXIT_SKIP

    argv = [os.path.abspath(args.binary)]
    argv += [t.replace("@SHARED@", shared).replace("@SRC@", source_root) for t in templates]
    env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
    env.update(FIXED_ENV)
    print("$ " + shlex.join(["tarsier"] + argv[1:]))
    try:
        done = subprocess.run(argv, cwd=source_root, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, check=False)
    except OSError as error:
        raise BrokenCase(f"{argv[0]}: {error.strerror}") from error

    replacements = path_replacements(source_root, shared)
    actual = {
        "stdout": normalise(done.stdout, replacements),
        "stderr": normalise(done.stderr, replacements),
        "exit": f"{done.returncode}\n".encode(),
    }
    expected_paths = {kind: case.with_suffix("." + kind) for kind in actual}

    if args.bless:
        for kind, path in expected_paths.items():
            old = path.read_bytes() if path.exists() else b""
            if old != actual[kind]:
                show_diff(path.name, old, actual[kind])
            if actual[kind] or kind == "exit":
                if old != actual[kind] or not path.exists():
                    path.write_bytes(actual[kind])
            elif path.exists():
                path.unlink()  # empty output is kept as no file
        print(f"blessed: {case.stem} (exit {done.returncode}); check the output by hand")
        return 0

    mismatches = []
    for kind, path in expected_paths.items():
        if not path.exists() and kind == "exit":
            print(f"missing {path.name}: write it with --bless, then check it by hand")
            mismatches.append(kind)
            continue
        expected = path.read_bytes() if path.exists() else b""
        if expected != actual[kind]:
            show_diff(path.name, expected, actual[kind])
            mismatches.append(kind)
    if mismatches:
        print(f"FAILED: {case.stem}: {', '.join(mismatches)} differ"
              f" (re-bless with tests/cli/bless.sh {case.stem} once the new output is right)")
        return EXIT_MISMATCH
    print(f"ok: {case.stem}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True, help="the tarsier executable")
    parser.add_argument("--source-root", required=True, help="the repository's top directory")
    parser.add_argument("--bless", action="store_true",
                        default=os.environ.get("TARSIER_BLESS") == "1",
                        help="rewrite the expected files from this run")
    parser.add_argument("case", help="path to cases/<name>.case")
    args = parser.parse_args()
    try:
        return run(args)
    except BrokenCase as error:
        print(f"run_case.py: error: {error}", file=sys.stderr)
        return EXIT_BROKEN


if __name__ == "__main__":
    sys.exit(main())
