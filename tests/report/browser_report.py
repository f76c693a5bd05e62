#!/usr/bin/env python3
"""tarsier report in a real browser: headless Chromium (Debian's chromium and
chromium-driver, driven by python3-selenium), one session for every page.

Pages: the sample image (testdata/sample.tar), a real-world archive
(../shared/corpus/real/dive/.data/test-docker-image.tar, left out when ../shared is
absent), a hostile image and a large one (46,000 files) built here by make_image.py.
Each page is opened from file:// with the network forbidden, and:
- the console has no error, and the browser asked for nothing but the file itself;
- the layers' sizes and digests equal `tarsier layers --format json`, the verify counts
  `tarsier verify --format json`, efficiency and wasted bytes `tarsier waste --format
  json`, the audit counts `tarsier audit --format json`, and the archive's sha256 and size
  Python's hashlib and os.stat;
- every layer chosen with "only changes" marks exactly the paths and letters that
  `tarsier changes --format json` gives for that layer; directories expand; the filter
  finds names;
- hostile names, labels and CREATED BY show as text: no script runs, no element is made;
- the packages section (on the dpkg-layers fixture, a generated image of 1,500 packages
  and the pkgdb corpus images when ../shared is present) holds exactly the packages, the
  per-layer counts and the findings of `tarsier packages --format json`, each finding
  linking to its layer and path; a page of an image without a package database has no
  such section.
The large page's size and the time to its first render are printed. Screenshots go to
--artifacts. Exit 77 when no browser is installed.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_image  # noqa: E402

FAILURES = []
PACKAGE_PAGES = ("dpkg", "packages")  # pages checked for their packages section only
CORPUS_PACKAGE_PAGES = ("alpine-apk", "distroless-statusd", "mariner-rpm")


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def load_selenium():
    try:
        import selenium  # noqa: F401
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")  # Debian's python3-selenium
    try:
        from selenium import webdriver  # noqa: F401
        return True
    except ImportError:
        return False


def tool(*names):
    for n in names:
        p = shutil.which(n) or (n if os.path.exists(n) else None)
        if p:
            return p
    return None


def tarsier_json(binary, *args):
    out = subprocess.run([binary, *args, "--format", "json"], capture_output=True, check=False)
    return json.loads(out.stdout)


class Browser:
    def __init__(self, chromium, driver):
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
        o = Options()
        o.binary_location = chromium
        for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--window-size=1280,900", "--no-first-run", "--disable-extensions",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-default-apps", "--proxy-server=127.0.0.1:9",
                  "--host-resolver-rules=MAP * ~NOTFOUND"]:
            o.add_argument(a)
        o.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        self.d = webdriver.Chrome(service=Service(driver), options=o)
        self.d.set_page_load_timeout(60)

    def open(self, path):
        self.d.get_log("performance")  # drop what came before
        self.d.get_log("browser")
        self.d.get("file://" + path)
        t0 = time.time()
        while time.time() - t0 < 30:
            if self.js("return document.documentElement.dataset.treeReadyAt || null") is not None:
                break
            time.sleep(0.05)

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def requests(self):
        urls = []
        for e in self.d.get_log("performance"):
            m = json.loads(e["message"])["message"]
            if m.get("method") == "Network.requestWillBeSent":
                urls.append(m["params"]["request"]["url"])
        return urls

    def console_errors(self):
        return [e for e in self.d.get_log("browser") if e.get("level") == "SEVERE"]

    def quit(self):
        self.d.quit()


def page_checks(b, name, path):
    urls = b.requests()
    others = [u for u in urls if u != "file://" + path]
    check("file://" + path in urls, f"{name}: the performance log shows no request for the page: {urls[:3]}")
    check(not others, f"{name}: requests other than the file: {others[:5]}")
    errors = b.console_errors()
    check(not errors, f"{name}: console errors: {errors[:3]}")
    check(b.js("return document.documentElement.dataset.treeReadyAt || null") is not None,
          f"{name}: the tree script did not finish")


def number_checks(b, binary, name, archive):
    layers = tarsier_json(binary, "layers", archive)
    rows = b.js("""return Array.from(document.querySelectorAll('tr.layer')).map(function (tr) {
        function f(k) { var e = tr.querySelector('[data-field="' + k + '"] [data-bytes]'); return e ? Number(e.dataset.bytes) : null; }
        function t(k) { var e = tr.querySelector('code[data-field="' + k + '"]'); return e ? e.textContent : null; }
        return {position: Number(tr.dataset.position), download: f('download'), uncompressed: f('uncompressed'),
                content: f('content'), digest: t('digest'), diffId: t('diff_id')}; });""")
    want = [{"position": l["position"], "download": l["downloadSize"], "uncompressed": l["uncompressedSize"],
             "content": l["contentSize"], "digest": l["digest"], "diffId": l["diffId"]} for l in layers["layers"]]
    check(rows == want, f"{name}: layer rows {rows} != tarsier layers {want}")
    verify = tarsier_json(binary, "verify", archive)["archives"][0]["summary"]
    got = b.js("""var o = {}; document.querySelectorAll('#verify [data-count]').forEach(function (e) {
        o[e.dataset.count] = Number(e.textContent); }); return o;""")
    check(got == verify, f"{name}: verify counts {got} != {verify}")
    waste = tarsier_json(binary, "waste", archive)
    eff = b.js("var e = document.querySelector('[data-efficiency]'); return e ? Number(e.dataset.efficiency) : null;")
    wasted = b.js("var e = document.querySelector('#waste [data-bytes]'); return e ? Number(e.dataset.bytes) : null;")
    check(eff is not None and abs(eff - waste["efficiency"]) < 1e-12, f"{name}: efficiency {eff} != {waste['efficiency']}")
    check(wasted == waste["wastedBytes"], f"{name}: wasted {wasted} != {waste['wastedBytes']}")
    audit = tarsier_json(binary, "audit", archive)["summary"]
    got = b.js("""var o = {}; document.querySelectorAll('#audit [data-severity]').forEach(function (e) {
        o[e.dataset.severity] = parseInt(e.textContent, 10); }); return o;""")
    check(got == audit, f"{name}: audit counts {got} != {audit}")
    h = hashlib.sha256(open(archive, "rb").read()).hexdigest()
    check(b.js("return document.querySelector('#archive-sha256').textContent") == "sha256:" + h,
          f"{name}: archive sha256")
    size = b.js("return Number(document.querySelector('#archive-size [data-bytes]').dataset.bytes)")
    check(size == os.path.getsize(archive), f"{name}: archive size {size}")


def has_packages(want):
    """Whether `tarsier packages --format json` shows anything for the page's section."""
    return bool(want["databases"] or want["packages"] or want["findings"] or
                any(any(l["changes"].values()) or l["problems"] for l in want["layers"]))


def package_checks(b, binary, name, archive):
    """The packages section against `tarsier packages --format json`: every package row,
    each layer's counts, the findings and their links; no section without a database."""
    want = tarsier_json(binary, "packages", archive)
    present = b.js("return document.getElementById('packages') !== null")
    nav = b.js("return document.querySelector('nav a[href=\"#packages\"]') !== null")
    check(present == has_packages(want) and nav == present,
          f"{name}: packages section {present} (nav link {nav}), tarsier packages has some: {has_packages(want)}")
    if not present:
        return
    rows = b.js("""return Array.from(document.querySelectorAll('#packages tr.package')).map(function (tr) {
        function t(c) { return tr.querySelector('.' + c).textContent; }
        return {ecosystem: tr.dataset.ecosystem, state: tr.dataset.state, name: t('name'),
                version: tr.querySelector('.version code').textContent, arch: t('arch'), source: t('source'),
                installedIn: Number(t('installed-in')), lastChangedIn: Number(t('last-changed-in'))}; });""")
    expected = [{"ecosystem": p["ecosystem"], "state": p["state"], "name": display(p["name"]),
                 "version": display(p["version"]), "arch": display(p["arch"]), "source": display(p["source"]),
                 "installedIn": p["installedIn"], "lastChangedIn": p["lastChangedIn"]} for p in want["packages"]]
    check(rows == expected, f"{name}: {len(rows)} package rows != tarsier packages' {len(expected)}: "
          f"{[r for r in rows if r not in expected][:2]} / {[e for e in expected if e not in rows][:2]}")
    check(b.js("return document.getElementById('package-count').textContent") == str(len(want["packages"])),
          f"{name}: package count")
    layers = b.js("""return Array.from(document.querySelectorAll('#packages tr.pkg-layer')).map(function (tr) {
        var o = {position: Number(tr.dataset.position)};
        tr.querySelectorAll('[data-count]').forEach(function (e) { o[e.dataset.count] = Number(e.textContent); });
        o.createdBy = tr.querySelector('.created-by code').textContent;
        o.listed = tr.querySelectorAll('li.pkg-change').length;
        return o; });""")
    expected = []
    for l in want["layers"]:
        e = {"position": l["position"], "after": l["installedCount"], "createdBy": display(l["createdBy"]),
             "listed": sum(len(v) for v in l["changes"].values())}
        e.update({k: len(v) for k, v in l["changes"].items()})
        expected.append(e)
    check(layers == expected, f"{name}: per-layer package counts {layers} != {expected}")
    findings = b.js("""return Array.from(document.querySelectorAll('#packages tr.pkg-finding')).map(function (tr) {
        return [tr.dataset.code, tr.querySelector('a.layer-link').getAttribute('href'),
                Array.from(tr.querySelectorAll('a.path-link')).map(function (a) {
                    return [a.dataset.layer, a.dataset.path]; })]; });""")
    expected = [[f["code"], "#layer-%d" % f["layer"],
                 [[str(f["layer"]), "/" + display(p)] for p in f["items"]]
                 if f["code"].startswith("package-files-") else []] for f in want["findings"]]
    check(findings == expected, f"{name}: package findings {findings} != {expected}")
    # A finding's path opens the tree at its layer, on that path.
    for k, (_, _, links) in enumerate(findings):
        for j, (layer, path) in enumerate(links):
            b.js("document.querySelectorAll('#packages tr.pkg-finding')[arguments[0]]"
                 ".querySelectorAll('a.path-link')[arguments[1]].click()", k, j)
            found = b.js("var n = document.querySelector('#tree .node.found'); return n ? n.dataset.path : null")
            check(found == path and b.js("return document.getElementById('tree-layer').value") == layer,
                  f"{name}: the package finding's link to {path} found {found}")
    check(b.js("return typeof window.pwned") == "undefined", f"{name}: a script from the archive ran")


def display(path):
    """tarsier's display form of a path (util::escape_for_display), as the page shows it."""
    if isinstance(path, str) and path.isascii() and path.isprintable() and "\\" not in path:
        return path
    raw = path.encode("utf-8", "surrogateescape") if isinstance(path, str) else path
    out, i = [], 0
    while i < len(raw):
        c = raw[i]
        if c == 0x5C:
            out.append("\\\\"); i += 1; continue
        if 0x20 <= c < 0x7F:
            out.append(chr(c)); i += 1; continue
        for n in (4, 3, 2):
            try:
                s = raw[i:i + n].decode("utf-8")
                if len(s) == 1 and not (0x80 <= ord(s) <= 0x9F) and c >= 0x80:
                    out.append(s); i += n; break
            except UnicodeDecodeError:
                pass
        else:
            out.append("\\x%02x" % c); i += 1
    return "".join(out)


def lossy(path):
    """A displayed path as the JSON of `tarsier changes` spells it: each byte that is not
    UTF-8 is U+FFFD there (Go's encoding/json), an escape on the page."""
    return re.sub(r"\\x[89a-f][0-9a-f]", "\ufffd", path) if "\\x" in path else path


def set_view(b, layer, only_changes, text=""):
    b.js("""var s = document.getElementById('tree-layer'); s.value = arguments[0];
        s.dispatchEvent(new Event('change'));
        var c = document.getElementById('tree-changes'); c.checked = arguments[1];
        var f = document.getElementById('tree-filter'); f.value = arguments[2];
        c.dispatchEvent(new Event('change'));""", str(layer), only_changes, text)


def marked(b):
    return b.js("""return Array.from(document.querySelectorAll('#tree .node')).filter(function (n) {
        return n.dataset.mark; }).map(function (n) { return [n.dataset.mark, n.dataset.path]; });""")


def change_checks(b, binary, name, archive):
    changes = tarsier_json(binary, "changes", archive)
    for layer in changes["layers"]:
        set_view(b, layer["position"], True)
        want = sorted([c["kind"], lossy(display(c["path"]))] for c in layer["changes"])
        got = sorted([m, lossy(p)] for m, p in marked(b))
        status = b.js("return document.getElementById('tree-status').textContent")
        if len(want) <= 1000:
            check(got == want, f"{name}: layer {layer['position']} marks {got[:6]}... != tarsier changes {want[:6]}...")
        else:  # the page draws the first 1,000 (500 a directory until "show more") and counts all
            wanted = set(map(tuple, want))
            check(all(tuple(g) in wanted for g in got) and len(got) >= 500 and f" {len(want)} matches" in status,
                  f"{name}: layer {layer['position']}: {len(got)} marks, {status!r}, tarsier changes {len(want)}")
    set_view(b, len(changes["layers"]) - 1, False)


def merged_checks(b, binary, name, archive, layers):
    """With every directory open, the tree after each layer holds exactly the paths of
    `tarsier files --layer N` and the directories above them."""
    for layer in range(layers):
        set_view(b, layer, False)
        for _ in range(100):
            opened = b.js("""var t = Array.from(document.querySelectorAll('#tree .node[aria-expanded="false"] .twisty'));
                t.forEach(function (x) { x.click(); }); return t.length;""")
            if not opened:
                break
        rows = b.js("""return Array.from(document.querySelectorAll('#tree .node')).map(function (n) {
            return [n.dataset.mark, n.dataset.path]; });""")
        got = [p for m, p in rows if m != "D"]
        deleted = [lossy(p) for m, p in rows if m == "D"]
        files = tarsier_json(binary, "files", "--layer", str(layer), archive)["files"]
        want = set(lossy(display(f["path"])) for f in files)
        got = set(lossy(p) for p in got)
        # The page adds the directories above a path that no entry made (tarsier files
        # lists entries only), and above what the layer deleted.
        parents = set()
        for w in list(want) + deleted:  # a deletion's directory stays to show it
            while "/" in w.strip("/"):
                w = w.rsplit("/", 1)[0]
                parents.add(w)
        check(want <= got and got - want <= parents, f"{name}: tree after layer {layer}: missing "
              f"{sorted(want - got)[:6]}, extra {sorted(got - want - parents)[:6]}")


def tree_checks(b, name, expand_dir, find):
    set_view(b, b.js("return document.getElementById('tree-layer').options.length - 1"), False)
    # Open each directory down to expand_dir, counting the rows each click draws.
    parts = expand_dir.strip("/").split("/")
    for k in range(1, len(parts) + 1):
        d = "/" + "/".join(parts[:k])
        before = b.js("return document.querySelectorAll('#tree .node').length")
        b.js("""var want = arguments[0];
            var n = Array.from(document.querySelectorAll('#tree .node')).find(function (n) {
            return n.dataset.path === want; });
            if (n.getAttribute('aria-expanded') !== 'true') n.querySelector('.twisty').click();""", d)
        after = b.js("return document.querySelectorAll('#tree .node').length")
        check(after > before, f"{name}: expanding {d} drew no rows ({before} -> {after})")
    b.js("""var f = document.getElementById('tree-filter'); f.value = arguments[0];
        f.dispatchEvent(new Event('input'));""", find)
    time.sleep(0.5)  # the filter waits 200 ms for typing to stop
    paths = b.js("""return Array.from(document.querySelectorAll('#tree .node')).map(function (n) {
        return n.dataset.path; });""")
    hits = [p for p in paths if find.lower() in p.rsplit("/", 1)[-1].lower()]
    check(hits, f"{name}: the filter {find!r} found nothing")
    check(all(any(p == h or h.startswith(p + "/") for h in hits) for p in paths),
          f"{name}: the filter {find!r} kept rows that neither match nor lead to a match")
    b.js("""var f = document.getElementById('tree-filter'); f.value = '';
        f.dispatchEvent(new Event('input'));""")
    time.sleep(0.3)


def link_checks(b, name):
    """Each finding's path link opens the tree at its layer with the path found."""
    links = b.js("""return Array.from(document.querySelectorAll('a.path-link')).map(function (a) {
        return [a.dataset.layer, a.dataset.path]; });""")
    check(links, f"{name}: no finding links to a path")
    for k, (layer, path) in enumerate(links):
        b.js("document.querySelectorAll('a.path-link')[arguments[0]].click()", k)
        found = b.js("var n = document.querySelector('#tree .node.found'); return n ? n.dataset.path : null")
        check(found == path, f"{name}: the link to {path} found {found}")
        check(b.js("return document.getElementById('tree-layer').value") == layer,
              f"{name}: the link to {path} did not choose layer {layer}")


def without_script(b, path):
    """With JavaScript off the summary, layers and findings are all there."""
    b.d.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    b.d.get("file://" + path)
    text = b.d.find_element("tag name", "body").text
    rows = len(b.d.find_elements("css selector", "tr.layer"))
    b.d.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    check(rows == 4, f"without script: {rows} layer rows")
    for want in ("Summary", "8 passed", "97.14 %", "deleted-file-shipped", "/etc/motd", "needs JavaScript"):
        check(want in text, f"without script: {want!r} not shown")
    b.open(path)


def dark_and_print(b, artifacts):
    """The page in dark mode (a screenshot to look at) and printed to PDF."""
    import base64
    b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    b.js("window.scrollTo(0, 0)")
    bg = b.js("return getComputedStyle(document.body).backgroundColor")
    check(bg == "rgb(13, 17, 23)", f"dark mode: background {bg}")
    b.d.save_screenshot(os.path.join(artifacts, "sample-dark.png"))
    b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    pdf = b.d.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
    data = base64.b64decode(pdf["data"])
    with open(os.path.join(artifacts, "sample.pdf"), "wb") as f:
        f.write(data)
    check(data.startswith(b"%PDF") and len(data) > 10000, "print: no PDF")


def hostile_checks(b, name):
    from selenium.common.exceptions import NoAlertPresentException
    try:
        b.d.switch_to.alert
        check(False, f"{name}: an alert opened")
    except NoAlertPresentException:
        pass
    check(b.js("return typeof window.pwned") == "undefined", f"{name}: a script from the archive ran")
    check(b.js("return document.querySelectorAll('#pwned, img, main script, iframe').length") == 0,
          f"{name}: markup from the archive became elements")
    set_view(b, 0, False, "")
    b.js("""Array.from(document.querySelectorAll('#tree .node')).forEach(function (n) {
        if (n.dataset.path === '/etc' || n.dataset.path === '/etc/hostile') n.querySelector('.twisty').click(); });""")
    b.js("""Array.from(document.querySelectorAll('#tree .node')).forEach(function (n) {
        if (n.dataset.path === '/etc/hostile') { var t = n.querySelector('.twisty'); if (n.getAttribute('aria-expanded') !== 'true') t.click(); } });""")
    text = b.js("return document.body.innerText")
    for n in make_image.HOSTILE_NAMES:
        check(display(n) in text, f"{name}: the name {display(n)!r} is not shown as text")
    check("</script><script>window.pwned=3</script>" in text, f"{name}: CREATED BY not shown as text")
    check("\\xff\\xfe raw invalid UTF-8" in text, f"{name}: invalid UTF-8 in CREATED BY not shown escaped")
    check(display(make_image.HOSTILE_LABEL[0]) in text and display(make_image.HOSTILE_LABEL[1]) in text,
          f"{name}: the label not shown as text")
    check(display(make_image.HOSTILE_RAW_LABEL) in text, f"{name}: the invalid UTF-8 label not shown escaped")
    check(make_image.SECRET[1] not in b.d.page_source, f"{name}: a secret's value is in the page")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarsier", required=True)
    ap.add_argument("--source-root", required=True)
    ap.add_argument("--artifacts", required=True)
    args = ap.parse_args()
    chromium = tool("chromium", "/usr/bin/chromium")
    driver = tool("chromedriver", "/usr/bin/chromedriver")
    if not chromium or not driver or not load_selenium():
        print("skipped: needs chromium, chromium-driver and python3-selenium (scripts/setup --tests)")
        return 77
    binary = os.path.abspath(args.tarsier)
    os.makedirs(args.artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="tarsier-report-")
    try:
        archives = {"sample": os.path.join(args.source_root, "testdata", "sample.tar")}
        real = os.path.join(args.source_root, "..", "shared", "corpus", "real", "dive", ".data", "test-docker-image.tar")
        if os.path.exists(real):
            archives["real"] = os.path.abspath(real)
        else:
            print("note: ../shared is absent: no real-world archive")
        archives["hostile"] = os.path.join(work, "hostile.tar")
        make_image.hostile(archives["hostile"])
        archives["dpkg"] = os.path.join(args.source_root, "testdata", "dpkg-layers", "dpkg-layers.docker.tar")
        archives["packages"] = os.path.join(work, "packages.tar")
        make_image.packages(1500, archives["packages"])
        pkgdb = os.path.join(args.source_root, "..", "shared", "corpus", "pkgdb", "images")
        for db in ("alpine-apk", "distroless-statusd", "mariner-rpm"):
            if os.path.exists(os.path.join(pkgdb, db + ".docker.tar")):
                archives[db] = os.path.abspath(os.path.join(pkgdb, db + ".docker.tar"))
        archives["large"] = os.path.join(work, "large.tar")
        t0 = time.time()
        make_image.large(46000, archives["large"])
        print(f"large image: 46000 files, {os.path.getsize(archives['large'])} bytes, built in {time.time() - t0:.1f} s")
        pages = {}
        for name, archive in archives.items():
            pages[name] = os.path.join(args.artifacts, name + ".html")
            t0 = time.time()
            r = subprocess.run([binary, "report", archive, "-o", pages[name]], capture_output=True, text=True)
            check(r.returncode == 0, f"{name}: tarsier report exit {r.returncode}: {r.stderr}")
            print(f"{name}: page {os.path.getsize(pages[name])} bytes, written in {time.time() - t0:.2f} s")
        t0 = time.time()
        b = Browser(chromium, driver)
        print(f"browser started in {time.time() - t0:.1f} s")
        try:
            for name in archives:
                t_page = time.time()
                b.open(pages[name])
                page_checks(b, name, pages[name])
                if name == "sample":  # the README's picture (docs/report-sample.png)
                    b.d.set_window_size(1200, 1150)
                    b.d.save_screenshot(os.path.join(args.artifacts, "sample-top.png"))
                    b.d.set_window_size(1280, 900)
                package_checks(b, binary, name, archives[name])
                if name in PACKAGE_PAGES or name in CORPUS_PACKAGE_PAGES:
                    if name == "packages":
                        size = os.path.getsize(pages[name])
                        print(f"packages: page {size} bytes; first render "
                              f"{b.js('return document.documentElement.dataset.treeReadyAt')} ms after navigation began")
                    print(f"{name}: checked in the browser in {time.time() - t_page:.1f} s")
                    continue
                if name != "hostile":
                    number_checks(b, binary, name, archives[name])
                change_checks(b, binary, name, archives[name])
                if name != "large":
                    layers = b.js("return document.getElementById('tree-layer').options.length")
                    merged_checks(b, binary, name, archives[name], layers)
                if name == "sample":
                    tree_checks(b, name, "/usr", "lib")
                    set_view(b, 2, False)
                    b.js("""Array.from(document.querySelectorAll('#tree .node')).forEach(function (n) {
                        if (['/app', '/app/data', '/etc'].indexOf(n.dataset.path) >= 0) n.querySelector('.twisty').click(); });""")
                    b.js("document.getElementById('files').scrollIntoView()")
                    b.d.save_screenshot(os.path.join(args.artifacts, "sample-tree.png"))
                    link_checks(b, name)
                    without_script(b, pages[name])
                    dark_and_print(b, args.artifacts)
                    b.d.set_window_size(420, 900)
                    b.d.save_screenshot(os.path.join(args.artifacts, "sample-narrow.png"))
                    b.d.set_window_size(1280, 900)
                elif name == "real":
                    tree_checks(b, name, "/root", "somefile")
                elif name == "hostile":
                    hostile_checks(b, name)
                    b.d.save_screenshot(os.path.join(args.artifacts, "hostile.png"))
                elif name == "large":
                    ready = int(b.js("return document.documentElement.dataset.treeReadyAt"))
                    script = int(b.js("return document.documentElement.dataset.treeReadyMs"))
                    size = os.path.getsize(pages[name])
                    print(f"large: page {size} bytes ({size / 1e6:.2f} MB); first render {ready} ms after "
                          f"navigation began ({script} ms in the page's script)")
                    check(size < 10_000_000, f"large: page of {size} bytes, over 10 MB")
                    t0 = time.time()
                    tree_checks(b, name, "/usr/share/pkg01/dir012", "file-00999")
                    print(f"large: expand and filter in {time.time() - t0:.2f} s (including 0.8 s of waiting)")
                    # Not a timing test (the machine may be busy): a page that froze would
                    # have taken minutes.
                    check(ready < 30000, f"large: first render took {ready} ms")
                print(f"{name}: checked in the browser in {time.time() - t_page:.1f} s")
        finally:
            b.quit()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} failures")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
