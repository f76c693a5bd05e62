#!/usr/bin/env python3
"""facts.py - an independent test oracle for container image archives.

Reads a docker-archive (legacy `docker save`, Docker >= 25, containerd export) or an
OCI image layout (tar or directory), optionally wrapped in gzip/zstd, and prints
JSON facts about every image in it. It shares no code with tarsier and trusts no
recorded size or digest: every digest is recomputed from the bytes, every layer is
decompressed and extracted with GNU tar. See README.md next to this file.

Usage: facts.py ARCHIVE_OR_DIR [--no-content] [--legacy-v1]
Exit status: 0 facts printed; 3 not an image archive / unreadable (an error object
is still printed on stdout). Pre-1.10 archives (`repositories` and `<id>/json`
parent chains, no manifest.json) exit 3 unless --legacy-v1 is given.
"""

import argparse
import bz2
import gzip
import hashlib
import json
import lzma
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

CHUNK = 1 << 20

INDEX_TYPES = {
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
}
MANIFEST_TYPES = {
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
}
IMAGE_CONFIG_TYPES = {
    "application/vnd.oci.image.config.v1+json",
    "application/vnd.docker.container.image.v1+json",
}
LAYER_TYPES = {
    "application/vnd.oci.image.layer.v1.tar",
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.v1.tar+zstd",
    "application/vnd.oci.image.layer.nondistributable.v1.tar",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    "application/vnd.docker.image.rootfs.diff.tar",
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.diff.tar.zstd",
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
}
DIGEST_RE = re.compile(r"^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$")


class NotAnImage(Exception):
    """The input is not an archive this oracle understands."""


# --------------------------------------------------------------------------
# bytes: compression sniffing, hashing, decompression
# --------------------------------------------------------------------------

def sniff(path):
    """Compression of a file, from its magic bytes (never from a media type)."""
    with open(path, "rb") as f:
        head = f.read(6)
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head[:4] == b"\x28\xb5\x2f\xfd":
        return "zstd"
    # zstd skippable frame (zstd:chunked may start with one): 0x184D2A50..5F LE
    if len(head) >= 4 and head[1:4] == b"\x2a\x4d\x18" and (head[0] & 0xF0) == 0x50:
        return "zstd"
    if head[:3] == b"BZh":
        return "bzip2"
    if head[:6] == b"\xfd7zXZ\x00":
        return "xz"
    return "none"


def hash_file(path, algorithm="sha256"):
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return f"{algorithm}:{h.hexdigest()}"


def decompress_to(src, kind, dst):
    """Decompress src (of compression `kind`) into file dst.

    Returns (sha256 digest of the decompressed bytes, their count). Raises
    ValueError when the stream is damaged.
    """
    h = hashlib.sha256()
    total = 0

    def pump(reader, out):
        nonlocal total
        for chunk in iter(lambda: reader.read(CHUNK), b""):
            h.update(chunk)
            out.write(chunk)
            total += len(chunk)

    with open(dst, "wb") as out:
        if kind == "zstd":
            # The zstd CLI handles several frames and skippable frames.
            proc = subprocess.Popen(["zstd", "-q", "-d", "-c", src],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            pump(proc.stdout, out)
            err = proc.stderr.read().decode(errors="replace").strip()
            if proc.wait() != 0:
                raise ValueError(f"zstd: {err}")
        else:
            opener = {"none": open, "gzip": gzip.open, "bzip2": bz2.open, "xz": lzma.open}[kind]
            try:
                with opener(src, "rb") as reader:  # gzip.open reads every member
                    pump(reader, out)
            except (OSError, EOFError, lzma.LZMAError) as e:
                raise ValueError(f"{kind}: {e}") from e
    return f"sha256:{h.hexdigest()}", total


# --------------------------------------------------------------------------
# layer facts
# --------------------------------------------------------------------------

ENTRY_KINDS = {"-": "file", "d": "dir", "l": "symlink", "h": "hardlink",
               "c": "char", "b": "block", "p": "fifo", "s": "socket"}
NOT_A_TAR = "This does not look like a tar archive"


def run_tar(args):
    """Run GNU tar; return (stdout, stderr lines when it failed else [])."""
    proc = subprocess.run(["tar"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    errors = []
    if proc.returncode != 0:
        errors = [line for line in proc.stderr.decode(errors="replace").splitlines()
                  if line.strip()]
    return proc.stdout.decode(errors="replace"), errors


def tar_entries(tar_path):
    """Count the entries GNU tar lists, by kind (first letter of `tar -tv`)."""
    out, errors = run_tar(["-t", "-v", "--numeric-owner", "-f", tar_path])
    kinds = {}
    for line in out.splitlines():
        kind = ENTRY_KINDS.get(line[:1], "other")
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds, errors


def content_size(tar_path, scratch):
    """Docker's classic layer size: extract with GNU tar, then sum lstat sizes
    of all non-directories, each inode once. Returns (size, tar error lines)."""
    dest = os.path.join(scratch, "rootfs")
    os.mkdir(dest)
    try:
        _, errors = run_tar(["-x", "--numeric-owner", "-f", tar_path, "-C", dest])
        seen = set()
        size = 0
        for dirpath, dirnames, filenames in os.walk(dest):
            # os.walk lists symlinks to directories under dirnames; they are
            # entries of their own, so count them and do not descend.
            for name in filenames + [d for d in dirnames
                                     if os.path.islink(os.path.join(dirpath, d))]:
                st = os.lstat(os.path.join(dirpath, name))
                key = (st.st_dev, st.st_ino)
                if key in seen:
                    continue
                seen.add(key)
                size += st.st_size
        return size, errors
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def terminated_copy(tar_path, length):
    """An unterminated tar (no padding after the last member's data, or missing
    end-of-archive blocks, as `umoci insert` writes) is a complete layer to Go's
    archive/tar, which Docker, containerd and umoci use: after the last member's
    data, Next() reads the padding, gets io.EOF and ends cleanly. GNU tar instead
    stops with "Unexpected EOF" and leaves the last file empty.

    When every member's data is inside the stream and nothing but zeros follows
    the last member's data, return a copy padded with zeros to a 512-byte
    boundary plus two end-of-archive blocks (what Go effectively reads).
    Otherwise (data really cut short, or a partial header), return None."""
    padded = tar_path + ".terminated"
    shutil.copyfile(tar_path, padded)
    with open(padded, "ab") as f:
        f.write(b"\0" * ((-length) % 512 + 1024))
    try:
        with tarfile.open(padded, "r:") as tf:
            members = tf.getmembers()
    except (tarfile.TarError, OSError):
        members = []
    ok = False
    if members:
        last = members[-1]
        data = last.size if last.type in (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.CONTTYPE) else 0
        end = last.offset_data + data
        if end <= length:
            with open(tar_path, "rb") as f:
                f.seek(end)
                rest = f.read()
            ok = not rest.strip(b"\0")
    if not ok:
        os.remove(padded)
        return None
    return padded


class LayerReader:
    """Computes (and caches per blob file) the facts of one layer blob."""

    def __init__(self, scratch, with_content=True):
        self.scratch = scratch
        self.with_content = with_content
        self.cache = {}

    def facts(self, path, algorithm="sha256"):
        real = os.path.realpath(path)
        if real not in self.cache:
            self.cache[real] = self._compute(real, algorithm)
        return dict(self.cache[real])

    def _compute(self, path, algorithm):
        compression = sniff(path)
        facts = {
            "digest": hash_file(path, algorithm),
            "compression": compression,
            "compressedSize": os.path.getsize(path),
            "diffId": None,
            "uncompressedSize": None,
            "contentSize": None,
            "entries": None,
            "present": True,
        }
        tar_path = os.path.join(self.scratch, "layer.tar")
        try:
            facts["diffId"], facts["uncompressedSize"] = decompress_to(path, compression, tar_path)
            if facts["uncompressedSize"] == 0:
                # Docker treats a 0-byte layer as empty; GNU tar calls it "not a tar".
                facts["contentSize"], facts["entries"] = 0, {}
                return facts
            kinds, errors = tar_entries(tar_path)
            if any(NOT_A_TAR in e for e in errors):
                facts["error"] = "not a tar archive"
                return facts
            read_path = tar_path
            if any("Unexpected EOF" in e for e in errors):
                padded = terminated_copy(tar_path, facts["uncompressedSize"])
                if padded:
                    # GNU tar's complaints about the stream as stored stay in
                    # tarErrors; entries and contentSize are what Go reads.
                    facts["unterminated"] = True
                    read_path = padded
                    kinds, _ = tar_entries(read_path)
            facts["entries"] = kinds
            if self.with_content:
                facts["contentSize"], extract_errors = content_size(read_path, self.scratch)
                if read_path == tar_path:
                    add_unique(errors, extract_errors)
            if errors:
                facts["tarErrors"] = errors
        except ValueError as e:
            facts["error"] = str(e)
        finally:
            for p in (tar_path, tar_path + ".terminated"):
                if os.path.exists(p):
                    os.remove(p)
        return facts


def absent_layer(digest, size):
    return {"digest": digest, "compression": None, "compressedSize": size,
            "diffId": None, "uncompressedSize": None, "contentSize": None,
            "entries": None, "present": False}


# --------------------------------------------------------------------------
# names and configs
# --------------------------------------------------------------------------

def familiar(ref):
    """docker.io/library/x:t -> x:t, docker.io/a/b:t -> a/b:t (Docker's FamiliarString)."""
    name, at, digest = ref.partition("@")
    slash = name.find("/")
    first = name[:slash] if slash >= 0 else ""
    if slash >= 0 and ("." in first or ":" in first or first == "localhost"
                       or first != first.lower()):
        domain, rest = first, name[slash + 1:]
    else:
        domain, rest = "docker.io", name
    if domain == "index.docker.io":
        domain = "docker.io"
    if domain == "docker.io":
        if rest.startswith("library/") and "/" not in rest[len("library/"):]:
            rest = rest[len("library/"):]
        out = rest
    else:
        out = f"{domain}/{rest}"
    return out + at + digest


def looks_like_reference(ref_name):
    """An org.opencontainers.image.ref.name holds a full reference (not a bare
    tag) when it contains ':', '/' or '@'."""
    return any(c in ref_name for c in ":/@")


def platform_string(p):
    if not p:
        return None
    s = f"{p.get('os', '')}/{p.get('architecture', '')}"
    if p.get("variant"):
        s += "/" + p["variant"]
    return s


def history_created_by(config, layer_count):
    """created_by of the non-empty history entry consumed by each layer."""
    out = [None] * layer_count
    i = 0
    for entry in (config or {}).get("history") or []:
        if entry.get("empty_layer"):
            continue
        if i < layer_count:
            out[i] = entry.get("created_by")
        i += 1
    return out


def add_unique(lst, items):
    for x in items:
        if x not in lst:
            lst.append(x)


# --------------------------------------------------------------------------
# the archive as a directory tree
# --------------------------------------------------------------------------

class Tree:
    def __init__(self, root):
        self.root = os.path.realpath(root)

    def path(self, rel):
        """Resolve an in-archive path, following symlinks but not out of the root."""
        rel = rel.lstrip("/")
        p = os.path.realpath(os.path.join(self.root, rel))
        if p != self.root and not p.startswith(self.root + os.sep):
            raise ValueError(f"path escapes the archive: {rel}")
        return p

    def exists(self, rel):
        try:
            return os.path.isfile(self.path(rel))
        except ValueError:
            return False

    def json(self, rel):
        with open(self.path(rel), "rb") as f:
            return json.loads(f.read())

    def blob(self, digest):
        m = DIGEST_RE.match(digest or "")
        if not m:
            raise ValueError(f"bad digest {digest!r}")
        return f"blobs/{m.group(1)}/{m.group(2)}"


def image_record(tree, config_rel, config_digest_hint, layers, layer_reader):
    """Common image facts. `layers` is a list of (in-archive path or None,
    descriptor digest, descriptor size, descriptor media type); the descriptor
    fields are None for docker-archive manifest.json layers."""
    img = {"references": [], "id": config_digest_hint, "manifestDigest": None,
           "created": None, "architecture": None, "os": None, "layers": []}
    config = None
    if config_rel and tree.exists(config_rel):
        path = tree.path(config_rel)
        img["id"] = hash_file(path)
        with open(path, "rb") as f:
            config = json.loads(f.read())
        img["created"] = config.get("created")
        img["architecture"] = config.get("architecture")
        img["os"] = config.get("os")
        if config.get("variant"):
            img["variant"] = config["variant"]
    else:
        img["configPresent"] = False
    diff_ids = ((config or {}).get("rootfs") or {}).get("diff_ids") or []
    created_by = history_created_by(config, len(layers))
    for i, (rel, digest, size, media_type) in enumerate(layers):
        if rel and tree.exists(rel):
            m = DIGEST_RE.match(digest or "")
            alg = m.group(1) if m and m.group(1) in ("sha256", "sha512") else "sha256"
            layer = layer_reader.facts(tree.path(rel), alg)
            if digest and layer["digest"] != digest:
                layer["descriptorDigest"] = digest
        else:
            layer = absent_layer(digest, size)
            if digest is None:
                layer["path"] = rel       # docker-archive: only the path is known
        layer["mediaType"] = media_type
        layer["configDiffId"] = diff_ids[i] if i < len(diff_ids) else None
        layer["createdBy"] = created_by[i]
        img["layers"].append(layer)
    if config is not None and len(diff_ids) != len(layers):
        img["diffIdCount"] = len(diff_ids)
    return img


# --------------------------------------------------------------------------
# docker-archive: manifest.json
# --------------------------------------------------------------------------

def docker_images(tree, layer_reader):
    manifest = tree.json("manifest.json")
    images = []
    for entry in manifest or []:
        config_rel = entry.get("Config")
        layers = [(rel, None, None, None) for rel in entry.get("Layers") or []]
        img = image_record(tree, config_rel, None, layers, layer_reader)
        add_unique(img["references"], [familiar(t) for t in entry.get("RepoTags") or []])
        images.append(img)
    return images


# --------------------------------------------------------------------------
# pre-1.10 (v1) archives: repositories + <id>/json parent chains (--legacy-v1)
# --------------------------------------------------------------------------

def v1_images(tree, layer_reader):
    """FORMATS.md "pre-1.10 (v1) archives": `repositories` maps name -> tag ->
    top v1 id; each `<id>/json` names its `parent`; the layers are the
    `<id>/layer.tar` files from the root of the chain up. There is no config, so
    the image id is the top v1 id (bare hex, as Docker < 1.10 showed it) and no
    layer has a diff_id. created_by is what moby's v1 migration
    (image/v1 HistoryFromConfig) puts in the history: the layer json's
    container_config.Cmd joined with spaces (null when there is none)."""
    repos = tree.json("repositories")
    if not isinstance(repos, dict):
        raise NotAnImage("repositories is not a JSON object")
    tops = {}
    for repo, tags in repos.items():
        for tag, top in (tags or {}).items():
            add_unique(tops.setdefault(top, []), [familiar(f"{repo}:{tag}")])
    images = []
    for top, refs in tops.items():
        chain, seen, cur = [], set(), top
        while cur and cur not in seen:
            seen.add(cur)
            rel = f"{cur}/json"
            doc = tree.json(rel) if tree.exists(rel) else None
            chain.append((cur, doc))
            cur = (doc or {}).get("parent")
        chain.reverse()
        top_doc = chain[-1][1]
        if top_doc is None:
            raise NotAnImage(f"repositories names {top}, which has no json")
        img = {"references": refs, "id": top, "manifestDigest": None,
               "created": top_doc.get("created"), "architecture": top_doc.get("architecture"),
               "os": top_doc.get("os"), "layers": [], "v1": True}
        for v1id, doc in chain:
            rel = f"{v1id}/layer.tar"
            if tree.exists(rel):
                layer = layer_reader.facts(tree.path(rel))
            else:
                layer = absent_layer(None, None)
                layer["path"] = rel
            layer["mediaType"] = None
            layer["configDiffId"] = None
            cmd = ((doc or {}).get("container_config") or {}).get("Cmd")
            layer["createdBy"] = " ".join(cmd) if cmd else None
            img["layers"].append(layer)
        images.append(img)
    return images


# --------------------------------------------------------------------------
# OCI layout: index.json walk
# --------------------------------------------------------------------------

class OciWalk:
    def __init__(self, tree, layer_reader):
        self.tree = tree
        self.layer_reader = layer_reader
        self.images = {}          # manifest digest -> image record (insertion ordered)
        self.absent = []
        self.skipped = []

    def run(self):
        index = self.tree.json("index.json")
        for desc in (index or {}).get("manifests") or []:
            ann = desc.get("annotations") or {}
            refs, ref_names = [], []
            if ann.get("io.containerd.image.name"):
                refs.append(familiar(ann["io.containerd.image.name"]))
            rn = ann.get("org.opencontainers.image.ref.name")
            if rn:
                ref_names.append(rn)
                if looks_like_reference(rn):
                    add_unique(refs, [familiar(rn)])
            self.walk(desc, refs, ref_names, None, set())

    def walk(self, desc, refs, ref_names, parent_index, stack):
        digest = desc.get("digest")
        media_type = desc.get("mediaType")
        platform = platform_string(desc.get("platform"))
        try:
            rel = self.tree.blob(digest)
        except ValueError as e:
            self.skip(digest, desc, str(e))
            return
        if not self.tree.exists(rel):
            self.absent.append({"index": parent_index, "digest": digest,
                                "mediaType": media_type, "platform": platform})
            return
        try:
            doc = self.tree.json(rel)
        except (ValueError, UnicodeDecodeError) as e:
            self.skip(digest, desc, f"not JSON: {e}")
            return
        kind = self.kind(media_type, doc)
        if kind == "index":
            if digest in stack:
                return
            for child in doc.get("manifests") or []:
                self.walk(child, refs, ref_names, digest, stack | {digest})
        elif kind == "manifest":
            self.manifest(desc, doc, refs, ref_names, parent_index, platform)
        else:
            self.skip(digest, desc, "not an image manifest or index")

    def skip(self, digest, desc, reason):
        if all(s["digest"] != digest for s in self.skipped):
            self.skipped.append({"digest": digest, "mediaType": desc.get("mediaType"),
                                 "reason": reason})

    @staticmethod
    def kind(media_type, doc):
        if media_type in INDEX_TYPES:
            return "index"
        if media_type in MANIFEST_TYPES:
            return "manifest"
        if not media_type:                      # nested index without mediaType
            if isinstance(doc, dict) and "manifests" in doc:
                return "index"
            if isinstance(doc, dict) and "config" in doc and "layers" in doc:
                return "manifest"
        return None

    def manifest(self, desc, doc, refs, ref_names, parent_index, platform):
        digest = desc["digest"]
        p = desc.get("platform") or {}
        if p.get("os") == "unknown" and p.get("architecture") == "unknown":
            self.skip(digest, desc, "attestation (platform unknown/unknown)")
            return
        config = doc.get("config") or {}
        if config.get("mediaType") not in IMAGE_CONFIG_TYPES:
            self.skip(digest, desc, f"artifact (config {config.get('mediaType')})")
            return
        odd = sorted({l.get("mediaType") for l in doc.get("layers") or []
                      if l.get("mediaType") and l.get("mediaType") not in LAYER_TYPES})
        if odd:
            self.skip(digest, desc, f"artifact (layer media type {', '.join(odd)})")
            return
        if digest not in self.images:
            try:
                config_rel = self.tree.blob(config.get("digest"))
            except ValueError:
                config_rel = None
            layers = []
            for l in doc.get("layers") or []:
                try:
                    rel = self.tree.blob(l.get("digest"))
                except ValueError:
                    rel = None
                layers.append((rel, l.get("digest"), l.get("size"), l.get("mediaType")))
            img = image_record(self.tree, config_rel, config.get("digest"), layers,
                               self.layer_reader)
            img["manifestDigest"] = digest
            img["indexDigest"] = parent_index
            img["refNames"] = []
            self.images[digest] = img
        img = self.images[digest]
        add_unique(img["references"], refs)
        add_unique(img["refNames"], ref_names)


# --------------------------------------------------------------------------
# driver
# --------------------------------------------------------------------------

def unpack_outer(path, scratch):
    """Return (directory holding the archive tree, outer compression)."""
    if os.path.isdir(path):
        return path, "none"
    kind = sniff(path)
    tar_path = path
    if kind != "none":
        tar_path = os.path.join(scratch, "outer.tar")
        try:
            decompress_to(path, kind, tar_path)
        except ValueError as e:
            raise NotAnImage(f"cannot decompress: {e}")
    root = os.path.join(scratch, "outer")
    os.mkdir(root)
    proc = subprocess.run(["tar", "-x", "--no-same-owner", "-f", tar_path, "-C", root],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise NotAnImage("tar: " + proc.stderr.decode(errors="replace").strip())
    if tar_path != path:
        os.remove(tar_path)
    return root, kind


def facts(path, with_content=True, legacy_v1=False):
    scratch = tempfile.mkdtemp(prefix="facts-")
    try:
        root, outer = unpack_outer(path, scratch)
        tree = Tree(root)
        layer_scratch = os.path.join(scratch, "layer")
        os.mkdir(layer_scratch)
        reader = LayerReader(layer_scratch, with_content)
        has_manifest = tree.exists("manifest.json")
        has_index = tree.exists("index.json")
        if not has_manifest and not has_index:
            if legacy_v1 and tree.exists("repositories"):
                try:
                    images = v1_images(tree, reader)
                except (ValueError, AttributeError, TypeError) as e:
                    raise NotAnImage(f"repositories: {e}")
                if not images:
                    raise NotAnImage("repositories lists no images")
                for img in images:
                    img["indexDigest"] = None
                return {"format": "docker-v1", "outerCompression": outer, "images": images,
                        "absentPlatforms": [], "skipped": []}
            raise NotAnImage("neither manifest.json nor index.json at the top level")

        result = {"format": None, "outerCompression": outer, "images": [],
                  "absentPlatforms": [], "skipped": []}
        images = []
        if has_manifest:
            try:
                images = docker_images(tree, reader)
            except (ValueError, AttributeError, TypeError) as e:
                raise NotAnImage(f"manifest.json: {e}")
        if has_index:
            walk = OciWalk(tree, reader)
            walk.run()
            # manifest.json is authoritative for the images it lists; the index
            # adds their manifest digest and names. Index images whose config no
            # manifest.json entry uses (other platforms, other manifests) follow.
            from_manifest_json = {img["id"]: img for img in images}
            for img in walk.images.values():
                same = from_manifest_json.get(img["id"])
                if same is not None and same["manifestDigest"] is None:
                    same["manifestDigest"] = img["manifestDigest"]
                    same["indexDigest"] = img["indexDigest"]
                    add_unique(same["references"], img["references"])
                    same["refNames"] = img["refNames"]
                else:
                    images.append(img)
            result["absentPlatforms"] = walk.absent
            result["skipped"] = walk.skipped
        result["format"] = {(True, False): "docker", (True, True): "docker+oci",
                            (False, True): "oci"}[(has_manifest, has_index)]
        if not images and not result["absentPlatforms"] and not result["skipped"]:
            raise NotAnImage("the archive lists no images")
        for img in images:
            img.setdefault("indexDigest", None)
        result["images"] = images
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("archive", help="image archive (tar, tar.gz, tar.zst) or OCI layout directory")
    ap.add_argument("--no-content", action="store_true",
                    help="skip extracting layers (contentSize becomes null)")
    ap.add_argument("--legacy-v1", action="store_true",
                    help="also read pre-1.10 archives (repositories, no manifest.json)")
    args = ap.parse_args()
    try:
        out = facts(args.archive, not args.no_content, args.legacy_v1)
        status = 0
    except (NotAnImage, OSError) as e:
        out = {"error": str(e)}
        status = 3
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
