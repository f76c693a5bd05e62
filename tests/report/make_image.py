#!/usr/bin/env python3
"""Writes docker-archives (docker save's layout: manifest.json, a config named by its
digest, one uncompressed layer tar per layer) from entries described in Python, for the
report's browser tests: a hostile image (names, labels and CREATED BY made of markup,
control characters and invalid UTF-8), a large one (tens of thousands of files) and one
with a long dpkg database (thousands of packages, changed by a second layer).

Usage: make_image.py hostile OUT.tar
       make_image.py large FILES OUT.tar
       make_image.py packages COUNT OUT.tar
"""
import hashlib
import io
import json
import sys
import tarfile

MTIME = 1700000000


def ustar_tar(entries):
    """layer_tar for plain names (ASCII, under 100 bytes; files, directories, whiteouts)
    written as ustar headers directly: tarfile takes seconds for the large image."""
    out = []
    for name, kind, data in entries:
        if kind == "w":
            d, _, base = name.rpartition("/")
            name, kind, data = (d + "/" if d else "") + ".wh." + base, "f", b""
        data = data or b""
        h = bytearray(512)
        h[0:len(name)] = name.encode("ascii")
        mode, flag = (0o755, b"5") if kind == "d" else (0o644, b"0")
        h[100:108] = b"%07o\0" % mode
        h[108:116] = b"0000000\0"
        h[116:124] = b"0000000\0"
        h[124:136] = b"%011o\0" % len(data)
        h[136:148] = b"%011o\0" % MTIME
        h[148:156] = b" " * 8
        h[156:157] = flag
        h[257:265] = b"ustar\x0000"
        h[148:156] = b"%06o\0 " % sum(h)
        out.append(bytes(h))
        if data:
            out.append(data + b"\0" * (-len(data) % 512))
    out.append(b"\0" * 1024)
    body = b"".join(out)
    return body + b"\0" * (-len(body) % 10240)


def layer_tar(entries):
    """entries: (name, kind, data) with kind 'f' (file), 'd' (directory), 'l' (symlink to
    data), 'w' (whiteout of name). Names may hold surrogate escapes (invalid UTF-8)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT, encoding="utf-8",
                      errors="surrogateescape") as t:
        for name, kind, data in entries:
            if kind == "w":
                d, _, base = name.rpartition("/")
                name, kind, data = (d + "/" if d else "") + ".wh." + base, "f", b""
            info = tarfile.TarInfo(name)
            info.mtime = MTIME
            if kind == "d":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                t.addfile(info)
            elif kind == "l":
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, data, 0o777
                t.addfile(info)
            else:
                info.size, info.mode = len(data), 0o644
                t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def write_archive(out, layers, created_by, config_extra, repo_tag, writer=layer_tar):
    """layers: list of entry lists; created_by: one CREATED BY per layer (bytes or str)."""
    tars = [writer(e) for e in layers]
    diff_ids = ["sha256:" + hashlib.sha256(t).hexdigest() for t in tars]
    history = [{"created": "2023-11-14T22:13:20Z", "created_by": "@CB%d@" % i} for i in range(len(tars))]
    config = {"architecture": "amd64", "os": "linux", "created": "2023-11-14T22:13:20Z",
              "config": config_extra, "rootfs": {"type": "layers", "diff_ids": diff_ids},
              "history": history}
    text = json.dumps(config, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogateescape")
    for i, cb in enumerate(created_by):  # raw bytes where JSON would escape them
        raw = cb if isinstance(cb, bytes) else json.dumps(cb, ensure_ascii=False)[1:-1].encode()
        text = text.replace(b"@CB%d@" % i, raw)
    text = text.replace(b"@RAW-LABEL@", HOSTILE_RAW_LABEL)
    config_name = hashlib.sha256(text).hexdigest() + ".json"
    manifest = [{"Config": config_name, "RepoTags": [repo_tag],
                 "Layers": ["%064x/layer.tar" % i for i in range(len(tars))]}]
    with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as t:
        def add(name, data):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), MTIME, 0o644
            t.addfile(info, io.BytesIO(data))
        add(config_name, text)
        for i, tar in enumerate(tars):
            add("%064x/layer.tar" % i, tar)
        add("manifest.json", json.dumps(manifest).encode())


# Markup, script, comment and control characters that must stay text on the page.
HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>.txt",
    "</script><script>window.pwned=1</script>",
    "<!--x",
    "bell\x07esc\x1b[31mred",
    "bad-\udcff\udcfe-utf8",
    "line\u2028sep",
    "quote\"'&amp;",
]
HOSTILE_CREATED_BY = [
    "</script><script>window.pwned=3</script>",
    b"<!-- \xff\xfe raw invalid UTF-8 \\u2028 \xe2\x80\xa8 <b id=pwned>bold</b>",
]
HOSTILE_LABEL = ("<script>window.pwned=2</script>", "<b id=pwned>\x07</b>")
HOSTILE_RAW_LABEL = b"<i>\xff\xfe</i> invalid UTF-8"  # a label value written as raw bytes
SECRET = ("API_TOKEN", "hunter2-do-not-show")


def hostile(out):
    base = [("etc", "d", None), ("etc/hostile", "d", None)]
    base += [("etc/hostile/" + n, "f", b"x") for n in HOSTILE_NAMES]
    top = [("etc/hostile", "d", None), ("etc/hostile/" + HOSTILE_NAMES[0], "w", None),
           ("etc/hostile/" + HOSTILE_NAMES[1], "f", b"changed"),
           ("etc/hostile/<new> & \"added\"", "f", b"new")]
    config = {"Env": ["PATH=/usr/bin", "%s=%s" % SECRET], "Labels": dict([HOSTILE_LABEL, ("raw", "@RAW-LABEL@")]),
              "Cmd": ["<script>window.pwned=4</script>"]}
    write_archive(out, [base, top], HOSTILE_CREATED_BY, config, "hostile/<img>:latest".replace("<img>", "x"))


def large(files, out):
    """Four layers: a base of most files (1,000 a directory), then changes, a deleted
    directory and additions, `files` files in all."""
    n0 = files * 87 // 100
    n3 = files - n0 - files // 20
    base = []
    for i in range(n0):
        d = "usr/share/pkg%02d/dir%03d" % (i // 10000, i // 1000)
        if i % 1000 == 0:
            if i % 10000 == 0:
                base.append((d.rsplit("/", 1)[0], "d", None))
            base.append((d, "d", None))
        base.append(("%s/file-%05d.txt" % (d, i % 1000), "f", str(i).encode()))
    changed = [(name, "f", b"changed " + name.encode()) for name, kind, _ in base[5:files // 20 * 5:5] if kind == "f"]
    deleted = [("usr/share/pkg00/dir001", "w", None)]
    added = []
    for i in range(n3):
        d = "opt/app/mod%03d" % (i // 500)
        if i % 500 == 0:
            added.append((d, "d", None))
        added.append(("%s/part-%04d.bin" % (d, i % 500), "f", b"a" * (i % 97)))
    write_archive(out, [base, changed, deleted, added],
                  ["ADD base", "RUN change", "RUN rm -rf /usr/share/pkg00/dir001", "COPY app /opt/app"],
                  {"Cmd": ["/bin/sh"]}, "tarsier/large:1", writer=ustar_tar)


def dpkg_status(packages):
    """A dpkg status file of (name, version, arch, source) records, all installed."""
    out = []
    for name, version, arch, source in packages:
        out.append("Package: %s\nStatus: install ok installed\nPriority: optional\nArchitecture: %s\n"
                   "Source: %s\nVersion: %s\nDescription: synthetic package %s\n" % (name, arch, source, version, name))
    return "\n".join(out).encode()


def packages(count, out):
    """Two layers: `count` packages in a dpkg database, then a layer that upgrades every
    tenth, removes every 25th, downgrades one and installs five more. One source field is
    markup, which must stay text."""
    os_release = b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'
    first = [("pkg-%05d" % i, "1.%d-1" % (i % 7), "amd64" if i % 3 else "all", "src-%04d" % (i // 4))
             for i in range(count)]
    first[1] = (first[1][0], first[1][1], first[1][2], "<script>window.pwned=5</script>")
    second = []
    for i, (name, version, arch, source) in enumerate(first):
        if i % 25 == 24:
            continue
        if i % 10 == 9:
            version = "2.%d-1" % (i % 7)
        if i == 3:
            version = "0.9-1"
        second.append((name, version, arch, source))
    second += [("new-%d" % i, "1.0", "amd64", "new-%d" % i) for i in range(5)]
    dirs = [("etc", "d", None), ("var", "d", None), ("var/lib", "d", None), ("var/lib/dpkg", "d", None)]
    base = dirs + [("etc/os-release", "f", os_release), ("var/lib/dpkg/status", "f", dpkg_status(first))]
    top = [("var/lib/dpkg/status", "f", dpkg_status(second))]
    write_archive(out, [base, top], ["ADD rootfs", "RUN apt-get upgrade"], {"Cmd": ["/bin/sh"]},
                  "tarsier/packages:1", writer=ustar_tar)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "hostile":
        hostile(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "large":
        large(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "packages":
        packages(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
