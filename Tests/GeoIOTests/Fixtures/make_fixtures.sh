#!/usr/bin/env bash
# Regenerates the derived fixtures from features.geojson with GDAL's command-line tools
# (Debian gdal-bin). The tests read the committed results; they do not run this.
set -euo pipefail
cd "$(dirname "$0")"
rm -f features.shp features.shx features.dbf features.prj features.cpg features.fgb features.kml \
      features.gpkg no_crs.* no_georef.tif lux_small.tif
ogr2ogr -f "ESRI Shapefile" features.shp features.geojson
ogr2ogr -f FlatGeobuf features.fgb features.geojson
ogr2ogr -f KML features.kml features.geojson
ogr2ogr -f GPKG -t_srs EPSG:27700 features.gpkg features.geojson
# a Shapefile without a .prj: a layer with no CRS
ogr2ogr -f "ESRI Shapefile" -s_srs EPSG:27700 -t_srs EPSG:27700 no_crs.shp features.gpkg && rm -f no_crs.prj
# a 4×3 raster with no georeferencing, and a 4×3 BNG raster with a nodata pixel
printf 'ncols 4\nnrows 3\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3 4\n5 6 7 8\n9 10 11 12\n' > /tmp/grid.asc
gdal_translate -q -of GTiff -co PROFILE=BASELINE /tmp/grid.asc no_georef.tif
printf 'ncols 4\nnrows 3\nxllcorner 531000\nyllcorner 190000\ncellsize 50\nNODATA_value -1\n10 20 30 40\n50 -1 70 80\n90 100 110 120\n' > /tmp/lux.asc
gdal_translate -q -of GTiff -a_srs EPSG:27700 /tmp/lux.asc lux_small.tif
rm -f /tmp/grid.asc /tmp/lux.asc no_georef.tif.aux.xml lux_small.tif.aux.xml
