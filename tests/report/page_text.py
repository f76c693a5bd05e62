#!/usr/bin/env python3
"""The report page as text, without a browser: on the hostile image (make_image.py) and
the sample, the page holds exactly its own two scripts and one style, no "</script>",
"<!--" or U+2028 inside the data block, the CSP hashes equal hashlib's SHA-256 of the
style and script as written, nothing is loaded from anywhere (no src=, href= outside the
page, url(), @import), the data block parses as JSON of schemaVersion 1, and no secret's
value is written. The archive's SHA-256 and size on the page equal hashlib's for the file,
for the same bytes on a pipe and for a gzip-compressed copy (the one read hashes them).
On every archive of testdata/bad that the page is written for (damaged layers, a wrong
diff_id, decompression bombs over and under the ratio limit), the page's verify counts
equal those of `tarsier verify --format json` on the same archive.

Usage: page_text.py --tarsier BIN --source-root DIR
"""
import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_image  # noqa: E402


def csp_hash(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def check_page(html, name):
    problems = []
    opens = re.findall(r"<script\b[^>]*>", html)
    if opens != ['<script type="application/json" id="tarsier-data">', "<script>"]:
        problems.append(f"{name}: script tags {opens}")
    if html.count("</script>") != 2 or html.count("<style>") != 1:
        problems.append(f"{name}: {html.count('</script>')} </script>, {html.count('<style>')} <style>")
    data = html.split('id="tarsier-data">', 1)[1].split("</script>", 1)[0]
    for bad in ("<!--", "</", "\u2028", "\u2029", "<"):
        if bad in data:
            problems.append(f"{name}: {bad!r} in the data block")
    try:
        parsed = json.loads(data)
        if parsed.get("schemaVersion") != 1:
            problems.append(f"{name}: schemaVersion {parsed.get('schemaVersion')}")
    except ValueError as e:
        problems.append(f"{name}: data block is not JSON: {e}")
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    script = html.split("<script>", 1)[1].split("</script>", 1)[0]
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    if not m:
        problems.append(f"{name}: no CSP meta tag")
    else:
        csp = m.group(1)
        want = (f"default-src 'none'; style-src {csp_hash(style)}; script-src {csp_hash(script)}; "
                "img-src 'none'; base-uri 'none'; form-action 'none'")
        if csp != want:
            problems.append(f"{name}: CSP {csp!r} != {want!r}")
    tags = re.findall(r"<[a-zA-Z][^>]*>", html.replace(data, ""))
    for tag in tags:
        names = re.sub(r'"[^"]*"', '""', tag)  # attribute names, values emptied
        if re.search(r"\bsrc\s*=", names) or re.search(r'\bhref="(?!#)', tag):
            problems.append(f"{name}: {tag} loads something")
    for pattern in (r"url\(", r"@import"):
        if re.search(pattern, style):
            problems.append(f"{name}: {pattern} in the style")
    return problems


def digest_checks(tarsier, archive, tmp):
    """The summary's SHA-256 and size against hashlib and os.stat: the file, a pipe of it,
    and a gzip copy (a compressed archive is hashed as stored, before decompression)."""
    import gzip
    problems = []
    data = open(archive, "rb").read()
    gz = os.path.join(tmp, "sample.tar.gz")
    with open(gz, "wb") as f:
        f.write(gzip.compress(data, mtime=0))
    for name, path, stdin in (("file", archive, None), ("pipe", "-", data), ("gzip", gz, None)):
        raw = data if name != "gzip" else open(gz, "rb").read()
        r = subprocess.run([tarsier, "report", path, "-o", "-"], input=stdin, capture_output=True,
                           stdin=None if stdin is not None else subprocess.DEVNULL)
        html = r.stdout.decode("utf-8", "replace")
        sha = re.search(r'id="archive-sha256"><code>([^<]*)</code>', html)
        size = re.search(r'id="archive-size"><span class="bytes" data-bytes="(\d+)"', html)
        want = "sha256:" + hashlib.sha256(raw).hexdigest()
        if r.returncode != 0 or not sha or sha.group(1) != want or not size or int(size.group(1)) != len(raw):
            problems.append(f"digest of the {name}: exit {r.returncode}, {sha and sha.group(1)} "
                            f"({size and size.group(1)} bytes), hashlib {want} ({len(raw)} bytes)")
    return problems


def verify_counts(tarsier, source_root):
    """The page's verify verdict counts against `tarsier verify`'s, on the damaged archives."""
    problems = []
    bad = os.path.join(source_root, "testdata", "bad")
    checked = 0
    for name in sorted(os.listdir(bad)):
        if not name.endswith(".tar"):
            continue
        path = os.path.join(bad, name)
        r = subprocess.run([tarsier, "report", path, "-o", "-"], capture_output=True)
        if r.returncode != 0:
            continue  # not readable as an image at all: no page
        page = dict(re.findall(r'data-count="([a-z]+)">(\d+)<', r.stdout.decode("utf-8", "replace")))
        v = subprocess.run([tarsier, "verify", path, "--format", "json"], capture_output=True)
        summary = json.loads(v.stdout)["archives"][0]["summary"]
        want = {k: str(summary[k]) for k in ("pass", "fail", "warn", "absent", "unverifiable")}
        if page != want:
            problems.append(f"{name}: page verify counts {page}, tarsier verify {want}")
        checked += 1
    if checked < 10:
        problems.append(f"only {checked} damaged archives gave a page")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    args = ap.parse_args()
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        hostile = os.path.join(tmp, "hostile.tar")
        make_image.hostile(hostile)
        for name, archive in (("hostile", hostile), ("sample", os.path.join(args.source_root, "testdata", "sample.tar"))):
            r = subprocess.run([args.tarsier, "report", archive, "-o", "-"], capture_output=True)
            if r.returncode != 0:
                problems.append(f"{name}: exit {r.returncode}: {r.stderr!r}")
                continue
            html = r.stdout.decode("utf-8")  # fails on any invalid UTF-8 in the page
            problems += check_page(html, name)
            if name == "hostile":
                if make_image.SECRET[1] in html:
                    problems.append("hostile: the secret's value is in the page")
                for raw in ("<img src=x", "<b id=pwned>", "window.pwned=1</script>"):
                    if raw in html:
                        problems.append(f"hostile: {raw!r} written as markup")
        problems += digest_checks(args.tarsier, os.path.join(args.source_root, "testdata", "sample.tar"), tmp)
    problems += verify_counts(args.tarsier, args.source_root)
    for p in problems:
        print("FAIL:", p)
    print("ok" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
