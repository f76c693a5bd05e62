#!/usr/bin/env python3
"""check_corpus.py - check facts.py against facts stated elsewhere.

1. The real-world corpus (shared/corpus/real): the numbers stated in its
   SOURCES.md (layer counts, entry counts, diff_ids, absent platforms, dive's
   published size figures, ...).
2. The testdata/ fixtures: facts known from make-fixtures.sh, and agreement
   between the different encodings of the same image (docker-archive, OCI
   gzip, OCI zstd, the umoci layout itself).

Usage: check_corpus.py [CORPUS_DIR] [TESTDATA_DIR]
Exit 0 all checks passed, 1 a check failed, 77 corpus not found (skip).
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FACTS = os.path.join(HERE, "facts.py")
CORPUS = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/corpus/real"
TESTDATA = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", "testdata")

failures = 0


def run(path):
    proc = subprocess.run([sys.executable, FACTS, path], stdout=subprocess.PIPE)
    return proc.returncode, json.loads(proc.stdout)


def check(label, cond, detail=""):
    global failures
    print(f"{'ok  ' if cond else 'FAIL'} {label}" + (f"  ({detail})" if detail and not cond else ""))
    if not cond:
        failures += 1


def only_image(f):
    assert len(f["images"]) == 1, f"{len(f['images'])} images"
    return f["images"][0]


def layers_consistent(label, img):
    """Every present layer decompressed to its config diff_id."""
    bad = [l["digest"] for l in img["layers"] if l["present"] and l["diffId"] != l["configDiffId"]]
    check(f"{label}: every layer matches its rootfs.diff_id", not bad, bad)


def corpus():
    c = lambda p: os.path.join(CORPUS, p)

    rc, f = run(c("dive/.data/test-docker-image.tar"))
    img = only_image(f)
    L = img["layers"]
    check("dive docker: format docker, ref dive-test:latest",
          f["format"] == "docker" and img["references"] == ["dive-test:latest"])
    check("dive docker: 14 uncompressed layers", len(L) == 14 and all(l["compression"] == "none" for l in L))
    check("dive docker: base layer 415 entries, 392 hardlinks",
          sum(L[0]["entries"].values()) == 415 and L[0]["entries"].get("hardlink") == 392, L[0]["entries"])
    check("dive docker: sum of contentSize = dive sizeBytes 1220598",
          sum(l["contentSize"] for l in L) == 1220598, sum(l["contentSize"] for l in L))
    check("dive docker: user size (layers 1..13) = 66237", sum(l["contentSize"] for l in L[1:]) == 66237)
    check("dive docker: 15 history entries (1 empty) map onto 14 layers",
          all(l["createdBy"] for l in L))
    layers_consistent("dive docker", img)

    rc, f = run(c("dive/.data/test-kaniko-image.tar"))
    img = only_image(f)
    L = img["layers"]
    check("dive kaniko: 14 gzip layers", len(L) == 14 and all(l["compression"] == "gzip" for l in L))
    check("dive kaniko: base 421 entries, 398 hardlinks",
          sum(L[0]["entries"].values()) == 421 and L[0]["entries"].get("hardlink") == 398, L[0]["entries"])
    check("dive kaniko: blob digest != diff_id", all(l["digest"] != l["diffId"] for l in L))
    layers_consistent("dive kaniko", img)

    rc, f = run(c("trivy/pkg/fanal/test/testdata/alpine-311.tar.gz"))
    img = only_image(f)
    l0 = img["layers"][0]
    check("alpine: outer gzip, ref alpine:3.11, 1 layer",
          f["outerCompression"] == "gzip" and img["references"] == ["alpine:3.11"] and len(img["layers"]) == 1)
    check("alpine: 488 entries = 90 dirs + 326 symlinks + 72 files",
          l0["entries"] == {"dir": 90, "symlink": 326, "file": 72}, l0["entries"])
    check("alpine: 5.86 MB uncompressed", l0["uncompressedSize"] == 5861888, l0["uncompressedSize"])
    layers_consistent("alpine", img)

    rc, f = run(c("oras-go/content/oci/testdata/hello-world.tar"))
    img = only_image(f)
    check("hello-world containerd: 1 present platform (linux/amd64) of 11",
          img["os"] == "linux" and img["architecture"] == "amd64" and len(f["absentPlatforms"]) == 10)
    check("hello-world containerd: ref hello-world:latest", img["references"] == ["hello-world:latest"])
    check("hello-world containerd: manifest.json points at gzip layer (digest != diff_id)",
          img["layers"][0]["compression"] == "gzip" and img["layers"][0]["digest"] != img["layers"][0]["diffId"])
    check("hello-world containerd: manifest found through the manifest list",
          img["manifestDigest"] is not None and img["indexDigest"] is not None)
    layers_consistent("hello-world containerd", img)
    rc, g = run(c("oras-go/content/oci/testdata/hello-world-prefixed-path.tar"))
    check("hello-world prefixed-path: same facts as hello-world.tar",
          g["images"] == f["images"] and g["absentPlatforms"] == f["absentPlatforms"])

    rc, f = run(c("ggcr/pkg/v1/tarball/testdata/hello-world-v25.tar"))
    img = only_image(f)
    check("hello-world v25: docker+oci, untagged, arm64",
          f["format"] == "docker+oci" and img["references"] == [] and img["architecture"] == "arm64")
    check("hello-world v25: uncompressed layer named by its diff_id",
          img["layers"][0]["digest"] == img["layers"][0]["diffId"])
    check("hello-world v25: manifests null -> no manifestDigest", img["manifestDigest"] is None)

    rc, f = run(c("ggcr/pkg/v1/tarball/testdata/test_image_1.tar"))
    img = only_image(f)
    check("test_image_1: 1 image, 1 layer, bazel/v1/tarball:test_image_1",
          img["references"] == ["bazel/v1/tarball:test_image_1"] and len(img["layers"]) == 1)

    rc, f = run(c("ggcr/pkg/v1/tarball/testdata/test_bundle.tar"))
    check("test_bundle: 2 images (test_image_2, test_image_1), 1 different layer each",
          [i["references"] for i in f["images"]] == [["test_image_2"], ["test_image_1"]]
          and f["images"][0]["layers"][0]["digest"] != f["images"][1]["layers"][0]["digest"])
    check("test_bundle: layer file hashes to diff_id 3610aa…",
          f["images"][0]["layers"][0]["diffId"].startswith("sha256:3610aa"))

    rc, f = run(c("ggcr/pkg/v1/tarball/testdata/test_link.tar"))
    a, b = f["images"]
    check("test_link: 2 images sharing a (symlinked) layer; image 2 has 2 layers",
          len(b["layers"]) == 2 and b["layers"][0]["digest"] == a["layers"][0]["digest"] and b["layers"][0]["present"])

    rc, f = run(c("ggcr/pkg/v1/mutate/testdata/whiteout_image.tar"))
    L = only_image(f)["layers"]
    check("whiteout_image: 3 layers, the 3rd is 10240 zero bytes with no entries",
          len(L) == 3 and L[2]["uncompressedSize"] == 10240 and L[2]["entries"] == {})

    rc, f = run(c("ggcr/pkg/v1/mutate/testdata/overwritten_file.tar"))
    L = only_image(f)["layers"]
    check("overwritten_file: 3 layers, layer 2 has a symlink", len(L) == 3 and L[1]["entries"].get("symlink") == 1)

    rc, f = run(c("ggcr/pkg/v1/mutate/testdata/source_image_with_empty_layer_history.tar"))
    img = only_image(f)
    check("empty_layer history: 1 layer mapped to the 2nd (non-empty) history entry",
          len(img["layers"]) == 1 and img["layers"][0]["createdBy"] is not None)

    rc, f = run(c("ggcr/pkg/v1/mutate/testdata/whiteout_dir.tar"))
    img = only_image(f)
    check("whiteout_dir: 4 gzip layers in a docker-archive",
          len(img["layers"]) == 4 and all(l["compression"] == "gzip" for l in img["layers"]))
    layers_consistent("whiteout_dir", img)

    rc, f = run(c("containers-image/docker/archive/fixtures/almostempty.tar"))
    img = only_image(f)
    check("almostempty: emptyimage:latest, 1 layer holding 1 file",
          img["references"] == ["emptyimage:latest"] and img["layers"][0]["entries"] == {"file": 1})

    oci = {}
    for kind in ("uncompressed", "gzip", "zstd", "estargz"):
        rc, f = run(c(f"dive/.data/test-oci-{kind}-image.tar"))
        oci[kind] = only_image(f)
    for kind, comp in (("uncompressed", "none"), ("gzip", "gzip"), ("zstd", "zstd")):
        l0 = oci[kind]["layers"][0]
        check(f"dive oci {kind}: {comp} layer, diff_id 356d5e…, arm64",
              l0["compression"] == comp and l0["diffId"].startswith("sha256:356d5e")
              and oci[kind]["architecture"] == "arm64")
    check("dive oci: uncompressed/gzip/zstd share one config",
          oci["uncompressed"]["id"] == oci["gzip"]["id"] == oci["zstd"]["id"])
    e = oci["estargz"]["layers"][0]
    check("dive oci estargz: diff_id 2b3dbf…, 14848 bytes, GNU tar lists only README.md",
          e["diffId"].startswith("sha256:2b3dbf") and e["uncompressedSize"] == 14848 and e["entries"] == {"file": 1})

    rc, f = run(c("stereoscope/pkg/image/oci/testdata/valid-oci.tar"))
    img = only_image(f)
    check("valid-oci.tar: ref.name sample:latest, amd64, 120-byte gzip layer",
          img["references"] == ["sample:latest"] and img["architecture"] == "amd64"
          and img["layers"][0]["compressedSize"] == 120)

    rc, f = run(c("regclient/testdata/testrepo"))
    plats = {}
    for i in f["images"]:
        for r in i["refNames"]:
            plats.setdefault(r, set()).add((i["architecture"], i.get("variant")))
    check("regclient testrepo: b1-b3 and v3 have 4 platforms, v2 3, v1 2",
          all(len(plats.get(t, ())) == 4 for t in ("b1", "b2", "b3", "v3"))
          and len(plats.get("v2", ())) == 3 and len(plats.get("v1", ())) == 2,
          {k: len(v) for k, v in plats.items()})
    check("regclient testrepo: every blob present, every layer decodes",
          not f["absentPlatforms"] and all(l["present"] and "error" not in l
                                            for i in f["images"] for l in i["layers"]))
    check("regclient testrepo: 2 unknown/unknown attestations skipped",
          sum("unknown/unknown" in s["reason"] for s in f["skipped"]) == 2)
    check("regclient testrepo: artifacts skipped",
          any("application/vnd.oci.empty.v1+json" in s["reason"] for s in f["skipped"]))
    check("regclient testrepo: a layer holding dir/layer.tar (10240 bytes)",
          any(l["contentSize"] == 10240 for i in f["images"] for l in i["layers"]))

    rc, f = run(c("stereoscope/pkg/image/oci/testdata/multiplatform_oci_dir"))
    check("multiplatform_oci_dir: nested index -> amd64 + arm64, multi-platform:latest",
          sorted(i["architecture"] for i in f["images"]) == ["amd64", "arm64"]
          and all(i["references"] == ["multi-platform:latest"] and i["indexDigest"] for i in f["images"]))

    rc, f = run(c("stereoscope/pkg/image/oci/testdata/valid_oci_dir"))
    img = only_image(f)
    check("valid_oci_dir: one manifest under ref names latest and 1.0", img["refNames"] == ["latest", "1.0"])

    rc, f = run(c("containers-image/oci/layout/fixtures/delete_image_multiple_images"))
    refs = {r for i in f["images"] for r in i["refNames"]}
    check("delete_image_multiple_images: 7 refs, amd64 + 386 images",
          len(refs) == 7 and {i["architecture"] for i in f["images"]} == {"amd64", "386"}, refs)
    check("delete_image_multiple_images: fake layers fail cleanly (not a tar archive)",
          all(l.get("error") == "not a tar archive" for i in f["images"] for l in i["layers"]))

    rc, f = run(c("containers-image/oci/layout/fixtures/delete_image_two_identical_references"))
    check("delete_image_two_identical_references: 2 different manifests, both ref 1.0.0",
          len(f["images"]) == 2 and all(i["refNames"] == ["1.0.0"] for i in f["images"]))

    rc, f = run(c("ggcr/pkg/v1/layout/testdata/test_index"))
    check("test_index: the 4 refs; the descriptor.v1+json entry is skipped",
          len(f["skipped"]) == 1 and "descriptor" in f["skipped"][0]["mediaType"])

    for p in ("ggcr/pkg/v1/tarball/testdata/no_manifest.tar", "ggcr/pkg/v1/tarball/testdata/null_manifest.tar",
              "moby/integration-cli/testdata/emptyLayer.tar", "regclient/testdata/layer-wh.tar",
              "moby/daemon/builder/remotecontext/internal/tarsum/testdata/xattr/layer.tar",
              "ggcr/pkg/crane/testdata/content.tar.zst"):
        rc, f = run(c(p))
        check(f"{p}: not an image archive (exit 3)", rc == 3 and "error" in f)


def comparable(img):
    """The facts that must not depend on the encoding of an image."""
    return (img["id"], img["created"], img["architecture"], img["os"],
            [(l["diffId"], l["uncompressedSize"], l["contentSize"], l["entries"], l["createdBy"])
             for l in img["layers"]])


def fixtures():
    t = lambda p: os.path.join(TESTDATA, p)
    rc, docker = run(t("skopeo-docker.tar"))
    d = only_image(docker)
    check("skopeo-docker: tarsier/sample:1.0, 3 uncompressed layers",
          d["references"] == ["tarsier/sample:1.0"] and len(d["layers"]) == 3
          and all(l["compression"] == "none" for l in d["layers"]))
    layers_consistent("skopeo-docker", d)
    rc, gz = run(t("skopeo-oci-gzip.tar"))
    rc, zst = run(t("skopeo-oci-zstd.tar"))
    rc, lay = run(t("umoci-layout"))
    g, z = only_image(gz), only_image(zst)
    one = [i for i in lay["images"] if "1.0" in i["refNames"]][0]
    two = [i for i in lay["images"] if "2.0" in i["refNames"]][0]
    check("skopeo-oci-gzip: gzip layers", all(l["compression"] == "gzip" for l in g["layers"]))
    check("skopeo-oci-zstd: zstd layers", all(l["compression"] == "zstd" for l in z["layers"]))
    check("sample 1.0: docker-archive, OCI gzip, OCI zstd, umoci layout agree",
          comparable(d) == comparable(g) == comparable(z) == comparable(one))
    check("skopeo-oci-gzip: blobs copied verbatim from the umoci layout", g["layers"] == one["layers"])
    check("umoci-layout: 2.0 = 1.0 + one layer",
          len(two["layers"]) == 4 and two["layers"][:3] == one["layers"])
    rc, sample = run(t("sample.tar"))
    s = only_image(sample)
    check("sample.tar: tarsier/sample:2.0 + :latest, same image as umoci-layout:2.0",
          s["references"] == ["tarsier/sample:2.0", "tarsier/sample:latest"] and comparable(s) == comparable(two))
    rc, ch = run(t("umoci-changes"))
    rc, cht = run(t("umoci-changes.tar"))
    c = only_image(ch)
    check("umoci-changes: 6 layers, all with createdBy", len(c["layers"]) == 6 and all(l["createdBy"] for l in c["layers"]))
    check("umoci-changes.tar: same image as the layout", comparable(only_image(cht)) == comparable(c))
    L = c["layers"]
    check("umoci-changes: layer 2 has a symlink, a hardlink and a PAX long name",
          L[1]["entries"] == {"dir": 5, "symlink": 1, "file": 3, "hardlink": 1}, L[1]["entries"])
    check("umoci-changes: layer 3 is two whiteouts (contentSize 0)", L[2]["contentSize"] == 0)
    check("umoci-changes: layer 4 (dir replaced by file) has tar errors from its whiteouts",
          any("Not a directory" in e for e in L[3].get("tarErrors", [])))
    check("umoci-changes: layer 5 (same-size + mode-only change) holds 8 + 17 bytes", L[4]["contentSize"] == 25)
    check("umoci-changes: layer 6 (umoci insert, no EOF blocks) still extracts cleanly",
          L[5]["contentSize"] == 512 and "tarErrors" not in L[5] and L[5]["uncompressedSize"] == 2048)
    rc, tr = run(t("umoci-insert-truncated"))
    l0 = only_image(tr)["layers"][0]
    check("umoci-insert-truncated: 518-byte tar, GNU tar reports Unexpected EOF",
          l0["uncompressedSize"] == 518 and any("Unexpected EOF" in e for e in l0.get("tarErrors", [])))


def main():
    if not os.path.isdir(CORPUS):
        print(f"check_corpus: {CORPUS} not found", file=sys.stderr)
        return 77
    corpus()
    fixtures()
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
