import Foundation
import GeoIO
import RasterCore

extension SyntheticLondon {
    /// Writes the study into `folder` (created if missing): `boundary.gpkg`, one GeoPackage per
    /// factor, `crimes.csv` (month, crime_type, longitude, latitude in WGS 84), `truth.json`, a
    /// `spec.yaml` that both `rtm run` and the peer pipeline (shared/peers/pipeline.py) accept, and
    /// a README. The same seed and scale give the same bytes. Returns the file names.
    @discardableResult
    public func write(to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let bng = try CRS("EPSG:27700")
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        var names: [String] = []
        let name = [OutputField("name", .string)]
        try VectorWriter.write([OutputFeature(geometry: .polygon(boundary), values: [.string("Synthetic London (\(scaleText) × 1,572 km²)")])],
                               fields: name, layerName: "boundary", crs: bng, to: path("boundary.gpkg"), format: .geoPackage)
        names.append("boundary.gpkg")
        for (plan, geometries) in zip(Self.plans, layers) {
            let features = geometries.enumerated().map { k, g in
                OutputFeature(geometry: g, values: [.string("\(plan.name) \(k + 1)")])
            }
            try VectorWriter.write(features, fields: name, layerName: plan.name, crs: bng, to: path("\(plan.name).gpkg"), format: .geoPackage)
            names.append("\(plan.name).gpkg")
        }
        let toWGS84 = try CoordinateTransformer(from: bng, to: CRS.wgs84)
        var ps = events.map(\.at)
        _ = toWGS84.transform(&ps)
        var csv = "month,crime_type,longitude,latitude\n"
        csv.reserveCapacity(events.count * 64)
        for (e, ll) in zip(events, ps) {
            csv += "\(e.month),\(e.crimeType),\(String(format: "%.8f", ll.x)),\(String(format: "%.8f", ll.y))\n"
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path("crimes.csv")), options: .atomic)
        try truthJSON().write(to: URL(fileURLWithPath: path("truth.json")), options: .atomic)
        try Data(specYAML().utf8).write(to: URL(fileURLWithPath: path("spec.yaml")), options: .atomic)
        try Data(readme().utf8).write(to: URL(fileURLWithPath: path("README.md")), options: .atomic)
        return names + ["crimes.csv", "truth.json", "spec.yaml", "README.md"]
    }

    var scaleText: String { InspectText.number(scale) }

    /// Every factor with `influence: auto` at 6 whole blocks: 20 × 2 × 6 = 240 candidates.
    public func specYAML() -> String {
        var s = """
        # SYNTHETIC London-scale study (rtm synth --preset london --seed \(seed) --scale \(scaleText)); see README.md.
        # Accepted by `rtm run` and by the peer pipeline (shared/peers/pipeline.py).
        crs: EPSG:27700
        cell_size: \(InspectText.number(Self.cellSize))
        block_length: \(InspectText.number(Self.blockLength))
        study_area: boundary.gpkg
        outcome:
          path: crimes.csv
          x: longitude
          y: latitude
          crs: EPSG:4326
          where: "crime_type = 'Violence and sexual offences'"
          time: { field: month, from: \(Self.year)-01, to: \(Self.year)-12 }
        factors:

        """
        for p in Self.plans {
            s += "  - { name: \(p.name), path: \(p.name).gpkg, influence: auto, max_blocks: \(InspectText.number(Self.maxBlocks)) }\n"
        }
        s += "model: { selection: rtm, family: auto, folds: 10, seed: 1 }\n"
        return s
    }

    func truthJSON() throws -> Data {
        struct Layer: Encodable { let name: String; let features: Int; let geometry: String; let about: String }
        struct Truth: Encodable {
            let note: String, seed: UInt64, scale: Double, areaKm2: Double, cellSizeM: Double, studyCells: Int
            let events: Int, otherEvents: Int, family: String, gammaFrailtyShape: Double
            let terms: [TrueTerm], layers: [Layer]
        }
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.keyEncodingStrategy = .convertToSnakeCase
        let layerInfo = zip(Self.plans, layers).map { Layer(name: $0.name, features: $1.count, geometry: $0.polygons ? "polygon" : "point", about: $0.about) }
        return try e.encode(Truth(note: "SYNTHETIC: the model the violence and sexual offences were drawn from (a multinomial draw of the total)",
                                  seed: seed, scale: scale, areaKm2: Self.areaKm2 * scale, cellSizeM: Self.cellSize, studyCells: cells,
                                  events: violenceCount, otherEvents: events.count - violenceCount, family: "negbin",
                                  gammaFrailtyShape: Self.frailtyShape, terms: Self.trueTerms, layers: layerInfo))
    }

    func readme() -> String {
        var s = """
        # Synthetic London — SYNTHETIC data

        Everything in this folder is invented. It was generated by
        `rtm synth --preset london --seed \(seed) --scale \(scaleText)`: a London-like outline of
        \(InspectText.number(Self.areaKm2 * scale)) km² around Charing Cross (British National Grid, EPSG:27700),
        \(cells) study cells of 25 m, \(Self.plans.count) factor layers and \(violenceCount) violence-and-sexual-offence
        events over \(Self.year) (plus \(events.count - violenceCount) other crimes that the spec's `where` removes),
        drawn from a known risk terrain model (negative binomial, gamma frailty of shape \(InspectText.number(Self.frailtyShape))):

        | factor | influence | true RRV |
        |---|---|---|

        """
        for t in Self.trueTerms {
            let how = t.influence == .proximity ? "within \(Int(t.metres)) m" : "above mean + 2 SD at σ \(Int(t.metres)) m"
            s += "| \(t.factor) | \(t.influence.rawValue) \(how) | \(InspectText.number(t.rrv)) |\n"
        }
        s += "\n| file | what |\n|---|---|\n| `boundary.gpkg` | the study area (one polygon) |\n"
        for (p, g) in zip(Self.plans, layers) { s += "| `\(p.name).gpkg` | \(g.count) \(p.about) |\n" }
        s += """
        | `crimes.csv` | month, crime_type, longitude, latitude (WGS 84) |
        | `truth.json` | the true model and the layer counts |
        | `spec.yaml` | every factor, `influence: auto`, 6 blocks of 100 m: 240 candidates, 10 folds |

        """
        return s
    }
}
