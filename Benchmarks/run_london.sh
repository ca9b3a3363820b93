#!/usr/bin/env bash
# The whole pipeline on the London-scale SYNTHETIC study, ours beside the peer pipeline, in one run
# on the same generated files. Prints a per-stage table (wall seconds, peak RSS) with the ratio.
#   Benchmarks/run_london.sh [--scale S] [--until design] [--skip-peer] [--rerun] [--keep DIR]
#     --scale S       study size: 1 = London (1,572 km², 2.5 M cells of 25 m); 0.25, 4, ...
#     --until design  both engines stop after the design (ours: LondonBench; peer: --until design)
#     --skip-peer     ours only
#     --rerun         also: fill a layer cache without one factor (hospitals), then time
#                     `rtm run` with the cache after adding it back (only its 12 layers computed);
#                     and the quick rerun: `rtm run` without hospitals, then with them, the cache
#                     and `--lambda-from` that run (no cross-validation)
#     --keep DIR      generate into DIR and keep it (default: a temporary folder, removed)
# The full peer run at scale 1 takes ~17-30 min (cv.glmnet), ours ~1 min.
# Writes Benchmarks/results/london-<scale>-<date>.md (not committed; copy the table into
# docs/benchmarks-london.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/.." && pwd)"
peers="${RTM_PEERS:-$root/../shared/peers}"
scale=1; until=""; peer=1; rerun=0; keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --until) until="$2"; shift 2 ;;
    --skip-peer) peer=0; shift ;;
    --rerun) rerun=1; shift ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "run_london.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -z "$until" || "$until" == design ]] || { echo "run_london.sh: --until takes 'design'" >&2; exit 2; }
if [[ -n "$keep" ]]; then data="$keep"; mkdir -p "$data"; else data="$(mktemp -d /tmp/rtm-london.XXXXXX)"; trap 'rm -rf "$data"' EXIT; fi
results="$here/results"; mkdir -p "$results"
report="$results/london-${scale}-$(date -u +%Y%m%dT%H%M%SZ).md"
log() { echo "$*" >&2; }
load() { uptime | sed 's/.*load average: //'; }

log "== building rtm and LondonBench (release)"
build() {   # quiet unless it fails; a source file added to a module can leave the scratch folder's
            # build plan stale ("has no member"): remove its build.db, release.yaml, release/description.json
  (cd "$1" && shift && swift build -c release "$@" > "$data/build.log" 2>&1) || { tail -20 "$data/build.log" >&2; exit 1; }
}
build "$root" --product rtm
build "$here" --scratch-path .build-london --product LondonBench
rtm="$root/.build/release/rtm"; bench="$here/.build-london/release/LondonBench"
study="$data/study"; rm -rf "$study" "$data/ours" "$data/peer" "$data/rerun" "$data/cache" "$data/previous" "$data/quick" "$data/cache-quick"

# Sample the load every 15 s, tagged with the phase running, for the report.
phase=setup; echo setup > "$data/phase"
( while sleep 15; do echo "$(cat "$data/phase" 2>/dev/null) $(cut -d' ' -f1 /proc/loadavg)"; done ) > "$data/load.log" &
sampler=$!
trap 'kill $sampler 2>/dev/null || true; [[ -n "$keep" ]] || rm -rf "$data"' EXIT
log "== generating the study (rtm synth --preset london --seed 1 --scale $scale)"
/usr/bin/time -f "%e %M" -o "$data/synth.time" "$rtm" synth --preset london --seed 1 --scale "$scale" --out "$study" >&2
echo "synth $(cat "$data/synth.time")" > "$data/meta.txt"
echo "load_before_ours $(load)" >> "$data/meta.txt"
echo ours > "$data/phase"
if [[ -z "$until" ]]; then
  log "== ours: rtm run (no cache)"
  /usr/bin/time -v -o "$data/ours.time" "$rtm" run "$study/spec.yaml" --out "$data/ours" --no-cache -q
else
  log "== ours: LondonBench (through the design)"
  /usr/bin/time -v -o "$data/ours.time" "$bench" --spec "$study/spec.yaml" --json "$data/ours.json" >/dev/null
fi
echo "load_after_ours $(load)" >> "$data/meta.txt"
echo peer > "$data/phase"
if [[ $peer == 1 ]]; then
  log "== peer: python3 pipeline.py --timings ${until:+--until $until}"
  /usr/bin/time -v -o "$data/peer.time" python3 "$peers/pipeline.py" "$study/spec.yaml" --out "$data/peer" --timings -q \
    ${until:+--until "$until"} > "$data/peer.json"
  echo "load_after_peer $(load)" >> "$data/meta.txt"
fi
if [[ $rerun == 1 ]]; then
  log "== rerun: fill the cache without hospitals, then rtm run with it"
  "$bench" --spec "$study/spec.yaml" --cache "$data/cache" --drop-factor hospitals --json "$data/fill.json" >/dev/null
  echo "load_before_rerun $(load)" >> "$data/meta.txt"
  echo rerun > "$data/phase"
  /usr/bin/time -v -o "$data/rerun.time" "$rtm" run "$study/spec.yaml" --out "$data/rerun" --cache "$data/cache" > "$data/rerun.txt"
  echo "load_after_rerun $(load)" >> "$data/meta.txt"
  log "== quick rerun: rtm run without hospitals (its own cache; its λ.min), then with them and --lambda-from"
  python3 -c 'import sys, yaml; s = yaml.safe_load(open(sys.argv[1])); s["factors"] = [f for f in s["factors"] if f["name"] != "hospitals"]; yaml.safe_dump(s, open(sys.argv[2], "w"), sort_keys=False)' \
    "$study/spec.yaml" "$study/spec-without-hospitals.yaml"
  /usr/bin/time -v -o "$data/previous.time" "$rtm" run "$study/spec-without-hospitals.yaml" --out "$data/previous" --cache "$data/cache-quick" -q
  echo quick > "$data/phase"
  /usr/bin/time -v -o "$data/quick.time" "$rtm" run "$study/spec.yaml" --out "$data/quick" --cache "$data/cache-quick" \
    --lambda-from "$data/previous" > "$data/quick.txt"
fi
echo done > "$data/phase"
{
  echo "# London benchmark, scale $scale, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(cd "$root" && git rev-parse --short HEAD)"
  echo; echo "nproc $(nproc); $(python3 --version); $(Rscript --version 2>&1 | head -1)"; echo
  python3 "$here/london_table.py" "$data"
} | tee "$report"
log "report: $report"
