#!/usr/bin/env bash
# Installs what RiskTerrain needs on Debian 12 (run as root), only what is missing; safe to rerun.
#   C libraries: GDAL, PROJ (+ its data), FFTW, pkg-config. Swift packages: resolved by SwiftPM.
#   Tests: python3-icalendar, the independent RFC 5545 parser the calendar test runs; chromium, the
#   browser that prints the briefings to PDF to count their pages.
set -euo pipefail
need=()
for pkg in pkg-config libgdal-dev libproj-dev proj-data libfftw3-dev python3-icalendar chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${need[*]} — run as root, or: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "setup: apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: no Swift toolchain on PATH — install Swift 6 from swift.org" >&2; exit 1; }
echo "setup: GDAL $(pkg-config --modversion gdal), PROJ $(pkg-config --modversion proj), $(swift --version 2>/dev/null | head -1)"
