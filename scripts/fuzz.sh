#!/usr/bin/env bash
# Fuzzes the spec parser, the CSV/point reader (issue 8) and the layer cache's entry reader
# (issue 24) with libFuzzer for a bounded time each.
# Usage: bash scripts/fuzz.sh [seconds per target, default 120] [targets, default all: FuzzSpec FuzzPoints FuzzCache]
#
# Builds Tests/Fuzz (its own package; the main package by path) with -sanitize=fuzzer,address into
# .build-fuzz, seeds each fuzzer with the bundled sample and the hostile-input corpus, runs them
# one after the other (these machines have 2 shared cores) and prints the executions each ran.
# A crash, trap, timeout (>10 s on one input) or more than 2 GB of memory is a finding: its input
# is saved in .build-fuzz/findings/ and the script exits 1. Add the input to
# Tests/RiskTerrainTests/Hostile/ (as fuzz-*), fix the code, and run again.
#
# Leak detection is off: GDAL and PROJ keep caches for the life of the process that ASan would
# report on the first input.
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-120}
TARGETS=${2:-FuzzSpec FuzzPoints FuzzCache}
SCRATCH=.build-fuzz
# RTM_FUZZ_SKIP_BUILD=1: fuzz the targets as last built (a second chunk, or while another build runs)
if [ -z "${RTM_FUZZ_SKIP_BUILD:-}" ]; then
    swift build --package-path Tests/Fuzz --scratch-path "$SCRATCH" -c release \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing 2>&1 | grep -E "error|warning: unre|Compiling|Build" | grep -v "^\[" || true
fi
BIN="$SCRATCH/release"
[ -x "$BIN/FuzzSpec" ] && [ -x "$BIN/FuzzPoints" ] && [ -x "$BIN/FuzzCache" ] || { echo "fuzz: the build failed"; exit 1; }

HOSTILE=Tests/RiskTerrainTests/Hostile
mkdir -p "$SCRATCH/findings"
status=0
summary=()
run() {   # target, max input length, seed files…
    local target=$1 maxlen=$2; shift 2
    case " $TARGETS " in *" $target "*) ;; *) return ;; esac
    local seeds="$SCRATCH/seeds/$target" corpus="$SCRATCH/corpus/$target"
    rm -rf "$seeds"; mkdir -p "$seeds" "$corpus"
    for f in "$@"; do [ -f "$f" ] && [ "$(stat -c %s "$f")" -le "$maxlen" ] && cp "$f" "$seeds/"; done
    local log="$SCRATCH/$target.log"
    CPL_LOG=/dev/null ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 "$BIN/$target" \
        -max_total_time="$SECONDS_PER_TARGET" -max_len="$maxlen" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$SCRATCH/findings/$target-" "$corpus" "$seeds" > "$log" 2>&1
    local rc=$?
    local execs; execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
    local found; found=$(ls "$SCRATCH/findings" | grep -c "^$target-" || true)
    summary+=("$target: ${execs:-?} executions in ${SECONDS_PER_TARGET} s, $(ls "$seeds" | wc -l) seeds, corpus $(ls "$corpus" | wc -l) inputs, exit $rc, findings $found")
    if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then status=1; tail -40 "$log"; fi
}
run FuzzSpec 4096 data/spec.yaml "$HOSTILE"/*.yaml Tests/RiskTerrainTests/Golden/*.yaml
head -n 40 data/crimes.csv > "$SCRATCH/police_head.csv"
head -n 40 data/streetsafe.csv > "$SCRATCH/streetsafe_head.csv"
run FuzzPoints 16384 "$SCRATCH"/police_head.csv "$SCRATCH"/streetsafe_head.csv "$HOSTILE"/*.csv Tests/GeoIOTests/Fixtures/*.csv
run FuzzCache 4096 "$HOSTILE"/cache_*.rtml
printf 'fuzz: %s\n' "${summary[@]}"
[ "$status" -eq 0 ] && echo "fuzz: no findings" || echo "fuzz: findings in $SCRATCH/findings/"
exit "$status"
