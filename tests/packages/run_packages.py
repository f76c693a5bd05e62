#!/usr/bin/env python3
"""Tests of `tarsier packages`, each one function below, run by name:

    run_packages.py --tarsier build/src/cli/tarsier --source-root . corpus-images

What is expected comes from independent tools, never from tarsier's earlier output:
  corpus-images     ../shared/corpus/pkgdb/images/*.expected.json (apk, rpm and dpkg-deb
                    listings of every layer's merged rootfs, see SOURCES.md there): each
                    layer's packages and changes must be equal as sets, from the
                    docker-archive and the oci-archive alike.
  dpkg-layers       testdata/dpkg-layers (make-dpkg-layers.sh: real dpkg installs,
                    upgrades and removes tiny .debs in separate layers): every layer's list
                    equals `dpkg-query --admindir=<umoci unpack rootfs>/var/lib/dpkg -W`,
                    --verify-files equals `dpkg --verify` there, and every change and
                    finding is the one the script made in that layer.
  damaged-database  a status file that is not dpkg's format inside an image: a clear
                    problem naming the file, and the other layers still reported.
  stdin             the same image through a pipe (one pass over a stream).
  hardlinked-database  status and a .list stored as hardlinks to names the readers do not
                    want: read through the links (what the test wrote).
Exit 77 (skipped) when ../shared or a tool is absent.
"""
import argparse
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

ARGS = None
SKIP = 77


def skip(why):
    print("SKIP:", why)
    sys.exit(SKIP)


def tarsier(*args, stdin=None, check=True):
    p = subprocess.run([ARGS.tarsier, *args], input=stdin, capture_output=True)
    if check and p.returncode != 0:
        raise AssertionError(f"tarsier {' '.join(args)}: exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p


def packages_json(archive, layer=None, stdin=None):
    args = ["packages", archive, "--format", "json"]
    if layer is not None:
        args += ["--layer", str(layer)]
    return json.loads(tarsier(*args, stdin=stdin).stdout)


def change_sets(layer_json):
    """The JSON's changes of one layer as sets of tuples, spelled as expected.json spells them."""
    ch = layer_json["changes"]
    return {
        "installed": {(c["name"], c["arch"], c["version"]) for c in ch["installed"]},
        "upgraded": {(c["name"], c["arch"], c["oldVersion"], c["newVersion"]) for c in ch["upgraded"]},
        "downgraded": {(c["name"], c["arch"], c["oldVersion"], c["newVersion"]) for c in ch["downgraded"]},
        "removed": {(c["name"], c["arch"], c["version"]) for c in ch["removed"]},
    }


def expected_change_sets(ch):
    return {
        "installed": {(c["name"], c["arch"], c["version"]) for c in ch["installed"]},
        "upgraded": {(c["name"], c["arch"], c["old_version"], c["new_version"]) for c in ch["upgraded"]},
        "downgraded": {(c["name"], c["arch"], c["old_version"], c["new_version"]) for c in ch["downgraded"]},
        "removed": {(c["name"], c["arch"], c.get("old_version", c.get("version"))) for c in ch["removed"]},
    }


def package_tuple(manager, p):
    """What expected.json says of a package, as a tuple tarsier's JSON can be put in."""
    if manager == "dpkg":
        return (p["name"], p["version"], p["arch"], p["source"] or p["name"], p.get("status", "installed"))
    if manager == "apk":
        return (p["name"], p["version"], p["arch"], p["origin"], p["license"])
    return (p["name"], p["version"], p["arch"] if p["arch"] != "(none)" else "", p["license"])


def our_tuple(manager, p):
    if manager == "dpkg":
        return (p["name"], p["version"], p["arch"], p["source"], p["state"])
    if manager == "apk":
        return (p["name"], p["version"], p["arch"], p["source"], p["license"])
    return (p["name"], p["version"], p["arch"], p["license"])


def check_image(archive, expected, failures):
    manager = expected["package_manager"]
    for layer in expected["layers"]:
        n = layer["index"]
        got = packages_json(archive, n)
        want_pkgs = {package_tuple(manager, p) for p in layer["packages"]}
        got_pkgs = {our_tuple(manager, p) for p in got["packages"] if p["state"] in ("installed", "triggers-pending", "triggers-awaited")}
        where = f"{os.path.basename(archive)} layer {n}"
        if got_pkgs != want_pkgs:
            failures.append(f"{where}: packages differ: missing {sorted(want_pkgs - got_pkgs)[:5]}, "
                            f"extra {sorted(got_pkgs - want_pkgs)[:5]}")
        mine = got["layers"][n]
        if mine["createdBy"] != layer["created_by"]:
            failures.append(f"{where}: createdBy {mine['createdBy']!r} != {layer['created_by']!r}")
        got_ch, want_ch = change_sets(mine), expected_change_sets(layer["changes"])
        for kind in want_ch:
            if got_ch[kind] != want_ch[kind]:
                failures.append(f"{where}: {kind}: got {sorted(got_ch[kind])[:5]}, expected {sorted(want_ch[kind])[:5]}")
        if mine["changes"]["changed"]:
            failures.append(f"{where}: unexpected 'changed': {mine['changes']['changed'][:3]}")
        for p in got["packages"]:
            last = p["lastChangedIn"]
            changed_there = any(c[0] == p["name"] for k in ("installed", "upgraded", "downgraded")
                                for c in change_sets(got["layers"][last])[k])
            if not changed_there:
                failures.append(f"{where}: {p['name']} last changed in layer {last}, which did not change it")


def test_corpus_images():
    root = os.path.join(ARGS.source_root, "..", "shared", "corpus", "pkgdb", "images")
    if not os.path.isdir(root):
        skip(f"{root} is absent")
    failures = []
    names = sorted(f[: -len(".expected.json")] for f in os.listdir(root) if f.endswith(".expected.json"))
    assert names, "no expected.json in " + root
    for name in names:
        with open(os.path.join(root, name + ".expected.json")) as f:
            expected = json.load(f)
        for fmt in ("docker", "oci"):
            check_image(os.path.join(root, f"{name}.{fmt}.tar"), expected, failures)
    return failures


def dpkg_query_list(admindir):
    out = subprocess.run(["dpkg-query", "--admindir", admindir, "-W", "-f",
                          "${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\n"],
                         capture_output=True, text=True, check=True).stdout
    return {tuple(line.split("\t")[1:]) for line in out.splitlines() if line.startswith("ii")}


def dpkg_verify(rootfs):
    """dpkg --verify on an unpacked rootfs: ("modified" | "missing", path without '/')."""
    out = subprocess.run(["dpkg", "--admindir", os.path.join(rootfs, "var", "lib", "dpkg"), "--instdir", rootfs,
                          "--verify"], capture_output=True, text=True).stdout
    found = []
    for line in out.splitlines():
        flags, path = line[:9], line.split()[-1].lstrip("/")
        found.append(("missing" if flags.startswith("missing") else "modified", path))
    return sorted(found)


def test_dpkg_layers():
    for tool in ("dpkg-query", "dpkg", "umoci"):
        if not shutil.which(tool):
            skip(f"{tool} is absent")
    here = os.path.join(ARGS.source_root, "testdata", "dpkg-layers")
    with open(os.path.join(here, "layers.json")) as f:
        made = json.load(f)  # what make-dpkg-layers.sh did in each layer
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, step in enumerate(made["layers"]):
            bundle = os.path.join(tmp, f"b{n}")
            subprocess.run(["umoci", "unpack", "--rootless", "--image", f"{here}/oci:{step['tag']}", bundle],
                           check=True, capture_output=True)
            want = dpkg_query_list(os.path.join(bundle, "rootfs", "var", "lib", "dpkg"))
            want_verify = dpkg_verify(os.path.join(bundle, "rootfs"))
            shutil.rmtree(bundle, ignore_errors=True)
            for archive in (os.path.join(here, "oci"), os.path.join(here, "dpkg-layers.docker.tar")):
                sel = [archive] if archive.endswith(".tar") else [archive, step["image"]]
                got = json.loads(tarsier("packages", *sel, "--layer", str(n), "--format", "json").stdout)
                have = {(p["name"], p["version"], p["arch"]) for p in got["packages"] if p["state"] == "installed"}
                where = f"{os.path.basename(archive)} layer {n}"
                if have != want:
                    failures.append(f"{where}: tarsier {sorted(have)} != dpkg-query {sorted(want)}")
                ch = change_sets(got["layers"][n])
                for kind in ("installed", "upgraded", "downgraded", "removed"):
                    names = sorted(c[0] for c in ch[kind])
                    if names != sorted(step.get(kind, [])):
                        failures.append(f"{where}: {kind} {names} != {sorted(step.get(kind, []))} (what the script did)")
                got_verify = json.loads(tarsier("packages", *sel, "--layer", str(n), "--verify-files", "--format", "json",
                                                check=False).stdout)["verifyFiles"]
                got_verify = sorted((c["outcome"], c["path"]) for c in got_verify)
                if got_verify != want_verify:
                    failures.append(f"{where}: --verify-files {got_verify} != dpkg --verify {want_verify}")
                findings = sorted([f["code"], f["package"], p] for f in got["findings"] if f["layer"] == n for p in f["items"])
                if findings != sorted(step.get("findings", [])):
                    failures.append(f"{where}: findings {findings} != {step.get('findings', [])} (what the script did)")
    return failures


def layer_tar(files, links=None):
    """A layer of `files` (name -> bytes), then hardlinks (name -> an earlier name), as tar
    stores them."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1700000000
            t.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.LNKTYPE
            info.linkname = target
            info.mtime = 1700000000
            t.addfile(info)
    return buf.getvalue()


def docker_archive(layers):
    """A docker-save archive written with Python's tarfile (independent of tarsier)."""
    import hashlib
    diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": diff_ids},
                         "history": [{"created_by": f"RUN step {i}"} for i in range(len(layers))]}).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    files = {f"layer{i}.tar": l for i, l in enumerate(layers)}
    files[config_name] = config
    files["manifest.json"] = json.dumps([{"Config": config_name, "RepoTags": ["test/damaged:1"],
                                          "Layers": [f"layer{i}.tar" for i in range(len(layers))]}]).encode()
    return layer_tar(files)


def write_file(directory, name, data):
    """Writes `data` to `name` in `directory`; returns the path."""
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


STATUS = (b"Package: good\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\n"
          b"Description: fine\n\n")


def test_damaged_database():
    apk_garbage = b"\x00\xff" * 40 + b"\nP:\nV:\n" + b"Z" * 300
    image = docker_archive([
        layer_tar({"var/lib/dpkg/status": STATUS, "usr/bin/good": b"x"}),
        layer_tar({"lib/apk/db/installed": apk_garbage}),
    ])
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        path = write_file(tmp, "damaged.tar", image)
        got = packages_json(path)
        names = {p["name"] for p in got["packages"]}
        if "good" not in names:
            failures.append(f"the dpkg package is gone when another database is damaged: {sorted(names)}")
        problems = got["layers"][1]["problems"]
        if not any(p.startswith("lib/apk/db/installed: ") for p in problems):
            failures.append(f"no problem names lib/apk/db/installed: {problems}")
        damaged = [f for f in got["findings"] if f["code"] == "database-damaged"]
        if not damaged or any(f["layer"] != 1 for f in damaged):
            failures.append(f"database-damaged findings not at layer 1: {damaged}")
        text = tarsier("packages", path)
        if b"good" not in text.stdout or b"problem: lib/apk/db/installed" not in text.stdout:
            failures.append("text output lacks the package or the problem:\n" + text.stdout.decode(errors="replace"))
    return failures


def test_hardlinked_database():
    """A database whose name is a hardlink: tar keeps the bytes under the first name only
    (here one the readers do not want), so they are read through the link. Expected: what
    the test wrote (STATUS's package, the list's 3 paths), at the layer that linked it and
    at a later one, with no problem."""
    listed = b"/.\n/usr\n/usr/bin\n/usr/bin/good\n"
    image = docker_archive([
        layer_tar({"var/lib/dpkg/status-old": STATUS, "var/lib/dpkg/info/good.list-old": listed,
                              "usr/bin/good": b"x"},
                             {"var/lib/dpkg/status": "var/lib/dpkg/status-old",
                              "var/lib/dpkg/info/good.list": "var/lib/dpkg/info/good.list-old"}),
        layer_tar({"etc/motd": b"hello\n"}),
    ])
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        path = write_file(tmp, "hardlinked.tar", image)
        for layer in (0, 1):
            got = packages_json(path, layer=layer)
            found = [(p["name"], p["version"], p["files"]) for p in got["packages"]]
            if found != [("good", "1.0", 3)]:
                failures.append(f"layer {layer}: packages {found}, want [('good', '1.0', 3)]")
            problems = [p for l in got["layers"] for p in l["problems"]]
            if problems:
                failures.append(f"layer {layer}: problems {problems}")
        installed = packages_json(path)["layers"][0]["changes"]["installed"]
        if [c["name"] for c in installed] != ["good"]:
            failures.append(f"layer 0 does not install good: {installed}")
    return failures


def test_md5sums_left_out():
    """Without --verify-files or an SBOM, dpkg's info/*.md5sums are not kept. Expected, from
    what the test wrote: a package whose md5sums alone a later layer rewrote (with another
    digest) was changed by that layer; a package with md5sums and no .list owns the md5sums'
    paths; the same answer as when the md5sums are read (--verify-files), and no problem."""
    status = STATUS + (b"Package: bare\nStatus: install ok installed\nArchitecture: amd64\n"
                       b"Version: 2.0\nDescription: no list\n\n")
    listed = b"/.\n/usr\n/usr/bin\n/usr/bin/good\n"
    good_sums = b"9dd4e461268c8034f5c8564e155c67a6  usr/bin/good\n"
    bare_sums = b"9dd4e461268c8034f5c8564e155c67a6  usr/bin/bare\n9dd4e461268c8034f5c8564e155c67a6  usr/lib/bare.so\n"
    image = docker_archive([
        layer_tar({"var/lib/dpkg/status": status, "var/lib/dpkg/info/good.list": listed,
                   "var/lib/dpkg/info/good.md5sums": good_sums, "var/lib/dpkg/info/bare.md5sums": bare_sums,
                   "usr/bin/good": b"x", "usr/bin/bare": b"x", "usr/lib/bare.so": b"x"}),
        layer_tar({"var/lib/dpkg/info/good.md5sums": b"0" * 32 + b"  usr/bin/good\n"}),
        layer_tar({"etc/motd": b"hello\n"}),
    ])
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        path = write_file(tmp, "md5sums.tar", image)
        got = packages_json(path)
        found = [(p["name"], p["installedIn"], p["lastChangedIn"], p["files"]) for p in got["packages"]]
        if found != [("bare", 0, 0, 2), ("good", 0, 1, 3)]:
            failures.append(f"packages {found}, want [('bare', 0, 0, 2), ('good', 0, 1, 3)]")
        changed = got["layers"][1]["changes"].get("changed", [])
        if [c["name"] for c in changed] != ["good"]:
            failures.append(f"layer 1 changes {got['layers'][1]['changes']}, want good changed")
        problems = [p for l in got["layers"] for p in l["problems"]]
        if problems:
            failures.append(f"problems {problems}")
        verified = json.loads(tarsier("packages", path, "--verify-files", "--format", "json", check=False).stdout)
        for key in ("packages", "layers", "findings"):
            if verified[key] != got[key]:
                failures.append(f"{key} differ with the md5sums read (--verify-files)")
    return failures


def test_stdin():
    root = os.path.join(ARGS.source_root, "..", "shared", "corpus", "pkgdb", "images")
    if not os.path.isdir(root):
        skip(f"{root} is absent")
    failures = []
    path = os.path.join(root, "alpine-apk.oci.tar")
    with open(path, "rb") as f:
        raw = f.read()
    want = packages_json(path)
    for label, data in (("plain pipe", raw), ("gzip pipe", gzip.compress(raw, 1))):
        got = packages_json("-", stdin=data)
        for key in ("packages", "findings"):
            if got[key] != want[key]:
                failures.append(f"{label}: {key} differ from the file's")
        if [change_sets(l) for l in got["layers"]] != [change_sets(l) for l in want["layers"]]:
            failures.append(f"{label}: per-layer changes differ from the file's")
    return failures


TESTS = {
    "corpus-images": test_corpus_images,
    "dpkg-layers": test_dpkg_layers,
    "damaged-database": test_damaged_database,
    "stdin": test_stdin,
    "hardlinked-database": test_hardlinked_database,
    "md5sums-left-out": test_md5sums_left_out,
}


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    ap.add_argument("test", choices=sorted(TESTS))
    ARGS = ap.parse_args()
    failures = TESTS[ARGS.test]()
    for f in failures:
        print("FAIL:", f)
    print(f"{ARGS.test}: {'FAIL' if failures else 'ok'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
