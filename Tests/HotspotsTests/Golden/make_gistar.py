"""Golden values for GetisOrdGiStar: PySAL esda G_Local(star=True, transform='B').

Run from this folder: python3 make_gistar.py  (writes gistar.json). Needs numpy, scipy,
libpysal, esda (pip install esda libpysal). The Swift test reads gistar.json; no Python at
test time.

Fixture: a 16 x 16 grid of 25 m cells at (530000, 190000) (north-west corner, EPSG:27700-like),
a study area that drops the cells with row + col < 4 (a cut north-west corner) and the
cells with col == 15 and row >= 12 (a notch), Poisson counts (seed 20261121) with mean 0.6
plus a hotspot (mean 4) in rows 9..12, cols 3..6 and a quiet band (mean 0) in rows 2..4,
cols 10..13.

Weights: libpysal DistanceBand on cell centres, threshold 62.5 m (2.5 cells; centre distances
are 25 m x sqrt(integer), so none equals the threshold), binary=True; G_Local adds the self
weight 1 for star=True with transform='B'. Observations are the study-area cells only, in
row-major order. esda's z is Ord & Getis (1995) eq. 14 with binary weights; esda's p_norm is
the ONE-sided normal tail sf(|z|): the two-sided p of the Swift code is 2 p_norm.
BH classes: scipy.stats.false_discovery_control(2 p_norm, method='bh') <= 0.05.
"""
import json

import esda
import libpysal
import numpy as np
import scipy
from scipy import stats

W_, H_, CS, X0, Y0, D = 16, 16, 25.0, 530000.0, 190000.0, 62.5

rng = np.random.default_rng(20261121)
mean = np.full((H_, W_), 0.6)
mean[9:13, 3:7] = 4.0
mean[2:5, 10:14] = 0.0
counts = rng.poisson(mean).astype(float)
mask = np.ones((H_, W_), dtype=bool)
for r in range(H_):
    for c in range(W_):
        if r + c < 4 or (c == 15 and r >= 12):
            mask[r, c] = False

cells = [(r, c) for r in range(H_) for c in range(W_) if mask[r, c]]
pts = np.array([(X0 + (c + 0.5) * CS, Y0 - (r + 0.5) * CS) for r, c in cells])
y = np.array([counts[r, c] for r, c in cells])
w = libpysal.weights.DistanceBand(pts, threshold=D, binary=True, silence_warnings=True)
g = esda.G_Local(y, w, transform="B", star=True, permutations=0)
p2 = np.minimum(1.0, 2.0 * g.p_norm)
adj = stats.false_discovery_control(p2, method="bh")
cls = np.where(adj <= 0.05, np.sign(g.Zs), 0).astype(int)

out = {
    "source": "make_gistar.py: esda.G_Local(y, DistanceBand(threshold=62.5, binary=True), transform='B', star=True)",
    "versions": {"esda": esda.__version__, "libpysal": libpysal.__version__,
                 "numpy": np.__version__, "scipy": scipy.__version__},
    "width": W_, "height": H_, "cellSize": CS, "originX": X0, "originY": Y0, "distance": D,
    "mask": [int(v) for v in mask.ravel()],
    "counts": [float(v) for v in counts.ravel()],
    "cells": [r * W_ + c for r, c in cells],
    "z": [float(v) for v in g.Zs],
    "pOneSided": [float(v) for v in g.p_norm],
    "bhClass": [int(v) for v in cls],
}
with open("gistar.json", "w") as f:
    json.dump(out, f, indent=1)
print("hot", int((cls > 0).sum()), "cold", int((cls < 0).sum()), "n", len(cells))
