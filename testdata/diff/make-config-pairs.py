#!/usr/bin/env python3
"""make-config-pairs.py - image pairs whose configurations differ, for `tarsier diff`.

usage: make-config-pairs.py OUTDIR [NAME...]    (default: every pair)

Each pair is one OCI layout, OUTDIR/<name>/, with two tags, `old` and `new`, that share
the one layer of testdata/diff/env (so files and layers are equal) and differ only in
their image configuration, one class of fields a pair:

  run          config: User, ExposedPorts, Env, Entrypoint, Cmd, Volumes, WorkingDir,
               Labels, StopSignal, ArgsEscaped (the OCI fields)
  healthcheck  config.Healthcheck: Test, Interval, Timeout, StartPeriod, StartInterval,
               Retries
  docker-run   config: Shell, OnBuild, Domainname, Hostname, StopTimeout, Image,
               MacAddress, Tty, OpenStdin (Docker's container.Config)
  platform     os, architecture, variant, os.version, os.features
  metadata     created, author, comment, and the history step's created, author,
               comment and empty_layer
  docker       docker_version, container, container_config (Cmd, Hostname)
  config       the pair committed as testdata/diff/config for the manual's examples:
               created (config and history), docker_version, Healthcheck.Interval and
               one label

tests/cli-diff/test_diff.py builds the pairs with this script at test time (and checks
that it rebuilds testdata/diff/config byte for byte); the configs are plain JSON
written here, the layer and its diff_id are copied from testdata/diff/env.
"""
import copy
import hashlib
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE / "env"
SECOND = 1_000_000_000  # Go durations are nanoseconds

# The old image of every pair: every field set, so that each can change.
BASE = {
    "created": "2023-11-14T22:16:20Z",
    "author": "Tarsier Fixtures",
    "architecture": "amd64",
    "os": "linux",
    "docker_version": "24.0.7",
    "container": "0c0ffee0",
    "comment": "made by make-config-pairs.py",
    "config": {
        "Hostname": "0c0ffee0",
        "Domainname": "",
        "User": "0",
        "Env": ["FOO=1", "PATH=/bin"],
        "Entrypoint": ["/bin/tool"],
        "Cmd": ["--run"],
        "ExposedPorts": {"80/tcp": {}},
        "Volumes": {"/data": {}},
        "WorkingDir": "/",
        "Labels": {"a": "1", "b": "2"},
        "StopSignal": "SIGTERM",
        "Healthcheck": {"Test": ["CMD", "/bin/tool", "--check"], "Interval": 30 * SECOND, "Timeout": 5 * SECOND,
                        "StartPeriod": 1 * SECOND, "StartInterval": 1 * SECOND, "Retries": 3},
        "Shell": ["/bin/sh", "-c"],
        "OnBuild": ["RUN true"],
        "StopTimeout": 10,
        "Image": "sha256:1111",
    },
    "container_config": {"Hostname": "0c0ffee0", "Cmd": ["/bin/sh", "-c", "#(nop) COPY rootfs/ /"]},
    "history": [{"created": "2023-11-14T22:15:20Z", "created_by": "COPY rootfs/ / # make-pairs.sh",
                 "author": "Tarsier Fixtures", "comment": "step"}],
}


def run(c):
    r = c["config"]
    r["User"] = "app"
    r["ExposedPorts"]["443/tcp"] = {}
    r["Env"] = ["FOO=2", "PATH=/bin"]
    r["Entrypoint"] = ["/bin/tool", "-v"]
    r["Cmd"] = ["--serve"]
    del r["Volumes"]
    r["WorkingDir"] = "/srv"
    r["Labels"]["a"] = "one"
    r["StopSignal"] = "SIGINT"
    r["ArgsEscaped"] = True


def healthcheck(c):
    h = c["config"]["Healthcheck"]
    h["Test"] = ["CMD-SHELL", "/bin/tool --check"]
    h["Interval"] = 10 * SECOND
    h["Timeout"] = 3 * SECOND + 500_000_000
    h["StartPeriod"] = 90 * SECOND
    del h["StartInterval"]
    h["Retries"] = 5


def docker_run(c):
    r = c["config"]
    r["Shell"] = ["/bin/bash", "-c"]
    r["OnBuild"] = []
    r["Domainname"] = "example.invalid"
    r["Hostname"] = "build1"
    r["StopTimeout"] = 20
    r["Image"] = "sha256:2222"
    r["MacAddress"] = "02:42:ac:11:00:02"
    r["Tty"] = True
    r["OpenStdin"] = False


def platform(c):
    c["os"] = "windows"
    c["architecture"] = "arm64"
    c["variant"] = "v8"
    c["os.version"] = "10.0.20348.1"
    c["os.features"] = ["win32k"]


def metadata(c):
    c["created"] = "2024-05-01T10:00:00Z"
    c["author"] = "Someone Else"
    del c["comment"]
    h = c["history"][0]
    h["created"] = "2024-05-01T09:59:00Z"
    h["author"] = "Someone Else"
    h["comment"] = "another step"
    h["empty_layer"] = True


def docker(c):
    c["docker_version"] = "27.3.1"
    c["container"] = "0d00d000"
    c["container_config"]["Hostname"] = "0d00d000"
    c["container_config"]["Cmd"] = ["/bin/sh", "-c", "#(nop) COPY rootfs/ / # again"]


def config(c):
    c["created"] = "2024-05-01T10:00:00Z"
    c["history"][0]["created"] = "2024-05-01T09:59:00Z"
    c["docker_version"] = "27.3.1"
    c["config"]["Healthcheck"]["Interval"] = 10 * SECOND
    c["config"]["Labels"]["version"] = "2"


PAIRS = {"run": run, "healthcheck": healthcheck, "docker-run": docker_run, "platform": platform,
         "metadata": metadata, "docker": docker, "config": config}


def dump(document):
    return json.dumps(document, separators=(",", ":")).encode()


def put_blob(layout, data):
    digest = hashlib.sha256(data).hexdigest()
    path = layout / "blobs" / "sha256" / digest
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


def source_layer():
    """The layer descriptor and diff_id of testdata/diff/env's old image, and its bytes."""
    index = json.loads((SOURCE / "index.json").read_text())
    blob = lambda d: (SOURCE / "blobs" / "sha256" / d.split(":", 1)[1]).read_bytes()
    manifest = json.loads(blob(index["manifests"][0]["digest"]))
    layer = manifest["layers"][0]
    diff_id = json.loads(blob(manifest["config"]["digest"]))["rootfs"]["diff_ids"][0]
    return layer, diff_id, blob(layer["digest"])


def write_pair(layout, old, new):
    """An OCI layout at `layout` with the configs `old` and `new` tagged old and new."""
    layer, diff_id, data = source_layer()
    layout.mkdir(parents=True)
    (layout / "oci-layout").write_bytes(dump({"imageLayoutVersion": "1.0.0"}))
    put_blob(layout, data)
    manifests = []
    for tag, cfg in (("old", old), ("new", new)):
        cfg = dict(cfg, rootfs={"type": "layers", "diff_ids": [diff_id]})
        desc = put_blob(layout, dump(cfg))
        manifest = {"schemaVersion": 2,
                    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **desc},
                    "layers": [layer]}
        mdesc = put_blob(layout, dump(manifest))
        manifests.append({"mediaType": "application/vnd.oci.image.manifest.v1+json", **mdesc,
                          "annotations": {"org.opencontainers.image.ref.name": tag}})
    (layout / "index.json").write_bytes(dump({"schemaVersion": 2, "manifests": manifests}))


def make(outdir, name):
    new = copy.deepcopy(BASE)
    PAIRS[name](new)
    write_pair(pathlib.Path(outdir) / name, BASE, new)


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    for name in argv[2:] or PAIRS:
        make(argv[1], name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
