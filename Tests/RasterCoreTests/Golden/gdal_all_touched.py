#!/usr/bin/env python3
"""Prints GDAL's all-touched burns of degenerate segments on a 6x6 grid of unit cells (row 0 at the
top), the expectations of RasterizeTests.allTouchedMatchesGDAL. Needs rasterio and shapely
(shared/peers/setup.sh); rasterio 1.4.4 wheels carry GDAL 3.10.3, which made the committed expectations."""
from rasterio import features, __gdal_version__
from rasterio.transform import Affine
from shapely.geometry import LineString, Polygon, mapping

T = Affine(1, 0, 0, 0, -1, 6)
cases = {
    "end at corner": LineString([(0.5, 5.5), (2, 4)]),
    "diagonal through corners": LineString([(0, 6), (3, 3)]),
    "along y = 4": LineString([(0.5, 4), (4.5, 4)]),
    "along x = 2": LineString([(2, 5.5), (2, 1.5)]),
    "interior": LineString([(0.3, 5.2), (4.7, 1.6)]),
    "square on grid lines": Polygon([(1, 1), (4, 1), (4, 4), (1, 4)]),
    "ends mid-edge": LineString([(0.5, 5.5), (2, 5.5)]),
}
print("GDAL", __gdal_version__)
for name, g in cases.items():
    a = features.rasterize([(mapping(g), 1)], out_shape=(6, 6), transform=T, all_touched=True, fill=0, dtype="uint8")
    print(f"{name}: " + "|".join("".join("#" if v else "." for v in row) for row in a))
