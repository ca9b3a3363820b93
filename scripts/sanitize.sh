#!/usr/bin/env bash
# Builds and runs the tests under AddressSanitizer (issue 8), in its own scratch path.
# Usage: bash scripts/sanitize.sh [--filter REGEX]   (default: every test)
#
# What the Swift 6 toolchain on Linux supports: -sanitize=address (and thread, fuzzer, scudo) for
# Swift code. -sanitize=undefined is not supported for Swift ("unsupported option … for target
# x86_64-unknown-linux-gnu"): Swift traps on overflow, out-of-bounds and bad casts itself, in
# release builds too. The C compiled here (libyaml inside Yams) gets -fsanitize=undefined in trap
# mode, which needs no runtime library. GDAL, PROJ and FFTW are the system's, not instrumented.
# Leak detection is off: GDAL and PROJ keep process-lifetime caches that LeakSanitizer reports.
#
# Optimised (-c release -enable-testing, like scripts/test.sh) so the end-to-end tests finish;
# ASan works at -O. Ends with "rtm sanitize: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
FLAGS=(-c release -Xswiftc -enable-testing -Xswiftc -sanitize=address
       -Xcc -fsanitize=undefined -Xcc -fsanitize-trap=undefined --scratch-path .build-asan)
start=$(date +%s)
swift build "${FLAGS[@]}" --build-tests 2>&1 | grep -E "error:|Build" || true
[ -x .build-asan/release/rtm ] || { echo "rtm sanitize: the build failed"; exit 1; }
built=$(date +%s)
log=$(mktemp)
ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 RTM_BINARY="$PWD/.build-asan/release/rtm" \
    swift test "${FLAGS[@]}" --skip-build "$@" 2>&1 | tee "$log" | grep -E "^✘|ERROR: AddressSanitizer|SUMMARY:|Test run with"
status=${PIPESTATUS[0]}
total=$(grep -oE 'Test run with [0-9]+ tests?' "$log" | grep -oE '[0-9]+' | tail -1)
failed=$(grep -E '^✘ Test .* failed after' "$log" | grep -vc '^✘ Test run with' || true)
asan=$(grep -c "ERROR: AddressSanitizer" "$log" || true)
rm -f "$log"
echo "rtm sanitize: build $((built - start)) s, tests $(( $(date +%s) - built )) s; AddressSanitizer reports: $asan"
[ -n "$total" ] || { echo "rtm sanitize: the test run did not finish (exit $status)"; exit 1; }
echo "rtm sanitize: $((total - failed)) passed, $failed failed"
exit "$status"
