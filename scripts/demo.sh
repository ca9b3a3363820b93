#!/usr/bin/env bash
# The README's first command: installs what is missing, builds rtm (release) and runs the main job
# on the bundled SYNTHETIC sample in data/. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product rtm
BIN="$(swift build -c release --show-bin-path)/rtm"
echo "== rtm validate: the bundled SYNTHETIC sample (see data/README.md)"
"$BIN" validate data/spec.yaml
echo "== rtm demo: fit the risk terrain model and compare it with the truth"
"$BIN" demo --data data --out out/demo
