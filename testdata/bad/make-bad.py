#!/usr/bin/env python3
"""Makes the malformed-input fixtures in testdata/bad/, one small archive per case.

Every fixture is derived from the committed good fixtures (testdata/sample.tar,
testdata/skopeo-oci-gzip.tar, testdata/skopeo-oci-zstd.tar) and re-packed with Python's
tarfile: ustar headers, uid/gid 0, every outer mtime EPOCH, entries in a fixed order (sorted
by name unless the case needs another order), so re-running gives the same bytes for the
same gzip/zstd versions. Each case breaks one thing and keeps the rest of the archive
consistent (a changed config gets a new digest, and the manifest and index.json that name
it are rewritten), so exactly the check the case is about fails. See README.md.

    python3 testdata/bad/make-bad.py            # rewrites every fixture in testdata/bad/
    python3 testdata/bad/make-bad.py --out DIR  # writes them somewhere else
    python3 testdata/bad/make-bad.py --only NAME [--only NAME ...]

Needs python3 (stdlib only) and the zstd command.
"""
import argparse
import gzip
import hashlib
import io
import json
import pathlib
import subprocess
import sys
import tarfile
import threading
import zlib

HERE = pathlib.Path(__file__).resolve().parent
TESTDATA = HERE.parent
EPOCH = 1700000000  # the same epoch as testdata/make-fixtures.sh
MiB = 1 << 20


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prng(n: int, seed: bytes) -> bytes:
    """n deterministic pseudo-random bytes (sha256 in counter mode)."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(seed + i.to_bytes(8, "big")).digest()
        i += 1
    return bytes(out[:n])


# ---------------------------------------------------------------------------------------
# Outer tar reading and writing


class Entry:
    """One outer-archive entry: a regular file ('0'), a directory ('5') or a symlink ('2')."""

    def __init__(self, name, data=b"", type="0", link="", mode=0o644):
        self.name, self.data, self.type, self.link, self.mode = name, data, type, link, mode


def read_tar(path):
    entries = []
    with tarfile.open(path) as t:
        for m in t.getmembers():
            if m.isfile():
                entries.append(Entry(m.name, t.extractfile(m).read(), "0", "", m.mode & 0o7777))
            elif m.isdir():
                entries.append(Entry(m.name, b"", "5", "", m.mode & 0o7777))
            elif m.issym():
                entries.append(Entry(m.name, b"", "2", m.linkname, m.mode & 0o7777))
            else:
                raise SystemExit(f"{path}: {m.name}: unexpected entry type")
    return entries


def tar_bytes(entries):
    """The outer tar (ustar headers, then two zero blocks and no record padding, as Go's
    archive/tar and so skopeo end a tar), and the offset of each entry's header in it."""
    buf = io.BytesIO()
    offsets = {}
    for e in entries:
        ti = tarfile.TarInfo(e.name)
        ti.mtime, ti.mode, ti.uid, ti.gid, ti.uname, ti.gname = EPOCH, e.mode, 0, 0, "root", "root"
        ti.type = {"0": tarfile.REGTYPE, "5": tarfile.DIRTYPE, "2": tarfile.SYMTYPE}[e.type]
        ti.linkname = e.link
        ti.size = len(e.data) if e.type == "0" else 0
        offsets[e.name] = buf.tell()
        buf.write(ti.tobuf(format=tarfile.USTAR_FORMAT))
        if e.type == "0":
            buf.write(e.data + bytes((-len(e.data)) % 512))
    buf.write(bytes(1024))
    return buf.getvalue(), offsets


# ---------------------------------------------------------------------------------------
# Layer tars (the bombs)


def layer_tar_stream(name, size, chunk_fn):
    """Yields a one-file layer tar: header, `size` bytes from chunk_fn(offset, n), padding,
    and tarfile's end-of-archive blocks and record padding."""
    ti = tarfile.TarInfo(name)
    ti.size, ti.mtime, ti.mode, ti.uname, ti.gname = size, EPOCH, 0o644, "root", "root"
    yield ti.tobuf(format=tarfile.USTAR_FORMAT)
    written = 512
    off = 0
    while off < size:
        n = min(MiB, size - off)
        yield chunk_fn(off, n)
        off += n
    written += size
    pad = (-size) % 512 + 1024
    written += pad
    pad += (-written) % tarfile.RECORDSIZE
    yield bytes(pad)


def zeros(off, n):
    return bytes(n)


def sprinkled(off, n):
    """Mostly zeros, with 768 pseudo-random bytes at the start of every MiB, so that zstd
    compresses it about 1300:1 (above --max-ratio 100, below the default 2000)."""
    block = bytearray(n)
    if off % MiB == 0:
        r = prng(768, b"tarsier zstd bomb %d" % (off // MiB))
        block[: len(r)] = r[:n]
    return bytes(block)


def gzip_layer(chunks):
    """gzip -9 of the stream (mtime 0, no name), and the stream's diff_id and size."""
    h = hashlib.sha256()
    total = 0
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        for c in chunks:
            h.update(c)
            total += len(c)
            gz.write(c)
    return out.getvalue(), h.hexdigest(), total


def zstd_layer(chunks, level=19):
    """`zstd -<level>` of the stream (content checksum on, the CLI default)."""
    h = hashlib.sha256()
    total = 0
    p = subprocess.Popen(["zstd", f"-{level}", "-q", "-c", "-T1", "--no-progress", "-"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    result = {}
    reader = threading.Thread(target=lambda: result.setdefault("out", p.stdout.read()))
    reader.start()
    for c in chunks:
        h.update(c)
        total += len(c)
        p.stdin.write(c)
    p.stdin.close()
    reader.join()
    if p.wait() != 0:
        raise SystemExit("zstd failed")
    return result["out"], h.hexdigest(), total


# ---------------------------------------------------------------------------------------
# The OCI archives (skopeo oci-archive)


def patch_descriptor(raw: bytes, old_hex, old_size, new_hex, new_size) -> bytes:
    """Replaces the one descriptor `"digest":"sha256:<old>","size":<n>` in a JSON document,
    keeping the writer's bytes otherwise."""
    old = b'"digest":"sha256:%s","size":%d' % (old_hex.encode(), old_size)
    new = b'"digest":"sha256:%s","size":%d' % (new_hex.encode(), new_size)
    if raw.count(old) != 1:
        raise SystemExit(f"descriptor sha256:{old_hex} size {old_size} found {raw.count(old)} times")
    return raw.replace(old, new)


class Oci:
    """A skopeo OCI archive as blobs + index.json + oci-layout; every change keeps the
    descriptors that name the changed blob right, up to index.json."""

    def __init__(self, path):
        self.blobs = {}
        self.links = {}  # blob hex -> symlink target, written in the blob's place
        for e in read_tar(TESTDATA / path):
            if e.name.startswith("blobs/sha256/") and e.type == "0":
                self.blobs[e.name.rsplit("/", 1)[1]] = e.data
            elif e.name == "index.json":
                self.index = e.data
            elif e.name == "oci-layout":
                self.layout = e.data

    @property
    def manifest_hex(self):
        (m,) = json.loads(self.index)["manifests"]
        return m["digest"].split(":", 1)[1]

    def manifest(self):
        return json.loads(self.blobs[self.manifest_hex])

    def config_hex(self):
        return self.manifest()["config"]["digest"].split(":", 1)[1]

    def layer_hex(self, i):
        return self.manifest()["layers"][i]["digest"].split(":", 1)[1]

    def set_manifest(self, raw: bytes):
        old = self.manifest_hex
        old_size = len(self.blobs.pop(old))
        self.blobs[sha(raw)] = raw
        self.index = patch_descriptor(self.index, old, old_size, sha(raw), len(raw))

    def replace_blob(self, old_hex, data: bytes):
        """Stores `data` under its own digest in place of blob old_hex and rewrites the
        manifest's descriptor, the manifest digest and index.json."""
        old_size = len(self.blobs.pop(old_hex))
        self.blobs[sha(data)] = data
        self.set_manifest(patch_descriptor(self.blobs[self.manifest_hex], old_hex, old_size, sha(data), len(data)))

    def entries(self, last=()):
        """Entries as skopeo orders them (blobs/, blobs/sha256/, blobs by name, index.json,
        oci-layout); blobs named in `last` go at the very end, in that order."""
        out = [Entry("blobs", type="5", mode=0o755), Entry("blobs/sha256", type="5", mode=0o755)]
        for h in sorted(set(self.blobs) | set(self.links)):
            if h in self.links:
                out.append(Entry("blobs/sha256/" + h, type="2", link=self.links[h], mode=0o777))
            elif h not in last:
                out.append(Entry("blobs/sha256/" + h, self.blobs[h]))
        out.append(Entry("index.json", self.index))
        out.append(Entry("oci-layout", self.layout))
        for h in last:
            out.append(Entry("blobs/sha256/" + h, self.blobs[h]))
        return out

    def single_layer(self, layer: bytes, diff_id_hex, media_type, created_by):
        """Replaces the image by one with a single layer (the bombs): a new config with
        rootfs.diff_ids and history for that one layer, a new manifest, index.json."""
        cfg = json.loads(self.blobs[self.config_hex()])
        cfg["rootfs"]["diff_ids"] = ["sha256:" + diff_id_hex]
        cfg["history"] = [{"created": "2023-11-14T22:13:20Z", "created_by": created_by}]
        cfg_raw = json.dumps(cfg, separators=(",", ":")).encode()
        m = self.manifest()
        m["config"]["digest"], m["config"]["size"] = "sha256:" + sha(cfg_raw), len(cfg_raw)
        m["layers"] = [{"mediaType": media_type, "digest": "sha256:" + sha(layer), "size": len(layer)}]
        m_raw = json.dumps(m, separators=(",", ":")).encode()
        self.blobs = {sha(cfg_raw): cfg_raw, sha(layer): layer}
        old = json.loads(self.index)["manifests"][0]
        self.blobs[sha(m_raw)] = m_raw
        self.index = patch_descriptor(self.index, old["digest"].split(":", 1)[1], old["size"], sha(m_raw), len(m_raw))


# ---------------------------------------------------------------------------------------
# The docker-archive (skopeo docker-archive), trimmed to two layers


SAMPLE_L2 = "2e4ffd0fd4d9572f6f4a00eec84ef40038a7e90bf48bfb2eaebd4bd613ee7a47"
SAMPLE_L3 = "091470e9cf8f6cfa213d82669fe688e00d12d35eb297c08fad41518488a442fa"
SAMPLE_V1_L2 = "7813860dbb3d7bf0cddb06696622f442de4847bbfd53d205fa145abe0b55bb80"
SAMPLE_V1_L3 = "cfeeeaff151735b2aa3458857dcac10bce0c2b764ad9579b8ea824afd1a1f34d"


class Docker:
    """sample.tar cut down to its last two layers (3 and 3.5 KiB, where the first two are
    19 and 28 KiB) so that the docker-archive cases stay small: the config lists those two
    diff_ids and the history entries from the first of them on (`rm /app/data/cache.txt`,
    the empty CMD, the COPY, the empty LABEL), and is stored under its new digest; the
    two `<v1id>/` directories stay (the lower one loses its `parent`), `repositories` is
    unchanged. Everything else is skopeo's docker-archive dialect as in sample.tar."""

    def __init__(self):
        src = {e.name: e for e in read_tar(TESTDATA / "sample.tar")}
        (m,) = json.loads(src["manifest.json"].data)
        cfg = json.loads(src[m["Config"]].data)
        cfg["rootfs"]["diff_ids"] = ["sha256:" + SAMPLE_L2, "sha256:" + SAMPLE_L3]
        cfg["history"] = cfg["history"][3:]
        self.layers = {h: src[h + ".tar"].data for h in (SAMPLE_L2, SAMPLE_L3)}
        self.v1 = {}
        for v1, layer in ((SAMPLE_V1_L2, SAMPLE_L2), (SAMPLE_V1_L3, SAMPLE_L3)):
            j = json.loads(src[v1 + "/json"].data)
            if v1 == SAMPLE_V1_L2:
                j.pop("parent")
            self.v1[v1] = {"VERSION": src[v1 + "/VERSION"].data, "json": json.dumps(j, separators=(",", ":")).encode(),
                           "link": "../" + layer + ".tar"}
        self.repo_tags = m["RepoTags"]
        self.repositories = src["repositories"].data
        self.set_config(json.dumps(cfg, separators=(",", ":")).encode())
        self.layer_paths = [SAMPLE_L2 + ".tar", SAMPLE_L3 + ".tar"]
        self.manifest_raw = None  # None: written from the fields above

    def set_config(self, raw: bytes):
        self.config = raw
        self.config_name = sha(raw) + ".json"

    def manifest(self) -> bytes:
        if self.manifest_raw is not None:
            return self.manifest_raw
        return json.dumps([{"Config": self.config_name, "RepoTags": self.repo_tags, "Layers": self.layer_paths}],
                          separators=(",", ":")).encode()

    def entries(self, order="sorted"):
        """Sorted by name; order="layers-last" puts manifest.json, repositories, the config
        and the v1 directories first and the layers last, base first (truncation cases)."""
        meta = [Entry("manifest.json", self.manifest(), mode=0o444), Entry("repositories", self.repositories, mode=0o444),
                Entry(self.config_name, self.config, mode=0o444)]
        for v1, f in self.v1.items():
            meta += [Entry(v1 + "/VERSION", f["VERSION"], mode=0o444), Entry(v1 + "/json", f["json"], mode=0o444),
                     Entry(v1 + "/layer.tar", type="2", link=f["link"], mode=0)]
        layers = [Entry(h + ".tar", data, mode=0o444) for h, data in self.layers.items()]
        if order == "layers-last":
            return meta + layers
        return sorted(meta + layers, key=lambda e: e.name)


# ---------------------------------------------------------------------------------------
# The cases


def flip_in_member(layer: bytes, member: str, at: int) -> bytes:
    """Flips one bit of byte `at` of `member`'s content inside an uncompressed layer tar."""
    with tarfile.open(fileobj=io.BytesIO(layer)) as t:
        off = t.getmember(member).offset_data
    b = bytearray(layer)
    b[off + at] ^= 0x20
    return bytes(b)


def must_not_gunzip(data):
    try:
        gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return data
    raise SystemExit("the corrupted gzip stream still decodes")


def must_not_unzstd(data):
    r = subprocess.run(["zstd", "-t", "-q", "-"], input=data, capture_output=True)
    if r.returncode == 0:
        raise SystemExit("the corrupted zstd stream still decodes")
    return data


def docker_layer_flipped_byte():
    d = Docker()
    d.layers[SAMPLE_L2] = flip_in_member(d.layers[SAMPLE_L2], "etc/motd", 0)  # "Welcome" -> "welcome"
    return tar_bytes(d.entries())[0]


def docker_wrong_diff_id():
    d = Docker()
    wrong = "0" * 64
    d.set_config(d.config.replace(SAMPLE_L3.encode(), wrong.encode()))
    return tar_bytes(d.entries())[0]


def docker_missing_layer():
    d = Docker()
    del d.layers[SAMPLE_L3]  # manifest.json still names it; cfeeeaff…/layer.tar dangles
    return tar_bytes(d.entries())[0]


def docker_manifest_json_malformed():
    d = Docker()
    raw = d.manifest()
    assert raw.endswith(b"]}]")
    d.manifest_raw = raw[:-2]  # unterminated: ...,"<hex>.tar"]
    return tar_bytes(d.entries())[0]


def docker_config_malformed():
    d = Docker()
    assert d.config.count(b',"os":') == 1
    d.set_config(d.config.replace(b',"os":', b',"os" '))  # a missing colon
    return tar_bytes(d.entries())[0]


def docker_layer_path_escape():
    d = Docker()
    d.layer_paths[0] = "../../etc/passwd"
    return tar_bytes(d.entries())[0]


def docker_layer_symlink_escape():
    d = Docker()
    d.v1[SAMPLE_V1_L2]["link"] = "../../etc/passwd"
    d.layer_paths[0] = SAMPLE_V1_L2 + "/layer.tar"
    return tar_bytes(d.entries())[0]


def docker_truncated_in_layer():
    d = Docker()
    data, offsets = tar_bytes(d.entries(order="layers-last"))
    start = offsets[SAMPLE_L3 + ".tar"] + 512
    return data[: start + len(d.layers[SAMPLE_L3]) // 2]


def docker_truncated_in_header():
    d = Docker()
    data, offsets = tar_bytes(d.entries(order="layers-last"))
    return data[: offsets[SAMPLE_L3 + ".tar"] + 200]


def docker_truncated_in_first_header():
    d = Docker()
    data, offsets = tar_bytes(d.entries(order="layers-last"))
    assert offsets["manifest.json"] == 0
    return data[:300]


def oci_blob_symlink_escape():
    o = Oci("skopeo-oci-gzip.tar")
    h = o.layer_hex(0)
    del o.blobs[h]
    o.links[h] = "../../../outside/" + h  # blobs/sha256/<hex> -> <archive>/../outside/<hex>
    return tar_bytes(o.entries())[0]


def oci_gzip_layer_flipped_byte():
    o = Oci("skopeo-oci-gzip.tar")
    h = o.layer_hex(1)
    b = bytearray(o.blobs[h])
    b[len(b) // 2] ^= 0x01
    o.blobs[h] = bytes(b)  # same name, other bytes
    return tar_bytes(o.entries())[0]


def oci_wrong_diff_id():
    o = Oci("skopeo-oci-gzip.tar")
    cfg = o.blobs[o.config_hex()]
    real = json.loads(cfg)["rootfs"]["diff_ids"][1].split(":", 1)[1]
    o.replace_blob(o.config_hex(), cfg.replace(real.encode(), b"0" * 64))
    return tar_bytes(o.entries())[0]


def oci_wrong_descriptor_size():
    o = Oci("skopeo-oci-gzip.tar")
    h = o.layer_hex(0)
    n = len(o.blobs[h])
    o.set_manifest(patch_descriptor(o.blobs[o.manifest_hex], h, n, h, n + 1))
    return tar_bytes(o.entries())[0]


def oci_missing_blob():
    o = Oci("skopeo-oci-gzip.tar")
    del o.blobs[o.layer_hex(0)]
    return tar_bytes(o.entries())[0]


def oci_unreferenced_blob():
    o = Oci("skopeo-oci-gzip.tar")
    stray = b'{"note":"a blob that no descriptor names"}\n'
    o.blobs[sha(stray)] = stray
    return tar_bytes(o.entries())[0]


def oci_index_json_malformed():
    o = Oci("skopeo-oci-gzip.tar")
    assert o.index.endswith(b"}]}")
    o.index = o.index[:-2] + b",]}"  # a trailing comma in "manifests"
    return tar_bytes(o.entries())[0]


def oci_config_malformed():
    o = Oci("skopeo-oci-gzip.tar")
    cfg = o.blobs[o.config_hex()]
    assert cfg.count(b',"os":') == 1
    o.replace_blob(o.config_hex(), cfg.replace(b',"os":', b',"os" '))
    return tar_bytes(o.entries())[0]


def corrupt_middle(data: bytes) -> bytes:
    b = bytearray(data)
    mid = len(b) // 2
    b[mid : mid + 16] = b"\xff" * 16
    return bytes(b)


def oci_gzip_corrupt_midstream():
    o = Oci("skopeo-oci-gzip.tar")
    h = o.layer_hex(1)
    o.replace_blob(h, must_not_gunzip(corrupt_middle(o.blobs[h])))
    return tar_bytes(o.entries())[0]


def oci_zstd_corrupt_midstream():
    o = Oci("skopeo-oci-zstd.tar")
    h = o.layer_hex(1)
    o.replace_blob(h, must_not_unzstd(corrupt_middle(o.blobs[h])))
    return tar_bytes(o.entries())[0]


def oci_gzip_truncated_in_layer():
    o = Oci("skopeo-oci-gzip.tar")
    h = o.layer_hex(1)
    data, offsets = tar_bytes(o.entries(last=(h,)))
    start = offsets["blobs/sha256/" + h] + 512
    return data[: start + len(o.blobs[h]) // 2]


def oci_gzip_bomb():
    size = 66 * MiB
    layer, diff_id, _ = gzip_layer(layer_tar_stream("zeros.bin", size, zeros))
    o = Oci("skopeo-oci-gzip.tar")
    o.single_layer(layer, diff_id, "application/vnd.oci.image.layer.v1.tar+gzip",
                   "/bin/sh -c head -c 69206016 /dev/zero > /zeros.bin")
    return tar_bytes(o.entries())[0]


def oci_zstd_bomb():
    size = 66 * MiB
    layer, diff_id, _ = zstd_layer(layer_tar_stream("sprinkled.bin", size, sprinkled))
    o = Oci("skopeo-oci-zstd.tar")
    o.single_layer(layer, diff_id, "application/vnd.oci.image.layer.v1.tar+zstd",
                   "/bin/sh -c make-sprinkled 69206016 > /sprinkled.bin")
    return tar_bytes(o.entries())[0]


def oci_zstd_bomb_1g():
    size = 1024 * MiB
    layer, diff_id, _ = zstd_layer(layer_tar_stream("zeros.bin", size, zeros))
    o = Oci("skopeo-oci-zstd.tar")
    o.single_layer(layer, diff_id, "application/vnd.oci.image.layer.v1.tar+zstd",
                   "/bin/sh -c head -c 1073741824 /dev/zero > /zeros.bin")
    return tar_bytes(o.entries())[0]


CASES = {
    "docker-layer-flipped-byte.tar": docker_layer_flipped_byte,
    "docker-wrong-diff-id.tar": docker_wrong_diff_id,
    "docker-missing-layer.tar": docker_missing_layer,
    "docker-manifest-json-malformed.tar": docker_manifest_json_malformed,
    "docker-config-malformed.tar": docker_config_malformed,
    "docker-layer-path-escape.tar": docker_layer_path_escape,
    "docker-layer-symlink-escape.tar": docker_layer_symlink_escape,
    "docker-truncated-in-layer.tar": docker_truncated_in_layer,
    "docker-truncated-in-header.tar": docker_truncated_in_header,
    "docker-truncated-in-first-header.tar": docker_truncated_in_first_header,
    "oci-gzip-layer-flipped-byte.tar": oci_gzip_layer_flipped_byte,
    "oci-wrong-diff-id.tar": oci_wrong_diff_id,
    "oci-wrong-descriptor-size.tar": oci_wrong_descriptor_size,
    "oci-missing-blob.tar": oci_missing_blob,
    "oci-unreferenced-blob.tar": oci_unreferenced_blob,
    "oci-index-json-malformed.tar": oci_index_json_malformed,
    "oci-config-malformed.tar": oci_config_malformed,
    "oci-gzip-corrupt-midstream.tar": oci_gzip_corrupt_midstream,
    "oci-zstd-corrupt-midstream.tar": oci_zstd_corrupt_midstream,
    "oci-gzip-truncated-in-layer.tar": oci_gzip_truncated_in_layer,
    "oci-blob-symlink-escape.tar": oci_blob_symlink_escape,
    "oci-gzip-bomb.tar": oci_gzip_bomb,
    "oci-zstd-bomb.tar": oci_zstd_bomb,
    "oci-zstd-bomb-1g.tar": oci_zstd_bomb_1g,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=pathlib.Path, default=HERE, help="where to write (default: testdata/bad/)")
    ap.add_argument("--only", action="append", choices=sorted(CASES), help="make only this fixture")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.only or CASES:
        data = CASES[name]()
        (args.out / name).write_bytes(data)
        print(f"{len(data):8d}  {name}")


if __name__ == "__main__":
    sys.exit(main())
