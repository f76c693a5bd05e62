#!/usr/bin/env python3
"""Makes the `tarsier audit` fixtures in testdata/audit/:

- planted.tar: a docker-archive whose three layers plant one case of every audit rule
  (see PLANTED below and tests/audit/run_audit.py, which asserts each finding);
- clean.tar: a docker-archive with a non-root user and nothing planted, but with the
  look-alikes that must not be reported (/tmp with the sticky bit, a CA bundle named
  *.pem, credentials.py, .env.example, KEYBOARD_LAYOUT, a hardlink into a lower layer,
  symlinks with ".." that stay inside the root).

Layers are plain ustar tars written with Python's tarfile, entries sorted by name,
uid/gid 0 unless stated, every mtime EPOCH; the outer archive is laid out as skopeo's
docker-archive (<diff_id hex>.tar, <config hex>.json, manifest.json), so re-running gives
the same bytes.

    python3 testdata/audit/make-audit-fixtures.py            # rewrites both fixtures
    python3 testdata/audit/make-audit-fixtures.py --out DIR  # writes them somewhere else

Needs python3 only.
"""
import argparse
import hashlib
import io
import json
import pathlib
import sys
import tarfile

HERE = pathlib.Path(__file__).resolve().parent
EPOCH = 1700000000  # the same epoch as testdata/make-fixtures.sh
CREATED = "2023-11-14T22:13:20Z"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def d(name, mode=0o755):
    return {"name": name, "type": tarfile.DIRTYPE, "mode": mode}


def f(name, data=b"", mode=0o644, uid=0, gid=0):
    return {"name": name, "type": tarfile.REGTYPE, "mode": mode, "data": data, "uid": uid, "gid": gid}


def sym(name, target):
    return {"name": name, "type": tarfile.SYMTYPE, "mode": 0o777, "link": target}


def hard(name, target, mode=0o644):
    return {"name": name, "type": tarfile.LNKTYPE, "mode": mode, "link": target}


def chardev(name, major, minor, mode=0o666):
    return {"name": name, "type": tarfile.CHRTYPE, "mode": mode, "major": major, "minor": minor}


def layer_tar(entries) -> bytes:
    """A layer: ustar headers, entries sorted by name (a parent sorts before its children)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for e in sorted(entries, key=lambda e: e["name"]):
            ti = tarfile.TarInfo(e["name"])
            ti.type = e["type"]
            ti.mode = e["mode"]
            ti.mtime = EPOCH
            ti.uid, ti.gid = e.get("uid", 0), e.get("gid", 0)
            ti.uname, ti.gname = ("root", "root") if ti.uid == 0 else ("", "")
            ti.linkname = e.get("link", "")
            ti.devmajor, ti.devminor = e.get("major", 0), e.get("minor", 0)
            data = e.get("data", b"")
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data) if data else None)
    return buf.getvalue()


def outer_tar(files) -> bytes:
    """The docker-archive: regular files in the given order, 0444, uid 0, mtime EPOCH."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in files:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mode, ti.mtime, ti.uname, ti.gname = len(data), 0o444, EPOCH, "root", "root"
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def docker_archive(tag, layers, user, env, cmd):
    """layers: [(created_by, entries)], base first."""
    blobs = [layer_tar(entries) for _, entries in layers]
    diff_ids = ["sha256:" + sha(b) for b in blobs]
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": CREATED,
        "config": {"User": user, "Env": env, "Cmd": cmd, "WorkingDir": "/app"},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": CREATED, "created_by": created_by} for created_by, _ in layers],
    }
    config_raw = json.dumps(config, separators=(",", ":"), sort_keys=True).encode()
    config_name = sha(config_raw) + ".json"
    layer_names = [sha(b) + ".tar" for b in blobs]
    manifest = [{"Config": config_name, "RepoTags": [tag], "Layers": layer_names}]
    files = [(config_name, config_raw)]
    files += sorted(zip(layer_names, blobs))
    files.append(("manifest.json", json.dumps(manifest, separators=(",", ":")).encode()))
    return outer_tar(files)


# ---------------------------------------------------------------------------------------
# planted.tar: each entry is commented with the finding it must produce.

PLANTED_LAYERS = [
    ("/bin/sh -c #(nop) ADD file:planted-rootfs in / ", [
        d("app"),
        f("app/.env", b"DB_PASSWORD=hunter2\n"),              # deleted-secret-shipped (deleted by layer 2)
        f("app/cache.tmp", b"cache\n"),                       # deleted-file-shipped (deleted by layer 2)
        d("dev"),
        chardev("dev/evil-null", 1, 3),                       # device-node
        d("etc"),
        f("etc/motd", b"welcome\n"),                          # deleted-file-shipped (replaced by layer 2)
        d("root", 0o700),
        d("root/.ssh", 0o700),
        f("root/.ssh/id_rsa", b"-----BEGIN OPENSSH PRIVATE KEY-----\nplanted\n", 0o600),  # deleted-secret-shipped (layer 1)
        d("tmp", 0o1777),                                     # sticky: no finding
        d("usr"),
        d("usr/bin"),
        f("usr/bin/su-helper", b"\x7fELF setuid\n", 0o4755),   # setuid-file
        d("usr/lib"),
        sym("usr/lib/shadow-link", "../../../etc/shadow"),    # symlink-escapes-root
        sym("usr/lib/inside-link", "../../etc/motd"),          # stays inside: no finding
        hard("usr/lib/hardlink-orphan", "usr/lib/not-there"),  # hardlink-missing-target
        hard("usr/lib/hard-escape", "../../etc/passwd"),       # hardlink-escapes-root
        d("var"),
        d("var/shared", 0o777),                               # world-writable-dir
        f("var/shared/notes.txt", b"anyone\n", 0o666),        # world-writable-file
        f("var/shared/\x1b]0;pwned\x07title", b"x\n", 0o666),  # world-writable-file, a name with terminal escapes
        f("../escape.txt", b"outside\n"),                     # escaping-name
    ]),
    ("/bin/sh -c rm /root/.ssh/id_rsa && install -m 2755 wall /usr/bin/wall-helper", [
        d("root", 0o700),
        d("root/.ssh", 0o700),
        f("root/.ssh/.wh.id_rsa"),                            # whiteout of layer 0's key
        d("usr"),
        d("usr/bin"),
        f("usr/bin/wall-helper", b"\x7fELF setgid\n", 0o2755, 0, 5),  # setgid-file
    ]),
    ("/bin/sh -c rm /app/.env /app/cache.tmp && echo hello > /etc/motd && cp server.key /app/config/", [
        d("app"),
        f("app/.wh..env"),
        f("app/.wh.cache.tmp"),
        d("app/config"),
        f("app/config/server.key", b"-----BEGIN PRIVATE KEY-----\nplanted\n", 0o600),  # secret-file
        d("etc"),
        f("etc/motd", b"hello\n"),
    ]),
]

PLANTED_ENV = ["PATH=/usr/local/bin:/usr/bin:/bin", "DB_PASSWORD=hunter2", "API_TOKEN=x", "KEYBOARD_LAYOUT=us"]

CLEAN_LAYERS = [
    ("/bin/sh -c #(nop) ADD file:clean-rootfs in / ", [
        d("app"),
        f("app/.env.example", b"DB_PASSWORD=\n"),
        d("etc"),
        f("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n"),
        d("etc/ssl"),
        d("etc/ssl/certs"),
        f("etc/ssl/certs/ca-certificates.crt", b"-----BEGIN CERTIFICATE-----\n"),
        sym("etc/ssl/cert.pem", "certs/ca-certificates.crt"),
        d("tmp", 0o1777),
        d("usr"),
        d("usr/bin"),
        f("usr/bin/tool", b"\x7fELF tool\n", 0o755),
        sym("usr/bin/tool-abs", "/usr/bin/tool"),
        d("usr/lib"),
        d("usr/lib/python3"),
        d("usr/lib/python3/botocore"),
        f("usr/lib/python3/botocore/credentials.py", b"# code about credentials\n"),
        d("usr/lib/python3/certifi"),
        f("usr/lib/python3/certifi/cacert.pem", b"-----BEGIN CERTIFICATE-----\n"),
        sym("usr/lib/tool-rel", "../bin/tool"),
    ]),
    ("COPY run.sh /app/ # buildkit", [
        d("app", 0o755),
        f("app/run.sh", b"#!/bin/sh\nexec /usr/bin/tool\n", 0o755, 1000, 1000),
        hard("app/tool", "usr/bin/tool", 0o755),
    ]),
]

CLEAN_ENV = ["PATH=/usr/local/bin:/usr/bin:/bin", "KEYBOARD_LAYOUT=us", "TOKENIZERS_PARALLELISM=false",
             "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", "POSTGRES_PASSWORD_FILE=/run/secrets/db"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=pathlib.Path, default=HERE, help="where to write (default: testdata/audit/)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    fixtures = {
        "planted.tar": docker_archive("tarsier/audit-planted:1", PLANTED_LAYERS, "", PLANTED_ENV, ["/usr/bin/su-helper"]),
        "clean.tar": docker_archive("tarsier/audit-clean:1", CLEAN_LAYERS, "1000:1000", CLEAN_ENV, ["/app/run.sh"]),
    }
    for name, data in fixtures.items():
        (args.out / name).write_bytes(data)
        print(f"{len(data):8d}  {name}")


if __name__ == "__main__":
    sys.exit(main())
