#!/usr/bin/env python3
"""Docker-style --format templates (tarsier-format(7)) checked against independent facts.

1. Docker's documented examples (docs.docker.com: docker image ls, docker history, docker
   inspect, "Format command and log output") on testdata/sample.tar, with the output
   Docker's rules give: each row's template output and "\\n"; "table" adds the header row
   made from the same template over docker's header names, aligned by the tabwriter (here
   re-done in Python: cells padded to the widest + 3, at least 10, the last not). The values
   come from tarsier's --format json rows, and the image ID, the config and the layer
   digests from the archive itself (Python's tarfile, json and hashlib).
2. printf verbs against Python's %-formatting of the same values.
3. Go's behaviour for missing keys ("<no value>" in inspect; an error in ls rows).
4. Template errors: exit 2, one line "tarsier: error: --format: column N: message".
5. Hostile templates end with an error, quickly: nested ranges, deep nesting, huge pad.

Usage: format_templates.py --tarsier BIN --source-root DIR
Exit status: 0 all pass, 1 a failure (each printed).
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import time

SAMPLE = "testdata/sample.tar"
failures = []


def run(args, cwd, timeout=60):
    env = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8")
    p = subprocess.run(args, cwd=cwd, capture_output=True, timeout=timeout, env=env)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def check(name, got, want):
    if got != want:
        failures.append(f"{name}:\n  got:  {got!r}\n  want: {want!r}")


def tabwrite(lines):
    """Docker's tabwriter (10, 1, 3, ' ') for rows that all have the same cells."""
    rows = [line.split("\t") for line in lines]
    widths = [max(10, max(len(r[i]) for r in rows) + 3) for i in range(len(rows[0]) - 1)]
    return "".join("".join(c.ljust(w) for c, w in zip(r, widths)) + r[-1] + "\n" for r in rows)


def archive_facts(root):
    """The config, its digest and the layer tars' digests, read by Python alone."""
    with tarfile.open(os.path.join(root, SAMPLE)) as tf:
        manifest = json.load(tf.extractfile("manifest.json"))[0]
        raw = tf.extractfile(manifest["Config"]).read()
        layers = ["sha256:" + hashlib.sha256(tf.extractfile(name).read()).hexdigest() for name in manifest["Layers"]]
    # Docker shows references in their familiar form (docker.io/ and library/ dropped).
    manifest["RepoTags"] = [r.removeprefix("docker.io/").removeprefix("library/") for r in manifest.get("RepoTags") or []]
    return manifest, json.loads(raw), "sha256:" + hashlib.sha256(raw).hexdigest(), layers


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    a = ap.parse_args()
    t, root = os.path.abspath(a.tarsier), a.source_root
    manifest, config, image_id, layer_digests = archive_facts(root)

    def tar(*args):
        return run([t, *args], root)

    def out(*args):
        code, stdout, stderr = tar(*args)
        if code != 0:
            failures.append(f"tarsier {' '.join(args)}: exit {code}: {stderr.strip()}")
        return stdout

    ls_rows = [json.loads(x) for x in out("ls", SAMPLE, "--now", "0", "--format", "json").splitlines()]
    hist_rows = [json.loads(x) for x in out("history", SAMPLE, "--now", "0", "--format", "json").splitlines()]
    check("ls rows have the image ID of the config's digest", {r["ID"] for r in ls_rows}, {image_id[7:19]})
    check("ls rows have the archive's tags", [f"{r['Repository']}:{r['Tag']}" for r in ls_rows], manifest["RepoTags"])

    # 1. Docker's documented examples.
    ls = lambda f: out("ls", SAMPLE, "--now", "0", "--format", f)
    check("images --format '{{.ID}}: {{.Repository}}'", ls("{{.ID}}: {{.Repository}}"),
          "".join(f"{r['ID']}: {r['Repository']}\n" for r in ls_rows))
    check("images --format 'table {{.ID}}\\t{{.Repository}}\\t{{.Tag}}'", ls("table {{.ID}}\\t{{.Repository}}\\t{{.Tag}}"),
          tabwrite(["IMAGE ID\tREPOSITORY\tTAG"] + [f"{r['ID']}\t{r['Repository']}\t{r['Tag']}" for r in ls_rows]))
    check("images --format '{{.Repository}}:{{.Tag}}'", ls("{{.Repository}}:{{.Tag}}"),
          "".join(f"{x}\n" for x in manifest["RepoTags"]))
    check("images --format 'table {{.Repository}}\\t{{.Tag}}\\t{{.Digest}}\\t{{.CreatedSince}}\\t{{.Size}}'",
          ls("table {{.Repository}}\\t{{.Tag}}\\t{{.Digest}}\\t{{.CreatedSince}}\\t{{.Size}}"),
          tabwrite(["REPOSITORY\tTAG\tDIGEST\tCREATED\tSIZE"] +
                   [f"{r['Repository']}\t{r['Tag']}\t{r['Digest']}\t{r['CreatedSince']}\t{r['Size']}" for r in ls_rows]))
    check("images --format '{{.CreatedAt}}'", ls("{{.CreatedAt}}"), "".join(f"{r['CreatedAt']}\n" for r in ls_rows))
    check("images --format '{{json .}}' (= --format json)", ls("{{json .}}"),
          out("ls", SAMPLE, "--now", "0", "--format", "json").replace("\\u003c", "<").replace("\\u003e", ">"))
    hist = out("history", SAMPLE, "--now", "0", "--format", "{{.ID}}: {{.CreatedSince}}")
    check("history --format '{{.ID}}: {{.CreatedSince}}'", hist, "".join(f"{r['ID']}: {r['CreatedSince']}\n" for r in hist_rows))
    hist = out("history", SAMPLE, "--now", "0", "--no-trunc", "--format", "{{.CreatedBy}}")
    check("history --no-trunc --format '{{.CreatedBy}}' (the config's history, newest first)", hist,
          "".join(h.get("created_by", "") + "\n" for h in reversed(config["history"])))
    hist = out("history", SAMPLE, "--now", "0", "--format", "table {{.ID}}\\t{{.Size}}")
    check("history --format 'table {{.ID}}\\t{{.Size}}'", hist,
          tabwrite(["IMAGE\tSIZE"] + [f"{r['ID']}\t{r['Size']}" for r in hist_rows]))
    insp = lambda f, *extra: out("inspect", SAMPLE, *extra, "--format", f)
    c = config["config"]
    check("inspect --format '{{.Id}}' (sha256 of the config blob)", insp("{{.Id}}"), image_id + "\n")
    check("inspect -f '{{.Config.User}}'", out("inspect", SAMPLE, "-f", "{{.Config.User}}"), c.get("User", "") + "\n")
    check("inspect --format '{{json .Config.Env}}'", insp("{{json .Config.Env}}"),
          json.dumps(c["Env"], separators=(",", ":"), ensure_ascii=False) + "\n")
    check("inspect --format '{{json .Config.Labels}}'", insp("{{json .Config.Labels}}"),
          json.dumps(c["Labels"], separators=(",", ":"), ensure_ascii=False, sort_keys=True) + "\n")
    check("inspect --format '{{json .Config}}' is the config object of inspect's JSON",
          json.loads(insp("{{json .Config}}")), json.loads(out("inspect", SAMPLE))[0]["Config"])
    check("inspect --format '{{join .Config.Env \" , \"}}'", insp('{{join .Config.Env " , "}}'), " , ".join(c["Env"]) + "\n")
    check("inspect --format '{{.RepoTags}}' prints a list as Go does", insp("{{.RepoTags}}"),
          "[" + " ".join(manifest["RepoTags"]) + "]\n")
    check("inspect --format '{{lower .Os}} {{upper .Architecture}} {{title .Os}}'",
          insp("{{lower .Os}} {{upper .Architecture}} {{title .Os}}"),
          f"{config['os'].lower()} {config['architecture'].upper()} {config['os'].title()}\n")
    check("inspect --format '{{split (index .RepoTags 0) \":\"}}'", insp('{{split (index .RepoTags 0) ":"}}'),
          "[" + " ".join(manifest["RepoTags"][0].split(":")) + "]\n")
    check("inspect --format '{{range .RootFS.Layers}}{{println .}}{{end}}'", insp("{{range .RootFS.Layers}}{{println .}}{{end}}"),
          "".join(d + "\n" for d in config["rootfs"]["diff_ids"]) + "\n")
    check("inspect --format '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}} {{end}}'",
          insp("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}} {{end}}"),
          "".join(f"{k}={v} " for k, v in sorted(c["Labels"].items())) + "\n")
    key = sorted(c["Labels"])[0]
    check("inspect --format '{{index .Config.Labels KEY}}'", insp(f'{{{{index .Config.Labels "{key}"}}}}'), c["Labels"][key] + "\n")
    check("inspect: a label that is absent indexes as \"\" (map[string]string)", insp('{{index .Config.Labels "no.such"}}'), "\n")
    check("inspect: a field that is absent prints <no value>", insp("{{.Config.Labels.nosuch}}|{{.NoSuch}}"),
          "<no value>|<no value>\n")
    check("inspect: \\t stays as typed (docker inspect does not replace it)", insp("{{.Os}}\\t"), config["os"] + "\\t\n")
    check("inspect: if/else if/else", insp('{{if eq .Os "windows"}}W{{else if eq .Os "linux"}}L{{else}}?{{end}}'),
          ("W" if config["os"] == "windows" else "L" if config["os"] == "linux" else "?") + "\n")
    lay = out("layers", SAMPLE, "--format", "{{.position}} {{.digest}}")
    check("layers --format '{{.position}} {{.digest}}' (sha256 of each layer tar)", lay,
          "".join(f"{i} {d}\n" for i, d in enumerate(layer_digests)))

    # 2. printf against Python's % formatting.
    cases = [("%s", '"abc"', "abc"), ("%-10s|", '"abc"', "%-10s|" % "abc"), ("%10s|", '"abc"', "%10s|" % "abc"),
             ("%.2s", '"abcdef"', "%.2s" % "abcdef"), ("%d", "42", "%d" % 42), ("%5d|", "-42", "%5d|" % -42),
             ("%-5d|", "42", "%-5d|" % 42), ("%05d", "42", "%05d" % 42), ("%+d", "42", "%+d" % 42),
             ("%x", "255", "%x" % 255), ("%X", "255", "%X" % 255), ("%o", "8", "%o" % 8), ("%#x", "255", "%#x" % 255),
             ("%5.2f", "3.14159", "%5.2f" % 3.14159), ("%.3e", "1234.5", "%.3e" % 1234.5), ("%f", "2.5", "%f" % 2.5),
             ("%-8.1f|", "2.25", "%-8.1f|" % 2.25), ("%c", "65", "%c" % 65), ("%%", None, "%"),
             ("%v", "true", "true"), ("%v", "1.5", "1.5"), ("%v", "1000000.0", "1e+06"), ("%q", '"a\\"b\\n"', '"a\\"b\\n"'),
             ("%d", '"x"', "%!d(string=x)"), ("%s", "7", "%!s(int=7)"), ("%d %d", "1", "1 %!d(MISSING)"),
             ("%d", "1 2", "1%!(EXTRA int=2)"), ("%z", "1", "%!z(int=1)")]
    # One run for all of them: each case's output between separators.
    sep = "\u2063|"
    got = insp(sep.join(f'{{{{printf "{fmt}"{" " + arg if arg else ""}}}}}' for fmt, arg, _ in cases)).removesuffix("\n")
    check("printf cases all printed", len(got.split(sep)), len(cases))
    for (fmt, arg, want), one in zip(cases, got.split(sep)):
        check(f"printf {fmt} {arg}", one, want)
    check("print and println", insp('{{print 1 2 "a" "b" 3}}|{{println 1 "a"}}'), "1 2ab3|1 a\n\n")
    check("pad and truncate", insp('[{{pad "ab" 2 3}}][{{pad "" 2 3}}][{{truncate "abcdef" 3}}][{{truncate "ab" 3}}]'),
          "[  ab   ][][abc][ab]\n")
    check("and/or/not/len", insp('{{and 1 0}} {{or 0 "x"}} {{not ""}} {{len .RepoTags}} {{len "héllo"}}'),
          f"0 x true {len(manifest['RepoTags'])} {len('héllo'.encode())}\n")
    check("trim markers and comments", insp("a  {{- /* c */ -}}  b {{- .Os -}} \n c"), f"ab{config['os']}c\n")
    check("variables", insp('{{$x := .Os}}{{$x}}{{$x = "y"}}{{$x}}'), config["os"] + "y\n")

    # 3. ls rows are typed: a field docker does not have is an error.
    code, _, err = tar("ls", SAMPLE, "--format", "{{.Foo}}")
    check("ls --format '{{.Foo}}'", (code, err), (2, "tarsier: error: --format: column 3: can't evaluate field Foo in type image\n"))

    # 4. Errors point at the column.
    for fmt, message in [
        ("{{.ID}} {{foo .ID}}", 'column 11: function "foo" not defined'),
        ("table {{.ID}}\\t{{.Tag", "column 16: unclosed action"),
        ("{{.ID}}{{end}}", "column 8: unexpected {{end}}"),
        ("{{if .ID}}x", "column 1: unexpected EOF: {{if}} has no {{end}}"),
        ('{{printf "%d" "x}}', "column 15: unterminated quoted string"),
        ("{{$x}}", 'column 3: undefined variable "$x"'),
        ("{{join .ID}}", "column 3: wrong number of args for join: want 2 got 1"),
        ("{{ .ID @ }}", "column 8: unrecognized character in action: U+0040 '@'"),
    ]:
        code, stdout, err = tar("ls", SAMPLE, "--format", fmt)
        check(f"error in {fmt!r}", (code, stdout, err), (2, "", f"tarsier: error: --format: {message}\n"))

    # 5. Hostile templates: bounded, with an error, fast.
    hostile = [
        ("{{range 100000}}{{range 100000}}{{end}}{{end}}", "steps"),
        ("{{pad .Os 1000000000 1000000000}}", "output larger than"),
        ("{{range 100000}}{{pad $.Os 1000 1000}}{{end}}", "output larger than"),
        ("{{if 1}}" * 200 + "{{end}}" * 200, "nesting deeper than 100 levels"),
        ("{{" + "(" * 200 + "1" + ")" * 200 + "}}", "nesting deeper than 100 levels"),
        ('{{printf "%1000000000d" 1}}', None),
    ]
    for fmt, what in hostile:
        start = time.monotonic()
        code, stdout, err = tar("inspect", SAMPLE, "--format", fmt)
        took = time.monotonic() - start
        if what is None:
            check(f"hostile {fmt[:40]!r}", (code, stdout), (0, "%!(BADWIDTH)1\n"))
        elif code != 2 or what not in err or err.count("\n") != 1:
            failures.append(f"hostile {fmt[:40]!r}: exit {code}, stderr {err!r}")
        if took > 10:
            failures.append(f"hostile {fmt[:40]!r}: took {took:.1f} s")

    # One wide cell and many narrow ones: alignment would multiply them.
    code, stdout, err = tar("ls", SAMPLE, "--format", "table {{pad .ID 3000000 0}}\\t\\n{{range 300000}}x\\t\\n{{end}}")
    check("hostile table", (code, stdout, err),
          (2, "", "tarsier: error: --format: table: aligned output could be larger than 67108864 bytes\n"))

    for f in failures:
        print(f)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
