#!/usr/bin/env python3
"""Self-test of run_case.py: it must catch each kind of mismatch, and bless must fix them.

Fake `tarsier` binaries are small /bin/sh scripts written to a temporary directory, which
also stands in for the source root (with ../shared beside it where a test needs one).
"""
import os
import pathlib
import stat
import subprocess
import sys
import tempfile
import unittest

RUNNER = pathlib.Path(__file__).resolve().with_name("run_case.py")


class RunCaseTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.top = pathlib.Path(self._tmp.name).resolve()
        self.src = self.top / "src"
        self.cases = self.src / "tests" / "cli" / "cases"
        self.cases.mkdir(parents=True)
        # Prints its arguments and some of its environment, one per line, warns, exits 3.
        self.binary = self.fake_binary("fake-tarsier", r"""
for a in "$@"; do printf 'arg=%s\n' "$a"; done
printf 'cwd=%s\n' "$(pwd)"
printf 'env=%s|%s|%s|%s|%s\n' "$TZ" "$LC_ALL" "$NO_COLOR" "$COLUMNS" "${TARSIER_LEAK:-}"
echo "tarsier: warning: something odd" >&2
exit 3
""")

    def tearDown(self):
        self._tmp.cleanup()

    def fake_binary(self, name, body):
        path = self.top / name
        path.write_text("#!/bin/sh\n" + body)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
        return path

    def write_case(self, name, text, stdout=None, stderr=None, exit_code=None):
        case = self.cases / f"{name}.case"
        case.write_text(text)
        for suffix, content in (("stdout", stdout), ("stderr", stderr), ("exit", exit_code)):
            if content is not None:
                case.with_suffix("." + suffix).write_text(content)
        return case

    def run_case(self, case, *extra, binary=None, env=None):
        command = [sys.executable, str(RUNNER), "--binary", str(binary or self.binary),
                   "--source-root", str(self.src), *extra, str(case)]
        full_env = dict(os.environ, TARSIER_LEAK="leaked")
        full_env.pop("TARSIER_BLESS", None)
        full_env.update(env or {})
        return subprocess.run(command, capture_output=True, text=True, env=full_env, check=False)

    def expected_stdout(self, *args):
        lines = [f"arg={a}\n" for a in args]
        return "".join(lines) + f"cwd={self.src}\n" + "env=UTC|C.UTF-8|1|200|\n"

    def good_case(self, name="good"):
        return self.write_case(name, "ls 'two words' @SRC@/testdata/x.tar\n",
                               stdout=self.expected_stdout("ls", "two words", "@SRC@/testdata/x.tar")
                               .replace(f"cwd={self.src}", "cwd=@SRC@"),
                               stderr="tarsier: warning: something odd\n", exit_code="3\n")

    def test_matching_output_passes(self):
        done = self.run_case(self.good_case())
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("ok: good", done.stdout)

    def test_stdout_mismatch_fails_with_diff(self):
        case = self.good_case()
        case.with_suffix(".stdout").write_text("arg=something else\n")
        done = self.run_case(case)
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("--- expected good.stdout", done.stdout)
        self.assertIn("-arg=something else", done.stdout)
        self.assertIn("+arg=two words", done.stdout)
        self.assertIn("stdout differ", done.stdout)
        self.assertNotIn("stderr", done.stdout.split("FAILED:")[1])

    def test_stderr_mismatch_fails_with_diff(self):
        case = self.good_case()
        case.with_suffix(".stderr").write_text("tarsier: warning: something else\n")
        done = self.run_case(case)
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("--- expected good.stderr", done.stdout)
        self.assertIn("+tarsier: warning: something odd", done.stdout)
        self.assertIn("FAILED: good: stderr differ", done.stdout)

    def test_exit_code_mismatch_fails(self):
        case = self.good_case()
        case.with_suffix(".exit").write_text("0\n")
        done = self.run_case(case)
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("-0", done.stdout)
        self.assertIn("+3", done.stdout)
        self.assertIn("FAILED: good: exit differ", done.stdout)

    def test_exit_code_is_the_binarys_own(self):
        case = self.write_case("quiet", "--help\n", stdout="", stderr="", exit_code="0\n")
        quiet = self.fake_binary("quiet-tarsier", "exit 0\n")
        self.assertEqual(self.run_case(case, binary=quiet).returncode, 0)
        failing = self.fake_binary("failing-tarsier", "exit 2\n")
        done = self.run_case(case, binary=failing)
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("+2", done.stdout)

    def test_missing_trailing_newline_is_a_mismatch(self):
        case = self.good_case()
        stdout = case.with_suffix(".stdout")
        stdout.write_text(stdout.read_text().rstrip("\n"))
        self.assertEqual(self.run_case(case).returncode, 1)

    def test_missing_expected_file_fails(self):
        case = self.write_case("new", "--help\n")
        done = self.run_case(case)
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("missing new.exit", done.stdout)

    def test_absent_output_file_expects_empty_output(self):
        quiet = self.fake_binary("stdout-only", "echo listed\n")
        case = self.write_case("quiet", "ls\n", stdout="listed\n", exit_code="0\n")
        self.assertEqual(self.run_case(case, binary=quiet).returncode, 0)
        case.with_suffix(".stdout").unlink()
        done = self.run_case(case, binary=quiet)
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("+listed", done.stdout)

    def test_bless_removes_files_for_empty_output(self):
        quiet = self.fake_binary("stdout-only", "echo listed\n")
        case = self.write_case("quiet", "ls\n", stdout="old\n", stderr="old warning\n",
                               exit_code="1\n")
        self.assertEqual(self.run_case(case, "--bless", binary=quiet).returncode, 0)
        self.assertFalse(case.with_suffix(".stderr").exists())
        self.assertEqual(case.with_suffix(".stdout").read_text(), "listed\n")
        self.assertEqual(case.with_suffix(".exit").read_text(), "0\n")
        self.assertEqual(self.run_case(case, binary=quiet).returncode, 0)

    def test_bless_rewrites_expected_files(self):
        case = self.good_case()
        case.with_suffix(".stdout").write_text("stale\n")
        case.with_suffix(".exit").write_text("0\n")
        done = self.run_case(case, "--bless")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(case.with_suffix(".exit").read_text(), "3\n")
        self.assertEqual(self.run_case(case).returncode, 0)

    def test_bless_from_environment_writes_new_case(self):
        case = self.write_case("fresh", "history x.tar\n")
        done = self.run_case(case, env={"TARSIER_BLESS": "1"})
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(case.with_suffix(".stdout").read_text(),
                         self.expected_stdout("history", "x.tar").replace(str(self.src), "@SRC@"))
        self.assertEqual(self.run_case(case).returncode, 0)

    def test_shared_expands_and_is_written_back(self):
        (self.top / "shared" / "corpus" / "real").mkdir(parents=True)
        case = self.write_case("corpus", "ls @SHARED@/corpus/real/a.tar\nrequires: shared\n")
        self.assertEqual(self.run_case(case, "--bless").returncode, 0)
        stdout = case.with_suffix(".stdout").read_text()
        self.assertIn("arg=@SHARED@/corpus/real/a.tar\n", stdout)
        self.assertNotIn(str(self.top), stdout)

    def test_requires_shared_skips_without_corpus(self):
        case = self.write_case("corpus", "ls @SHARED@/corpus/real/a.tar\nrequires: shared\n")
        done = self.run_case(case)
        self.assertEqual(done.returncode, 77, done.stdout + done.stderr)
        self.assertFalse(case.with_suffix(".stdout").exists())

    def test_malformed_case_is_an_error(self):
        for name, text in (("empty", ""), ("quote", "ls 'unterminated\n"),
                           ("directive", "ls\nrequires: network\n")):
            with self.subTest(name=name):
                done = self.run_case(self.write_case(name, text))
                self.assertEqual(done.returncode, 99, done.stdout + done.stderr)

    def test_missing_binary_is_an_error(self):
        done = self.run_case(self.good_case(), binary=self.top / "no-such-binary")
        self.assertEqual(done.returncode, 99, done.stdout + done.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
