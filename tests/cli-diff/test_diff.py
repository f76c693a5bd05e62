#!/usr/bin/env python3
"""`tarsier diff` and `tarsier blame` on image pairs that differ in exactly one known way.

usage: test_diff.py --binary PATH --source-root DIR [unittest options]

The pairs are testdata/diff/<name>/ (OCI layouts, tags `old` and `new`), made by
testdata/diff/make-pairs.sh. Every check compares tarsier's JSON with what the pair was
built to differ in. As root with umoci installed, three more checks use independent
tools: make-pairs.sh must rebuild the committed pairs byte for byte; each pair's two
images, unpacked by umoci, must differ (os.lstat, sha256 of contents, the config JSON read
here) in exactly what tarsier reports; and the layers `tarsier blame` names must be the
layers whose tar entries (read with Python's tarfile) name the path.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import pathlib
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import unittest

BINARY = None
SOURCE_ROOT = None
PAIRS = pathlib.Path("testdata/diff")
ENV = {"TZ": "UTC", "LC_ALL": "C.UTF-8", "NO_COLOR": "1", "COLUMNS": "200",
       "PATH": os.environ.get("PATH", "/usr/bin:/bin")}

# What each pair was built to differ in (testdata/diff/make-pairs.sh).
EXPECTED_FILES = {
    "content": [("C", "/etc/value.conf", ["content"])],
    "mode": [("C", "/bin/tool", ["mode"])],
    "owner": [("C", "/data/owned.txt", ["owner"])],
    "symlink": [("C", "/etc/link", ["link"])],
    "env": [],
}
EXPECTED_CONFIG = {name: [] for name in EXPECTED_FILES}
EXPECTED_CONFIG["env"] = [("C", "Env", "FOO", "1", "2")]


def tarsier(*args, stdin=None):
    """Runs tarsier from the source root; returns (exit status, stdout, stderr)."""
    done = subprocess.run([BINARY, *args], cwd=SOURCE_ROOT, env=ENV, input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def diff_json(old, new, old_image, new_image, *options):
    code, out, err = tarsier("diff", str(old), str(new), "--old-image", old_image,
                             "--new-image", new_image, "--format", "json", *options)
    if code not in (0, 1):
        raise AssertionError(f"tarsier diff exited {code}: {err}")
    return code, json.loads(out)


def file_summary(report):
    return [(f["kind"], f["path"], f["aspects"]) for f in report["files"]["differences"]]


def config_summary(report):
    return [(c["kind"], c["field"], c["key"], c["before"], c["after"])
            for c in report["config"]["differences"]]


def can_use_umoci():
    return os.geteuid() == 0 and shutil.which("umoci") is not None


# --- an independent reading of OCI layouts ---------------------------------------------

def blob(layout, digest):
    return (pathlib.Path(layout) / "blobs" / digest.replace(":", "/", 1)).read_bytes()


def manifest(layout, tag):
    index = json.loads((pathlib.Path(layout) / "index.json").read_text())
    for m in index["manifests"]:
        if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag:
            return json.loads(blob(layout, m["digest"]))
    raise KeyError(tag)


def image_config(layout, tag):
    return json.loads(blob(layout, manifest(layout, tag)["config"]["digest"]))


def layer_names(layout, tag):
    """Each layer's tar members as (normalised name, is directory), base first."""
    layers = []
    for desc in manifest(layout, tag)["layers"]:
        data = blob(layout, desc["digest"])
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            layers.append([(m.name.lstrip("./").rstrip("/"), m.isdir()) for m in tar.getmembers()])
    return layers


def tree_facts(rootfs):
    """path -> (type, sha256, size, mode, uid, gid, link, mtime) from os.lstat."""
    facts = {}
    for dirpath, dirnames, filenames in os.walk(rootfs):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            regular = stat.S_ISREG(st.st_mode)
            facts["/" + os.path.relpath(full, rootfs)] = {
                "type": stat.S_IFMT(st.st_mode),
                "content": hashlib.sha256(pathlib.Path(full).read_bytes()).hexdigest() if regular else None,
                "size": st.st_size if regular else 0,
                "mode": stat.S_IMODE(st.st_mode),
                "owner": (st.st_uid, st.st_gid),
                "link": os.readlink(full) if stat.S_ISLNK(st.st_mode) else None,
                "mtime": int(st.st_mtime),
            }
    return facts


def lstat_differences(old, new):
    out = []
    for path in sorted(set(old) | set(new)):
        if path not in new:
            out.append(("D", path, []))
        elif path not in old:
            out.append(("A", path, []))
        else:
            aspects = [k for k in ("type", "content", "size", "mode", "owner", "link", "mtime")
                       if old[path][k] != new[path][k]]
            if aspects:
                out.append(("C", path, aspects))
    return out


class Pairs(unittest.TestCase):
    def test_each_pair_reports_exactly_its_one_difference(self):
        for name in EXPECTED_FILES:
            with self.subTest(pair=name):
                code, report = diff_json(PAIRS / name, PAIRS / name, ":old", ":new")
                self.assertEqual(code, 1)
                self.assertFalse(report["equal"])
                self.assertEqual(report["schemaVersion"], 1)
                self.assertEqual(file_summary(report), EXPECTED_FILES[name])
                self.assertEqual(config_summary(report), EXPECTED_CONFIG[name])
                self.assertEqual(report["history"]["differences"], [])
                layers = report["layers"]
                if name == "env":
                    self.assertTrue(layers["equal"])
                    self.assertEqual((layers["shared"], layers["onlyOld"], layers["onlyNew"]), (1, 0, 0))
                else:
                    # The one changed file is in the only layer, so no diff_id is shared.
                    self.assertFalse(layers["equal"])
                    self.assertEqual((layers["shared"], layers["onlyOld"], layers["onlyNew"]), (0, 1, 1))

    def test_text_output_has_one_difference_line(self):
        for name, expected in EXPECTED_FILES.items():
            with self.subTest(pair=name):
                code, out, err = tarsier("diff", str(PAIRS / name), str(PAIRS / name), "--old-image", ":old",
                                         "--new-image", ":new", "--ignore-layers")
                self.assertEqual((code, err), (1, ""))
                lines = [line for line in out.splitlines() if line[:2] in ("A ", "C ", "D ")]
                self.assertEqual(len(lines), 1, out)
                want = f"C {expected[0][1]}  {expected[0][2][0]} " if expected else 'C Env FOO  "1" => "2"'
                self.assertTrue(lines[0].startswith(want), lines[0])
                self.assertTrue(out.endswith("The images differ (ignoring layers).\n"), out)

    def test_content_line_in_text(self):
        code, out, _ = tarsier("diff", "testdata/diff/content", "testdata/diff/content",
                               "--old-image", ":old", "--new-image", ":new", "--content-digest", "sha256")
        self.assertEqual(code, 1)
        old = hashlib.sha256(b"value=1\n").hexdigest()[:12]
        new = hashlib.sha256(b"value=2\n").hexdigest()[:12]
        self.assertIn(f"C /etc/value.conf  content sha256:{old} => sha256:{new}\n", out)

    def test_an_image_diffed_with_itself_is_equal(self):
        for name in EXPECTED_FILES:
            for tag in (":old", ":new"):
                with self.subTest(pair=name, tag=tag):
                    code, report = diff_json(PAIRS / name, PAIRS / name, tag, tag)
                    self.assertEqual(code, 0)
                    self.assertTrue(report["equal"])
                    self.assertEqual(file_summary(report), [])
                    self.assertEqual(report["ignored"], [])

    def test_ignore_switches_hide_their_difference(self):
        cases = {"mode": ["--ignore-mode", "--ignore-layers"], "owner": ["--ignore-owner", "--ignore-layers"],
                 "env": ["--ignore-config"]}
        for name, switches in cases.items():
            with self.subTest(pair=name):
                code, report = diff_json(PAIRS / name, PAIRS / name, ":old", ":new", *switches)
                self.assertEqual(code, 0)
                self.assertTrue(report["equal"])
        # Ignoring the wrong aspect hides nothing.
        code, report = diff_json(PAIRS / "mode", PAIRS / "mode", ":old", ":new", "--ignore-owner",
                                 "--ignore-timestamps", "--ignore-history", "--ignore-config", "--ignore-layers")
        self.assertEqual(code, 1)
        self.assertEqual(file_summary(report), EXPECTED_FILES["mode"])
        self.assertEqual(report["ignored"], ["timestamps", "owner", "config", "history", "layers"])
        self.assertIsNone(report["config"])
        self.assertIsNone(report["history"])
        self.assertIsNone(report["layers"])

    def test_two_archives(self):
        # Every pair's old image is built the same way, so it is one image in five layouts.
        code, report = diff_json(PAIRS / "content", PAIRS / "mode", ":old", ":old")
        self.assertEqual(code, 0)
        self.assertEqual(report["old"]["image"], report["new"]["image"])
        code, report = diff_json(PAIRS / "content", PAIRS / "owner", ":old", ":new")
        self.assertEqual(code, 1)
        self.assertEqual(file_summary(report), EXPECTED_FILES["owner"])
        # The same image in another format (skopeo's docker-archive) is equal.
        code, report = diff_json("testdata/umoci-layout", "testdata/skopeo-docker.tar", ":1.0", "")
        self.assertEqual(code, 0)

    def test_standard_input_named_twice_is_read_once(self):
        data = subprocess.run(["tar", "-C", str(pathlib.Path(SOURCE_ROOT) / PAIRS / "env"), "-cf", "-", "."],
                              stdout=subprocess.PIPE, check=True).stdout
        code, out, err = tarsier("diff", "-", "-", "--old-image", ":old", "--new-image", ":new",
                                 "--format", "json", stdin=data)
        self.assertEqual((code, err), (1, ""))
        self.assertEqual(config_summary(json.loads(out)), EXPECTED_CONFIG["env"])

    def test_usage_and_unreadable(self):
        code, out, err = tarsier("diff", "testdata/diff/env")
        self.assertEqual((code, out), (2, ""))
        self.assertIn("NEW_ARCHIVE is required", err)
        code, _, err = tarsier("diff", "testdata/diff/env", "testdata/diff/env", "--old-image", ":nothing")
        self.assertEqual(code, 2)
        self.assertTrue(err.startswith("tarsier: error: testdata/diff/env: "), err)
        code, _, err = tarsier("diff", "testdata/diff/env", "testdata/diff/no-such-pair", "--old-image", ":old")
        self.assertEqual(code, 3)
        self.assertTrue(err.startswith("tarsier: error: testdata/diff/no-such-pair"), err)


# What each pair of make-config-pairs.py changes: (kind, field, key, before, after) as the
# JSON shows them, written out from the script's edits (durations in nanoseconds).
S = 1_000_000_000
EXPECTED_CONFIG_PAIRS = {
    "run": [("C", "Env", "FOO", "1", "2"), ("C", "Entrypoint", None, ["/bin/tool"], ["/bin/tool", "-v"]),
            ("C", "Cmd", None, ["--run"], ["--serve"]), ("C", "User", None, "0", "app"),
            ("C", "WorkingDir", None, "/", "/srv"), ("C", "Labels", "a", "1", "one"),
            ("A", "ExposedPorts", "443/tcp", None, "443/tcp"), ("D", "Volumes", "/data", "/data", None),
            ("C", "StopSignal", None, "SIGTERM", "SIGINT"), ("C", "ArgsEscaped", None, False, True)],
    "healthcheck": [("C", "Healthcheck.Test", None, ["CMD", "/bin/tool", "--check"], ["CMD-SHELL", "/bin/tool --check"]),
                    ("C", "Healthcheck.Interval", None, 30 * S, 10 * S),
                    ("C", "Healthcheck.Timeout", None, 5 * S, 3 * S + S // 2),
                    ("C", "Healthcheck.StartPeriod", None, 1 * S, 90 * S),
                    ("D", "Healthcheck.StartInterval", None, 1 * S, None),
                    ("C", "Healthcheck.Retries", None, 3, 5)],
    "docker-run": [("C", "Shell", None, ["/bin/sh", "-c"], ["/bin/bash", "-c"]), ("D", "OnBuild", None, ["RUN true"], None),
                   ("C", "StopTimeout", None, 10, 20), ("C", "Hostname", None, "0c0ffee0", "build1"),
                   ("A", "Domainname", None, None, "example.invalid"), ("C", "Image", None, "sha256:1111", "sha256:2222"),
                   ("A", "MacAddress", None, None, "02:42:ac:11:00:02"), ("C", "Tty", None, False, True)],
    "platform": [("C", "os", None, "linux", "windows"), ("C", "architecture", None, "amd64", "arm64"),
                 ("A", "variant", None, None, "v8"), ("A", "os.version", None, None, "10.0.20348.1"),
                 ("A", "os.features", "win32k", None, "win32k")],
    "metadata": [("C", "created", None, "2023-11-14T22:16:20Z", "2024-05-01T10:00:00Z"),
                 ("C", "author", None, "Tarsier Fixtures", "Someone Else"),
                 ("D", "comment", None, "made by make-config-pairs.py", None)],
    "docker": [("C", "docker_version", None, "24.0.7", "27.3.1"), ("C", "container", None, "0c0ffee0", "0d00d000"),
               ("C", "container_config.Cmd", None, ["/bin/sh", "-c", "#(nop) COPY rootfs/ /"],
                ["/bin/sh", "-c", "#(nop) COPY rootfs/ / # again"]),
               ("C", "container_config.Hostname", None, "0c0ffee0", "0d00d000")],
}
EXPECTED_HISTORY_FIELDS = {
    "metadata": [("created", "2023-11-14T22:15:20Z", "2024-05-01T09:59:00Z"),
                 ("author", "Tarsier Fixtures", "Someone Else"), ("comment", "step", "another step"),
                 ("empty_layer", False, True)],
}


def load_config_pairs_script():
    import importlib.util
    path = pathlib.Path(SOURCE_ROOT) / PAIRS / "make-config-pairs.py"
    spec = importlib.util.spec_from_file_location("make_config_pairs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ConfigPairs(unittest.TestCase):
    """Pairs that differ only in their configuration, one class of fields a pair, built at
    test time by testdata/diff/make-config-pairs.py."""

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.TemporaryDirectory()
        cls.script = load_config_pairs_script()
        for name in cls.script.PAIRS:
            cls.script.make(cls.work.name, name)

    @classmethod
    def tearDownClass(cls):
        cls.work.cleanup()

    def pair(self, name, *options):
        layout = pathlib.Path(self.work.name) / name
        return diff_json(layout, layout, ":old", ":new", *options)

    def history_fields(self, report):
        return [(f["field"], f["before"], f["after"]) for h in report["history"]["differences"] for f in h["fields"]]

    def test_each_pair_reports_exactly_its_fields(self):
        self.assertEqual(set(EXPECTED_CONFIG_PAIRS) | {"config"}, set(self.script.PAIRS))
        for name, expected in EXPECTED_CONFIG_PAIRS.items():
            with self.subTest(pair=name):
                code, report = self.pair(name)
                self.assertEqual(code, 1)
                self.assertEqual(config_summary(report), expected)
                self.assertEqual(file_summary(report), [])
                self.assertTrue(report["layers"]["equal"])
                self.assertEqual(self.history_fields(report), EXPECTED_HISTORY_FIELDS.get(name, []))

    def test_every_config_field_is_covered_by_a_pair(self):
        # Every field of make-config-pairs.py's BASE config changes in some pair, so every
        # field name tarsier can report for config and the top level is exercised.
        fields = {c[1].split(".")[0] if c[1].startswith("Healthcheck") else c[1]
                  for pairs in EXPECTED_CONFIG_PAIRS.values() for c in pairs}
        base = self.script.BASE
        top = {k for k in base if k not in ("config", "container_config", "history")}
        self.assertLessEqual(top | {"variant", "os.version", "os.features"}, fields)
        self.assertLessEqual(set(base["config"]) - {"Healthcheck"}, fields | {"Healthcheck"})
        healthcheck = {c[1] for c in EXPECTED_CONFIG_PAIRS["healthcheck"]}
        self.assertEqual({"Healthcheck." + k for k in base["config"]["Healthcheck"]}, healthcheck)

    def test_text_shows_old_and_new(self):
        layout = str(pathlib.Path(self.work.name) / "healthcheck")
        code, out, err = tarsier("diff", layout, layout, "--old-image", ":old", "--new-image", ":new")
        self.assertEqual((code, err), (1, ""))
        self.assertIn("Config: 6 differences\n"
                      'C Healthcheck.Test  ["CMD", "/bin/tool", "--check"] => ["CMD-SHELL", "/bin/tool --check"]\n'
                      "C Healthcheck.Interval  30s => 10s\n"
                      "C Healthcheck.Timeout  5s => 3.5s\n"
                      "C Healthcheck.StartPeriod  1s => 1m30s\n"
                      "D Healthcheck.StartInterval  1s\n"
                      "C Healthcheck.Retries  3 => 5\n", out)
        layout = str(pathlib.Path(self.work.name) / "metadata")
        code, out, err = tarsier("diff", layout, layout, "--old-image", ":old", "--new-image", ":new")
        self.assertIn("History: 0 removed, 0 added, 1 changed\n"
                      'C [0] COPY rootfs/ / # make-pairs.sh  created  "2023-11-14T22:15:20Z" => "2024-05-01T09:59:00Z"; '
                      'author  "Tarsier Fixtures" => "Someone Else"; comment  "step" => "another step"; '
                      "empty_layer  false => true\n", out)

    def test_ignore_created(self):
        code, report = self.pair("metadata", "--ignore-created")
        self.assertEqual(code, 1)
        self.assertEqual(config_summary(report), EXPECTED_CONFIG_PAIRS["metadata"][1:])
        self.assertEqual(self.history_fields(report), EXPECTED_HISTORY_FIELDS["metadata"][1:])
        self.assertEqual(report["ignored"], ["created"])

    def test_ignore_docker_version(self):
        code, report = self.pair("docker", "--ignore-docker-version")
        self.assertEqual((code, report["equal"], report["ignored"]), (0, True, ["docker-version"]))
        # It leaves the fields of config alone.
        code, report = self.pair("docker-run", "--ignore-docker-version")
        self.assertEqual(config_summary(report), EXPECTED_CONFIG_PAIRS["docker-run"])

    def test_ignore_field_names_fields_and_groups(self):
        cases = [
            ("healthcheck", ["Healthcheck"], []),
            ("healthcheck", ["Config.Healthcheck"], []),
            ("healthcheck", ["healthcheck.interval", "Healthcheck.Retries"],
             [c for c in EXPECTED_CONFIG_PAIRS["healthcheck"] if c[1] not in ("Healthcheck.Interval", "Healthcheck.Retries")]),
            ("run", ["Env", "Labels", "config.ExposedPorts"],
             [c for c in EXPECTED_CONFIG_PAIRS["run"] if c[1] not in ("Env", "Labels", "ExposedPorts")]),
            ("run", ["config"], []),
            ("docker", ["container_config"], EXPECTED_CONFIG_PAIRS["docker"][:2]),
            ("docker", ["container_config.Cmd"], [c for c in EXPECTED_CONFIG_PAIRS["docker"] if c[1] != "container_config.Cmd"]),
            ("platform", ["os"], EXPECTED_CONFIG_PAIRS["platform"][1:]),
        ]
        for name, fields, expected in cases:
            with self.subTest(pair=name, fields=fields):
                options = [a for f in fields for a in ("--ignore-field", f)]
                code, report = self.pair(name, *options)
                self.assertEqual(config_summary(report), expected)
                self.assertEqual(code, 1 if expected else 0)
                self.assertEqual(report["ignoredFields"], fields)

    def test_unknown_field_is_a_usage_error(self):
        code, out, err = tarsier("diff", "testdata/diff/config", "testdata/diff/config", "--ignore-field", "Healthcheck.Intervals")
        self.assertEqual((code, out), (2, ""))
        self.assertIn("unknown config field 'Healthcheck.Intervals'", err)

    def test_the_committed_config_pair_is_what_the_script_makes(self):
        self.assertEqual(tree_bytes(pathlib.Path(SOURCE_ROOT) / PAIRS / "config"),
                         tree_bytes(pathlib.Path(self.work.name) / "config"))


class Blame(unittest.TestCase):
    def blame(self, *args):
        code, out, err = tarsier("blame", *args, "--format", "json")
        self.assertIn(code, (0, 1), err)
        return code, json.loads(out)

    def test_a_file_of_a_pair(self):
        code, report = self.blame("testdata/diff/content", "--image", ":new", "/etc/value.conf")
        self.assertEqual(code, 0)
        self.assertEqual(report["path"], "/etc/value.conf")
        self.assertEqual([(l["position"], [(c["kind"], c["path"]) for c in l["changes"]]) for l in report["layers"]],
                         [(0, [("A", "/etc/value.conf")])])
        self.assertEqual(report["layers"][0]["createdBy"], "COPY rootfs/ / # make-pairs.sh")

    def test_a_path_no_layer_touched_exits_1_with_a_note(self):
        code, out, err = tarsier("blame", "testdata/umoci-changes", "/no/such/path")
        self.assertEqual((code, out, err), (1, "", "tarsier: note: no layer has /no/such/path or anything below it\n"))
        code, report = self.blame("testdata/umoci-changes", "/no/such/path")
        self.assertEqual((code, report["layers"]), (1, []))

    def test_a_deleted_parent_and_a_replaced_parent(self):
        _, report = self.blame("testdata/umoci-changes", "data/gone/sub/y")
        self.assertEqual([(l["position"], [(c["kind"], c["path"]) for c in l["changes"]]) for l in report["layers"]],
                         [(0, [("A", "/data/gone/sub/y")]), (2, [("D", "/data/gone")])])
        _, report = self.blame("testdata/umoci-changes", "/data/replaced/sub/deep.txt")
        self.assertEqual([(l["position"], [(c["kind"], c["path"]) for c in l["changes"]]) for l in report["layers"]],
                         [(0, [("A", "/data/replaced/sub/deep.txt")]), (3, [("C", "/data/replaced"), ("D", "/data/replaced/sub")])])

    def test_text_columns(self):
        code, out, _ = tarsier("blame", "testdata/umoci-changes", "/etc/same-size.conf")
        self.assertEqual(code, 0)
        lines = out.splitlines()
        self.assertEqual(lines[0].split(), ["LAYER", "DIGEST", "CHANGE", "PATH", "CREATED", "BY"])
        self.assertEqual([line.split()[:4] for line in lines[1:]],
                         [["0", "778a95009745", "A", "/etc/same-size.conf"], ["4", "5aedcc6752b4", "C", "/etc/same-size.conf"]])

    def test_layers_agree_with_the_tar_entries(self):
        # A leaf path is touched by a layer whose tar names it, whites it out or one of its
        # parents, holds a non-directory at one of its parents, or makes a parent opaque.
        layout = pathlib.Path(SOURCE_ROOT) / "testdata/umoci-changes"
        layers = layer_names(layout, "1.0")
        for path in ("data/gone/sub/y", "etc/same-size.conf", "etc/mode.conf", "data/replaced/inner.txt",
                     "bin/hardlink", "opt/app/one", "data/keep/a.txt"):
            parents = ["/".join(path.split("/")[:i]) for i in range(1, path.count("/") + 1)]
            want = []
            for position, names in enumerate(layers):
                touched = False
                for name, is_dir in names:
                    base = name.rsplit("/", 1)[-1]
                    parent = name.rsplit("/", 1)[0] if "/" in name else ""
                    if name == path:
                        touched = True
                    elif base.startswith(".wh.") and base != ".wh..wh..opq":
                        target = (parent + "/" if parent else "") + base[4:]
                        touched |= target == path or target in parents
                    elif base == ".wh..wh..opq":
                        touched |= parent in parents
                    elif name in parents and not is_dir:
                        touched = True
                if touched:
                    want.append(position)
            with self.subTest(path=path):
                _, report = self.blame("testdata/umoci-changes", "/" + path)
                self.assertEqual([l["position"] for l in report["layers"]], want)


@unittest.skipUnless(can_use_umoci(), "needs root and umoci")
class IndependentTools(unittest.TestCase):
    def test_make_pairs_rebuilds_the_committed_pairs(self):
        script = pathlib.Path(SOURCE_ROOT) / PAIRS / "make-pairs.sh"
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([str(script), out], check=True, stdout=subprocess.DEVNULL)
            for name in EXPECTED_FILES:
                self.assertEqual(tree_bytes(pathlib.Path(SOURCE_ROOT) / PAIRS / name),
                                 tree_bytes(pathlib.Path(out) / name), name)

    def test_unpacked_images_differ_in_what_tarsier_reports(self):
        for name in EXPECTED_FILES:
            layout = pathlib.Path(SOURCE_ROOT) / PAIRS / name
            with self.subTest(pair=name), tempfile.TemporaryDirectory() as work:
                facts = {}
                for tag in ("old", "new"):
                    bundle = os.path.join(work, tag)
                    subprocess.run(["umoci", "unpack", "--image", f"{layout}:{tag}", bundle], check=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    facts[tag] = tree_facts(os.path.join(bundle, "rootfs"))
                _, report = diff_json(PAIRS / name, PAIRS / name, ":old", ":new")
                self.assertEqual(file_summary(report), lstat_differences(facts["old"], facts["new"]))
                old_env = dict(e.split("=", 1) for e in image_config(layout, "old")["config"]["Env"])
                new_env = dict(e.split("=", 1) for e in image_config(layout, "new")["config"]["Env"])
                env = [("C", "Env", k, old_env[k], new_env[k]) for k in sorted(old_env) if old_env[k] != new_env.get(k)]
                self.assertEqual([c for c in config_summary(report) if c[1] == "Env"], env)


def tree_bytes(root):
    """Every file below `root` by relative path, with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(pathlib.Path(root).rglob("*")) if p.is_file()}


def main():
    global BINARY, SOURCE_ROOT
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--source-root", required=True)
    args, rest = parser.parse_known_args()
    BINARY = os.path.abspath(args.binary)
    SOURCE_ROOT = os.path.abspath(args.source_root)
    if not (pathlib.Path(SOURCE_ROOT) / PAIRS / "env").is_dir():
        print("testdata/diff pairs are missing; run testdata/diff/make-pairs.sh", file=sys.stderr)
        return 99
    result = unittest.main(argv=[sys.argv[0], "-v", *rest], exit=False).result
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
