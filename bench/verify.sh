#!/usr/bin/env bash
# Measures `tarsier verify` against its targets on a realistic image built from real
# Debian packages, in one run:
#   1. builds (once, cached in WORKDIR) an image of about 1.1 GB / 38,000 files in 8 layers
#      from `apt-get download`ed bookworm packages, unpacked with `dpkg-deb -x` into an
#      umoci bundle layer by layer (the last layer deletes files: umoci writes whiteouts),
#      then exports it with skopeo as docker-archive (uncompressed layers), oci-archive
#      (gzip layers) and oci-archive (zstd layers);
#   2. times, with a warm page cache and best of 3, `tarsier verify` on each variant
#      (from the file, from `< file` and from `cat file |`), the lower bound (CPU seconds
#      of sha256 over every blob plus decompression of every compressed layer, divided by
#      the core count), `openssl dgst -sha256` of the whole file and `skopeo copy` of the
#      archive into an OCI layout, and prints a markdown table with PASS/MISS per target.
# Usage: bench/verify.sh [WORKDIR (default /var/tmp/tarsier-bench)] [TARSIER]
# Needs root (apt-get download runs as any user, but dpkg-deb -x and umoci unpack keep
# ownership), and: apt-get, dpkg-deb, umoci, skopeo, openssl, igzip (isal), zstd,
# /usr/bin/time (time), python3. Delete WORKDIR/images to rebuild the image.
set -euo pipefail

work=${1:-/var/tmp/tarsier-bench}
tarsier=${2:-/tmp/build-bench/src/cli/tarsier}
runs=${RUNS:-3}
cores=$(nproc)
mkdir -p "$work"
work=$(cd "$work" && pwd)
img=$work/images
docker_tar=$img/docker.tar
gzip_tar=$img/oci-gzip.tar
zstd_tar=$img/oci-zstd.tar

for tool in apt-get dpkg-deb umoci skopeo openssl igzip zstd python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "verify.sh: $tool is missing" >&2; exit 2; }
done
[[ -x $tarsier ]] || { echo "verify.sh: no tarsier binary at $tarsier" >&2; exit 2; }

log() { printf '== %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------
# 1. The image (built once).

# Layer name | created_by | packages. Every package is in Debian 12 (bookworm).
layers=(
    "runtime|apt-get install python3.11 perl git libicu72|python3.11-minimal libpython3.11-minimal libpython3.11-stdlib python3-pip python3-setuptools perl-modules-5.36 libperl5.36 git libicu72"
    "toolchain|apt-get install gcc-12 g++-12 binutils|gcc-12 g++-12 cpp-12 libstdc++-12-dev libgcc-12-dev binutils binutils-x86-64-linux-gnu libbinutils libgprofng0"
    "llvm|apt-get install clang-14|clang-14 libclang-cpp14 libclang-common-14-dev libllvm14"
    "jdk|apt-get install openjdk-17-jre-headless|openjdk-17-jre-headless"
    "boost|apt-get install libboost1.74-dev|libboost1.74-dev"
    "go|apt-get install golang-1.19-src|golang-1.19-src"
    "python|pip install django sympy numpy; linux-libc-dev|python3-django python3-sympy python3-numpy linux-libc-dev"
)
# The last layer deletes files and directories of the earlier ones.
cleanup_paths=(usr/share/doc usr/share/man usr/share/lintian usr/share/info
    usr/lib/python3/dist-packages/pip/_vendor/rich usr/share/go-1.19/test)

build_image() {
    local t0=$EPOCHREALTIME
    rm -rf "$work/debs" "$work/oci" "$work/bundle" "$img"
    mkdir -p "$work/debs" "$img"
    local spec name by pkgs all=()
    for spec in "${layers[@]}"; do
        IFS='|' read -r name by pkgs <<<"$spec"
        # shellcheck disable=SC2206
        all+=($pkgs)
    done
    log "apt-get download ${#all[@]} packages"
    (cd "$work/debs" && apt-get download -q "${all[@]}" >/dev/null 2>"$work/debs/apt.log") || {
        cat "$work/debs/apt.log" >&2; exit 1; }
    umoci init --layout "$work/oci" >/dev/null
    umoci new --image "$work/oci:bench" >/dev/null
    for spec in "${layers[@]}"; do
        IFS='|' read -r name by pkgs <<<"$spec"
        log "layer $name: $pkgs"
        umoci unpack --image "$work/oci:bench" "$work/bundle" >/dev/null
        local p
        for p in $pkgs; do
            dpkg-deb -x "$(ls "$work/debs/${p}"_*.deb | head -1)" "$work/bundle/rootfs"
        done
        umoci repack --image "$work/oci:bench" --history.created_by "$by" "$work/bundle" >/dev/null
        rm -rf "$work/bundle"
    done
    log "layer cleanup: rm -rf ${cleanup_paths[*]}"
    umoci unpack --image "$work/oci:bench" "$work/bundle" >/dev/null
    for p in "${cleanup_paths[@]}"; do rm -rf "${work:?}/bundle/rootfs/$p"; done
    rm -f "$work"/bundle/rootfs/usr/bin/*-14 2>/dev/null || true  # single-file whiteouts too
    umoci repack --image "$work/oci:bench" --history.created_by "rm -rf docs, tests" "$work/bundle" >/dev/null
    rm -rf "$work/bundle"
    umoci config --image "$work/oci:bench" --config.cmd /bin/sh --os linux --architecture amd64 >/dev/null
    umoci gc --layout "$work/oci"

    log "skopeo: docker-archive (uncompressed), oci-archive gzip, oci-archive zstd"
    skopeo copy --quiet "oci:$work/oci:bench" "docker-archive:$docker_tar.tmp:bench/toolchain:latest"
    skopeo copy --quiet --dest-compress-format gzip "oci:$work/oci:bench" "oci-archive:$gzip_tar.tmp:bench"
    skopeo copy --quiet --dest-compress-format zstd "oci:$work/oci:bench" "oci-archive:$zstd_tar.tmp:bench"
    mv "$docker_tar.tmp" "$docker_tar"
    mv "$gzip_tar.tmp" "$gzip_tar"
    mv "$zstd_tar.tmp" "$zstd_tar"
    rm -rf "$work/blobs"
    echo "$EPOCHREALTIME - $t0" | bc > "$img/build-seconds"
    (cd "$work/debs" && for f in *.deb; do dpkg-deb -f "$f" Package Version | paste -sd' '; done) > "$img/packages"
}

if [[ -f $docker_tar && -f $gzip_tar && -f $zstd_tar && -f $img/build-seconds ]]; then
    log "image present in $img (built in $(cat "$img/build-seconds") s); delete $img to rebuild"
else
    build_image
    log "image built in $(cat "$img/build-seconds") s"
fi

# What the image holds: per layer uncompressed bytes, entries, files, whiteouts; the
# media types of each variant.
python3 - "$docker_tar" "$gzip_tar" "$zstd_tar" <<'PY'
import json, os, sys, tarfile
docker, gz, zs = sys.argv[1:4]
with tarfile.open(docker) as outer:
    manifest = json.load(outer.extractfile("manifest.json"))[0]
    print(f"docker-archive {docker}: {os.path.getsize(docker):,} bytes, {len(manifest['Layers'])} layers")
    print(f"| layer | tar bytes | entries | regular files | file bytes | whiteouts |")
    print(f"|---:|---:|---:|---:|---:|---:|")
    tot = [0, 0, 0, 0, 0]
    final = {}
    for i, path in enumerate(manifest["Layers"]):
        member = outer.getmember(path)
        entries = files = fbytes = wh = 0
        with tarfile.open(fileobj=outer.extractfile(member), mode="r|") as layer:
            for e in layer:
                entries += 1
                name = e.name.lstrip("./")
                base = os.path.basename(name)
                if base.startswith(".wh."):
                    wh += 1
                    d = os.path.dirname(name)
                    if base == ".wh..wh..opq":
                        for k in [k for k in final if k.startswith(d + "/")]: del final[k]
                    else:
                        target = os.path.join(d, base[4:])
                        for k in [k for k in final if k == target or k.startswith(target + "/")]: del final[k]
                    continue
                if e.isreg():
                    files += 1; fbytes += e.size; final[name] = e.size
        row = [member.size, entries, files, fbytes, wh]
        tot = [a + b for a, b in zip(tot, row)]
        print(f"| {i+1} | {row[0]:,} | {row[1]:,} | {row[2]:,} | {row[3]:,} | {row[4]:,} |")
    print(f"| all | {tot[0]:,} | {tot[1]:,} | {tot[2]:,} | {tot[3]:,} | {tot[4]:,} |")
    print(f"final filesystem (whiteouts applied): {len(final):,} regular files, {sum(final.values()):,} bytes")
    ok = tot[0] >= 800e6 and tot[2] >= 30000 and len(manifest["Layers"]) >= 5 and tot[4] > 0
    print(f"shape targets (>= 800 MB uncompressed, >= 30,000 files, >= 5 layers, whiteouts): {'met' if ok else 'NOT MET'}")
for f in (gz, zs):
    with tarfile.open(f) as t:
        index = json.load(t.extractfile("index.json"))
        m = json.load(t.extractfile("blobs/sha256/" + index["manifests"][0]["digest"].split(":")[1]))
        types = sorted({l["mediaType"] for l in m["layers"]})
        print(f"{os.path.basename(f)}: {os.path.getsize(f):,} bytes, {len(m['layers'])} layers, {', '.join(types)}")
PY
[[ -f $img/build-seconds ]] && echo "image build time: $(cat "$img/build-seconds") s (apt-get download, dpkg-deb -x, umoci, skopeo)"

# ---------------------------------------------------------------------------------------
# 2. The measurements.

results=$work/results.tsv   # key  wall_s  user_s  sys_s  maxrss_kib  status
: > "$results"
tf=$(mktemp)
scratch=$(mktemp -d "$work/scratch.XXXXXX")
trap 'rm -rf "$tf" "$scratch"' EXIT

# record KEY WALL STATUS: appends user, sys and max RSS from the /usr/bin/time -v output in $tf.
record() {
    local user sys rss
    user=$(awk -F': ' '/User time/ {print $2}' "$tf")
    sys=$(awk -F': ' '/System time/ {print $2}' "$tf")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$user" "$sys" "$rss" "$3" >> "$results"
}
elapsed() { echo "$EPOCHREALTIME - $1" | bc; }

# timed KEY MODE FILE CMD...: MODE is file (CMD as is), redirect (< FILE) or pipe (cat FILE |).
timed() {
    local key=$1 mode=$2 file=$3 t0 st=0
    shift 3
    cat "$file" > /dev/null
    t0=$EPOCHREALTIME
    case $mode in
        file) /usr/bin/time -v -o "$tf" "$@" > /dev/null || st=$? ;;
        redirect) /usr/bin/time -v -o "$tf" "$@" < "$file" > /dev/null || st=$? ;;
        pipe) cat "$file" | /usr/bin/time -v -o "$tf" "$@" > /dev/null || st=$? ;;
    esac
    record "$key" "$(elapsed "$t0")" "$st"
}

# blobs_of VARIANT FILE: the archive unpacked once (for the lower bound), in $work/blobs.
blobs_of() {
    local d=$work/blobs/$1
    if [[ ! -f $d.done ]]; then
        rm -rf "$d"; mkdir -p "$d"; tar -C "$d" -xf "$2"; touch "$d.done"
    fi
    echo "$d"
}

# Lower bound: every blob hashed once with openssl, every compressed layer decompressed
# into openssl once; CPU seconds (user + sys), the caller divides by the core count.
lower_bound_script='
for f in $(find "$1" -type f | LC_ALL=C sort); do
    openssl dgst -sha256 "$f" > /dev/null
    case $(od -An -tx1 -N4 "$f" | tr -d " ") in
        1f8b*) igzip -dc "$f" | openssl dgst -sha256 > /dev/null ;;
        28b52ffd) zstd -qdc "$f" | openssl dgst -sha256 > /dev/null ;;
    esac
done'

declare -A files=([docker]=$docker_tar [gzip]=$gzip_tar [zstd]=$zstd_tar)
declare -A transport=([docker]=docker-archive [gzip]=oci-archive [zstd]=oci-archive)
variants=(docker gzip zstd)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
echo "tarsier: $tarsier ($("$tarsier" --version 2>/dev/null || echo unknown version))"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for v in "${variants[@]}"; do
    f=${files[$v]}
    log "$v: tarsier verify once (output below)"
    cat "$f" > /dev/null
    "$tarsier" verify "$f" | tail -n 3 >&2 || log "$v: tarsier verify exited $?"
    blobs=$(blobs_of "$v" "$f")
    for ((r = 1; r <= runs; r++)); do
        log "$v: run $r/$runs"
        timed "$v verify-file" file "$f" "$tarsier" verify -q "$f"
        timed "$v verify-redirect" redirect "$f" "$tarsier" verify -q -
        timed "$v verify-pipe" pipe "$f" "$tarsier" verify -q -
        # The forensic commands build the file index in the same streaming pass (issue 4).
        timed "$v changes" file "$f" "$tarsier" changes "$f"
        timed "$v waste" file "$f" "$tarsier" waste "$f"
        timed "$v changes-pipe" pipe "$f" "$tarsier" changes -
        timed "$v openssl-whole" file "$f" openssl dgst -sha256 "$f"
        find "$blobs" -type f -exec cat {} + > /dev/null
        t0=$EPOCHREALTIME
        /usr/bin/time -v -o "$tf" bash -c "$lower_bound_script" lower-bound "$blobs"
        record "$v lower-bound" "$(elapsed "$t0")" 0
        rm -rf "$scratch/oci"
        extra=()
        [[ $v == docker ]] && extra=(--dest-oci-accept-uncompressed-layers)
        timed "$v skopeo" file "$f" skopeo copy --quiet "${extra[@]}" "${transport[$v]}:$f" "oci:$scratch/oci:copy"
        rm -rf "$scratch/oci"
    done
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------
# 3. The table.

python3 - "$results" "$cores" "$runs" <<'PY'
import sys
from collections import defaultdict
path, cores, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = defaultdict(list)
for line in open(path):
    key, wall, user, sys_, rss, st = line.rstrip("\n").split("\t")
    rows[key].append(dict(wall=float(wall), cpu=float(user) + float(sys_), rss=int(rss), st=int(st)))
def best(key, what="wall"):
    return min(r[what] for r in rows[key])
def peak(key):
    return max(r["rss"] for r in rows[key]) / 1024
def status(key):
    return max(r["st"] for r in rows[key])
names = {"docker": "docker-archive, uncompressed", "gzip": "oci-archive, gzip", "zstd": "oci-archive, zstd"}
out = []
def row(variant, measure, value, ref="", ratio=None, target=None, ok=None):
    r = "" if ratio is None else f"{ratio:.2f}"
    t = "" if target is None else target
    res = "" if ok is None else ("PASS" if ok else "**MISS**")
    out.append(f"| {variant} | {measure} | {value} | {ref} | {r} | {t} | {res} |")
out.append(f"Best of {runs} runs (wall seconds), {cores} cores, warm page cache; RSS is the largest of the runs.\n")
out.append("| variant | measure | measured | reference | ratio | target | result |")
out.append("|---|---|---:|---:|---:|---|---|")
misses = 0
for v in ("docker", "gzip", "zstd"):
    n = names[v]
    vf, vr, vp = best(f"{v} verify-file"), best(f"{v} verify-redirect"), best(f"{v} verify-pipe")
    lb = best(f"{v} lower-bound", "cpu") / cores
    ossl = best(f"{v} openssl-whole")
    sk = best(f"{v} skopeo")
    bad = [k for k in ("verify-file", "verify-redirect", "verify-pipe") if status(f"{v} {k}") != 0]
    row(n, "tarsier verify FILE (s)", f"{vf:.3f}", "", None, "exit 0", not bad)
    row(n, f"lower bound: sha256 + decode CPU / {cores} (s)", f"{lb:.3f}")
    row(n, "openssl dgst -sha256 FILE, 1 core (s)", f"{ossl:.3f}")
    row(n, f"skopeo copy {'docker' if v == 'docker' else 'oci'}-archive: → oci: (s)", f"{sk:.3f}")
    if v == "docker":
        row(n, "verify FILE / openssl whole file", f"{vf:.3f}", f"{ossl:.3f}", vf / ossl, "<= 0.65", vf / ossl <= 0.65)
        row(n, "verify FILE / lower bound (info)", f"{vf:.3f}", f"{lb:.3f}", vf / lb)
    else:
        row(n, "verify FILE / lower bound", f"{vf:.3f}", f"{lb:.3f}", vf / lb, "<= 1.25", vf / lb <= 1.25)
        row(n, "verify FILE / openssl whole file (info)", f"{vf:.3f}", f"{ossl:.3f}", vf / ossl)
    row(n, "verify - < FILE / verify FILE", f"{vr:.3f}", f"{vf:.3f}", vr / vf, "<= 1.10", vr / vf <= 1.10)
    row(n, "cat FILE \\| verify - / verify FILE", f"{vp:.3f}", f"{vf:.3f}", vp / vf, "<= 1.10", vp / vf <= 1.10)
    for k, label in (("verify-file", "FILE"), ("verify-redirect", "- < FILE"), ("verify-pipe", "cat FILE \\| -")):
        r = peak(f"{v} {k}")
        row(n, f"peak RSS, verify {label} (MiB)", f"{r:.1f}", "64", r / 64, "<= 64 MiB", r <= 64)
    row(n, "verify FILE / skopeo copy (info)", f"{vf:.3f}", f"{sk:.3f}", vf / sk)
    for k, label, ref, rlabel in (("changes", "changes FILE", vf, "verify FILE"), ("waste", "waste FILE", vf, "verify FILE"),
                                  ("changes-pipe", "cat FILE \\| changes -", vp, "cat FILE \\| verify -")):
        t = best(f"{v} {k}")
        row(n, f"{label} / {rlabel}", f"{t:.3f}", f"{ref:.3f}", t / ref, "<= 1.30", t / ref <= 1.30 and status(f"{v} {k}") == 0)
        row(n, f"peak RSS, {label} (MiB, info)", f"{peak(f'{v} {k}'):.1f}")
print("\n".join(out))
# openssl is single-threaded and CPU-bound: its wall / CPU shows how much other work
# shared the cores during the runs (1.00: none).
def contention(v):
    r = min(rows[f"{v} openssl-whole"], key=lambda r: r["wall"])
    return f"{v} {r['wall'] / r['cpu']:.2f}"
print("\ncontention check, openssl dgst wall / CPU in its best run (1.00: the cores were free): "
      + ", ".join(contention(v) for v in ("docker", "gzip", "zstd")))
if any(float(contention(v).split()[1]) > 1.10 for v in ("docker", "gzip", "zstd")):
    print("WARNING: other processes shared the cores during the runs; the timings are pessimistic. "
          "Re-run on a quiet machine (or with RUNS=5).")
misses = sum(1 for l in out if "**MISS**" in l)
print(f"\n{misses} target(s) missed." if misses else "\nAll targets met.")
PY
echo "raw timings: $results"
