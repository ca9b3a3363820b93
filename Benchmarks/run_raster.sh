#!/usr/bin/env bash
# RasterCore kernels next to their peers, measured in ONE run on this machine:
#   EDT (bench_edt.py: scipy, seung-lab edt, OpenCV), binning and Gaussian/quartic KDE
#   (bench_kde.py: numpy, scipy gaussian_filter/fftconvolve, OpenCV GaussianBlur/filter2D).
#
#   Benchmarks/run_raster.sh               # grids 1600² and 4000²  (~5 min)
#   Benchmarks/run_raster.sh 1600          # London at 25 m only     (~2 min)
#   Benchmarks/run_raster.sh 1600,4000,10000
#
# Writes results/raster-<UTC time>/{env.txt,ours.jsonl,peers.jsonl,ours.time,table.md} and prints
# the table: kernel, size, ours (s), peer (s), ratio = peer / ours (> 1: we are faster).
# Needs the peers' Python (shared/peers/setup.sh; `pip install opencv-python-headless scipy edt`
# if missing). The machine is shared: env.txt records `uptime` before each step, and every row
# carries our CPU seconds next to the wall time.
set -uo pipefail
cd "$(dirname "$0")"
SIZES=${1:-${RASTER_SIZES:-1600,4000}}
PEERS=${PEERS_DIR:-/work/shared/peers/kernels}
[[ -d $PEERS ]] || PEERS=$(cd ../../shared/peers/kernels 2>/dev/null && pwd)
OUT=$PWD/results/raster-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"

{
  echo "date: $(date -u -Is)"; echo "sizes: $SIZES"; uname -r
  lscpu | grep -E 'Model name|^CPU\(s\)|L2|L3'; free -g | head -2
  swift --version 2>&1 | head -1
  python3 -c "import numpy,scipy,cv2;print('numpy',numpy.__version__,'scipy',scipy.__version__,'cv2',cv2.__version__)" 2>&1
  echo "uptime before build: $(uptime)"
} > "$OUT/env.txt"

swift build -c release --scratch-path .build-raster --product RasterBench 2>&1 | tail -1 || exit 1

echo "uptime before ours: $(uptime)" >> "$OUT/env.txt"
/usr/bin/time -v .build-raster/release/RasterBench --sizes "$SIZES" --out "$OUT/ours.jsonl" 2> "$OUT/ours.time" \
  || { cat "$OUT/ours.time"; exit 1; }
grep -E 'Maximum resident|Elapsed' "$OUT/ours.time"

if [[ -n "$PEERS" && -d "$PEERS" ]]; then
  for script in bench_edt.py bench_kde.py; do
    echo "uptime before $script: $(uptime)" >> "$OUT/env.txt"
    (cd "$PEERS" && PEERBENCH_SIZES="$SIZES" PEERBENCH_RESULTS="$OUT/peers.jsonl" python3 "$script") \
      || echo "!! peer $script failed" >&2
  done
else
  echo "!! peers not found (set PEERS_DIR): table without peers" >&2
fi
echo "uptime after: $(uptime)" >> "$OUT/env.txt"

python3 - "$OUT" > "$OUT/table.md" <<'PY'
import json, os, sys
out = sys.argv[1]
def load(name):
    p = os.path.join(out, name)
    return [json.loads(l) for l in open(p) if l.strip()] if os.path.exists(p) else []
ours, peers = load("ours.jsonl"), load("peers.jsonl")
def t(s): return f"{s:.4f}"
print(open(os.path.join(out, "env.txt")).read().replace("\n", "  \n"))
print("| kernel | size | ours | ours (s) | ours CPU (s) | peer | peer (s) | ratio peer/ours |")
print("|---|---|---|---|---|---|---|---|")
for o in ours:
    if "forced" in o["impl"]:
        continue
    match = [p for p in peers if p["kernel"] == o["kernel"] and p["size"] == o["size"]]
    if o["kernel"] == "EDT" and "squared" in o["impl"]:
        match = []
    if not match:
        print(f"| {o['kernel']} | {o['size']} | {o['impl']} | {t(o['median_s'])} | {t(o.get('cpu_s', 0))} | — | — | — |")
    for p in match:
        print(f"| {o['kernel']} | {o['size']} | {o['impl']} | {t(o['median_s'])} | {t(o.get('cpu_s', 0))} | "
              f"{p['impl']} | {t(p['median_s'])} | **{p['median_s'] / o['median_s']:.1f}×** |")
print("\nAlternatives we measured to choose the algorithm (not used by `.automatic` at this size):\n")
print("| kernel | size | ours (forced) | wall (s) | CPU (s) |")
print("|---|---|---|---|---|")
for o in ours:
    if "forced" in o["impl"]:
        print(f"| {o['kernel']} | {o['size']} | {o['impl']} | {t(o['median_s'])} | {t(o.get('cpu_s', 0))} |")
print("\nPeak memory (ours; VmHWM reset before each kernel):\n")
print("| kernel | size | impl | output raster (MiB) | peak RSS (MiB) | peak above live (MiB) |")
print("|---|---|---|---|---|---|")
for o in ours:
    print(f"| {o['kernel']} | {o['size']} | {o['impl']} | {o['output_mb']:.1f} | {o['peak_rss_mb']:.1f} | {o['peak_delta_mb']:.1f} |")
other = [p for p in peers if p.get("other_cores") is not None]
if other:
    print(f"\nPeers' rows saw other processes keep {min(p['other_cores'] for p in other)}–"
          f"{max(p['other_cores'] for p in other)} cores busy while they ran.")
PY
cat "$OUT/table.md"
echo "results in $OUT"
