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
  fuzz_pkg_rpm  rpm header blobs from ../shared/corpus/pkgdb (when present; go-rpmdb's MIT
                test data, see SOURCES.md there) and small rpmdb.sqlite, NDB and Berkeley
                DB files (both byte orders) holding them

Seeds are named by the SHA-1 of their content, as libFuzzer names its own inputs.
"""
import gzip
import hashlib
import io
import json
import pathlib
import shutil
import sqlite3
import struct
import tarfile
import tempfile
import zlib

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


def rpm_headers():
    """The three smallest header blobs of two real rpm databases (read-only, immutable)."""
    out = []
    for folder in ("rpm-sqlite-amazonlinux-2023", "rpm-sqlite-cbl-mariner-2.0"):
        db = PKGDB / folder / "root/var/lib/rpm/rpmdb.sqlite"
        con = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
        out += [bytes(r[0]) for r in con.execute("SELECT blob FROM Packages ORDER BY length(blob) LIMIT 3")]
        con.close()
    return out


def rpm_sqlite(headers):
    """An rpmdb.sqlite as rpm 4.16+ lays it out (WAL mode, as rpm leaves it)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "rpmdb.sqlite"
        con = sqlite3.connect(path)
        con.execute("PRAGMA page_size=1024")
        con.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)")
        con.executemany("INSERT INTO Packages (blob) VALUES (?)", [(h,) for h in headers])
        con.commit()
        con.execute("PRAGMA journal_mode=WAL")
        con.close()
        return path.read_bytes()


def rpm_ndb(headers):
    """An NDB Packages.db: one slot page, then a blob per header (see src/pkg/rpm_ndb.cpp)."""
    page = bytearray(4096)
    page[0:16] = b"RpmP" + struct.pack("<III", 0, 1, 1)
    blobs = b""
    for i in range(2, 256):
        page[i * 16:i * 16 + 4] = b"Slot"
    for i, h in enumerate(headers):
        blocks = (16 + len(h) + 12 + 15) // 16
        blob = bytearray(blocks * 16)
        blob[0:16] = b"BlbS" + struct.pack("<III", i + 1, 1, len(h))
        blob[16:16 + len(h)] = h
        tail = len(blob) - 12
        blob[tail + 4:tail + 12] = struct.pack("<I", len(h)) + b"BlbE"
        blob[tail:tail + 4] = struct.pack("<I", zlib.adler32(bytes(blob[:tail])))
        struct.pack_into("<III", page, (i + 2) * 16 + 4, i + 1, (4096 + len(blobs)) // 16, blocks)
        blobs += bytes(blob)
    return bytes(page) + blobs


def rpm_bdb(headers, order):
    """A Berkeley DB hash Packages with 512-byte pages: every header on overflow pages."""
    size = 512
    pages = []
    items = [struct.pack(order + "BI", 1, 0), struct.pack(order + "BI", 1, len(headers) + 1)]
    chains = []
    for h in headers:
        room = size - 26
        first = 2 + sum(len(c) for c in chains)
        chain = [h[at:at + room] for at in range(0, len(h), room)]
        chains.append(chain)
        items += [struct.pack(order + "BI", 1, len(chains)), struct.pack(order + "B3xII", 3, first, len(h))]
    hash_page = bytearray(size)
    end = size
    for i, item in enumerate(items):
        end -= len(item)
        hash_page[end:end + len(item)] = item
        struct.pack_into(order + "H", hash_page, 26 + 2 * i, end)
    struct.pack_into(order + "IIIHHBB", hash_page, 8, 1, 0, 0, len(items), end, 0, 13)
    pages.append(bytes(hash_page))
    n = 2
    for chain in chains:
        for k, part in enumerate(chain):
            p = bytearray(size)
            nxt = n + 1 if k + 1 < len(chain) else 0
            struct.pack_into(order + "IIIHHBB", p, 8, n, n - 1, nxt, 1, len(part), 0, 7)
            p[26:26 + len(part)] = part
            pages.append(bytes(p))
            n += 1
    meta = bytearray(size)
    struct.pack_into(order + "IIIIBBBBII", meta, 8, 0, 0x061561, 9, size, 0, 8, 0, 0, 0, len(pages))
    return bytes(meta) + b"".join(pages)


def rpm_seeds(seen):
    if not PKGDB.is_dir():
        print("fuzz_pkg_rpm: ../shared/corpus/pkgdb is absent, no seeds")
        return
    headers = rpm_headers()
    for h in headers:
        write("fuzz_pkg_rpm", h, seen)
    small = headers[:2]
    write("fuzz_pkg_rpm", rpm_sqlite(small), seen)
    write("fuzz_pkg_rpm", rpm_ndb(small), seen)
    write("fuzz_pkg_rpm", rpm_bdb(small, "<"), seen)
    write("fuzz_pkg_rpm", rpm_bdb(small, ">"), seen)


def main():
    targets = ("fuzz_archive", "fuzz_json", "fuzz_layer", "fuzz_query", "fuzz_refs", "fuzz_pkg_text", "fuzz_pkg_rpm")
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
    rpm_seeds(seen)
    for t in targets:
        print(t, len(seen[t]), "seeds")


if __name__ == "__main__":
    main()
