#!/usr/bin/env python3
"""Writes testdata/fs/xattrs.tar: a one-layer docker-archive whose layer (PAX format,
Python's tarfile) carries extended attributes the way GNU tar --xattrs and BuildKit
write them (SCHILY.xattr.NAME records) and one the way bsdtar does (LIBARCHIVE.xattr.NAME,
URL-encoded name). Deterministic: fixed mtimes, fixed order.

    python3 testdata/fs/make-xattrs.py [OUT.tar]
"""
import hashlib
import io
import json
import sys
import tarfile

EPOCH = 1700000000


def layer():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        def add(name, kind, data=b"", pax=None, link=""):
            ti = tarfile.TarInfo(name)
            ti.type, ti.mtime, ti.mode, ti.uname, ti.gname = kind, EPOCH, 0o755, "root", "root"
            ti.linkname = link
            ti.size = len(data)
            ti.pax_headers = pax or {}
            t.addfile(ti, io.BytesIO(data) if data else None)
        add("usr/", tarfile.DIRTYPE)
        add("usr/bin/", tarfile.DIRTYPE)
        add("usr/bin/ping", tarfile.REGTYPE, b"ping\n",
            {"SCHILY.xattr.security.capability": "\x01\x00\x00\x02\x00\x20\x00\x00"})
        add("usr/bin/plain", tarfile.REGTYPE, b"plain\n")
        add("usr/share/", tarfile.DIRTYPE, pax={"SCHILY.xattr.user.comment": "a dir",
                                               "SCHILY.xattr.trusted.overlay.opaque": "y"})
        add("usr/share/tagged", tarfile.REGTYPE, b"tagged\n", {"LIBARCHIVE.xattr.user.with%20space": "dg=="})
        add("usr/share/link", tarfile.SYMTYPE, link="tagged", pax={"SCHILY.xattr.user.on-link": "x"})
    return buf.getvalue()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "testdata/fs/xattrs.tar"
    lt = layer()
    diff_id = hashlib.sha256(lt).hexdigest()
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "created": "2023-11-14T22:13:20Z",
        "config": {"User": "1000"}, "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff_id]},
        "history": [{"created": "2023-11-14T22:13:20Z", "created_by": "make-xattrs.py"}],
    }, sort_keys=True, separators=(",", ":")).encode()
    cid = hashlib.sha256(config).hexdigest()
    manifest = json.dumps([{"Config": cid + ".json", "RepoTags": ["xattrs:1"], "Layers": [diff_id + "/layer.tar"]}],
                          separators=(",", ":")).encode()
    with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in ((diff_id + "/", None), (diff_id + "/layer.tar", lt), (cid + ".json", config),
                           ("manifest.json", manifest)):
            ti = tarfile.TarInfo(name.rstrip("/"))
            ti.mtime = EPOCH
            if data is None:
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                t.addfile(ti)
            else:
                ti.size, ti.mode = len(data), 0o644
                t.addfile(ti, io.BytesIO(data))


if __name__ == "__main__":
    main()
