#!/usr/bin/env bash
# The README's second command (and CI's): installs what is missing, builds and runs every test.
# Safe to run again. Ends with one line "rtm tests: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
# Tests run on an optimised build (-enable-testing keeps @testable imports working): the
# statistical and raster cores fit real models in the end-to-end tests.
FLAGS=(-c release -Xswiftc -enable-testing)
swift build "${FLAGS[@]}" --build-tests || exit 1
log=$(mktemp)
swift test "${FLAGS[@]}" --skip-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
total=$(grep -oE 'Test run with [0-9]+ tests?' "$log" | grep -oE '[0-9]+' | tail -1)
failed=$(grep -E '^✘ Test .* failed after' "$log" | grep -vc '^✘ Test run with' || true)
rm -f "$log"
if [ -z "$total" ]; then echo "rtm tests: the test run did not finish"; exit 1; fi
echo "rtm tests: $((total - failed)) passed, $failed failed"
exit "$status"
