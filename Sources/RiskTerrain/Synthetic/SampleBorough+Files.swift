import Foundation
import GeoIO
import RasterCore

extension SampleBorough {
    /// The files `write(to:)` creates, with what each holds: the sample's README lists them.
    public static let files: [(name: String, about: String)] = [
        ("boundary.gpkg", "study area polygon (Wood Green – Tottenham – Edmonton, ≈23 km²)"),
        ("licensed_premises.gpkg", "110 licensed premises (points: name, kind — pub, bar, nightclub, restaurant, off-licence)"),
        ("stations.gpkg", "8 rail/Underground stations (points: name)"),
        ("bus_stops.gpkg", "140 bus stops (points: name)"),
        ("high_streets.gpkg", "4 high streets (lines: name)"),
        ("schools.gpkg", "14 schools (points: name)"),
        ("street_lights.gpkg", "street lights (points: name, status — working or out, outage_reported — the date an outage was reported)"),
        ("parks.gpkg", "6 parks (polygons: name)"),
        ("lux.tif", "street lighting in lux, 20 m pixels (Float32 GeoTIFF)"),
        ("crimes.csv", "street-level crimes for 2024 in the data.police.uk CSV format (WGS 84), violence and sexual offences plus other types; 12 rows have no location"),
        ("streetsafe.csv", "StreetSafe-style reports: id, reported_at, latitude, longitude, reason"),
        ("truth.json", "the model the events were drawn from: true relative risk values per factor"),
        ("spec.yaml", "a model spec for these files: `rtm validate spec.yaml`"),
    ]

    /// Writes the sample's layers, CSVs, truth and README into `folder` (created if missing).
    public func write(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let bng = try CRS("EPSG:27700")
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        let name = [OutputField("name", .string)]
        try VectorWriter.write([OutputFeature(geometry: .polygon(boundary), values: [.string("Sample borough (synthetic)")])],
                               fields: name, layerName: "boundary", crs: bng, to: path("boundary.gpkg"), format: .geoPackage)
        try VectorWriter.write(licensedPremises.map { OutputFeature(geometry: .point($0.at), values: [.string($0.name), .string($0.kind)]) },
                               fields: name + [OutputField("kind", .string)], layerName: "licensed_premises", crs: bng,
                               to: path("licensed_premises.gpkg"), format: .geoPackage)
        for (file, points) in [("stations", stations), ("bus_stops", busStops)] {
            try VectorWriter.write(points.map { OutputFeature(geometry: .point($0.at), values: [.string($0.name)]) },
                                   fields: name, layerName: file, crs: bng, to: path("\(file).gpkg"), format: .geoPackage)
        }
        try VectorWriter.write(schools.map { OutputFeature(geometry: .point($0.at), values: [.string($0.name)]) },
                               fields: name, layerName: "schools", crs: bng, to: path("schools.gpkg"), format: .geoPackage)
        try VectorWriter.write(zip(streetLights, outageReported).map { light, date in
            OutputFeature(geometry: .point(light.at), values: [.string(light.name), .string(light.kind), date.map { .string($0) } ?? .null])
        }, fields: name + [OutputField("status", .string), OutputField("outage_reported", .string)], layerName: "street_lights",
           crs: bng, to: path("street_lights.gpkg"), format: .geoPackage)
        try VectorWriter.write(highStreets.map { OutputFeature(geometry: .lineString($0.vertices), values: [.string($0.name)]) },
                               fields: name, layerName: "high_streets", crs: bng, to: path("high_streets.gpkg"), format: .geoPackage)
        try VectorWriter.write(parks.map { OutputFeature(geometry: .polygon($0.polygon), values: [.string($0.name)]) },
                               fields: name, layerName: "parks", crs: bng, to: path("parks.gpkg"), format: .geoPackage)
        try GeoTIFFWriter.write(lux, crs: bng, to: path("lux.tif"),
                                options: .init(bandDescription: "street lighting (lux)", metadata: ["RTM_SAMPLE": "synthetic"]))
        let toWGS84 = try CoordinateTransformer(from: bng, to: CRS.wgs84)
        try crimesCSV(toWGS84).write(toFile: path("crimes.csv"), atomically: true, encoding: .utf8)
        try streetSafeCSV(toWGS84).write(toFile: path("streetsafe.csv"), atomically: true, encoding: .utf8)
        try truthJSON().write(to: URL(fileURLWithPath: path("truth.json")), options: .atomic)
        try readme().write(toFile: path("README.md"), atomically: true, encoding: .utf8)
        try Self.specYAML.write(toFile: path("spec.yaml"), atomically: true, encoding: .utf8)
    }

    /// data.police.uk street-level format, sorted by month as the published monthly files are.
    func crimesCSV(_ toWGS84: CoordinateTransformer) -> String {
        var rng = SplitMix64(seed: seed ^ 0xC51)
        func hex() -> String { (0..<4).map { _ in String(format: "%016llx", rng.next()) }.joined() }
        var rows: [(month: String, line: String)] = []
        let force = "Metropolitan Police Service"
        for e in crimes {
            let ll = toWGS84.transform(e.at)!
            let id = e.crimeType == "Anti-social behaviour" ? "" : hex()
            let outcome = e.crimeType == "Anti-social behaviour" ? "" : e.outcome
            rows.append((e.month, csvLine([id, e.month, force, force, String(format: "%.6f", ll.x), String(format: "%.6f", ll.y),
                                           e.location, "E0100\(2000 + Int(e.at.x.truncatingRemainder(dividingBy: 97)))",
                                           "Haringey 0\(10 + Int(e.at.y.truncatingRemainder(dividingBy: 40)))A",
                                           e.crimeType, outcome, ""])))
        }
        for i in 0..<crimesWithoutLocation {
            let month = String(format: "%d-%02d", Self.year, 1 + i % 12)
            rows.append((month, csvLine([hex(), month, force, force, "", "", "No location", "", "",
                                         "Violence and sexual offences", "Under investigation", ""])))
        }
        let header = csvLine(["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                              "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"])
        let sorted = rows.enumerated().sorted { ($0.element.month, $0.offset) < ($1.element.month, $1.offset) }
        return ([header] + sorted.map(\.element.line)).joined(separator: "\n") + "\n"
    }

    func streetSafeCSV(_ toWGS84: CoordinateTransformer) -> String {
        let lines = streetSafe.sorted { $0.reportedAt < $1.reportedAt }.enumerated().map { i, r -> String in
            let ll = toWGS84.transform(r.at)!
            return csvLine(["SS\(String(format: "%05d", i + 1))", r.reportedAt, String(format: "%.6f", ll.y), String(format: "%.6f", ll.x), r.reason])
        }
        return ([csvLine(["id", "reported_at", "latitude", "longitude", "reason"])] + lines).joined(separator: "\n") + "\n"
    }

    func truthJSON() throws -> Data {
        struct Truth: Encodable {
            let note: String, seed: UInt64, cell_size_m: Double, base_rate_per_cell_year: Double
            let family: String, gamma_frailty_shape: Double, terms: [TrueTerm]
        }
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.keyEncodingStrategy = .convertToSnakeCase
        return try e.encode(Truth(note: "SYNTHETIC: the model the sample's violence and sexual offences were drawn from",
                                  seed: seed, cell_size_m: Self.cellSize, base_rate_per_cell_year: Self.baseRate,
                                  family: "negbin", gamma_frailty_shape: Self.frailtyShape, terms: Self.trueTerms))
    }

    /// A spec over the sample's files, testing every factor at the usual increments.
    static let specYAML = """
# Risk terrain model of violence against women and girls in the SYNTHETIC sample borough
# (see README.md beside this file). Every key is documented in docs/spec.md.
crs: EPSG:27700            # British National Grid, metres
cell_size: 25              # metres: about half a block
block_length: 100          # metres: influence distances are multiples of it
study_area: boundary.gpkg
outcome:
  path: crimes.csv         # data.police.uk format: no columns or CRS to declare
  where: "crime_type = 'Violence and sexual offences'"
  time: { field: month, from: 2024-01, to: 2024-12 }
factors:
  - name: licensed_premises
    path: licensed_premises.gpkg
    influence: auto         # proximity and density, RTMDx's "Both"
    max_blocks: 3
  - name: stations
    path: stations.gpkg
    influence: proximity
    max_blocks: 4
  - name: bus_stops
    path: bus_stops.gpkg
    influence: auto
  - name: high_streets
    path: high_streets.gpkg
    influence: proximity
  - name: parks
    path: parks.gpkg
    influence: [proximity, inside]
  - name: schools
    path: schools.gpkg
    influence: proximity
  - name: street_light_outages
    path: street_lights.gpkg
    where: "status = 'out'"
    influence: auto
  - name: lux
    path: lux.tif           # street lighting raster: its value at each cell centre
    influence: value
    resampling: nearest     # the 20 m pixel under the centre, as the sample's events were drawn
streetsafe: streetsafe.csv   # StreetSafe reports, counted per hotspot as a second lens
hotspots:
  threshold_sd: 2           # RTMDx highest class: cells above mean + 2 SD
  min_cells: 4
evaluation:                 # rtm evaluate: fit on 9 months, test on the last 3
  train: { from: 2024-01, to: 2024-09 }
  test: { from: 2024-10, to: 2024-12 }
  area_share: 0.05
  rolling: { train_months: 6, test_months: 1 }   # and six backtests: 6 months → the next one
patrols:                    # rtm patrols SPEC --week 2025-W03 (docs/spec.md, "Patrols"); these are the defaults
  random_share: 0.2         # a fifth of the visits drawn at random (seeded by model.seed) so plans rotate
  places: { licensed_premises: licensed_premises, parks: parks, high_streets: high_streets, bus_stops: bus_stops, stations: stations }
  verona: { teams: 2, window: "14:00-24:00", days: all, dwell_minutes: 15, spacing_minutes: 120 }
  vigilant: { per_week: 3, window: "20:00-03:00", days: [thu, fri, sat], dwell_minutes: 60 }
  walk_and_talk: { per_month: 6, window: "10:00-20:00", dwell_minutes: 60 }
model:
  selection: rtm            # cross-validated elastic net, then stepwise BIC
  family: auto              # Poisson or negative binomial, by BIC
  folds: 10
  seed: 1
"""

    func readme() -> String {
        let vso = crimes.filter { $0.crimeType == "Violence and sexual offences" }.count
        var s = """
        # Sample borough — SYNTHETIC data

        Everything in this folder is invented. It was generated by `rtm synth --preset borough --seed \(seed)`
        around the approximate positions of real places in north London (Wood Green N22, Bruce Grove N17,
        Fore Street N18), in British National Grid metres (EPSG:27700). No crime, report, premises or
        street here is real. The violence-and-sexual-offence events (\(vso) of them, plus \(crimes.count - vso) other
        crimes and \(crimesWithoutLocation) without a location) were drawn from a known risk terrain model, so a
        model fitted to them can be compared with the truth in `truth.json`:

        | factor | influence | true RRV |
        |---|---|---|

        """
        for t in Self.trueTerms {
            let d = t.distanceM.map { "within \(Int($0)) m" } ?? "per lux"
            s += "| \(t.factor) | \(t.influence) \(d) | \(String(format: "%.3f", t.rrv)) |\n"
        }
        s += "\nNegative binomial: Poisson counts per 25 m cell with gamma frailty of shape \(Self.frailtyShape).\n\n| file | what |\n|---|---|\n"
        for f in Self.files { s += "| `\(f.name)` | \(f.about) |\n" }
        return s
    }

    private func csvLine(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",")
    }
}
