#!/usr/bin/env python3
"""Tests of the package section of `tarsier diff` and of `--owner` in `files` and `blame`,
each one function below, run by name:

    run_owner.py --tarsier build/src/cli/tarsier --source-root . diff-dpkg-layers

What is expected comes from independent tools, never from tarsier's earlier output:
  diff-dpkg-layers  testdata/dpkg-layers/oci (one tag per layer, made by real dpkg, see
                    make-dpkg-layers.sh): diffing each layer's image with the next gives
                    exactly the changes layers.json says the script made there; an image
                    diffed with itself has no package difference (exit 0).
  diff-corpus       ../shared/corpus/pkgdb/images: alpine-apk against distroless-statusd removes
                    every apk and installs every dpkg package their expected.json list at
                    the top layer (lists made by apk and dpkg).
  owner-dpkg        files --owner and blame --owner on testdata/dpkg-layers against
                    `dpkg-query -S` on the rootfs `umoci unpack` makes of the same layer.
Exit 77 (skipped) when ../shared or a tool is absent.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ARGS = None
SKIP = 77


def skip(why):
    print("SKIP:", why)
    sys.exit(SKIP)


def tarsier(*args, ok=(0,)):
    p = subprocess.run([ARGS.tarsier, *args], capture_output=True)
    if p.returncode not in ok:
        raise AssertionError(f"tarsier {' '.join(args)}: exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p


def diff_packages(old, new, old_image=None, new_image=None, ok=(0, 1)):
    args = ["diff", old, new, "--format", "json"]
    if old_image:
        args += ["--old-image", old_image]
    if new_image:
        args += ["--new-image", new_image]
    p = tarsier(*args, ok=ok)
    return json.loads(p.stdout), p.returncode


def names(changes):
    return {k: sorted(c["name"] for c in v) for k, v in changes.items() if v}


def test_diff_dpkg_layers():
    here = os.path.join(ARGS.source_root, "testdata", "dpkg-layers")
    layers = json.load(open(os.path.join(here, "layers.json")))["layers"]
    oci = os.path.join(here, "oci")
    for i in range(1, len(layers)):
        d, rc = diff_packages(oci, oci, layers[i - 1]["tag"].replace("layer", "@"), layers[i]["tag"].replace("layer", "@"))
        want = {k: sorted(layers[i][k]) for k in ("installed", "upgraded", "downgraded", "removed") if k in layers[i]}
        got = names(d["packages"]["changes"])
        got.pop("changed", None)
        assert got == want, f"layer{i - 1} -> layer{i}: {got} != {want}"
        assert rc == 1 and d["equal"] is False
    d, rc = diff_packages(oci, oci, "@4", "@4", ok=(0,))
    assert names(d["packages"]["changes"]) == {} and d["equal"] is True, d["packages"]
    text = tarsier("diff", oci, oci, "--old-image", "@1", "--new-image", "@3", ok=(1,)).stdout.decode()
    assert "Packages: 1 installed, 1 upgraded, 1 downgraded, 1 removed, 0 changed" in text, text


def test_diff_corpus():
    images = os.path.join(ARGS.source_root, "..", "shared", "corpus", "pkgdb", "images")
    if not os.path.isdir(images):
        skip("no ../shared/corpus/pkgdb/images")
    top = {}
    for name in ("alpine-apk", "distroless-statusd"):
        exp = json.load(open(os.path.join(images, f"{name}.expected.json")))
        top[name] = sorted(p["name"] for p in exp["layers"][-1]["packages"])
    a, b = (os.path.join(images, f"{n}.docker.tar") for n in ("alpine-apk", "distroless-statusd"))
    d, rc = diff_packages(a, b)
    got = names(d["packages"]["changes"])
    want = {k: v for k, v in (("installed", top["distroless-statusd"]), ("removed", top["alpine-apk"])) if v}
    assert got == want and want, (got, want)
    for n in ("alpine-apk", "distroless-statusd"):
        p = os.path.join(images, f"{n}.docker.tar")
        o = os.path.join(images, f"{n}.oci.tar")
        d, rc = diff_packages(p, o, ok=(0, 1))
        assert names(d["packages"]["changes"]) == {}, (n, d["packages"])


def dpkg_owners(admindir, paths):
    """dpkg-query -S for each path: {path: sorted package names} (paths no package has are absent)."""
    out = {}
    for path in paths:
        p = subprocess.run(["dpkg-query", f"--admindir={admindir}", "-S", path], capture_output=True, text=True)
        for line in p.stdout.splitlines():
            pkgs, _, where = line.rpartition(": ")
            if where == path:
                out[path] = sorted(x.strip().split(":")[0] for x in pkgs.split(","))
    return out


def test_owner_dpkg():
    for tool in ("dpkg-query", "umoci"):
        if not shutil.which(tool):
            skip(f"no {tool}")
    here = os.path.join(ARGS.source_root, "testdata", "dpkg-layers")
    with tempfile.TemporaryDirectory() as tmp:
        for tag in ("layer2", "layer4"):
            bundle = os.path.join(tmp, tag)
            subprocess.run(["umoci", "unpack", "--rootless", "--image", f"{here}/oci:{tag}", bundle],
                           check=True, capture_output=True)
            image = tag.replace("layer", "@")
            files = json.loads(tarsier("files", f"{here}/oci", "--image", image, "--owner", "--format", "json").stdout)
            ours = {f["path"]: sorted(o["name"] for o in f["owners"]) for f in files["files"] if f["owners"]}
            theirs = dpkg_owners(os.path.join(bundle, "rootfs", "var", "lib", "dpkg"), [f["path"] for f in files["files"]])
            assert ours == theirs, f"{tag}: {ours} != {theirs}"
            assert ours, f"{tag}: no owned path at all"
    # blame: /usr/bin/tiny-b is owned by tiny-b after layer 1 and by nobody after layer 2,
    # which removed it (layers.json).
    b = json.loads(tarsier("blame", f"{here}/oci", "/usr/bin/tiny-b", "--image", "@4", "--owner", "--format", "json").stdout)
    seen = [(l["position"], c["kind"], [o["name"] for o in c["owners"]]) for l in b["layers"] for c in l["changes"]]
    assert seen == [(1, "A", ["tiny-b"]), (2, "D", [])], seen


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    ap.add_argument("test")
    ARGS = ap.parse_args()
    {"diff-dpkg-layers": test_diff_dpkg_layers, "diff-corpus": test_diff_corpus, "owner-dpkg": test_owner_dpkg}[ARGS.test]()
    print("ok")


if __name__ == "__main__":
    main()
