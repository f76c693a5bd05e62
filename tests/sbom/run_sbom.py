#!/usr/bin/env python3
"""Checks `tarsier packages --format cyclonedx|cyclonedx-1.7|spdx` on the layered package
images of ../shared/corpus/pkgdb/images (docker-archive and oci-archive of each):

- the document validates against the published JSON schema (tests/sbom/schemas, with
  python3-jsonschema, Draft 7, formats checked);
- its packages are exactly the installed packages the real package manager listed for the
  top layer, and with --layer 0 for the base layer (`*.expected.json`, made by
  apk/rpm/dpkg-query, not by tarsier);
- every package names the layer that installed it, and that layer is the one where
  expected.json's changes first install it (diff_id checked against the image config as
  `tarsier inspect` reports it);
- the purl is the canonical one for the package (type, namespace, name, version, arch);
- the same input gives the same bytes, and the two packagings of one image the same
  packages.

usage: run_sbom.py --tarsier BIN --source-root DIR CASE
exit 0 pass, 1 fail, 77 skipped (no ../shared, no jsonschema)
"""
import argparse
import json
import os
import subprocess
import sys
import urllib.parse

SKIP = 77


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(tarsier, *args):
    p = subprocess.run([tarsier, *args], capture_output=True)
    if p.returncode != 0:
        fail(f"tarsier {' '.join(args)} exited {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p.stdout


def validator(root, kind):
    try:
        import jsonschema
    except ImportError:
        print("SKIP: python3-jsonschema is not installed")
        sys.exit(SKIP)
    d = os.path.join(root, "tests", "sbom", "schemas")
    store = {}
    for f in os.listdir(d):
        if f.endswith(".json"):
            s = json.load(open(os.path.join(d, f)))
            store[s.get("$id", f)] = s
    if kind == "spdx":
        schema = json.load(open(os.path.join(d, "spdx-2.3.schema.json")))
    else:
        schema = store[f"http://cyclonedx.org/schema/bom-{kind}.schema.json"]
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    return jsonschema.Draft7Validator(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())


def validate(v, doc, what):
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        for e in errors[:5]:
            print(f"  {what}: {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
        fail(f"{what}: {len(errors)} schema errors")


def purl_parts(purl):
    assert purl.startswith("pkg:"), purl
    rest, _, query = purl[4:].partition("?")
    path, _, version = rest.partition("@")
    parts = path.split("/")
    quals = dict(urllib.parse.parse_qsl(query))
    return parts[0], "/".join(parts[1:-1]), urllib.parse.unquote(parts[-1]), urllib.parse.unquote(version), quals


def installed_layers(expected):
    """name/arch -> the layer where it was last installed (per expected.json changes)."""
    where = {}
    for layer in expected["layers"]:
        if layer["index"] == 0:
            for p in layer["packages"]:
                where[(p["name"], p["arch"])] = 0
        ch = layer.get("changes") or {}
        for p in ch.get("installed", []):
            where[(p["name"], p["arch"])] = layer["index"]
    return where


def packages_of(kind, doc):
    """(name, version, arch, purl, installed layer diff_id) of every package in an SBOM."""
    out = []
    if kind == "spdx":
        for p in doc["packages"]:
            if not p["SPDXID"].startswith("SPDXRef-Package-"):
                continue
            purl = next(r["referenceLocator"] for r in p["externalRefs"] if r["referenceType"] == "purl")
            notes = {a["comment"].split("=", 1)[0]: a["comment"].split("=", 1)[1] for a in p.get("annotations", [])}
            out.append((p["name"], p["versionInfo"], purl, notes.get("tarsier:layer:installed:diffID")))
    else:
        for c in doc["components"]:
            if c["type"] != "library":
                continue
            props = {}
            for pr in c.get("properties", []):
                props.setdefault(pr["name"], pr["value"])
            out.append((c["name"], c["version"], c["purl"], props.get("tarsier:layer:diffID")))
    return out


def check_image(args, kind, name, packaging):
    root = args.source_root
    img = os.path.join(root, "..", "shared", "corpus", "pkgdb", "images", f"{name}.{packaging}.tar")
    expected = json.load(open(os.path.join(os.path.dirname(img), f"{name}.expected.json")))
    manager = expected["package_manager"]
    fmt = {"1.6": "cyclonedx", "1.7": "cyclonedx-1.7", "spdx": "spdx"}[kind]
    v = validator(root, kind)
    inspect = json.loads(run(args.tarsier, "inspect", img))[0]
    diff_ids = inspect["RootFS"]["Layers"]
    where = installed_layers(expected)
    top = len(expected["layers"]) - 1
    for layer_arg, exp_layer in ((None, top), ("0", 0)):
        cmd = ["packages", img, "--format", fmt] + (["--layer", layer_arg] if layer_arg else [])
        raw = run(args.tarsier, *cmd)
        if run(args.tarsier, *cmd) != raw:
            fail(f"{name}.{packaging} {fmt}: two runs gave different bytes")
        doc = json.loads(raw)
        validate(v, doc, f"{name}.{packaging} {fmt} layer {exp_layer}")
        got = packages_of(kind, doc)
        # expected.json's version is what the SBOM carries: rpm's %{EVR} ([EPOCH:]VERSION-RELEASE),
        # dpkg's and apk's version as they print it.
        want = {(p["name"], p["version"]) for p in expected["layers"][exp_layer]["packages"]}
        have = {(n, ver) for n, ver, _, _ in got}
        if have != want:
            fail(f"{name}.{packaging} {fmt} layer {exp_layer}: packages differ: missing {sorted(want - have)[:5]}, "
                 f"extra {sorted(have - want)[:5]}")
        arch_of = {p["name"]: p["arch"] for p in expected["layers"][exp_layer]["packages"]}
        for n, ver, purl, diff_id in got:
            t, ns, pn, pv, quals = purl_parts(purl)
            want_type = {"apk": "apk", "rpm": "rpm", "dpkg": "deb"}[manager]
            if (t, pn) != (want_type, n) or quals.get("arch") != arch_of[n] or not ns:
                fail(f"{name} {fmt}: purl {purl} does not name {want_type} {n} {arch_of[n]}")
            if manager == "rpm":
                e, _, vr = ver.rpartition(":")
                if pv != vr or quals.get("epoch", "") != e:
                    fail(f"{name} {fmt}: purl {purl} does not carry version {ver}")
            elif pv != ver:
                fail(f"{name} {fmt}: purl {purl} does not carry version {ver}")
            layer = where.get((n, arch_of[n]))
            if layer is not None and layer <= exp_layer and diff_id != diff_ids[layer]:
                fail(f"{name} {fmt}: {n} installed in layer {layer} ({diff_ids[layer]}), SBOM says {diff_id}")
    return raw


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    ap.add_argument("case")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.source_root, "..", "shared", "corpus", "pkgdb", "images")):
        print("SKIP: ../shared/corpus/pkgdb is absent")
        return SKIP
    kind = {"cyclonedx": "1.6", "cyclonedx-1.7": "1.7", "spdx": "spdx"}[args.case]
    for name in ("alpine-apk", "mariner-rpm", "distroless-statusd"):
        a = check_image(args, kind, name, "docker")
        b = check_image(args, kind, name, "oci")
        pa = sorted((n, v, p) for n, v, p, _ in packages_of(kind if kind == "spdx" else "cdx", json.loads(a)))
        pb = sorted((n, v, p) for n, v, p, _ in packages_of(kind if kind == "spdx" else "cdx", json.loads(b)))
        if pa != pb:
            fail(f"{name}: docker-archive and oci-archive give different packages")
    print(f"ok: {args.case} on 3 images x 2 packagings x 2 layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
