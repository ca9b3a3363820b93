#!/usr/bin/env bash
# London-wide on REAL data (shared/real-data, see its README): data.police.uk burglary as
# downloaded (the Met's 12 months of 2024 and the City's 9 of 2021, a folder per month, two
# forces), OSM bus stops, stations, railway lines, parking and mixed pubs, the GLA boroughs; 25 m
# cells (2.5 M), 30 candidate layers, the full RTM selection. Times `rtm validate` and `rtm run`
# reading the folders, then the same rows from one concatenated CSV (the folder's overhead), with
# peak RSS. Issue 22's target: < 30 s and < 2 GiB on 2 cores; the folder ≤ 10 % over one file.
#   [RTM=path/to/rtm] Benchmarks/run_real_london.sh [REAL_DATA_DIR]
# Writes Benchmarks/results/real-london-<date>.md (not committed; copy the table into
# docs/benchmarks-london.md, "Real data").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/.." && pwd)"
real="$(cd "${1:-$root/../shared/real-data}" && pwd)"
work="$(mktemp -d /tmp/rtm-real-london.XXXXXX)"; trap 'rm -rf "$work"' EXIT
results="$here/results"; mkdir -p "$results"
report="$results/real-london-$(date -u +%Y%m%dT%H%M%SZ).md"
if [[ -n "${RTM:-}" ]]; then rtm="$RTM"; else   # RTM=path: an rtm already built (e.g. by the test command)
  (cd "$root" && swift build -c release --product rtm > "$work/build.log" 2>&1) || { tail -20 "$work/build.log" >&2; exit 1; }
  rtm="$root/.build/release/rtm"
fi

spec() {   # outcome path lines → a spec on the real layers
  cat <<YAML
crs: EPSG:27700
cell_size: 25
block_length: 100
study_area: $real/boundaries/London_Borough_Excluding_MHW.shp
outcome:
$1
  crime_types: [Burglary]
factors:
  - { name: bus_stops, path: $real/osm-2019/gis_osm_transport_free_1.shp, where: "fclass = 'bus_stop'", influence: auto }
  - { name: stations, path: $real/osm-2019/gis_osm_transport_free_1.shp, where: "fclass = 'railway_station'", influence: auto }
  - { name: railways, path: $real/osm-2019/gis_osm_railways_free_1.shp, influence: auto }
  - { name: parking, path: $real/osm-2019/gis_osm_traffic_a_free_1.shp, where: "fclass = 'parking'", influence: auto }
  - { name: pubs, path: $real/pubs/osm_overpass_2024-11/pubs.geojson, influence: auto }
model: { seed: 1 }
YAML
}
spec "  path: [$real/police/2024-*, $real/police/2021-*]" > "$work/folders.yaml"
# the same rows in one file: every file's rows under one header
python3 - "$real" "$work/all.csv" <<'PY'
import glob, os, sys
real, out = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(real, "police", "2024-*", "*.csv")) + glob.glob(os.path.join(real, "police", "2021-*", "*.csv")))
with open(out, "w", newline="") as o:
    for i, f in enumerate(files):
        with open(f, newline="") as fh:
            lines = fh.read().splitlines(keepends=True)
        o.writelines(lines if i == 0 else lines[1:])
PY
spec "  path: $work/all.csv" > "$work/one.yaml"

timed() {   # label, command… → "label | wall s | peak RSS GiB"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/$label.out" 2> "$work/$label.err" || { cat "$work/$label.err" >&2; exit 1; }
  read -r wall kb < "$work/time"
  printf '| %s | %s s | %.2f GiB |\n' "$label" "$wall" "$(echo "$kb / 1048576" | bc -l)"
}
{
  echo "# London-wide on real data, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(uptime | sed 's/.*load average: //')"
  echo
  echo "| step | wall | peak RSS |"
  echo "|---|---|---|"
  timed "validate, folders" "$rtm" validate "$work/folders.yaml"
  timed "validate, one file" "$rtm" validate "$work/one.yaml"
  timed "run, folders" "$rtm" run "$work/folders.yaml" --out "$work/out-folders" --no-cache
  timed "run, one file" "$rtm" run "$work/one.yaml" --out "$work/out-one" --no-cache
  echo
  grep -E "outcome:|months" "$work/validate, folders.out" | sed 's/^/    /'
  head -3 "$work/run, folders.out" | sed 's/^/    /'
  cmp -s "$work/out-folders/model.json" "$work/out-one/model.json" && echo "model.json identical for folders and one file" \
    || echo "model.json DIFFERS between folders and one file"
} | tee "$report"
