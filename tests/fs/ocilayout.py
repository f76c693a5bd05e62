"""Shared helpers for the tests/fs oracles: finding the images of an OCI image layout,
making per-layer truncated copies that umoci unpacks as the independent oracle, walking
an unpacked rootfs, reading layer tars with Python's tarfile, and running tarsier.

Nothing here uses tarsier to learn a filesystem fact. tarsier is only asked (with
`inspect @N`) which of its image positions carries a given config digest, or the same
diff_ids when skopeo rewrote the config of a docker-archive, so that the same image
can be named on its command line.
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import posixpath
import shutil
import stat
import subprocess
import tarfile
import traceback
import urllib.parse
import tempfile

SOURCE_ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CORPUS = os.path.normpath(os.path.join(SOURCE_ROOT, "..", "shared", "corpus", "real"))

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
IMAGE_CONFIGS = {OCI_CONFIG, DOCKER_CONFIG}

# The fixtures every oracle runs on: (label, kind, path). kind is "layout" (an OCI
# image layout directory), "oci-tar" (an OCI layout in a tar: extracted for umoci,
# given as is to tarsier), "docker" (a docker-archive: each image converted with skopeo
# to an OCI layout; tarsier reads both the original and the conversion) or "docker-gz"
# (the same inside an outer gzip, which skopeo cannot read: gunzipped first).
# The containers-image layouts are left out: their layer blobs are 33-byte text files.
LOCAL_SOURCES = [
    ("umoci-changes", "layout", "testdata/umoci-changes"),
    ("umoci-layout", "layout", "testdata/umoci-layout"),
    ("fs-edge-cases", "layout", "testdata/fs/edge-cases"),
]
CORPUS_SOURCES = [
    ("regclient-testrepo", "layout", "regclient/testdata/testrepo"),
    ("stereoscope-multiplatform", "layout", "stereoscope/pkg/image/oci/testdata/multiplatform_oci_dir"),
    ("stereoscope-valid-oci-dir", "layout", "stereoscope/pkg/image/oci/testdata/valid_oci_dir"),
    ("ggcr-test-index", "layout", "ggcr/pkg/v1/layout/testdata/test_index"),
    ("stereoscope-valid-oci-tar", "oci-tar", "stereoscope/pkg/image/oci/testdata/valid-oci.tar"),
    ("dive-oci-uncompressed", "oci-tar", "dive/.data/test-oci-uncompressed-image.tar"),
    ("dive-oci-gzip", "oci-tar", "dive/.data/test-oci-gzip-image.tar"),
    ("dive-oci-zstd", "oci-tar", "dive/.data/test-oci-zstd-image.tar"),
    ("dive-oci-estargz", "oci-tar", "dive/.data/test-oci-estargz-image.tar"),
    ("oras-hello-world", "oci-tar", "oras-go/content/oci/testdata/hello-world.tar"),
    ("oras-hello-world-prefixed", "oci-tar", "oras-go/content/oci/testdata/hello-world-prefixed-path.tar"),
    ("dive-docker", "docker", "dive/.data/test-docker-image.tar"),
    ("dive-kaniko", "docker", "dive/.data/test-kaniko-image.tar"),
    ("ggcr-whiteout-dir", "docker", "ggcr/pkg/v1/mutate/testdata/whiteout_dir.tar"),
    ("ggcr-whiteout-image", "docker", "ggcr/pkg/v1/mutate/testdata/whiteout_image.tar"),
    ("ggcr-overwritten-file", "docker", "ggcr/pkg/v1/mutate/testdata/overwritten_file.tar"),
    ("ggcr-hello-world-v25", "docker", "ggcr/pkg/v1/tarball/testdata/hello-world-v25.tar"),
    ("ggcr-test-image-1", "docker", "ggcr/pkg/v1/tarball/testdata/test_image_1.tar"),
    ("ggcr-test-bundle", "docker", "ggcr/pkg/v1/tarball/testdata/test_bundle.tar"),
    ("ggcr-test-link", "docker", "ggcr/pkg/v1/tarball/testdata/test_link.tar"),
    ("ggcr-empty-layer-history", "docker", "ggcr/pkg/v1/mutate/testdata/source_image_with_empty_layer_history.tar"),
    ("containers-image-almostempty", "docker", "containers-image/docker/archive/fixtures/almostempty.tar"),
    ("trivy-alpine-311", "docker-gz", "trivy/pkg/fanal/test/testdata/alpine-311.tar.gz"),
]


class Skip(Exception):
    """The fixture cannot be used here (exit 77 when nothing else ran)."""


# --------------------------------------------------------------------------------------
# Finding images in a layout


def blob_path(layout, digest):
    algo, _, hexpart = digest.partition(":")
    return os.path.join(layout, "blobs", algo, hexpart)


def read_blob(layout, digest):
    p = blob_path(layout, digest)
    if not os.path.isfile(p):
        return None
    with open(p, "rb") as f:
        return f.read()


def is_tar_layer(media_type):
    return ".tar" in media_type or media_type.endswith(".tar") or "rootfs.diff.tar" in media_type


class Image:
    """One image manifest of a layout: its config, its layers and where it was found."""

    def __init__(self, layout, where, manifest_digest, manifest, config_digest, config, platform):
        self.layout = layout
        self.where = where                      # "index.json/manifests/2[/manifests/0]"
        self.manifest_digest = manifest_digest
        self.manifest = manifest
        self.config_digest = config_digest
        self.config = config
        self.platform = platform                # "os/arch[/variant]" when chosen from an index
        self.layers = manifest["layers"]

    def __repr__(self):
        return f"{self.where} {self.manifest_digest[:19]} {self.platform or ''}".strip()


def _platform_string(p):
    if not p:
        return None
    s = f"{p.get('os', '')}/{p.get('architecture', '')}"
    if p.get("variant"):
        s += "/" + p["variant"]
    return s


def find_images(layout):
    """Every image manifest reachable from index.json whose config is an image config and
    whose layers are tars with their blobs present. Returns (images, skipped) where
    skipped lists (where, reason)."""
    images, skipped = [], []
    with open(os.path.join(layout, "index.json"), "rb") as f:
        top = json.load(f)

    def visit(desc, where, platform):
        declared = desc.get("mediaType")
        if declared and declared not in (OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST):
            # e.g. application/vnd.oci.descriptor.v1+json in ggcr's test_index: not an
            # image, whatever the blob holds (image-spec: unknown types are ignored).
            skipped.append((where, f"media type {declared}"))
            return
        raw = read_blob(layout, desc["digest"])
        if raw is None:
            skipped.append((where, "blob absent"))
            return
        try:
            doc = json.loads(raw)
        except ValueError:
            skipped.append((where, "not JSON"))
            return
        mt = declared or doc.get("mediaType") or ""
        if mt in (OCI_INDEX, DOCKER_LIST) or (mt not in (OCI_MANIFEST, DOCKER_MANIFEST) and "manifests" in doc):
            for i, child in enumerate(doc.get("manifests") or []):
                visit(child, f"{where}/manifests/{i}", _platform_string(child.get("platform")) or platform)
            return
        if "layers" not in doc or "config" not in doc:
            skipped.append((where, f"not a manifest ({mt})"))
            return
        cfg_desc = doc["config"]
        if cfg_desc.get("mediaType") not in IMAGE_CONFIGS:
            skipped.append((where, f"artifact (config {cfg_desc.get('mediaType')})"))
            return
        bad = [l.get("mediaType", "") for l in doc["layers"] if not is_tar_layer(l.get("mediaType", ""))]
        if bad:
            skipped.append((where, f"non-tar layers {bad}"))
            return
        if any(read_blob(layout, l["digest"]) is None for l in doc["layers"]):
            skipped.append((where, "layer blob absent"))
            return
        cfg_raw = read_blob(layout, cfg_desc["digest"])
        if cfg_raw is None:
            skipped.append((where, "config absent"))
            return
        images.append(Image(layout, where, desc["digest"], doc, cfg_desc["digest"], json.loads(cfg_raw), platform))

    for i, d in enumerate(top.get("manifests") or []):
        visit(d, f"index.json/manifests/{i}", _platform_string(d.get("platform")))
    # One manifest under several names is one image.
    seen, unique = set(), []
    for im in images:
        key = (im.manifest_digest, im.platform)
        if key not in seen:
            seen.add(key)
            unique.append(im)
    return unique, skipped


# --------------------------------------------------------------------------------------
# Layer blobs


def compression(raw_head):
    if raw_head.startswith(b"\x1f\x8b"):
        return "gzip"
    if raw_head.startswith(b"\x28\xb5\x2f\xfd"):
        return "zstd"
    return "none"


def layer_bytes(layout, digest):
    """The decompressed tar stream of a layer blob, decompressed by gzip/zstd themselves."""
    raw = read_blob(layout, digest)
    kind = compression(raw[:4])
    if kind == "gzip":
        return gzip.decompress(raw)
    if kind == "zstd":
        return subprocess.run(["zstd", "-dc"], input=raw, stdout=subprocess.PIPE, check=True).stdout
    return raw


def as_json_text(s):
    """A name as JSON can carry it: bytes that are not UTF-8 (which Python keeps as
    surrogate escapes) become U+FFFD, as Go's encoding/json and tarsier write them."""
    if s is None:
        return None
    return s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def normalise(name):
    """moby's rule: strip leading '/', path.Clean. None for the root itself, ".." for a
    name that leaves the root."""
    p = posixpath.normpath(name.lstrip("/") or ".")
    if p == ".":
        return None
    if p == ".." or p.startswith("../"):
        return ".."
    return p


TAR_TYPES = {
    tarfile.REGTYPE: "file", tarfile.AREGTYPE: "file", tarfile.CONTTYPE: "file", tarfile.GNUTYPE_SPARSE: "file",
    tarfile.LNKTYPE: "hardlink", tarfile.SYMTYPE: "symlink", tarfile.CHRTYPE: "char", tarfile.BLKTYPE: "block",
    tarfile.DIRTYPE: "dir", tarfile.FIFOTYPE: "fifo",
}


def xattr_names(member):
    """The extended attribute names of a tarfile member, sorted: PAX SCHILY.xattr.NAME
    (GNU tar, star, Go's archive/tar) and LIBARCHIVE.xattr.NAME (URL-encoded name)."""
    names = set()
    for k in member.pax_headers:
        if k.startswith("SCHILY.xattr."):
            names.add(k[len("SCHILY.xattr."):])
        elif k.startswith("LIBARCHIVE.xattr."):
            names.add(urllib.parse.unquote(k[len("LIBARCHIVE.xattr."):]))
    return sorted(as_json_text(n) for n in names)


def tar_entries(data):
    """The entries of a layer tar as Python's tarfile reads them, in order: dicts with
    path (normalised), raw name, type, mode, uid, gid, size, link, content, dev. Names
    are as JSON shows them (as_json_text)."""
    out = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tf:
        for m in tf:
            e = {
                "raw": as_json_text(m.name), "path": as_json_text(normalise(m.name)),
                "type": TAR_TYPES.get(m.type, "other"),
                "mode": m.mode & 0o7777, "uid": m.uid, "gid": m.gid, "size": 0, "link": None, "content": None,
                "xattrs": xattr_names(m),
            }
            if m.isreg():
                f = tf.extractfile(m)
                body = f.read() if f else b""
                e["size"] = len(body)
                e["content"] = "sha256:" + hashlib.sha256(body).hexdigest()
            elif m.islnk():
                e["link"] = as_json_text(normalise(m.linkname))
            elif m.issym():
                e["link"] = as_json_text(m.linkname)
            elif m.ischr() or m.isblk():
                e["dev"] = (m.devmajor, m.devminor)
            out.append(e)
    return out


# --------------------------------------------------------------------------------------
# Truncated copies and umoci


class TruncatedLayout:
    """A copy of an image's blobs with one manifest per layer count: tag nN keeps layers
    0..N, with rootfs.diff_ids and the history cut to match and OCI media types (the
    compression is read from the blob's magic bytes, not from the original media type).
    The layer blobs are the original bytes, except zstd ones (see below)."""

    def __init__(self, image, workdir):
        self.image = image
        self.dir = os.path.join(workdir, "layout")
        self.bundles = os.path.join(workdir, "bundles")
        os.makedirs(os.path.join(self.dir, "blobs", "sha256"))
        os.makedirs(self.bundles)
        with open(os.path.join(self.dir, "oci-layout"), "w") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)
        # umoci 0.4.7 cannot read zstd layers: those are recompressed with gzip (the
        # decompressed tar, and so the diff_id, stays byte-identical).
        self.layers = []
        for l in image.layers:
            src = blob_path(image.layout, l["digest"])
            with open(src, "rb") as f:
                kind = compression(f.read(4))
            if kind == "zstd":
                data = gzip.compress(layer_bytes(image.layout, l["digest"]), mtime=0)
                self.layers.append(self._put(data, "application/vnd.oci.image.layer.v1.tar+gzip"))
                continue
            shutil.copyfile(src, blob_path(self.dir, l["digest"]))
            self.layers.append({"mediaType": {"gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
                                              "none": "application/vnd.oci.image.layer.v1.tar"}[kind],
                                "digest": l["digest"], "size": os.path.getsize(src)})
        entries = []
        diff_ids = image.config.get("rootfs", {}).get("diff_ids", [])
        for n in range(len(image.layers)):
            cfg = json.loads(json.dumps(image.config))
            cfg.setdefault("rootfs", {"type": "layers"})
            cfg["rootfs"]["diff_ids"] = diff_ids[: n + 1]
            kept, non_empty = [], 0
            for h in cfg.get("history") or []:
                if non_empty == n + 1:
                    break
                kept.append(h)
                if not h.get("empty_layer"):
                    non_empty += 1
            if "history" in cfg:
                cfg["history"] = kept
            cfg_desc = self._put(json.dumps(cfg).encode(), OCI_CONFIG)
            manifest = {
                "schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": cfg_desc,
                "layers": self.layers[: n + 1],
            }
            m_desc = self._put(json.dumps(manifest).encode(), OCI_MANIFEST)
            m_desc["annotations"] = {"org.opencontainers.image.ref.name": f"n{n}"}
            entries.append(m_desc)
        with open(os.path.join(self.dir, "index.json"), "w") as f:
            json.dump({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}, f)

    def _put(self, data, media_type):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        with open(blob_path(self.dir, digest), "wb") as f:
            f.write(data)
        return {"mediaType": media_type, "digest": digest, "size": len(data)}

    def rootfs(self, n):
        """Unpacks tag nN with umoci into a new bundle; returns its rootfs."""
        bundle = os.path.join(self.bundles, f"n{n}")
        r = subprocess.run(["umoci", "unpack", "--image", f"{self.dir}:n{n}", bundle], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"umoci unpack n{n} failed: {r.stderr.strip()}")
        return os.path.join(bundle, "rootfs")


class Oracle:
    """umoci's view of an image after layer n, walked: path -> entry. Layer stacks seen
    before (the same layer digests, e.g. an archive and its skopeo conversion, or tags
    sharing base layers) are not unpacked again. Unpacked bundles are removed once
    walked."""

    def __init__(self, workdir):
        self.workdir = workdir
        self._walks = {}
        self._copies = {}

    def tree(self, image, n):
        key = tuple(l["digest"] for l in image.layers[: n + 1])
        if key not in self._walks:
            ident = (image.layout, image.manifest_digest)
            if ident not in self._copies:
                d = os.path.join(self.workdir, f"copy{len(self._copies)}")
                os.makedirs(d)
                self._copies[ident] = TruncatedLayout(image, d)
            copy = self._copies[ident]
            root = copy.rootfs(n)
            try:
                self._walks[key] = walk_rootfs(root)
            finally:
                shutil.rmtree(os.path.dirname(root), ignore_errors=True)
        return self._walks[key]


def walk_rootfs(root):
    """path ("a/b", as JSON shows it) -> entry dict from os.lstat, for everything below
    root."""
    out = {}
    for d, dirs, files in os.walk(root):
        for name in dirs + files:
            full = os.path.join(d, name)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            m = st.st_mode
            e = {"mode": stat.S_IMODE(m), "uid": st.st_uid, "gid": st.st_gid, "size": 0, "link": None,
                 "content": None, "nlink": st.st_nlink, "ino": st.st_ino}
            if stat.S_ISDIR(m):
                e["type"] = "dir"
            elif stat.S_ISLNK(m):
                e["type"] = "symlink"
                e["link"] = as_json_text(os.readlink(full))
            elif stat.S_ISREG(m):
                e["type"] = "file"
                e["size"] = st.st_size
                h = hashlib.sha256()
                with open(full, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 16), b""):
                        h.update(chunk)
                e["content"] = "sha256:" + h.hexdigest()
            elif stat.S_ISCHR(m) or stat.S_ISBLK(m):
                e["type"] = "char" if stat.S_ISCHR(m) else "block"
                e["dev"] = (os.major(st.st_rdev), os.minor(st.st_rdev))
            elif stat.S_ISFIFO(m):
                e["type"] = "fifo"
            else:
                e["type"] = "other"
            out[as_json_text(rel)] = e
    return out


# --------------------------------------------------------------------------------------
# Sources


class Source:
    """A fixture ready for both sides: `archive` is what tarsier reads, `layout` the OCI
    layout directory the oracle reads."""

    def __init__(self, label, archive, layout):
        self.label, self.archive, self.layout = label, archive, layout


def prepare(label, kind, path, workdir):
    """Sources for one fixture (a docker-archive gives two: the original and skopeo's
    conversion, both checked against the same oracle)."""
    if kind == "layout":
        return [Source(label, path, path)]
    if kind == "oci-tar":
        dest = os.path.join(workdir, label + ".layout")
        os.makedirs(dest)
        subprocess.run(["tar", "-xf", path, "-C", dest], check=True)
        return [Source(label, path, dest)]
    if kind in ("docker", "docker-gz"):
        plain = path
        if kind == "docker-gz":  # skopeo does not read an outer-compressed archive
            plain = os.path.join(workdir, label + ".tar")
            with gzip.open(path, "rb") as fin, open(plain, "wb") as fout:
                shutil.copyfileobj(fin, fout)
        dest = os.path.join(workdir, label + ".oci")
        with tarfile.open(plain) as tf:
            count = len(json.load(tf.extractfile("manifest.json")))
        for i in range(count):  # one tag per image of the archive
            r = subprocess.run(["skopeo", "copy", "-q", f"docker-archive:{plain}:@{i}", f"oci:{dest}:t{i}"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"skopeo copy @{i} failed: {r.stderr.strip()}")
        return [Source(label, path, dest), Source(label + " (skopeo oci)", dest, dest)]
    raise ValueError(kind)


def resolve_sources(names, only_local=False):
    """(label, kind, absolute path) for the names asked for (all when none)."""
    table = [(l, k, os.path.join(SOURCE_ROOT, p)) for l, k, p in LOCAL_SOURCES]
    if not only_local:
        table += [(l, k, os.path.join(CORPUS, p)) for l, k, p in CORPUS_SOURCES]
    if names:
        table = [t for t in table if t[0] in names]
        missing = set(names) - {t[0] for t in table}
        if missing:
            raise SystemExit(f"unknown fixture(s): {', '.join(sorted(missing))}")
    return table


# --------------------------------------------------------------------------------------
# tarsier


class Tarsier:
    def __init__(self, binary):
        self.binary = binary
        self._ids = {}
        self.errors = {}

    def run_json(self, args):
        r = subprocess.run([self.binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"tarsier {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
        return json.loads(r.stdout)

    def images(self, archive, platform):
        """(image ID, diff_ids) at each of tarsier's positions @0, @1, ... with that
        --platform (None: tarsier's default, linux/amd64 without insisting on it)."""
        key = (archive, platform)
        if key not in self._ids:
            out, k = [], 0
            plat = ["--platform", platform] if platform else []
            while True:
                r = subprocess.run([self.binary, "inspect", archive, f"@{k}"] + plat, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
                if r.returncode != 0:
                    if k == 0:
                        self.errors[key] = r.stderr.strip()
                    break
                doc = json.loads(r.stdout)[0]
                out.append((doc["Id"], doc.get("RootFS", {}).get("Layers") or []))
                k += 1
            self._ids[key] = out
        return self._ids[key]

    def select(self, archive, image):
        """Arguments that make tarsier read `image` of `archive`: the position of the image
        with the same config digest, else (a docker-archive whose config skopeo rewrote)
        the same diff_ids. Returns (args, None) or (None, why not)."""
        diff_ids = image.config.get("rootfs", {}).get("diff_ids", [])
        tries = [None] if image.platform in (None, "linux/amd64") else []
        if image.platform:
            tries.append(image.platform)
        why = "no image with this config or these diff_ids"
        for plat in tries:
            listed = self.images(archive, plat)
            extra = ["--platform", plat] if plat else []
            for match in (lambda i: i[0] == image.config_digest, lambda i: i[1] == diff_ids):
                hits = [k for k, i in enumerate(listed) if match(i)]
                if hits:
                    return ["--image", f"@{hits[0]}"] + extra, None
            if (archive, plat) in self.errors:
                why = self.errors[(archive, plat)]
        return None, why


def workdir(prefix):
    return tempfile.mkdtemp(prefix=prefix, dir=os.environ.get("TMPDIR", "/tmp"))


# --------------------------------------------------------------------------------------
# The command line of the oracle scripts


def main(doc, check_source, tools, work_prefix, verb, total_label):
    """The command line both oracle scripts share: options, the fixture table, the skips
    (exit 77), the loop over every source, and the verdict (exit 0 or 1)."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--local-only", action="store_true", help="only the fixtures under testdata/")
    ap.add_argument("--corpus-only", action="store_true", help="only the fixtures of ../shared/corpus/real")
    ap.add_argument("--layout", action="append", default=[], metavar="DIR",
                    help="also check this OCI image layout directory (repeatable)")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("fixtures", nargs="*")
    a = ap.parse_args()
    table = resolve_sources(a.fixtures, a.local_only)
    if a.corpus_only:
        table = [t for t in table if t[2].startswith(CORPUS)]
    if a.layout:
        table = [] if not (a.fixtures or a.local_only or a.corpus_only) else table
        table += [(os.path.basename(os.path.normpath(p)), "layout", os.path.abspath(p)) for p in a.layout]
    if any(t[2].startswith(CORPUS) for t in table) and not os.path.isdir(CORPUS):
        print(f"{CORPUS} is absent: skipping")
        return 77
    if os.geteuid() != 0:
        print("needs root: umoci must keep owners, setuid bits and devices")
        return 77
    for tool in tools:
        if not shutil.which(tool):
            print(f"{tool} is not installed: skipping")
            return 77
    tarsier = Tarsier(os.path.abspath(a.tarsier))
    work = workdir(work_prefix)
    oracle = Oracle(work)
    total, failures, unnamed = 0, [], []
    try:
        for label, kind, path in table:
            print(f"{label}: {path}")
            try:
                sources = prepare(label, kind, path, work)
            except Exception as ex:
                failures.append(f"{label}: {ex}")
                continue
            for src in sources:
                try:
                    n, f, u = check_source(src, tarsier, oracle, a.verbose)
                except Exception:
                    failures.append(f"{src.label}: {traceback.format_exc()}")
                    continue
                total += n
                failures.extend(f)
                unnamed.extend(u)
                print(f"  {src.label}: {n} layer(s) {verb}, {sum(1 for x in f if not x.startswith('    '))} failing")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print(f)
    if unnamed:
        print(f"{len(unnamed)} image(s) tarsier cannot select, not {verb}:")
        for u in unnamed:
            print("    " + u)
    print(f"{total} {total_label}; {'FAIL' if failures else 'ok'}")
    return 1 if failures else 0

