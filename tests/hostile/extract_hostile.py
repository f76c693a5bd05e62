#!/usr/bin/env python3
"""`tarsier extract` against hostile layers: nothing may be written outside the target.

    extract_hostile.py --list                                  # the test names, one a line
    extract_hostile.py --tarsier EXE --source-root DIR NAME    # one test: exit 0 pass, 1 fail, 77 skip

Each case builds its archive at test time (with testdata/hostile/make-hostile.py's
helpers) into a fresh temporary directory PARENT that also holds a victim directory
(PARENT/victim, with a file in it) and the target PARENT/d1/d2/d3/out, deep enough that a
name or link climbing four levels lands in PARENT. Absolute link targets name
PARENT/victim, so that a write through one would land in the watched tree, not in the
system's /etc. tarsier extract runs twice, in fresh directories: on the layers as they
are, and gzip-compressed (extract then stages each layer's files as it indexes it, in a
private directory of the target, and moves them into place); each time:

  * the whole PARENT tree outside the target is byte-for-byte what it was (names, types,
    modes, sizes, mtimes, link targets, contents);
  * the exit status and a stderr line are the ones documented in tarsier-extract(1)
    (EXIT STATUS) and SECURITY.md;
  * stdout and stderr carry no raw control bytes and are valid UTF-8;
  * the case's own check of what landed inside the target holds, and nothing of the
    staging directory is left in it.
"""
import argparse
import gzip
import hashlib
import importlib.util
import os
import pathlib
import re
import shutil
import stat
import subprocess
import sys
import tempfile

GiB = 1 << 30


def load_maker(root):
    spec = importlib.util.spec_from_file_location("make_hostile", root / "testdata/hostile/make-hostile.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    return mk


def snapshot(parent, skip):
    """Everything below `parent` except `skip` and what is below it."""
    out = {}
    for d, dirs, files in os.walk(parent):
        if os.path.abspath(d) == skip:
            dirs[:] = []
            continue
        for name in dirs + files:
            full = os.path.join(d, name)
            if os.path.abspath(full) == skip:
                continue
            st = os.lstat(full)
            # The target's parent gets the target as a new entry: its mtime moves, nothing else.
            mtime = None if os.path.abspath(full) == os.path.dirname(skip) else st.st_mtime_ns
            e = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_size, mtime)
            if stat.S_ISLNK(st.st_mode):
                e += (os.readlink(full),)
            elif stat.S_ISREG(st.st_mode):
                with open(full, "rb") as f:
                    e += (hashlib.sha256(f.read()).hexdigest(),)
            out[os.path.relpath(full, parent)] = e
    return out


# Each case: (layers(mk, victim) -> list of layer tars, expected exit, stderr regex, check(out) -> [problems], options)
def climbing_names(mk, victim):
    F = mk.F
    return [mk.layer_tar([F("inside", b"ok\n"), F("../../../../climb-rel", b"x\n"), F("a/../../../../../climb-mid", b"x\n"),
                          F("/../../../../climb-abs", b"x\n")])]


def climbing_hardlinks(mk, victim):
    F = mk.F
    return [mk.layer_tar([F("inside", b"ok\n"), F("h-rel", type="1", link="../../../../victim/file"),
                          F("h-abs", type="1", link=victim + "/file")])]


def tar_slip_lower_link(mk, victim):
    F = mk.F
    l0 = mk.layer_tar([F("escape", type="2", link="../../../../victim"), F("abs", type="2", link=victim)])
    l1 = mk.layer_tar([F("escape/pwned", b"slip\n"), F("abs/pwned", b"slip\n")])
    return [l0, l1]


def absolute_symlinks(mk, victim):
    F = mk.F
    return [mk.layer_tar([F("abs", type="2", link=victim), F("abs/pwned", b"x\n"), F("file-link", type="2", link=victim + "/file"),
                          F("rel", type="2", link="../../../../victim"), F("rel/pwned", b"x\n")])]


def symlink_replaces_dir(mk, victim):
    F = mk.F
    l0 = mk.layer_tar([F("d", type="5"), F("d/f", b"lower\n")])
    l1 = mk.layer_tar([F("d", type="2", link=victim)])
    l2 = mk.layer_tar([F("d/pwned", b"x\n")])
    return [l0, l1, l2]


def whiteout_of_root(mk, victim):
    F = mk.F
    l0 = mk.layer_tar([F("keep", b"lower\n"), F("a", type="5"), F("a/b", b"lower\n")])
    l1 = mk.layer_tar([F(".wh..wh..opq"), F("a/.wh..."), F(".wh.."), F(".wh."), F("new", b"upper\n")])
    return [l0, l1]


def path_through_file(mk, victim):
    F = mk.F
    return [mk.layer_tar([F("f", b"a file\n"), F("f/g", b"below a file\n")])]


def odd_names(mk, victim):
    F = mk.F
    return [mk.layer_tar([F("esc\x1b]0;title\x07\x1b[31mred", b"x\n"), F("bad-\udcff\udcfe-utf8", b"x\n"),
                          F("nl\nname\rcr", b"x\n"), F("c1-\u009b-csi", b"x\n")])]


def sparse_10g(mk, victim, tmp):
    """A PAX sparse entry of 10 GiB with no data (GNU tar --sparse of a file that is one hole)."""
    if not shutil.which("tar"):
        return None
    src = os.path.join(tmp, "sparse-src")
    os.makedirs(src)
    with open(os.path.join(src, "zeros"), "wb") as f:
        f.truncate(10 * GiB)
    layer = os.path.join(tmp, "sparse-layer.tar")
    subprocess.run(["tar", "--sparse", "--format=posix", "--numeric-owner", "--owner=0", "--group=0",
                    "--mtime=@1700000000", "-cf", layer, "-C", src, "zeros"], check=True)
    shutil.rmtree(src)
    data = pathlib.Path(layer).read_bytes()
    os.unlink(layer)
    return [data]


def check_sparse(out):
    st = os.lstat(os.path.join(out, "zeros"))
    problems = []
    if st.st_size != 10 * GiB:
        problems.append(f"zeros: size {st.st_size}, not 10 GiB")
    if st.st_blocks * 512 > 64 << 20:
        problems.append(f"zeros: {st.st_blocks * 512} bytes on disk: the zeros were written, not left as holes")
    return problems


def lands_inside(*paths):
    def check(out):
        return [f"{p}: missing inside the target" for p in paths if not os.path.lexists(os.path.join(out, p))]
    return check


def absent(*paths):
    def check(out):
        return [f"{p}: written" for p in paths if os.path.lexists(os.path.join(out, p))]
    return check


def both(*checks):
    return lambda out: [p for c in checks for p in c(out)]


def prepared_symlink(out, victim):
    """--force into a target that already holds a symlink to the victim."""
    os.makedirs(out)
    os.symlink(victim, os.path.join(out, "etc"))


def symlink_in_target(mk, victim):
    F = mk.F
    return [mk.layer_tar([F("etc/passwd", b"root::0:0::/:/bin/sh\n"), F("ok", b"fine\n")])]


def not_empty(mk, victim):
    return [mk.layer_tar([mk.F("x", b"x\n")])]


def occupied(out, victim):
    os.makedirs(out)
    pathlib.Path(out, "mine").write_text("the user's\n")


def names_the_archive(mk, victim):
    F = mk.F
    return [mk.layer_tar([F("image.tar", b"not the archive\n"), F("ok", b"fine\n")])]


def archive_in_target(out, victim):
    """--force into a target that holds the archive being read (a hardlink to it)."""
    os.makedirs(out)
    os.link(os.path.join(out, "..", "..", "..", "..", "image.tar"), os.path.join(out, "image.tar"))


def archive_kept(out):
    kept = os.path.join(out, "image.tar")
    archive = os.path.join(out, "..", "..", "..", "..", "image.tar")
    return [] if os.path.samefile(kept, archive) else ["image.tar in the target was replaced"]


CASES = {
    # name: (layers, exit, stderr regex, check, extra args, prepare)
    "extract-climbing-names": (climbing_names, 1, r"leaves the root; not written", both(lands_inside("inside"), absent("climb-rel")), [], None),
    "extract-climbing-hardlinks": (climbing_hardlinks, 1, r"hardlink to '.*', which is not there; not written",
                                   both(lands_inside("inside"), absent("h-rel", "h-abs")), [], None),
    "extract-tar-slip-lower-link": (tar_slip_lower_link, 0, "", lands_inside("escape", "abs", "victim/pwned"), [], None),
    "extract-absolute-symlinks": (absolute_symlinks, 0, "", lands_inside("abs", "file-link", "rel", "victim/pwned"), [], None),
    "extract-symlink-replaces-dir": (symlink_replaces_dir, 0, "", both(lands_inside("d"), absent("d/f")), [], None),
    "extract-whiteout-of-root": (whiteout_of_root, 0, "", lands_inside("new"), [], None),
    "extract-path-through-file": (path_through_file, 1, r"/f/g: refused: a non-directory is in the path", lands_inside("f"), [], None),
    "extract-control-and-invalid-utf8-names": (odd_names, 0, "", lambda out: [] if len(os.listdir(out)) == 4 else [f"{os.listdir(out)}: not 4 names"], [], None),
    "extract-sparse-10g": (sparse_10g, 0, "", check_sparse, [], None),
    "extract-force-symlink-in-target": (symlink_in_target, 1, r"/etc/passwd: refused: a symlink is in the path \(not followed\)",
                                        lands_inside("ok"), ["--force"], prepared_symlink),
    "extract-target-not-empty": (not_empty, 2, r"the target directory is not empty", absent("x"), [], occupied),
    "extract-force-archive-in-target": (names_the_archive, 1, r"/image.tar: refused: it is the archive being read",
                                        both(lands_inside("ok"), archive_kept), ["--force"], archive_in_target),
}

RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def run_case(name, tarsier, root):
    """Runs the case with its layers stored as they are, then gzip-compressed (extract then
    stages each layer's files as it indexes it, and moves them into place)."""
    worst = 0
    for compress in (False, True):
        status = run_variant(name, tarsier, root, compress)
        if status == 77:
            return 77
        worst = max(worst, status)
    return worst


def run_variant(name, tarsier, root, compress):
    layers_of, want_exit, regex, check, extra, prepare = CASES[name]
    mk = load_maker(root)
    print(f"-- layers {'gzip-compressed' if compress else 'stored as they are'}")
    tmp = tempfile.mkdtemp(prefix="tarsier-extract-hostile.", dir=os.environ.get("TMPDIR", "/tmp"))
    try:
        parent = os.path.join(tmp, "parent")
        victim = os.path.join(parent, "victim")
        os.makedirs(victim)
        pathlib.Path(victim, "file").write_text("the victim's\n")
        out = os.path.join(parent, "d1", "d2", "d3", "out")
        os.makedirs(os.path.dirname(out))
        layers = layers_of(mk, victim, tmp) if layers_of is sparse_10g else layers_of(mk, victim)
        if layers is None:
            print("GNU tar is not installed: skipping")
            return 77
        if compress:
            layers = [gzip.compress(layer, mtime=0) for layer in layers]
        archive = os.path.join(parent, "image.tar")
        pathlib.Path(archive).write_bytes(mk.Docker(layers).tar())
        if prepare:
            prepare(out, victim)
        before = snapshot(parent, out)
        r = subprocess.run([tarsier, "extract", archive, "--to", out] + extra, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=300)
        after = snapshot(parent, out)
        problems = []
        for p in sorted(set(before) | set(after)):
            if before.get(p) != after.get(p):
                problems.append(f"OUTSIDE THE TARGET: {p}: {before.get(p)} -> {after.get(p)}")
        if r.returncode != want_exit:
            problems.append(f"exit {r.returncode}, expected {want_exit}")
        err = r.stderr.decode("utf-8", errors="replace")
        if regex and not re.search(regex, err):
            problems.append(f"stderr does not match {regex!r}")
        if not regex and want_exit == 0 and err.strip():
            problems.append("unexpected stderr")
        for what, data in (("stdout", r.stdout), ("stderr", r.stderr)):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                problems.append(f"{what} is not valid UTF-8")
            if RAW_CONTROL.search(data):
                problems.append(f"{what} has raw control bytes")
        if os.path.isdir(out):
            problems += check(out)
            left = [n for n in os.listdir(out) if n.startswith(".tarsier-staging")]
            if left:
                problems.append(f"staging left in the target: {left}")
        print(err, end="")
        for p in problems:
            print("FAIL: " + p)
        return 1 if problems else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--tarsier")
    ap.add_argument("--source-root", default=str(pathlib.Path(__file__).resolve().parents[2]))
    ap.add_argument("name", nargs="?")
    a = ap.parse_args()
    if a.list:
        print("\n".join(CASES))
        return 0
    return run_case(a.name, a.tarsier, pathlib.Path(a.source_root))


if __name__ == "__main__":
    sys.exit(main())
