#!/usr/bin/env bash
# The README's first command: installs what is missing, builds rtm (release) and runs the main job
# on the bundled SYNTHETIC sample in data/. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product rtm
BIN="$(swift build -c release --show-bin-path)/rtm"
echo "== rtm inspect: the bundled sample (synthetic; see data/README.md)"
"$BIN" inspect data/*.gpkg data/*.tif data/*.csv
