#!/usr/bin/env bash
# Compares `tarsier layers --estimate-download` with running `gzip -6 | wc -c` over every
# layer of a docker-archive: accuracy per layer and the speed ratio, in one run.
# Usage: bench/estimate-download.sh ARCHIVE.tar [TARSIER]
set -euo pipefail
archive=${1:?usage: estimate-download.sh ARCHIVE.tar [TARSIER]}
tarsier=${2:-build/src/cli/tarsier}
cat "$archive" > /dev/null  # warm the page cache for both sides

start=$(date +%s.%N)
"$tarsier" layers --estimate-download --format json "$archive" > /tmp/tarsier-estimate.json
t_tarsier=$(echo "$(date +%s.%N) - $start" | bc)

mapfile -t paths < <(tar -xOf "$archive" manifest.json | python3 -c 'import json,sys; [print(p) for p in json.load(sys.stdin)[0]["Layers"]]')
start=$(date +%s.%N)
actual=()
for p in "${paths[@]}"; do actual+=("$(tar -xOf "$archive" "$p" | gzip -6 | wc -c)"); done
t_gzip=$(echo "$(date +%s.%N) - $start" | bc)

python3 - "$t_tarsier" "$t_gzip" "${actual[@]}" <<'PY'
import json, sys
t_tarsier, t_gzip = float(sys.argv[1]), float(sys.argv[2])
actual = [int(x) for x in sys.argv[3:]]
layers = json.load(open("/tmp/tarsier-estimate.json"))["layers"]
worst = 0.0
print(f"{'layer':>5} {'uncompressed':>14} {'gzip -6':>12} {'estimate':>12} {'error':>8}")
for l, a in zip(layers, actual):
    e = l["downloadSize"]
    err = (e - a) / a * 100
    worst = max(worst, abs(err))
    print(f"{l['position']:>5} {l['uncompressedSize']:>14} {a:>12} {e:>12} {err:>7.2f}%")
total_a, total_e = sum(actual), sum(l["downloadSize"] for l in layers)
print(f"total: gzip -6 {total_a}, estimate {total_e}, error {(total_e-total_a)/total_a*100:.2f}%, worst layer {worst:.2f}%")
print(f"time: tarsier {t_tarsier:.2f}s, tar|gzip -6 {t_gzip:.2f}s, speed-up {t_gzip/t_tarsier:.1f}x")
PY
