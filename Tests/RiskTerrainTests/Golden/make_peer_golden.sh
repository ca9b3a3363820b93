#!/usr/bin/env bash
# Runs the peer pipeline (../../../../shared/peers/pipeline.py: Python + R glmnet + statsmodels)
# on the bundled sample and keeps its model.json as golden values for PeerCrossCheckTests.
# Needs the peers installed: bash ../../../../shared/peers/setup.sh. The tests do not run this.
set -euo pipefail
cd "$(dirname "$0")"
PEER=../../../../shared/peers/pipeline.py
tmp=$(mktemp -d)
for s in peer_rtm peer_fixed; do
  python3 "$PEER" "$s.yaml" --out "$tmp/$s" -q
  python3 -c "import json,sys; m=json.load(open('$tmp/$s/model.json')); m.pop('options',None); json.dump(m, open('$s.model.json','w'), indent=1, sort_keys=True)"
done
{
  echo "made by make_peer_golden.sh on $(date -u +%Y-%m-%d)"
  python3 -c "import numpy,scipy,statsmodels,cv2,rasterio,pyproj;print('python', '.'.join(map(str,__import__('sys').version_info[:3])), 'numpy', numpy.__version__, 'scipy', scipy.__version__, 'statsmodels', statsmodels.__version__, 'opencv', cv2.__version__, 'rasterio', rasterio.__version__, 'pyproj', pyproj.__version__)"
  Rscript -e 'cat(R.version.string, "glmnet", as.character(packageVersion("glmnet")), "\n")'
} > peer_versions.txt
rm -rf "$tmp"
