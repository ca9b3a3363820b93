#!/usr/bin/env bash
# Makes this folder's extract of ../../../shared/real-data (see README.md): run from anywhere with
#   bash data/city-of-london/make-extract.sh [REAL_DATA_DIR]
# Needs python3 and ogr2ogr (Debian gdal-bin). Rows and features are copied as published; only
# which of them are kept is chosen here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
real=${1:-$here/../../../shared/real-data}
cd "$here"
rm -rf police study_area.gpkg pubs.geojson transport.gpkg roads.gpkg lsoas.geojson wards.geojson water.geojson

# data.police.uk, in the archive's own layout: every City of London Police month, rows of two crime
# types; and the Metropolitan Police's January 2024 burglaries within 600 m of the City (a second
# force in the same download). Lines are copied byte for byte.
python3 - "$real/police" <<'PY'
import csv, glob, os, sys
src = sys.argv[1]
keep = {"Violence and sexual offences", "Robbery"}
for path in sorted(glob.glob(os.path.join(src, "*", "*-city-of-london-street.csv"))) + \
        [os.path.join(src, "2024-01", "2024-01-metropolitan-street.csv")]:
    month = os.path.basename(os.path.dirname(path))
    os.makedirs(os.path.join("police", month), exist_ok=True)
    met = "metropolitan" in path
    with open(path, newline="") as f:
        lines = f.read().splitlines(keepends=True)
    out = [lines[0]]
    for line in lines[1:]:
        row = next(csv.reader([line]))
        if met:
            try:
                lon, lat = float(row[4]), float(row[5])
            except ValueError:
                continue
            if -0.125 <= lon <= -0.062 and 51.501 <= lat <= 51.529:
                out.append(line)
        elif row[9] in keep:
            out.append(line)
    with open(os.path.join("police", month, os.path.basename(path)), "w", newline="") as f:
        f.writelines(out)
PY

# GLA boundary of the City (EPSG:27700)
ogr2ogr -f GPKG study_area.gpkg "$real/boundaries/London_Borough_Excluding_MHW.shp" \
  -where "NAME = 'City of London'" -nln city_of_london -select NAME,GSS_CODE
# OSM within 600 m of the City (EPSG:4326): pubs of mixed geometry (2024), stations and bus stops (2019)
spat=(-spat -0.125 51.501 -0.062 51.529)
ogr2ogr -f GeoJSON pubs.geojson "$real/pubs/osm_overpass_2024-11/pubs.geojson" "${spat[@]}" \
  -select name,amenity -lco COORDINATE_PRECISION=7
ogr2ogr -f GPKG transport.gpkg "$real/osm-2019/gis_osm_transport_free_1.shp" "${spat[@]}" \
  -where "fclass IN ('railway_station', 'bus_stop', 'bus_station')" -nln transport -select osm_id,fclass,name
# context for the maps: the wards around the City (EPSG:27700) and OSM water (2019, EPSG:4326)
# (the DfT Major Road Network has no road in or near the City: it leaves out the GLA's own roads)
# the City's six LSOAs (2011), to name where each hotspot lies (areas:)
ogr2ogr -f GeoJSON lsoas.geojson "$real/boundaries/LSOA_2011_London_gen_MHW.shp" -where "LAD11NM = 'City of London'" \
  -select LSOA11CD,LSOA11NM,MSOA11NM -lco COORDINATE_PRECISION=1 -lco WRITE_NAME=NO
ogr2ogr -f GeoJSON wards.geojson "$real/boundaries/London_Ward_CityMerged.shp" -spat 530400 179900 534400 182800 -select NAME,BOROUGH -lco COORDINATE_PRECISION=1
ogr2ogr -f GeoJSON water.geojson "$real/osm-2019/gis_osm_water_a_free_1.shp" "${spat[@]}" -select fclass,name -lco COORDINATE_PRECISION=6
du -sh "$here"
