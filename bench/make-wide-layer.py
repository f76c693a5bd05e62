#!/usr/bin/env python3
"""Writes a docker-archive (docker save layout) of one image whose single layer holds
FILES small files, 1,000 to a directory, under usr/share/somepackage/dirNNN/ (paths of
about 43 bytes, like a distribution's /usr/share). bench/memory.sh uses two of them to
measure what tarsier's file index costs per entry.

Usage: make-wide-layer.py FILES OUT.tar
"""
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile


def add(tar, name, data, mtime=1700000000):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = mtime
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    files, out = int(sys.argv[1]), sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        layer = os.path.join(tmp, "layer.tar")
        with tarfile.open(layer, "w", format=tarfile.GNU_FORMAT) as t:
            for i in range(files):
                d = f"usr/share/somepackage/dir{i // 1000:03d}"
                if i % 1000 == 0:
                    info = tarfile.TarInfo(d)
                    info.type = tarfile.DIRTYPE
                    info.mode = 0o755
                    t.addfile(info)
                add(t, f"{d}/file-{i % 1000:05d}.txt", str(i).encode())
        h = hashlib.sha256()
        with open(layer, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        diff_id = "sha256:" + h.hexdigest()
        config = json.dumps({
            "architecture": "amd64", "os": "linux", "created": "2023-11-14T22:13:20Z",
            "config": {"Cmd": ["/bin/sh"]},
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
            "history": [{"created": "2023-11-14T22:13:20Z", "created_by": f"make-wide-layer.py {files}"}],
        }, sort_keys=True).encode()
        config_name = hashlib.sha256(config).hexdigest() + ".json"
        layer_name = h.hexdigest() + "/layer.tar"
        manifest = json.dumps([{"Config": config_name, "RepoTags": [f"wide:{files}"], "Layers": [layer_name]}]).encode()
        with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as t:
            add(t, config_name, config)
            t.add(layer, arcname=layer_name, filter=lambda i: setattr(i, "mtime", 1700000000) or i)
            add(t, "manifest.json", manifest)


if __name__ == "__main__":
    main()
