#!/usr/bin/env python3
"""The shell completion that `tarsier completion SHELL` prints (and meson install installs).

1. Coverage: every command that `tarsier --help` lists and every option that
   `tarsier CMD --help` prints (both read when the test runs, so commands and options added
   later are checked too) is in the script, in that command's part of it; and each value
   that a command's --format help names ("output: text ..., json, junit") is offered for
   its --format.
2. Behaviour: bash and fish complete for real. bash: the script sourced in `bash -c`, with
   COMP_WORDS and COMP_CWORD set as readline sets them, without and then with
   bash-completion's helpers loaded (when installed); fish: `complete -C LINE`. The cases
   cover a command name, an option name, --format values, a severity, a platform, a file
   name and `help COMMAND`. zsh: the script parses (zsh -n), compinit binds it to
   tarsier, and an interactive zsh in a pseudo-terminal (zsh -f -i, compinit, the script
   on its fpath) completes each case whose answer is one word when TAB is typed: the line
   it redraws must end with that word (cases with several answers list them instead, which
   is not read back).

Usage: completions.py --tarsier BIN --source-root DIR bash|zsh|fish
Exit status: 0 pass, 1 fail, 77 the shell is not installed.
"""
import argparse
import os
import re
import select
import time
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "docs"))
from man_options import commands, help_text, options  # noqa: E402  (the same reading of --help)

# (command line being completed, the word at the cursor last; words the shell must offer;
# whether the offer must be exactly those)
CASES = [
    (["tarsier", "ve"], {"verify"}, True),
    (["tarsier", "verify", "--for"], {"--format"}, True),
    (["tarsier", "verify", "--format", ""], {"text", "table", "json", "junit"}, True),
    (["tarsier", "audit", "--fail-on", "h"], {"high"}, True),
    (["tarsier", "ls", "--platform", "linux/arm"], {"linux/arm64", "linux/arm/v7"}, False),
    (["tarsier", "ls", "testdata/skopeo-oci-g"], {"testdata/skopeo-oci-gzip.tar"}, True),
    (["tarsier", "help", "ve"], {"verify"}, True),
    (["tarsier", "completion", "f"], {"fish"}, True),
]


def format_values(help_output):
    """The values the --format line of a --help names: "output: text (default; ...), json"."""
    for line in help_output.splitlines():
        m = re.match(r"\s+--format\s+\S+\s+output:\s*(.*)", line)
        if m:
            text = re.sub(r"\([^)]*\)", "", m.group(1))
            return {w.strip() for w in text.split(",") if re.fullmatch(r"\s*[a-z0-9-]+\s*", w)}
    return set()


def block(script, shell, command):
    """The part of the script that completes `command`'s arguments."""
    if shell == "fish":
        return "\n".join(l for l in script.splitlines() if f"__fish_seen_subcommand_from {command}'" in l)
    indent = " " * (8 if shell == "bash" else 16)
    m = re.search(rf"^{indent}{re.escape(command)}\)\n(.*?)^{indent}    ;;", script, re.M | re.S)
    return m.group(1) if m else ""


def has_option(text, shell, option):
    if shell == "fish":
        flag = f"-l {option[2:]}" if option.startswith("--") else f"-s {option[1:]}"
        return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text) is not None
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def offered_formats(text, shell):
    pattern = {"bash": r"--format\) COMPREPLY=\(\$\(compgen -W '([^']*)'",
               "zsh": r"--format\[[^\]]*\]:[^:]*:\(([^)]*)\)",
               "fish": r"-l format -x -a '([^']*)'"}[shell]
    m = re.search(pattern, text)
    return set(m.group(1).split()) if m else set()


def coverage(tarsier, shell, script):
    problems, checked = [], 0
    names = commands(tarsier)
    for name in names:
        text = block(script, shell, name)
        if not text:
            problems.append(f"no part for the command {name}")
            continue
        out = help_text(tarsier, name)
        for option in options(out):
            checked += 1
            if not has_option(text, shell, option):
                problems.append(f"tarsier {name}: {option} is not completed")
        want = format_values(out)
        if want and not want <= offered_formats(text, shell):
            problems.append(f"tarsier {name} --format: offers {sorted(offered_formats(text, shell))}, --help names {sorted(want)}")
    return problems, f"{len(names)} commands, {checked} options"


def bash_complete(script_path, words, source_root, helpers):
    line = " ".join(words)
    prelude = "source /usr/share/bash-completion/bash_completion\n" if helpers else ""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    program = (f"{prelude}source '{script_path}'\nCOMP_WORDS=({quoted})\nCOMP_CWORD={len(words) - 1}\n"
               f"COMP_LINE='{line}'\nCOMP_POINT={len(line)}\n_tarsier\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], capture_output=True, text=True,
                          cwd=source_root)
    return done.returncode, set(filter(None, done.stdout.splitlines())), done.stderr


def fish_complete(script_path, words, source_root):
    line = " ".join(words).replace("\\", "\\\\").replace("'", "\\'")
    done = subprocess.run(["fish", "--no-config", "-c", f"source '{script_path}'; complete -C '{line}'"],
                          capture_output=True, text=True, cwd=source_root)
    return done.returncode, {l.split("\t")[0] for l in done.stdout.splitlines() if l}, done.stderr


def zsh_interactive(fdir, source_root):
    """Types each one-answer case and TAB into an interactive zsh in a pseudo-terminal."""
    import pty
    try:
        pid, fd = pty.fork()
    except OSError as e:
        print(f"completions: no pseudo-terminal ({e}): zsh not driven")
        return [], 0
    if pid == 0:
        os.chdir(source_root)
        os.environ["TERM"] = "dumb"
        os.execvp("zsh", ["zsh", "-f", "-i"])

    def read_until(needle, seconds):
        out, end = b"", time.monotonic() + seconds
        while time.monotonic() < end and needle not in out:
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    out += os.read(fd, 65536)
                except OSError:
                    break
        return out

    problems, runs = [], 0
    try:
        os.write(fd, f"PS1='%% '; fpath=('{fdir}' $fpath); autoload -Uz compinit; compinit -u -D; print ready\n".encode())
        read_until(b"ready\r\n", 20)
        for words, want, exact in CASES:
            if not exact or len(want) != 1:
                continue
            runs += 1
            line = " ".join(words[:-1]) + " " + next(iter(want))
            os.write(fd, b"\x15" + " ".join(words).encode() + b"\t")  # ^U clears the line first
            out = read_until(line.encode(), 10)
            if line.encode() not in out:
                problems.append(f"zsh: {' '.join(words)!r} + TAB: want {line!r}, the terminal shows {out[-200:]!r}")
        os.write(fd, b"\x15exit\n")
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    return problems, runs


def behaviour(shell, script_path, source_root, tmp):
    problems, runs = [], 0
    if shell == "zsh":
        if subprocess.run(["zsh", "-n", script_path]).returncode != 0:
            return ["zsh -n: the script does not parse"], 0
        fdir = Path(tmp) / "functions"
        fdir.mkdir()
        shutil.copy(script_path, fdir / "_tarsier")
        done = subprocess.run(["zsh", "-f", "-c", f"fpath=('{fdir}' $fpath); autoload -Uz compinit; "
                               f"compinit -u -d '{tmp}/zcompdump'; print -r -- ${{_comps[tarsier]}}"],
                              capture_output=True, text=True)
        if done.stdout.strip() != "_tarsier":
            problems.append(f"compinit does not bind _tarsier to tarsier: {done.stdout!r} {done.stderr!r}")
        more, runs = zsh_interactive(fdir, source_root)
        return problems + more, runs + 1
    variants = [False, True] if shell == "bash" and Path("/usr/share/bash-completion/bash_completion").exists() else [False]
    for helpers in variants:
        for words, want, exact in CASES:
            runs += 1
            if shell == "bash":
                rc, got, err = bash_complete(script_path, words, source_root, helpers)
            else:
                rc, got, err = fish_complete(script_path, words, source_root)
            ok = rc == 0 and (got == want if exact else want <= got)
            if not ok:
                how = " (with bash-completion)" if helpers else ""
                problems.append(f"{' '.join(words)!r}{how}: offered {sorted(got)}, want {sorted(want)}; exit {rc} {err.strip()}")
    return problems, runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    ap.add_argument("shell", choices=["bash", "zsh", "fish"])
    a = ap.parse_args()
    if not shutil.which(a.shell):
        print(f"completions: {a.shell} is not installed: skipped")
        return 77
    script = subprocess.run([a.tarsier, "completion", a.shell], capture_output=True, text=True, check=True).stdout
    problems, what = coverage(a.tarsier, a.shell, script)
    with tempfile.TemporaryDirectory(prefix="tarsier-completion.") as tmp:
        path = Path(tmp) / ("tarsier." + a.shell)
        path.write_text(script, encoding="utf-8")
        more, runs = behaviour(a.shell, str(path), a.source_root, tmp)
    problems += more
    for p in problems:
        print(f"FAIL {p}")
    print(f"{a.shell}: {what} checked, {runs} completions run, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
