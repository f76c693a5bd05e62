#!/usr/bin/env python3
"""The progress line (tarsier(1), PROGRESS): drawn on a terminal, never anywhere else.

A pseudo-terminal (os.openpty) stands for the terminal; standard output is a pipe. The
archive is an OCI layout tar written here with one gzip layer of zeros. How long reading a
file takes depends on the machine, so the cases that must see the line drawn (or must see
it absent where it would be drawn) read the archive from standard input, fed in 8 pieces
40 ms apart: at least 3 ticks of the line (10 a second). Each case runs `tarsier verify`:

- pipe:    stderr a terminal: draws "\r<bytes>  <rate>/s  <entry>\x1b[K" (no total: a
           stream), never more than 10 a second (plus one), erased at the end.
- off:     TARSIER_PROGRESS=0, --no-progress, --format json, --format junit: no draw.
- no-tty:  stderr a pipe: stderr empty (verify prints nothing there for a good archive).
- file:    the archive as a file, stderr a terminal: each draw (there may be none: how
           long the read lasts, within the run, depends on the machine and its load)
           shows "<done> / <total>  N%  <rate>/s  ETA m:ss  sha256:<12 hex>"; the line is
           erased at the end; stdout is the same as without a terminal.
The text of a draw with a total is also checked by tests/unit/test_report_progress.cpp.

Usage: progress_pty.py --tarsier BIN
Exit status: 0 pass, 1 fail, 77 no pseudo-terminal can be opened.
"""
import argparse
import hashlib
import io
import json
import os
import re
import select
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zlib
from pathlib import Path

LAYER_BYTES = 64 << 20  # zeros: 64 KB of gzip; how long reading takes depends on the machine
DRAW = re.compile(rb"\r([^\r\x1b]+)\x1b\[K")


def layer_blob():
    """(gzip bytes, sha256 of the gzip bytes, sha256 of the tar) of a tar of one file of zeros."""
    info = tarfile.TarInfo("zeros")
    info.size = LAYER_BYTES
    info.mtime = 0
    head = info.tobuf(format=tarfile.PAX_FORMAT)
    pad = (-LAYER_BYTES) % 512
    tar_hash = hashlib.sha256()
    gz = zlib.compressobj(1, zlib.DEFLATED, 31)
    out = io.BytesIO()
    chunk = bytes(8 << 20)

    def feed(data):
        tar_hash.update(data)
        out.write(gz.compress(data))

    feed(head)
    for _ in range(LAYER_BYTES // len(chunk)):
        feed(chunk)
    feed(bytes(LAYER_BYTES % len(chunk) + pad + 1024))
    out.write(gz.flush())
    blob = out.getvalue()
    return blob, hashlib.sha256(blob).hexdigest(), tar_hash.hexdigest()


def make_archive(path):
    blob, blob_hex, diff_hex = layer_blob()
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": [f"sha256:{diff_hex}"]}}).encode()
    config_hex = hashlib.sha256(config).hexdigest()
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": f"sha256:{config_hex}",
                   "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": f"sha256:{blob_hex}",
                    "size": len(blob)}]}).encode()
    manifest_hex = hashlib.sha256(manifest).hexdigest()
    index = json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": f"sha256:{manifest_hex}",
        "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": "progress:test"}}]}).encode()
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", index),
                           (f"blobs/sha256/{manifest_hex}", manifest), (f"blobs/sha256/{config_hex}", config),
                           (f"blobs/sha256/{blob_hex}", blob)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return blob_hex


def run(tarsier, args, tty, env_extra=None, stdin_path=None):
    """Runs tarsier; returns (exit, stdout, stderr bytes, seconds). With `tty`, stderr is
    a pseudo-terminal whose output is collected; stdin_path is fed slowly through a pipe."""
    env = dict(os.environ, **(env_extra or {}))
    if not env_extra or "TARSIER_PROGRESS" not in env_extra:
        env.pop("TARSIER_PROGRESS", None)
    master = slave = None
    if tty:
        master, slave = os.openpty()
    stdin = subprocess.PIPE if stdin_path else subprocess.DEVNULL
    start = time.monotonic()
    proc = subprocess.Popen([tarsier, *args], stdin=stdin, stdout=subprocess.PIPE,
                            stderr=slave if tty else subprocess.PIPE, env=env)
    feeder = None
    if stdin_path:
        def feed():
            data = Path(stdin_path).read_bytes()
            step = max(1, len(data) // 8)
            try:
                for i in range(0, len(data), step):
                    proc.stdin.write(data[i:i + step])
                    proc.stdin.flush()
                    time.sleep(0.04)
                proc.stdin.close()
            except BrokenPipeError:
                pass
        feeder = threading.Thread(target=feed)
        feeder.start()
    stdout_chunks = []
    reader = threading.Thread(target=lambda: stdout_chunks.append(proc.stdout.read()))
    reader.start()
    err = b""
    if tty:
        os.close(slave)
        while True:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                err += chunk
            elif proc.poll() is not None:
                # drain what is left
                try:
                    while select.select([master], [], [], 0)[0]:
                        chunk = os.read(master, 65536)
                        if not chunk:
                            break
                        err += chunk
                except OSError:
                    pass
                break
        os.close(master)
    else:
        err = proc.stderr.read()
    proc.wait()
    seconds = time.monotonic() - start
    reader.join()
    if feeder:
        feeder.join()
    return proc.returncode, b"".join(stdout_chunks), err, seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    a = ap.parse_args()
    try:
        m, s = os.openpty()
        os.close(m)
        os.close(s)
    except OSError as e:
        print(f"progress_pty: no pseudo-terminal ({e}): skipped")
        return 77
    problems = []
    with tempfile.TemporaryDirectory(prefix="tarsier-progress.") as tmp:
        archive = str(Path(tmp) / "zeros.tar")
        blob_hex = make_archive(archive)
        base = ["verify", "-j1"]

        # pipe: bytes and rate, no total; at most 10 draws a second; erased
        rc, out, err, secs = run(a.tarsier, [*base, "-"], tty=True, stdin_path=archive)
        draws = DRAW.findall(err)
        if rc != 0:
            problems.append(f"pipe: verify - exited {rc}: {err[-300:]!r}")
        if not draws:
            problems.append(f"pipe: no progress line drawn in {secs:.2f}s: {err[:300]!r}")
        elif any(b" / " in d or b"%" in d for d in draws) or not all(re.match(rb"\S+  \S+/s", d) for d in draws):
            problems.append(f"pipe: a draw is not 'bytes  rate/s': {draws[:3]!r}")
        if len(draws) > secs * 10 + 1:
            problems.append(f"pipe: {len(draws)} draws in {secs:.2f}s: more than 10 a second")
        if draws and not err.endswith(b"\r\x1b[K"):
            problems.append(f"pipe: the line is not erased at the end: {err[-80:]!r}")

        # off: the opt-outs, and no terminal at all
        for label, args, env, tty in [("TARSIER_PROGRESS=0", [*base, "-"], {"TARSIER_PROGRESS": "0"}, True),
                                      ("--no-progress", [*base, "--no-progress", "-"], None, True),
                                      ("--format json", [*base, "--format", "json", "-"], None, True),
                                      ("--format junit", [*base, "--format", "junit", "-"], None, True),
                                      ("no-tty", [*base, "-"], None, False)]:
            rc, out, err, _ = run(a.tarsier, args, tty=tty, env_extra=env, stdin_path=archive)
            if rc != 0 or (err if not tty else (b"\r" in err or b"\x1b" in err)):
                problems.append(f"{label}: exit {rc}, stderr {err[:200]!r}")

        # file: a total, percent, ETA and the layer, when the run is long enough to draw
        rc, out, err, secs = run(a.tarsier, [*base, archive], tty=True)
        draws = DRAW.findall(err)
        _, plain_out, _, _ = run(a.tarsier, [*base, archive], tty=False)
        if rc != 0:
            problems.append(f"file: verify exited {rc}: {err[-300:]!r}")
        if draws and not all(re.match(rb"\S+ / \S+ +\d+%  \S+/s(  ETA \d+:\d\d)?  sha256:" + blob_hex[:12].encode(), d)
                             for d in draws):
            problems.append(f"file: a draw is not 'done / total  N%  rate/s  ETA m:ss  sha256:{blob_hex[:12]}': {draws[:3]!r}")
        if draws and not err.endswith(b"\r\x1b[K"):
            problems.append(f"file: the line is not erased at the end: {err[-80:]!r}")
        if out != plain_out:
            problems.append("file: stdout differs with a terminal on stderr")
        print(f"file: {len(draws)} draws in {secs:.2f}s" + ("" if draws else " (too fast to draw: the total is not shown here)"))
    for p in problems:
        print(f"FAIL {p}")
    print(f"progress: 9 runs, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
