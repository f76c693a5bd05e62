#!/usr/bin/env python3
"""`meson install --destdir` puts tarsier where a packager expects it.

Installs the build into a fresh temporary DESTDIR (no root needed: nothing is written
outside it but Meson's own log in the build directory) and checks that it holds: the
binary (which runs), every page of man/ (byte for byte; the list is read from the source
tree when the test runs, so a page someone adds is checked too), and the bash, zsh and fish
completions at the standard places under the prefix, each what `tarsier completion SHELL`
prints.

Usage: install_check.py --meson MESON --build-root DIR --source-root DIR --prefix P
       --bindir D --mandir D --datadir D
Exit status: 0 all installed, 1 something is missing or different, 77 no meson.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def main():
    ap = argparse.ArgumentParser()
    for name in ("meson", "build-root", "source-root", "prefix", "bindir", "mandir", "datadir"):
        ap.add_argument("--" + name, required=True)
    a = ap.parse_args()
    meson = shutil.which(a.meson) or a.meson
    if not Path(meson).exists():
        print(f"install_check: {a.meson} not found: skipped")
        return 77
    problems = []
    with tempfile.TemporaryDirectory(prefix="tarsier-install.") as tmp:
        dest = Path(tmp) / "root"
        done = subprocess.run([meson, "install", "-C", a.build_root, "--no-rebuild", "--quiet", "--destdir", str(dest)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(f"FAIL meson install exited {done.returncode}:\n{done.stdout}{done.stderr}")
            return 1

        def under(*parts):
            prefix = Path(a.prefix)
            return dest / prefix.relative_to(prefix.anchor) / Path(*parts)

        binary = under(a.bindir, "tarsier")
        if not os.access(binary, os.X_OK):
            problems.append(f"{binary}: not installed or not executable")
            print("\n".join(f"FAIL {p}" for p in problems))
            return 1
        version = subprocess.run([binary, "--version"], capture_output=True, text=True)
        if version.returncode != 0 or not version.stdout.startswith("tarsier "):
            problems.append(f"installed tarsier --version: exit {version.returncode}: {version.stdout!r}")
        pages = sorted(p for p in (Path(a.source_root) / "man").iterdir() if p.suffix in {f".{n}" for n in range(1, 9)})
        if not pages:
            problems.append("man/ has no page")
        for page in pages:
            got = under(a.mandir, "man" + page.suffix[1:], page.name)
            if not got.is_file():
                problems.append(f"{page.name}: not installed at {got}")
            elif got.read_bytes() != page.read_bytes():
                problems.append(f"{got}: differs from man/{page.name}")
        completions = {
            "bash": under(a.datadir, "bash-completion", "completions", "tarsier"),
            "zsh": under(a.datadir, "zsh", "site-functions", "_tarsier"),
            "fish": under(a.datadir, "fish", "vendor_completions.d", "tarsier.fish"),
        }
        for shell, path in completions.items():
            expected = subprocess.run([binary, "completion", shell], capture_output=True, text=True, check=True).stdout
            if not path.is_file():
                problems.append(f"{shell} completion: not installed at {path}")
            elif path.read_text(encoding="utf-8") != expected:
                problems.append(f"{path}: not what `tarsier completion {shell}` prints")
        installed = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    for p in problems:
        print(f"FAIL {p}")
    print(f"{len(installed)} files installed, {len(pages)} man pages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
