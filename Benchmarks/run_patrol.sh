#!/usr/bin/env bash
# Times the weekly scheduler on a London-size week (200 hotspots, 10 teams, three operations).
#   Benchmarks/run_patrol.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
swift build -c release --product PatrolBench --scratch-path "${SCRATCH:-.build}" >/dev/null
"${SCRATCH:-.build}/release/PatrolBench"
