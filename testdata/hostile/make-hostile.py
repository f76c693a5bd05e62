#!/usr/bin/env python3
"""Makes the hostile-input fixtures of testdata/hostile/: one archive per attack, each
built to break exactly one thing that tarsier reads (see README.md for each case's
expected verdict, and tests/hostile/run_hostile.py for what is asserted).

Every fixture is built from scratch here with Python's tarfile (plus hand-made headers
where tarfile refuses: base-256 and negative sizes, truncations), gzip and the `zstd`
command: ustar or PAX headers, uid/gid 0 `root/root`, mtime EPOCH, so re-running gives the
same bytes (for the same zlib and zstd). The images are tiny (one or two layers of one or
two files) so that the committed fixtures stay small; the cases that would be large
(200,000 files, a 64 MiB PAX record, 100,000-deep JSON, a 50 MiB JSON string, ...) are
not committed: they are made at test time, into a temporary directory, by
tests/hostile/run_hostile.py, which imports this file.

    python3 testdata/hostile/make-hostile.py            # rewrites the committed fixtures
    python3 testdata/hostile/make-hostile.py --out DIR [--all]  # elsewhere (--all: with the test-time cases)
    python3 testdata/hostile/make-hostile.py --out DIR --only NAME [--only NAME ...]

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

HERE = pathlib.Path(__file__).resolve().parent
EPOCH = 1700000000  # the epoch of testdata/make-fixtures.sh and testdata/bad/make-bad.py
MiB = 1 << 20


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def jdump(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


# ---------------------------------------------------------------------------------------
# Tar headers


def header(name, size=0, type=tarfile.REGTYPE, link="", mode=0o644, fmt=tarfile.USTAR_FORMAT, pax=None):
    """The header block(s) of one entry (PAX records first when fmt is PAX_FORMAT)."""
    ti = tarfile.TarInfo(name)
    ti.size, ti.type, ti.linkname, ti.mode = size, type, link, mode
    ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname = EPOCH, 0, 0, "root", "root"
    if pax:
        ti.pax_headers = dict(pax)
    return ti.tobuf(format=fmt, encoding="utf-8", errors="surrogateescape")


def raw_header(name: bytes, size_field: bytes, type=b"0", link: bytes = b"") -> bytes:
    """A ustar header written byte by byte, so that the size field can say anything
    (base-256, negative, overflowing); the checksum is right."""
    b = bytearray(512)
    b[0:len(name)] = name
    b[100:108] = b"0000644\0"
    b[108:116] = b"0000000\0"
    b[116:124] = b"0000000\0"
    assert len(size_field) == 12
    b[124:136] = size_field
    b[136:148] = b"%011o\0" % EPOCH
    b[156:157] = type
    b[157:157 + len(link)] = link
    b[257:265] = b"ustar\x0000"
    b[265:269] = b"root"
    b[297:301] = b"root"
    b[148:156] = b" " * 8
    b[148:156] = b"%06o\0 " % sum(b)
    return bytes(b)


def base256(value: int) -> bytes:
    """A 12-byte GNU base-256 number (two's complement, first bit set)."""
    return (value % (1 << 95) | (1 << 95)).to_bytes(12, "big")


def pad(data: bytes) -> bytes:
    return data + bytes((-len(data)) % 512)


class F:
    """One layer entry: a file ('0'), directory ('5'), symlink ('2') or hardlink ('1')."""

    def __init__(self, name, data=b"", type="0", link="", pax=None):
        self.name, self.data, self.type, self.link, self.pax = name, data, type, link, pax


def layer_tar(files, end=True) -> bytes:
    """An uncompressed layer: each entry's header(s) and data, then two zero blocks (Go's
    ending; no record padding). Names that are not valid UTF-8 go in as raw bytes."""
    out = io.BytesIO()
    for f in files:
        t = {"0": tarfile.REGTYPE, "5": tarfile.DIRTYPE, "2": tarfile.SYMTYPE, "1": tarfile.LNKTYPE}[f.type]
        name = f.name
        need_pax = f.pax or len(name.encode("utf-8", "surrogateescape")) > 100 or len(f.link) > 100
        out.write(header(name, len(f.data) if f.type == "0" else 0, t, f.link, 0o755 if f.type == "5" else 0o644,
                         tarfile.PAX_FORMAT if need_pax else tarfile.USTAR_FORMAT, f.pax))
        if f.type == "0":
            out.write(pad(f.data))
    if end:
        out.write(bytes(1024))
    return out.getvalue()


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def zst(data: bytes) -> bytes:
    return subprocess.run(["zstd", "-19", "-q", "-c", "-T1", "--no-progress", "-"], input=data,
                          stdout=subprocess.PIPE, check=True).stdout


def decoded(layer: bytes) -> bytes:
    """The layer's uncompressed tar (for its diff_id)."""
    if layer[:2] == b"\x1f\x8b":
        return gzip.decompress(layer)
    if layer[:4] == b"\x28\xb5\x2f\xfd":
        return subprocess.run(["zstd", "-d", "-q", "-c"], input=layer, stdout=subprocess.PIPE, check=True).stdout
    return layer


HELLO = layer_tar([F("etc", type="5"), F("etc/motd", b"hello from a hostile fixture\n")])


# ---------------------------------------------------------------------------------------
# Outer archives


class Entry:
    """An outer-archive entry: regular file ('0'), directory ('5'), symlink ('2'),
    hardlink ('1'), or raw bytes written as they are ('raw')."""

    def __init__(self, name, data=b"", type="0", link=""):
        self.name, self.data, self.type, self.link = name, data, type, link


def outer_tar(entries, end=True) -> bytes:
    out = io.BytesIO()
    for e in entries:
        if e.type == "raw":
            out.write(e.data)
            continue
        t = {"0": tarfile.REGTYPE, "5": tarfile.DIRTYPE, "2": tarfile.SYMTYPE, "1": tarfile.LNKTYPE}[e.type]
        fmt = tarfile.PAX_FORMAT if len(e.name.encode("utf-8", "surrogateescape")) > 100 else tarfile.USTAR_FORMAT
        out.write(header(e.name, len(e.data) if e.type == "0" else 0, t, e.link,
                         0o755 if e.type == "5" else 0o444, fmt))
        if e.type == "0":
            out.write(pad(e.data))
    if end:
        out.write(bytes(1024))
    return out.getvalue()


def config_doc(diff_ids, history=None, **extra):
    cfg = {"architecture": "amd64", "os": "linux", "created": "2023-11-14T22:13:20Z",
           "config": {"Env": ["PATH=/usr/bin:/bin"], "Cmd": ["/bin/sh"]},
           "rootfs": {"type": "layers", "diff_ids": ["sha256:" + d for d in diff_ids]},
           "history": history if history is not None else
           [{"created": "2023-11-14T22:13:20Z", "created_by": f"/bin/sh -c #(nop) ADD layer {i}"}
            for i in range(len(diff_ids))]}
    cfg.update(extra)
    return cfg


class Docker:
    """A docker-archive as skopeo writes it: `<diff_id>.tar` layers (or `<digest>.tar.gz`
    for compressed ones), `<config digest>.json`, manifest.json. Change any field before
    calling entries(); raw documents (config_raw, manifest_raw) win over the fields."""

    def __init__(self, layers=(HELLO,), tags=("hostile/image:latest",)):
        self.layers = list(layers)
        self.tags = list(tags)
        self.history = None
        self.config_extra = {}
        self.config_raw = None
        self.manifest_raw = None
        self.manifest_patch = {}
        self.layer_paths = None
        self.extra = []

    def layer_name(self, data):
        return sha(data) + (".tar" if decoded(data) is data else ".tar.gz")

    def config(self) -> bytes:
        if self.config_raw is not None:
            return self.config_raw
        return jdump(config_doc([sha(decoded(l)) for l in self.layers], self.history, **self.config_extra))

    def config_name(self):
        return sha(self.config()) + ".json"

    def manifest(self) -> bytes:
        if self.manifest_raw is not None:
            return self.manifest_raw
        m = {"Config": self.config_name(), "RepoTags": self.tags,
             "Layers": self.layer_paths if self.layer_paths is not None else [self.layer_name(l) for l in self.layers]}
        m.update(self.manifest_patch)
        return jdump([m])

    def entries(self):
        out = [Entry("manifest.json", self.manifest()), Entry(self.config_name(), self.config())]
        seen = set()
        for l in self.layers:
            if self.layer_name(l) not in seen:
                seen.add(self.layer_name(l))
                out.append(Entry(self.layer_name(l), l))
        return out + self.extra

    def tar(self):
        return outer_tar(self.entries())


MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = {b"\x1f\x8b": "application/vnd.oci.image.layer.v1.tar+gzip",
            b"\x28\xb5": "application/vnd.oci.image.layer.v1.tar+zstd"}


class Oci:
    """An OCI image layout as a tar: blobs/sha256/*, index.json, oci-layout; raw
    documents (config_raw, manifest_raw, index_raw) win over the generated ones."""

    def __init__(self, layers=(HELLO,), ref="hostile/image:latest"):
        self.layers = list(layers)
        self.ref = ref
        self.history = None
        self.config_extra = {}
        self.config_raw = None
        self.manifest_raw = None
        self.index_raw = None
        self.manifest_patch = {}
        self.index_patch = {}
        self.extra = []

    def config(self):
        if self.config_raw is not None:
            return self.config_raw
        return jdump(config_doc([sha(decoded(l)) for l in self.layers], self.history, **self.config_extra))

    def manifest(self):
        if self.manifest_raw is not None:
            return self.manifest_raw
        cfg = self.config()
        m = {"schemaVersion": 2, "mediaType": MT_MANIFEST,
             "config": {"mediaType": MT_CONFIG, "digest": "sha256:" + sha(cfg), "size": len(cfg)},
             "layers": [{"mediaType": MT_LAYER.get(l[:2], "application/vnd.oci.image.layer.v1.tar"),
                         "digest": "sha256:" + sha(l), "size": len(l)} for l in self.layers]}
        m.update(self.manifest_patch)
        return jdump(m)

    def index(self):
        if self.index_raw is not None:
            return self.index_raw
        m = self.manifest()
        x = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [{"mediaType": MT_MANIFEST, "digest": "sha256:" + sha(m), "size": len(m),
                            "annotations": {"org.opencontainers.image.ref.name": self.ref}}]}
        x.update(self.index_patch)
        return jdump(x)

    def entries(self):
        blobs = {sha(b): b for b in [self.config(), self.manifest(), *self.layers]}
        out = [Entry("blobs", type="5"), Entry("blobs/sha256", type="5")]
        out += [Entry("blobs/sha256/" + h, blobs[h]) for h in sorted(blobs)]
        out += [Entry("index.json", self.index()), Entry("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')]
        return out + self.extra

    def tar(self):
        return outer_tar(self.entries())


# ---------------------------------------------------------------------------------------
# The cases. Each returns the archive's bytes; LARGE ones are made at test time only.

TAG = "hostile/image:latest"


def outer_traversal_names():
    """Outer entries that leave the root: a decoy manifest.json one level up, a file
    written far above the root; the real image is intact."""
    d = Docker()
    decoy = jdump([{"Config": "../evil.json", "RepoTags": ["decoy:latest"], "Layers": []}])
    d.extra = [Entry("../manifest.json", decoy), Entry("../../../../tmp/tarsier-hostile-evil", b"x\n"),
               Entry("a/../../escape.json", b"{}")]
    return d.tar()


def outer_absolute_names():
    """Every outer entry name starts with '/': normalised to the root, the image reads."""
    d = Docker()
    entries = d.entries()
    for e in entries:
        e.name = "/" + e.name
    return outer_tar(entries)


def docker_with_layer_path(path, extra):
    d = Docker()
    d.layer_paths = [path]
    name = d.layer_name(HELLO)
    d.extra = [Entry(x.name, x.data, x.type, x.link.replace("@LAYER@", name)) for x in extra]
    return d


def outer_layer_symlink_loop():
    """manifest.json names a/layer.tar -> ../b/layer.tar -> ../a/layer.tar."""
    return docker_with_layer_path("a/layer.tar", [Entry("a/layer.tar", type="2", link="../b/layer.tar"),
                                                  Entry("b/layer.tar", type="2", link="../a/layer.tar")]).tar()


def outer_layer_symlink_self():
    """manifest.json names x/layer.tar -> layer.tar (itself)."""
    return docker_with_layer_path("x/layer.tar", [Entry("x/layer.tar", type="2", link="layer.tar")]).tar()


def outer_layer_symlink_absolute():
    """x/layer.tar -> /<diff_id>.tar: an absolute target is resolved inside the archive
    (as moby's FollowSymlinkInScope does), so the image reads."""
    return docker_with_layer_path("x/layer.tar", [Entry("x/layer.tar", type="2", link="/@LAYER@")]).tar()


def outer_layer_symlink_escape_deep():
    """x/layer.tar -> ../../../../../etc/passwd (outside the root)."""
    return docker_with_layer_path("x/layer.tar", [Entry("x/layer.tar", type="2", link="../../../../../etc/passwd")]).tar()


def outer_layer_hardlink_missing():
    """manifest.json names h/layer.tar, a hardlink to an entry the archive lacks."""
    d = Docker()
    d.layer_paths = ["h/layer.tar"]
    d.layers = []
    d.config_raw = jdump(config_doc([sha(HELLO)]))
    d.extra = [Entry("h/layer.tar", type="1", link="missing/layer.tar")]
    return d.tar()


def outer_layer_hardlink_loop():
    """h/layer.tar hardlinks to g/layer.tar, which hardlinks back."""
    d = Docker()
    d.layer_paths = ["h/layer.tar"]
    d.layers = []
    d.config_raw = jdump(config_doc([sha(HELLO)]))
    d.extra = [Entry("h/layer.tar", type="1", link="g/layer.tar"), Entry("g/layer.tar", type="1", link="h/layer.tar")]
    return d.tar()


def outer_size_field(size_field):
    """The image, then an extra entry whose size field says `size_field`, then 1 KiB."""
    d = Docker()
    return outer_tar(d.entries(), end=False) + raw_header(b"junk", size_field) + bytes(1024) + bytes(1024)


def outer_base256_size_huge():
    return outer_size_field(base256(1 << 62))


def outer_base256_size_negative():
    return outer_size_field(base256(-1))


def outer_base256_size_overflow():
    return outer_size_field(base256((1 << 94) - 1))


def outer_base256_size_huge_first():
    """The same huge size on the very first entry (manifest.json) of the archive."""
    d = Docker()
    entries = d.entries()
    first = entries[0]
    return raw_header(first.name.encode(), base256(1 << 62)) + pad(first.data) + outer_tar(entries[1:])


def outer_truncated_at_entry_boundary():
    """Every entry complete, then nothing: no end-of-archive blocks."""
    d = Docker()
    return outer_tar(d.entries(), end=False)


def outer_truncated_in_end_marker():
    """Every entry complete, then one zero block of the two."""
    d = Docker()
    return outer_tar(d.entries(), end=False) + bytes(512)


def outer_truncated_in_manifest_data():
    """The file ends in the middle of manifest.json's data (the first entry)."""
    d = Docker()
    return outer_tar(d.entries())[: 512 + len(d.manifest()) // 2]


def outer_gzip_truncated_in_member():
    """A gzip-compressed outer archive cut in the middle of its deflate stream."""
    data = gz(Docker().tar())
    return data[: len(data) // 2]


def outer_gzip_truncated_in_trailer():
    """A gzip-compressed outer archive without the last 4 bytes of its trailer (ISIZE)."""
    return gz(Docker().tar())[:-4]


def outer_zstd_truncated():
    """A zstd-compressed outer archive cut in the middle."""
    data = zst(Docker().tar())
    return data[: len(data) // 2]


# --- layers ----------------------------------------------------------------------------


def layer_traversal_names():
    """Layer entries that leave the root or are absolute, beside a normal file."""
    layer = layer_tar([F("../../../etc/evil", b"evil\n"), F("/abs/file", b"absolute\n"),
                       F("a/../../b", b"dotdot\n"), F("./ok", b"ok\n")])
    return Docker([layer]).tar()


def layer_symlink_escape_write_through():
    """Layer 0: symlinks out of the root (relative and absolute); layer 1 writes a file
    through each of them."""
    l0 = layer_tar([F("escape", type="2", link="../../../../etc"), F("abs", type="2", link="/etc")])
    l1 = layer_tar([F("escape/passwd", b"root::0:0::/:/bin/sh\n"), F("abs/shadow", b"root::::::::\n")])
    return Docker([l0, l1]).tar()


def layer_hardlink_missing():
    """A hardlink to a path no layer has."""
    layer = layer_tar([F("present", b"data\n"), F("dangling", type="1", link="nowhere/at/all")])
    return Docker([layer]).tar()


def layer_hardlink_cycle():
    """Hardlinks a -> b, b -> a, and c -> c."""
    layer = layer_tar([F("a", type="1", link="b"), F("b", type="1", link="a"), F("c", type="1", link="c")])
    return Docker([layer]).tar()


def layer_hardlink_through_lower():
    """Layer 0 has target; layer 1 hardlinks to it and to a path a later whiteout removed."""
    l0 = layer_tar([F("target", b"content\n"), F("gone", b"gone\n")])
    l1 = layer_tar([F(".wh.gone", b""), F("link-ok", type="1", link="target"), F("link-gone", type="1", link="gone")])
    return Docker([l0, l1]).tar()


def size_layer_body(size_field):
    """A one-entry layer tar whose size field says `size_field`."""
    return raw_header(b"big", size_field) + bytes(512) + bytes(1024)


def layer_with_size(size_field):
    """A one-entry uncompressed layer whose size field says `size_field`."""
    return Docker([size_layer_body(size_field)]).tar()


def layer_base256_size_huge():
    return layer_with_size(base256(1 << 62))


def layer_base256_size_negative():
    return layer_with_size(base256(-1))


def layer_base256_size_overflow():
    return layer_with_size(base256((1 << 94) - 1))


def layer_gzip_base256_size_huge():
    """The huge base-256 size inside a gzip layer (OCI), read through the decoder."""
    return Oci([gz(size_layer_body(base256(1 << 62)))]).tar()


TWO_FILES = layer_tar([F("one", b"1" * 700), F("two", b"2" * 700)])


def truncated_layer_archive(cut: bytes, full: bytes):
    """A docker-archive whose layer is `cut` (stored under its own digest) while the
    config's diff_id is that of `full`: consistent except for the damage itself."""
    d = Docker([cut])
    d.config_raw = jdump(config_doc([sha(decoded(full))]))
    return d.tar()


def layer_truncated_in_header():
    return truncated_layer_archive(TWO_FILES[:512 + 1024 + 200], TWO_FILES)


def layer_truncated_in_data():
    return truncated_layer_archive(TWO_FILES[:512 + 300], TWO_FILES)


def layer_truncated_at_entry_boundary():
    """Both entries complete, no end-of-archive blocks (legal for Docker, which reads
    such layers; its diff_id is what is there)."""
    body = TWO_FILES[:-1024]
    d = Docker([body])
    return d.tar()


def layer_gzip_truncated_in_member():
    full = gz(TWO_FILES)
    return Oci_truncated(full[: len(full) // 2])


def layer_gzip_truncated_in_trailer():
    return Oci_truncated(gz(TWO_FILES)[:-4])


def layer_zstd_truncated():
    full = zst(TWO_FILES)
    return Oci_truncated(full[: len(full) // 2])


def Oci_truncated(blob):
    o = Oci([blob])
    o.config_raw = jdump(config_doc([sha(TWO_FILES)]))
    return o.tar()


def manifest_config_path_escape():
    """manifest.json Config = ../../etc/passwd (the layer is fine)."""
    d = Docker()
    d.manifest_patch = {"Config": "../../etc/passwd"}
    return d.tar()


def manifest_config_path_absolute():
    """manifest.json Config = /etc/passwd: normalised to etc/passwd inside the archive,
    where there is nothing."""
    d = Docker()
    d.manifest_patch = {"Config": "/etc/passwd"}
    return d.tar()


def repositories_doc(raw: bytes):
    """A pre-1.10 archive: only `repositories` and `<id>/json`, `<id>/layer.tar`."""
    v1 = "a" * 64
    return outer_tar([Entry("repositories", raw), Entry(v1 + "/VERSION", b"1.0"),
                      Entry(v1 + "/json", jdump({"id": v1, "created": "2023-11-14T22:13:20Z", "os": "linux"})),
                      Entry(v1 + "/layer.tar", HELLO)])


def json_type_repositories_root_array():
    return repositories_doc(b'["hostile"]')


def json_type_repositories_tag_number():
    return repositories_doc(b'{"hostile/image":{"latest":42}}')


# --- names -----------------------------------------------------------------------------

BAD_UTF8 = "bad-\udcff\udcfe-name"          # the bytes ff fe, carried by surrogateescape
LATIN1 = "caf\udce9"                        # "café" in Latin-1: e9 is not UTF-8 on its own
ESCAPES = "\x1b[31mred\x1b[0m-\x1b]0;pwned\x07-\r-\x9b2J-end"


def names_invalid_utf8():
    """File names, a symlink target, a tag and a history line that are not UTF-8."""
    l0 = layer_tar([F(BAD_UTF8, b"x\n"), F(LATIN1, b"y\n"), F("bad-\udcc0\udcaf", b"overlong\n"),
                    F("link", type="2", link="target-\udcff")])
    l1 = layer_tar([F(BAD_UTF8, b"changed\n")])
    d = Docker([l0, l1])
    cfg = config_doc([sha(l0), sha(l1)], history=[{"created_by": "RUN echo \udcff\udcfe"}, {"created_by": "RUN ok"}])
    d.config_raw = json.dumps(cfg, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogateescape")
    manifest = [{"Config": d.config_name(), "RepoTags": ["hostile/\udcff:latest", "hostile/image:caf\udce9"],
                 "Layers": [d.layer_name(l0), d.layer_name(l1)]}]
    d.manifest_raw = json.dumps(manifest, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogateescape")
    return d.tar()


def names_terminal_escapes():
    """ESC, CSI (7-bit and the C1 byte), OSC, BEL and CR in file names, a symlink target,
    a tag, a label, the history's created_by and author."""
    l0 = layer_tar([F("esc-" + ESCAPES, b"x\n"), F("link-" + "\x1b[2J", type="2", link=ESCAPES)])
    l1 = layer_tar([F("esc-" + ESCAPES, b"changed\n"), F("bell\x07", b"b\n")])
    d = Docker([l0, l1], tags=["hostile/image:latest", "hostile/" + ESCAPES + ":tag"])
    d.history = [{"created_by": "RUN " + ESCAPES, "author": ESCAPES, "comment": ESCAPES},
                 {"created_by": "RUN \x1b]8;;http://evil\x07link\x1b]8;;\x07"}]
    d.config_extra = {"author": ESCAPES, "config": {"Labels": {"x": ESCAPES}, "Cmd": [ESCAPES]}}
    return d.tar()


# --- JSON ------------------------------------------------------------------------------


def json_duplicate_keys():
    """Duplicate keys everywhere tarsier reads: the last wins (as in Go)."""
    d = Docker()
    cfg = d.config()  # a valid config; the duplicates are spliced in as text
    bogus_cfg = b'{"architecture":"arm64","os":"windows",' + cfg[1:]
    cfg_dup = bogus_cfg[:-1] + b',"architecture":"amd64","os":"linux"}'
    cfg_dup = cfg_dup.replace(b'"config":{', b'"config":{"User":"evil","ExposedPorts":{"80/tcp":{},"80/tcp":{}},'
                                             b'"Labels":{"k":"first","k":"last"},"User":"good",')
    d.config_raw = cfg_dup
    name = d.config_name()
    layer = d.layer_name(HELLO)
    d.manifest_raw = (b'[{"Config":"missing.json","RepoTags":["decoy:first"],"Layers":[],'
                      b'"Config":"%s","RepoTags":["hostile/image:latest"],"Layers":["%s"]}]'
                      % (name.encode(), layer.encode()))
    return d.tar()


def json_duplicate_keys_oci():
    """index.json and the manifest with duplicate keys: the last wins."""
    o = Oci()
    m = o.manifest()
    m_dup = b'{"config":{"mediaType":"x","digest":"sha256:' + b"0" * 64 + b'","size":1},' + m[1:]
    o.manifest_raw = m_dup
    x = json.loads(o.index())
    text = jdump(x)
    o.index_raw = b'{"manifests":[],' + text[1:]
    return o.tar()


def deep(n):
    return b"[" * n + b"]" * n


def json_deep_manifest():
    d = Docker()
    d.manifest_raw = deep(100000)
    return d.tar()


def json_deep_config():
    d = Docker()
    d.config_raw = b'{"architecture":"amd64","os":"linux","config":{"Labels":{"x":' + deep(100000) + b"}}}"
    return d.tar()


def json_deep_index():
    o = Oci()
    o.index_raw = b'{"schemaVersion":2,"manifests":' + deep(100000) + b"}"
    return o.tar()


def json_deep_oci_manifest():
    o = Oci()
    o.manifest_raw = b'{"schemaVersion":2,"config":' + b'{"a":' * 100000 + b"1" + b"}" * 100000 + b"}"
    return o.tar()


def json_huge_string_config():
    """A 50 MiB string in the config's comment (under the 64 MiB document limit)."""
    d = Docker()
    d.config_extra = {"comment": "A" * (50 * MiB)}
    return d.tar()


def json_huge_config_over_limit():
    """A 70 MiB config (over the 64 MiB document limit)."""
    d = Docker()
    d.config_extra = {"comment": "A" * (70 * MiB)}
    return d.tar()


# Wrong JSON types: (document, field path, wrong value). One case each.
WRONG_TYPES = [
    ("manifest-json", "Config", 42), ("manifest-json", "RepoTags", "hostile:latest"),
    ("manifest-json", "RepoTags[0]", 7), ("manifest-json", "Layers", "layer.tar"),
    ("manifest-json", "Layers[0]", {"path": "x"}), ("manifest-json", "Parent", 1),
    ("manifest-json", "LayerSources", ["x"]), ("manifest-json", "LayerSources.x", "y"),
    ("manifest-json", "[0]", "image"), ("manifest-json", "", {"Config": "x"}),
    ("config", "", []), ("config", "created", 1700000000), ("config", "author", ["a"]),
    ("config", "architecture", 64), ("config", "os", None), ("config", "os", {"name": "linux"}), ("config", "variant", 8),
    ("config", "os.version", 10), ("config", "docker_version", 24), ("config", "comment", True),
    ("config", "config", "sh"), ("config", "config.User", 0), ("config", "config.WorkingDir", []),
    ("config", "config.StopSignal", 9), ("config", "config.Env", "PATH=/bin"), ("config", "config.Env[0]", 1),
    ("config", "config.Entrypoint", {"sh": 1}), ("config", "config.Cmd", 5), ("config", "config.Cmd[0]", None),
    ("config", "config.Labels", ["a=b"]), ("config", "config.Labels.a", 1), ("config", "config.ExposedPorts", ["80/tcp"]),
    ("config", "config.Volumes", "/data"), ("config", "rootfs", "layers"), ("config", "rootfs.type", 1),
    ("config", "rootfs.diff_ids", {"0": "sha256:x"}), ("config", "rootfs.diff_ids[0]", 0), ("config", "history", 3),
    ("config", "history[0]", "ADD"), ("config", "history[0].created", 0), ("config", "history[0].created_by", ["sh"]),
    ("config", "history[0].author", 1), ("config", "history[0].comment", {}), ("config", "history[0].empty_layer", "yes"),
    ("index", "", []), ("index", "mediaType", 1), ("index", "schemaVersion", "2"), ("index", "manifests", {}),
    ("index", "manifests[0]", "sha256:x"), ("index", "manifests[0].digest", 1), ("index", "manifests[0].size", "12"),
    ("index", "manifests[0].size", -5), ("index", "manifests[0].size", 1.5), ("index", "manifests[0].mediaType", []),
    ("index", "manifests[0].annotations", ["x"]), ("index", "manifests[0].annotations.org.opencontainers.image.ref.name", 1),
    ("index", "manifests[0].urls", "http://x"), ("index", "manifests[0].platform", "linux/amd64"),
    ("index", "manifests[0].platform.os", 1), ("index", "manifests[0].platform.architecture", []),
    ("index", "manifests[0].platform.os.features", "x"), ("index", "annotations", 1),
    ("manifest", "", "x"), ("manifest", "schemaVersion", "2"), ("manifest", "mediaType", 2), ("manifest", "config", []),
    ("manifest", "config.digest", None), ("manifest", "config.size", "1"), ("manifest", "layers", {}),
    ("manifest", "layers[0]", 1), ("manifest", "layers[0].digest", 5), ("manifest", "layers[0].size", "big"),
    ("manifest", "layers[0].size", 1e300), ("manifest", "subject", "x"), ("manifest", "artifactType", 1),
    ("manifest", "annotations", []),
]


def set_path(doc, path, value):
    """Sets `path` (dots for members, [i] for elements; '' for the whole document; the
    annotation keys with dots are taken whole) in a parsed JSON document."""
    if path == "":
        return value
    import re
    tokens = []
    for part in re.findall(r"\[\d+\]|org\.opencontainers\.image\.ref\.name|os\.version|os\.features|[^.\[\]]+", path):
        tokens.append(int(part[1:-1]) if part.startswith("[") else part)
    cur = doc
    for t in tokens[:-1]:
        cur = cur[t]
    cur[tokens[-1]] = value
    return doc


def wrong_type_name(doc, path, value):
    slug = path.replace("[", ".").replace("]", "").replace(".", "-").strip("-") or "root"
    slug = slug.replace("org-opencontainers-image-ref-name", "ref-name")
    kind = type(value).__name__
    kind = {"str": "string", "int": "number", "float": "number", "NoneType": "null", "dict": "object",
            "list": "array", "bool": "boolean"}[kind]
    if kind == "number" and isinstance(value, int) and value < 0:
        kind = "negative"
    if isinstance(value, float) and value != int(value):
        kind = "fraction"
    if isinstance(value, float) and value > 1e18:
        kind = "huge"
    return f"json-type-{doc}-{slug}-{kind}"


def wrong_type_case(doc, path, value):
    def make():
        if doc in ("manifest-json", "config"):
            d = Docker()
            d.layers = [HELLO]
            if doc == "manifest-json":
                m = [{"Config": d.config_name(), "RepoTags": [TAG], "Layers": [d.layer_name(HELLO)],
                      "LayerSources": {"x": {"mediaType": "m", "digest": "sha256:" + "0" * 64, "size": 1}}}]
                full = path if path in ("", "[0]") else "[0]." + path
                d.manifest_raw = jdump(set_path(m, full, value))
            else:
                cfg = config_doc([sha(HELLO)])
                cfg["config"].update({"User": "u", "WorkingDir": "/", "StopSignal": "TERM", "Entrypoint": ["sh"],
                                      "Labels": {"a": "b"}, "ExposedPorts": {"80/tcp": {}}, "Volumes": {"/v": {}}})
                cfg["history"][0].update({"author": "a", "comment": "c", "empty_layer": False})
                cfg.update({"author": "a", "variant": "v", "os.version": "1", "docker_version": "24", "comment": "c"})
                d.config_raw = jdump(set_path(cfg, path, value))
            return d.tar()
        o = Oci()
        if doc == "index":
            x = json.loads(o.index())
            x["annotations"] = {"a": "b"}
            x["manifests"][0].update({"urls": ["http://example.invalid/"],
                                      "platform": {"os": "linux", "architecture": "amd64", "os.features": ["f"]}})
            o.index_raw = jdump(set_path(x, path, value))
        else:
            m = json.loads(o.manifest())
            m.update({"subject": {"mediaType": MT_MANIFEST, "digest": "sha256:" + "1" * 64, "size": 2},
                      "artifactType": "application/x", "annotations": {"a": "b"}})
            o.manifest_raw = jdump(set_path(m, path, value))
        return o.tar()
    return make


CASES = {
    "outer-traversal-names": outer_traversal_names,
    "outer-absolute-names": outer_absolute_names,
    "outer-layer-symlink-loop": outer_layer_symlink_loop,
    "outer-layer-symlink-self": outer_layer_symlink_self,
    "outer-layer-symlink-absolute": outer_layer_symlink_absolute,
    "outer-layer-symlink-escape-deep": outer_layer_symlink_escape_deep,
    "outer-layer-hardlink-missing": outer_layer_hardlink_missing,
    "outer-layer-hardlink-loop": outer_layer_hardlink_loop,
    "outer-base256-size-huge": outer_base256_size_huge,
    "outer-base256-size-negative": outer_base256_size_negative,
    "outer-base256-size-overflow": outer_base256_size_overflow,
    "outer-base256-size-huge-first": outer_base256_size_huge_first,
    "outer-truncated-at-entry-boundary": outer_truncated_at_entry_boundary,
    "outer-truncated-in-end-marker": outer_truncated_in_end_marker,
    "outer-truncated-in-manifest-data": outer_truncated_in_manifest_data,
    "outer-gzip-truncated-in-member": outer_gzip_truncated_in_member,
    "outer-gzip-truncated-in-trailer": outer_gzip_truncated_in_trailer,
    "outer-zstd-truncated": outer_zstd_truncated,
    "layer-traversal-names": layer_traversal_names,
    "layer-symlink-escape-write-through": layer_symlink_escape_write_through,
    "layer-hardlink-missing": layer_hardlink_missing,
    "layer-hardlink-cycle": layer_hardlink_cycle,
    "layer-hardlink-through-lower": layer_hardlink_through_lower,
    "layer-base256-size-huge": layer_base256_size_huge,
    "layer-base256-size-negative": layer_base256_size_negative,
    "layer-base256-size-overflow": layer_base256_size_overflow,
    "layer-gzip-base256-size-huge": layer_gzip_base256_size_huge,
    "layer-truncated-in-header": layer_truncated_in_header,
    "layer-truncated-in-data": layer_truncated_in_data,
    "layer-truncated-at-entry-boundary": layer_truncated_at_entry_boundary,
    "layer-gzip-truncated-in-member": layer_gzip_truncated_in_member,
    "layer-gzip-truncated-in-trailer": layer_gzip_truncated_in_trailer,
    "layer-zstd-truncated": layer_zstd_truncated,
    "manifest-config-path-escape": manifest_config_path_escape,
    "manifest-config-path-absolute": manifest_config_path_absolute,
    "json-type-repositories-root-array": json_type_repositories_root_array,
    "json-type-repositories-tag-number": json_type_repositories_tag_number,
    "names-invalid-utf8": names_invalid_utf8,
    "names-terminal-escapes": names_terminal_escapes,
    "json-duplicate-keys": json_duplicate_keys,
    "json-duplicate-keys-oci": json_duplicate_keys_oci,
}
# The wrong-type cases are mechanical and many (about 7 KB each): made at test time.
TYPES = {wrong_type_name(d, p, v): wrong_type_case(d, p, v) for d, p, v in WRONG_TYPES}


# --- large: made at test time ---------------------------------------------------------


def layer_200k_files():
    """200,000 empty files in 200 directories, in one gzip layer (OCI)."""
    out = io.BytesIO()
    for d in range(200):
        out.write(header(f"d{d:03}", 0, tarfile.DIRTYPE, mode=0o755))
        for i in range(1000):
            out.write(header(f"d{d:03}/f{i:04}", 0))
    out.write(bytes(1024))
    return Oci([gz(out.getvalue())]).tar()


def layer_200k_files_docker():
    """The same 200,000 files in an uncompressed docker-archive layer (the header walker)."""
    out = io.BytesIO()
    for d in range(200):
        out.write(header(f"d{d:03}", 0, tarfile.DIRTYPE, mode=0o755))
        for i in range(1000):
            out.write(header(f"d{d:03}/f{i:04}", 0))
    out.write(bytes(1024))
    return Docker([out.getvalue()]).tar()


def deep_dirs(n):
    files, path = [], ""
    for i in range(n):
        path = path + ("/" if path else "") + "d"
        files.append(F(path, type="5"))
    files.append(F(path + "/leaf", b"deep\n"))
    return layer_tar(files)


def layer_deep_dirs_5000():
    """5,000 nested directories (paths up to 10 KB, in PAX records) and a file at the
    bottom, in one gzip layer; a second layer removes the top directory. Works: the
    deepest path (10 KB) is under the 64 KiB name limit."""
    l1 = layer_tar([F(".wh.d", b"")])
    return Oci([gz(deep_dirs(5000)), gz(l1)]).tar()


def layer_deep_dirs_2000():
    """2,000 nested directories (the deepest path, 4004 bytes, fits Linux's PATH_MAX)
    and a file at the bottom; a second layer removes the top directory."""
    l1 = layer_tar([F(".wh.d", b"")])
    return Oci([gz(deep_dirs(2000)), gz(l1)]).tar()


def layer_links_30000_components():
    """Three symlinks to one 60 KB target of 30,001 components ("t/t/.../end"), and 1,000
    files written through them in turn (a/f0, b/f1, c/f2, ...), so that no cache of the
    last parent helps: each landing walks the whole target. One gzip layer. Each file
    lands at a 60 KB path, so the 1,000 of them hold 60 MB of names."""
    target = "t/" * 30000 + "end"
    files = [F(p, type="2", link=target) for p in ("a", "b", "c")]
    files += [F(f"{'abc'[k % 3]}/f{k}", b"") for k in range(1000)]
    return Oci([gz(layer_tar(files))]).tar()


def layer_pax_900k_path():
    """One PAX path of 900 KiB (under libarchive's 1 MiB for extension headers, over
    tarsier's 64 KiB for a name), in a gzip layer."""
    return Oci([gz(pax_path_layer(900 * 1024))]).tar()


def layer_long_names_many():
    """300 entries with distinct 700 KiB PAX paths in a 240 KB gzip layer: kept, they
    took 2.3 GB in `files`."""
    files = [F("x%04d" % i, b"", pax={"path": "%04d" % i + "p" * (700 * 1024)}) for i in range(300)]
    return Oci([gz(layer_tar(files))]).tar()


def outer_long_names_many():
    """A .tar.gz outer archive: the image, then 300 entries with 700 KiB names (240 KB
    compressed): kept, they took 650 MB in `ls`."""
    d = Docker()
    d.extra = [Entry("junk/%04d" % i + "q" * (700 * 1024), b"") for i in range(300)]
    return gz(d.tar())


def pax_path_layer(size):
    value = "p" * size
    return layer_tar([F("small", b"s\n"), F("x", b"x\n", pax={"path": value, "comment": "c"})])


def layer_pax_64m_path():
    """A PAX 'path' record of 64 MiB in an uncompressed docker-archive layer."""
    return Docker([pax_path_layer(64 * MiB)]).tar()


def layer_pax_64m_path_gzip():
    """The same 64 MiB PAX path in a gzip layer (OCI), read through the decoder."""
    return Oci([gz(pax_path_layer(64 * MiB))]).tar()


def layer_gnu_longname_64m():
    """A GNU 'L' long-name entry of 64 MiB in an uncompressed layer."""
    name = b"n" * (64 * MiB)
    body = raw_header(b"././@LongLink", b"%011o\0" % len(name), type=b"L") + pad(name)
    body += header("x", 2) + pad(b"x\n") + bytes(1024)
    return Docker([body]).tar()


LARGE = {
    "layer-200k-files": layer_200k_files,
    "layer-200k-files-docker": layer_200k_files_docker,
    "layer-deep-dirs-5000": layer_deep_dirs_5000,
    "layer-deep-dirs-2000": layer_deep_dirs_2000,
    "layer-links-30000-components": layer_links_30000_components,
    "layer-long-names-many": layer_long_names_many,
    "outer-long-names-many": outer_long_names_many,
    "layer-pax-64m-path": layer_pax_64m_path,
    "layer-pax-64m-path-gzip": layer_pax_64m_path_gzip,
    "layer-gnu-longname-64m": layer_gnu_longname_64m,
    "json-deep-manifest": json_deep_manifest,
    "json-deep-config": json_deep_config,
    "json-deep-index": json_deep_index,
    "json-deep-oci-manifest": json_deep_oci_manifest,
    "json-huge-string-config": json_huge_string_config,
    "json-huge-config-over-limit": json_huge_config_over_limit,
}

# Small, but defined with the large ones it is made like.
CASES["layer-pax-900k-path"] = layer_pax_900k_path

# Bases for the tests that build something else from them (not fixtures of their own).
EXTRA = {"dir-base": lambda: Oci().tar()}

# Archives whose outer file is compressed get the matching suffix.
SUFFIX = {"outer-gzip-truncated-in-member": ".tar.gz", "outer-gzip-truncated-in-trailer": ".tar.gz",
          "outer-zstd-truncated": ".tar.zst", "outer-long-names-many": ".tar.gz"}


def file_name(case):
    return case + SUFFIX.get(case, ".tar")


def make(case, out: pathlib.Path) -> pathlib.Path:
    """Writes one case (committed or large) to out/<file name> and returns its path."""
    fn = CASES.get(case) or TYPES.get(case) or LARGE.get(case) or EXTRA[case]
    path = out / file_name(case)
    path.write_bytes(fn())
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=pathlib.Path, default=HERE, help="where to write (default: testdata/hostile/)")
    ap.add_argument("--only", action="append", choices=sorted([*CASES, *TYPES, *LARGE, *EXTRA]), help="make only this case")
    ap.add_argument("--all", action="store_true", help="also make the cases made at test time (never committed)")
    args = ap.parse_args()
    if args.out.resolve() == HERE and (args.all or any(n not in CASES for n in args.only or ())):
        ap.error("only the committed cases are written to testdata/hostile/: give --out DIR")
    args.out.mkdir(parents=True, exist_ok=True)
    names = args.only or [*CASES, *((*TYPES, *LARGE) if args.all else ())]
    for name in names:
        path = make(name, args.out)
        print(f"{path.stat().st_size:10d}  {path.name}")


if __name__ == "__main__":
    sys.exit(main())
