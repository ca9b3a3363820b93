#!/usr/bin/env bash
# Regenerates the hostile-input corpus (see README.md) from hand-written text and the bundled
# sample in data/, with printf, head/dd and GDAL's command-line tools (Debian gdal-bin 3.6).
# The tests read the committed files; they do not run this. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
DATA=../../../data
rm -f ./*.csv ./*.geojson ./*.gpkg ./*.shp ./*.shx ./*.dbf ./*.prj ./*.cpg ./*.fgb ./*.kml ./*.tif ./*.yaml ./*.bin ./*.rtml

# --- zero-byte files of every format -------------------------------------------------------
for ext in csv geojson gpkg shp fgb kml tif yaml; do : > "zero.$ext"; done

# --- truncated files: a valid file cut in the middle ---------------------------------------
ogr2ogr -q -f GeoJSON /tmp/h_parks.geojson "$DATA/parks.gpkg"
head -c 700 /tmp/h_parks.geojson > truncated.geojson
head -c 8192 "$DATA/parks.gpkg" > truncated.gpkg
ogr2ogr -q -f FlatGeobuf /tmp/h_parks.fgb "$DATA/parks.gpkg"
head -c 600 /tmp/h_parks.fgb > truncated.fgb
ogr2ogr -q -f KML /tmp/h_parks.kml "$DATA/parks.gpkg"
head -c 900 /tmp/h_parks.kml > truncated.kml
ogr2ogr -q -f "ESRI Shapefile" /tmp/h_parks.shp "$DATA/parks.gpkg"
head -c 400 /tmp/h_parks.shp > truncated.shp
cp /tmp/h_parks.shx truncated.shx; cp /tmp/h_parks.dbf truncated.dbf; cp /tmp/h_parks.prj truncated.prj
head -c 3000 "$DATA/lux.tif" > truncated.tif
head -c 1500 "$DATA/crimes.csv" > truncated.csv
head -c 300 "$DATA/spec.yaml" > truncated.yaml
rm -f /tmp/h_parks.*

# --- CSVs ------------------------------------------------------------------------------------
P='Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context'
row() { printf '%s,2024-0%s,Metropolitan Police Service,Metropolitan Police Service,%s,%s,On or near %s,E01002036,Haringey 033A,Violence and sexual offences,Under investigation,\n' "$@"; }
{ echo "$P" | tr ',' ';'; row a1 1 -0.077935 51.623884 "High Road" | tr ',' ';'; row a2 2 -0.062149 51.623061 "Fore Street" | tr ',' ';'; } > semicolon.csv
{ echo "$P" | tr ',' '|'; row a1 1 -0.077935 51.623884 "High Road" | tr ',' '|'; } > pipe_delimited.csv
{ echo "$P"; row a1 1 -0.077935 51.623884 "High Road"
  printf 'a2,2024-02,Metropolitan Police Service,Metropolitan Police Service,-0.062149,51.623061,"On or near\nFore Street, ""the"" corner",E01002036,Haringey 033A,Violence and sexual offences,Under investigation,\n'
  row a3 3 -0.070145 51.618395 "Bruce Grove"; } > quoted_newline.csv
{ echo "$P"; printf 'a1,2024-01,Metropolitan Police Service,Metropolitan Police Service,-0.077935,51.623884,On or near Caf\xe9 L\xf6we \xff\xfe,E01002036,Haringey 033A,Violence and sexual offences,Under investigation,\n'; } > non_utf8.csv
{ printf '\xef\xbb\xbf'; echo "longitude,latitude,note"; echo "-0.077935,51.623884,bom first"; echo "-0.062149,51.623061,second"; } > bom.csv
{ echo "Crime ID,Month,Longitude,Location,Crime type"; echo "a1,2024-01,-0.077935,On or near High Road,Violence and sexual offences"; } > missing_latitude.csv
{ echo "longitude,latitude"; echo "-0.077935,51.623884,extra,fields,here"; echo "-0.062149,51.623061"; } > extra_fields.csv
{ echo "longitude,latitude,note"; echo "-0.077935,51.623884,ok"; echo "-0.062149"; echo "-0.070145,51.618395,ok"; } > short_rows.csv
{ echo "longitude,latitude,note"; echo "-0.077935,51.623884,ok"; echo "NaN,51.62,nan"; echo "-0.07,Inf,inf"; echo "-inf,51.6,neg inf";
  echo "1e999,51.6,overflow"; echo "-0.07,0x1p-2,hex"; echo "-0.07,51.6.1,two dots"; echo " , ,blank"; echo ",,empty";
  echo "-0.062149,51.623061,ok"; } > nonfinite.csv
{ echo "longitude,latitude"; echo "-0.077935,51.623884"; echo "-0.062149,151.2"; } > latitude_out_of_range.csv
{ echo "longitude,latitude"; echo "-0.077935,51.623884"; echo "-200.5,51.6"; } > longitude_out_of_range.csv
{ echo "latitude,longitude"; echo "-0.077935,51.623884"; echo "-0.062149,51.623061"; } > latlon_swapped.csv
{ echo "longitude,latitude"; echo "51.623884,-0.077935"; echo "51.623061,-0.062149"; } > latlon_values_swapped.csv
{ echo "longitude,latitude,id"; for i in 1 2 3 4 5; do echo "-0.077935,51.623884,$i"; done; echo "-0.062149,51.623061,6"; echo "-0.062149,51.623061,7"; } > duplicate_points.csv
{ echo "x,y"; echo "531200,191000"; echo "532000,190500"; } > xy_no_crs.csv
{ echo "longitude,latitude"; echo "-0.077935,51.623884"; } > one_point.csv

# --- polygons --------------------------------------------------------------------------------
# a bow-tie (self-intersecting) study area, a ring with a spike, and a park that crosses itself
cat > bowtie_study_area.geojson <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[
{"type":"Feature","properties":{"name":"bow tie"},"geometry":{"type":"Polygon","coordinates":[[[529800,188900],[535500,193500],[535500,188900],[529800,193500],[529800,188900]]]}}]}
G
cat > self_intersecting_parks.geojson <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[
{"type":"Feature","properties":{"name":"Figure Eight Park"},"geometry":{"type":"Polygon","coordinates":[[[531000,190000],[531600,190600],[531600,190000],[531000,190600],[531000,190000]]]}},
{"type":"Feature","properties":{"name":"Spike Common"},"geometry":{"type":"Polygon","coordinates":[[[532000,191000],[532400,191000],[532400,191400],[532200,191400],[532200,192000],[532200,191400],[532000,191400],[532000,191000]]]}},
{"type":"Feature","properties":{"name":"Good Green"},"geometry":{"type":"Polygon","coordinates":[[[533000,190000],[533300,190000],[533300,190300],[533000,190300],[533000,190000]]]}}]}
G
cat > empty_geometries.geojson <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[
{"type":"Feature","properties":{"name":"no geometry"},"geometry":null},
{"type":"Feature","properties":{"name":"empty point"},"geometry":{"type":"Point","coordinates":[]}},
{"type":"Feature","properties":{"name":"empty multipoint"},"geometry":{"type":"MultiPoint","coordinates":[]}},
{"type":"Feature","properties":{"name":"Wood Green"},"geometry":{"type":"Point","coordinates":[531000,190500]}},
{"type":"Feature","properties":{"name":"Bruce Grove"},"geometry":{"type":"Point","coordinates":[533800,190400]}}]}
G
cat > all_empty.geojson <<'G'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null},{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[]}}]}
G
cat > multipart_study_area.geojson <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[
{"type":"Feature","properties":{"name":"two parts"},"geometry":{"type":"MultiPolygon","coordinates":[
 [[[529800,188900],[532400,188900],[532400,193500],[529800,193500],[529800,188900]]],
 [[[532900,188900],[535500,188900],[535500,193500],[532900,193500],[532900,188900]]]]}}]}
G
cat > holed_study_area.geojson <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[
{"type":"Feature","properties":{"name":"with a hole"},"geometry":{"type":"Polygon","coordinates":[
 [[529800,188900],[535500,188900],[535500,193500],[529800,193500],[529800,188900]],
 [[531500,190000],[531500,192000],[533500,192000],[533500,190000],[531500,190000]]]}}]}
G
cat > multipoint_events.geojson <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[
{"type":"Feature","properties":{"month":"2024-01"},"geometry":{"type":"MultiPoint","coordinates":[[531000,190500],[531010,190510],[531020,190520]]}},
{"type":"Feature","properties":{"month":"2024-01"},"geometry":{"type":"Point","coordinates":[533800,190400]}}]}
G
cat > lines_as_study_area.geojson <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[
{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[529800,188900],[535500,193500]]}}]}
G
# layers in another CRS than the study area (WGS 84 GeoJSON), and with no CRS at all
ogr2ogr -q -f GeoJSON -t_srs EPSG:4326 parks_wgs84.geojson "$DATA/parks.gpkg"
ogr2ogr -q -f "ESRI Shapefile" parks_no_crs.shp "$DATA/parks.gpkg" && rm -f parks_no_crs.prj parks_no_crs.cpg
# a layer on the other side of the world (its coordinates are right, its place is not)
cat > far_away.geojson <<'G'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[151.2093,-33.8688]}}]}
G

# --- rasters ---------------------------------------------------------------------------------
printf 'ncols 4\nnrows 3\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3 4\n5 6 7 8\n9 10 11 12\n' > /tmp/h_grid.asc
gdal_translate -q -of GTiff -co PROFILE=BASELINE /tmp/h_grid.asc raster_no_georef.tif
gdal_translate -q -of GTiff -a_srs EPSG:4326 -a_ullr -0.1 51.63 -0.04 51.59 /tmp/h_grid.asc raster_wgs84.tif
gdal_translate -q -of GTiff -a_ullr 529800 193500 535500 188900 /tmp/h_grid.asc raster_no_crs.tif
gdal_translate -q -of GTiff -a_srs EPSG:27700 -a_ullr 0 1000 1000 0 /tmp/h_grid.asc raster_far_away.tif
rm -f /tmp/h_grid.asc ./*.aux.xml
printf 'this is not a raster\n' > not_a_raster.tif

# --- YAML specs ------------------------------------------------------------------------------
# a spec over the sample's files: spec FILE CELL_SIZE BLOCK_LENGTH [more lines]
spec() { printf 'crs: EPSG:27700\ncell_size: %s\nblock_length: %s\nstudy_area: boundary.gpkg\noutcome: crimes.csv\nfactors:\n  - name: parks\n    path: parks.gpkg\n%b' "$2" "$3" "${4:-}" > "$1"; }
cat > wrong_types.yaml <<'Y'
crs: EPSG:27700
cell_size: twenty-five
block_length: 100
study_area: boundary.gpkg
outcome: crimes.csv
factors: { name: parks, path: parks.gpkg }
Y
spec wrong_type_list.yaml 25 '[100]'
spec unknown_keys.yaml 25 100 '    influense: proximity\n'
cat > alias_bomb.yaml <<'Y'
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
cell_size: *i
Y
{ echo 'a0: &a0 [x, x]'; for i in $(seq 1 40); do echo "a$i: &a$i [*a$((i-1)), *a$((i-1))]"; done; echo '? *a40'; echo ': boom'; } > alias_key_bomb.yaml
cat > harmless_alias.yaml <<'Y'
crs: EPSG:27700
cell_size: &cs 25
block_length: 100
study_area: boundary.gpkg
outcome: crimes.csv
factors:
  - name: parks
    path: parks.gpkg
    max_blocks: *cs
Y
python3 -c "print('cell_size: ' + '['*100000 + ']'*100000)" > deep_flow_nesting.yaml
python3 -c "print('- '*100000 + 'x')" > deep_block_nesting.yaml
cat > duplicate_keys.yaml <<'Y'
crs: EPSG:27700
cell_size: 25
cell_size: 50
block_length: 100
Y
printf 'crs: EPSG:27700\ncell_size: 25\nblock_length: 100\nstudy_area: caf\xe9.gpkg\n' > non_utf8.yaml
printf 'crs: EPSG:27700\ncell_size: 25\n\tblock_length: 100\n' > tab_indent.yaml
spec /tmp/h_bom.yaml 25 100 && { printf '\xef\xbb\xbf'; cat /tmp/h_bom.yaml; } > bom.yaml && rm /tmp/h_bom.yaml
spec huge_numbers.yaml 1e-300 1e308 'model: { folds: 99999999999999999999999, seed: -1 }\n'
spec tiny_cells.yaml 0.05 100
cat > many_layers.yaml <<'Y'
crs: EPSG:27700
cell_size: 1
block_length: 20
study_area: boundary.gpkg
outcome: crimes.csv
factors:
  - { name: a, path: parks.gpkg, influence: auto, max_blocks: 20, increment: half }
  - { name: b, path: schools.gpkg, influence: auto, max_blocks: 20, increment: half }
  - { name: c, path: stations.gpkg, influence: auto, max_blocks: 20, increment: half }
Y
cat > not_a_mapping.yaml <<'Y'
- just
- a list
Y
printf 'crs: "EPSG:27700\ncell_size: 25\n' > unterminated_quote.yaml
printf 'crs: EPSG:27700\x00\ncell_size: 25\n' > nul_byte.yaml
# --- layer-cache entries: crafted lengths, damage and a valid control ------------------------
python3 make_cache_entries.py

echo "wrote $(ls | grep -v -e README.md -e make_hostile.sh -e make_cache_entries.py | wc -l) files"
