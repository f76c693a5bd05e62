#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/ from the
fixtures in testdata/ (real archives written by docker, skopeo and umoci) plus a few
hand-written inputs. Run from anywhere; it replaces the corpus directories it writes.

  fuzz_archive  small archives of testdata/ and testdata/bad, a gzip-compressed one
  fuzz_query    the same archives as fuzz_archive
  fuzz_json     every JSON document inside those archives (manifests, indexes, configs,
                manifest.json, repositories, v1 json)
  fuzz_layer    the layer blobs inside them (plain tar, gzip, zstd), up to 32 KiB
  fuzz_refs     references, digests, patterns and platforms (fuzz_refs.cpp: NUL splits)
  fuzz_pkg_text dpkg status and status.d files, apk installed databases and os-release
                files of ../shared/corpus/pkgdb (their first 4 KiB; none when it is
                absent), and version pairs (fuzz_pkg_text.cpp: NUL splits)

Seeds are named by the SHA-1 of their content, as libFuzzer names its own inputs.
"""
import gzip
import hashlib
import io
import json
import pathlib
import shutil
import tarfile

HERE = pathlib.Path(__file__).resolve().parent
TESTDATA = HERE.parent.parent / "testdata"
MAX_ARCHIVE = 40 * 1024
MAX_LAYER = 32 * 1024
PKGDB = HERE.parent.parent.parent / "shared" / "corpus" / "pkgdb"
MAX_PKG_TEXT = 4 * 1024


def archives():
    names = sorted(TESTDATA.glob("*.tar")) + sorted((TESTDATA / "bad").glob("*.tar"))
    names += sorted((TESTDATA / "errors").glob("*"))
    return [p for p in names if p.is_file() and p.suffix != ".md"]


def write(target, data, seen):
    digest = hashlib.sha1(data).hexdigest()
    if digest in seen[target]:
        return
    seen[target].add(digest)
    (HERE / "corpus" / target / digest).write_bytes(data)


def main():
    targets = ("fuzz_archive", "fuzz_json", "fuzz_layer", "fuzz_query", "fuzz_refs", "fuzz_pkg_text")
    seen = {t: set() for t in targets}
    for t in targets:
        shutil.rmtree(HERE / "corpus" / t, ignore_errors=True)
        (HERE / "corpus" / t).mkdir(parents=True)
    for path in archives():
        data = path.read_bytes()
        if len(data) <= MAX_ARCHIVE:
            write("fuzz_archive", data, seen)
            write("fuzz_query", data, seen)
        try:
            tar = tarfile.open(fileobj=io.BytesIO(data))
            members = [m for m in tar.getmembers() if m.isfile()]
        except (tarfile.TarError, EOFError):
            continue
        for m in members:
            try:
                blob = tar.extractfile(m).read()
            except (tarfile.TarError, EOFError, OSError):
                continue
            try:
                json.loads(blob)
                write("fuzz_json", blob, seen)
                continue
            except ValueError:
                pass
            if len(blob) <= MAX_LAYER and m.name not in ("oci-layout",) and not m.name.endswith("VERSION"):
                write("fuzz_layer", blob, seen)
    # The stream path: a compressed outer archive.
    compressed = gzip.compress((TESTDATA / "umoci-changes.tar").read_bytes(), 9, mtime=0)
    write("fuzz_archive", compressed, seen)
    write("fuzz_query", compressed, seen)
    refs = [
        "nginx", "nginx:1.25", "docker.io/library/nginx:latest", "localhost:5000/a/b:tag",
        "[::1]:5000/x@sha256:" + "a" * 64, "user/app:1.2@sha256:" + "0" * 64, "A/b", "a_b.c/x",
        "sha256:" + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "sha512:" + "cf83" * 32, "sha384:" + "ab" * 48, "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
        "linux/amd64", "linux/arm64/v8", "windows(10.0.17763+win32k)/amd64", "macos/x86_64", "linux/arm/7",
        "2024-01-02T03:04:05.123456789Z", "2024-01-02T03:04:05+01:00",
        "docker.io/library/*\0docker.io/library/nginx:latest", "[a-c]*/x?\0b/x1", "\\*\0*",
        "ngin[^x]\0nginx", "*:latest\0busybox:latest",
    ]
    for r in refs:
        write("fuzz_refs", r.encode(), seen)
    pkg_files = ["var/lib/dpkg/status", "lib/apk/db/installed", "etc/os-release", "usr/lib/os-release"]
    for folder in sorted(PKGDB.glob("*/root")):
        paths = [folder / f for f in pkg_files] + sorted((folder / "var/lib/dpkg/status.d").glob("*"))
        for path in paths:
            if path.is_file() and not path.name.endswith((".preinst", ".md5sums")):
                write("fuzz_pkg_text", path.read_bytes()[:MAX_PKG_TEXT], seen)
    versions = [
        "1.0~rc1\0" "1.0", "1:2.20.1-2+deb10u3\0" "2.20.1-2", "5.1.1alpha+20120614-2+b3\0" "5.1.1alpha+20120614-2",
        "1.0.0_pre20191002222144-r0\0" "1.0.0_pre20210530193627-r0", "1.0_rc\0" "1.0", "2.3.0b-r1\0" "1.06-r6",
        "0.1.0_alpha_pre2\0" "0.1.0_alpha",
    ]
    for v in versions:
        write("fuzz_pkg_text", v.encode(), seen)
    for t in targets:
        print(t, len(seen[t]), "seeds")


if __name__ == "__main__":
    main()
