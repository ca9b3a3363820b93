import Foundation
import GeoIO
import Testing
import TestSupport

/// `rtm run` as a user runs it, on the bundled sample.
@Suite struct RunCLITests {
    let scratch = Scratch()

    @Test func runsTheSampleAndWritesOutputsAGISReads() throws {
        let out = scratch.path("rtm-cli-run")
        let r = try RTMBinary.run(["run", dataFile("spec.yaml"), "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("model: negbin") && r.stdout.contains("wrote "))
        #expect(r.stderr.isEmpty, "progress must stay off stderr when it is not a terminal: \(r.stderr)")

        // risk.tif as gdalinfo reports it
        let info = try RasterReader.info(out + "/risk.tif")
        #expect(info.format == "GeoTIFF")
        #expect(info.crs?.authorityCode == "EPSG:27700")
        #expect(info.geoTransform == [529_800, 25, 0, 193_500, 0, -25])
        #expect(info.width == 228 && info.height == 184)
        #expect(info.bands[0].dataType == "Float32" && info.bands[0].noData == -9999)
        #expect(info.bands[0].blockWidth == 256 && info.bands[0].blockHeight == 256)
        let classes = try RasterReader.info(out + "/classes.tif")
        #expect(classes.bands[0].dataType == "Byte" && classes.bands[0].noData == 0 && classes.geoTransform == info.geoTransform)

        // model.json against the contract, and the RRVs against the truth the sample was drawn from
        let model = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/model.json"))) as! [String: Any]
        for key in ["family", "intercept", "theta", "n_cells", "n_events", "bic", "terms"] { #expect(model[key] != nil, "model.json lacks \(key)") }
        #expect(model["family"] as? String == "negbin" && (model["theta"] as? Double ?? 0) > 0)
        let terms = model["terms"] as! [[String: Any]]
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dataFile("truth.json")))) as! [String: Any]
        for t in truth["terms"] as! [[String: Any]] {
            let factor = t["factor"] as! String, influence = t["influence"] as! String, rrv = t["rrv"] as! Double
            let d = t["distance_m"] as? Double
            let fitted = try #require(terms.first { $0["factor"] as? String == factor && $0["influence"] as? String == influence
                && ($0["distance_m"] as? Double) == d }, "\(factor) \(influence) \(d ?? 0) not selected")
            let se = fitted["std_error"] as! Double, b = fitted["coefficient"] as! Double
            #expect(abs(b - log(rrv)) <= 4 * se, "\(factor): fitted RRV \(exp(b)), truth \(rrv)")
        }

        // the report is one self-contained file
        let report = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(report.hasPrefix("<!doctype html>"))
        #expect(report.range(of: #"(src|href)\s*=\s*"(https?:)?//"#, options: .regularExpression) == nil, "report refers to an external URL")
        #expect(!report.contains("<script"))
        #expect(FileManager.default.fileExists(atPath: out + "/risk.png"))
    }

    @Test func aRerunReadsEveryLayerFromTheCache() throws {
        let out = scratch.path("rtm-cli-cache")
        let first = try RTMBinary.run(["run", dataFile("spec.yaml"), "--out", out])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("layers: 0 from cache, 33 computed — cache \(out)/.rtm-cache"), "\(first.stdout)")
        let model = try Data(contentsOf: URL(fileURLWithPath: out + "/model.json"))
        let second = try RTMBinary.run(["run", dataFile("spec.yaml"), "--out", out])
        #expect(second.stdout.contains("layers: 33 from cache, 0 computed"), "\(second.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/model.json")) == model)
        let both = try RTMBinary.run(["run", dataFile("spec.yaml"), "--out", out, "--no-cache", "--cache", out + "/c"])
        #expect(both.status != 0 && both.stderr.contains("--no-cache"))
    }

    @Test func demoPrintsTruthBesideTheFit() throws {
        let out = scratch.path("rtm-cli-demo")
        let r = try RTMBinary.run(["demo", "--data", packageRoot.appendingPathComponent("data").path, "--out", out, "--include-events"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("true model (data/truth.json) against the fitted one"))
        let verdicts = r.stdout.components(separatedBy: "CI holds the truth").count + r.stdout.components(separatedBy: "CI misses the truth").count - 2
        #expect(verdicts == 5, "\(r.stdout)")
        #expect(r.stdout.contains("rolling origin: 6 splits") && r.stdout.contains("Gi* (200 m band"))
        let report = try String(contentsOfFile: out + "/model/report.html", encoding: .utf8)
        #expect(report.contains("Out-of-sample evaluation") && report.contains("Rolling-origin backtests"))
        #expect(FileManager.default.fileExists(atPath: out + "/model/evaluation.json"))

        // --include-events: the points the model counted, said in the report and the manifest
        #expect(report.contains("written because of --include-events"))
        let events = try VectorReader.read(out + "/model/events.gpkg", query: VectorQuery(fields: ["month"]))
        #expect(events.count == 3096)                           // every event the model counted, as read
        #expect(Set(events.attributes["month"]!.compactMap { $0 }).count == 12)
        let reports = try VectorReader.read(out + "/model/streetsafe_reports.gpkg", query: VectorQuery(fields: ["reason"]))
        #expect(reports.count > 300 && reports.attributes["reason"]!.allSatisfy { $0 != nil })
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/model/manifest.json"))) as! [String: Any]
        #expect(manifest["includes_events"] as? Bool == true)
        // the week after the sample's data ends, all three operations, with the held-out comparison
        #expect(r.stdout.contains("patrol plan 2025-W02") && r.stdout.contains("held-out: plan for 2024-W41"))
        for name in ["patrols-2025-W02.csv", "patrols-2025-W02.json", "patrols-2025-W02.ics", "briefing-2025-W02-2025-01-10.html"] {
            #expect(FileManager.default.fileExists(atPath: out + "/patrols/" + name), "\(name)")
        }
    }
}

/// Each bad spec or input: one line naming the problem, a non-zero exit, and no output written.
@Suite struct BadSpecTests {
    let scratch = Scratch()
    let data = packageRoot.appendingPathComponent("data").path

    func specText(_ edit: (String) -> String) throws -> String {
        edit(try String(contentsOfFile: dataFile("spec.yaml"), encoding: .utf8))
    }

    /// Writes the spec beside copies of nothing: paths are made absolute to data/.
    func failing(_ yaml: String, _ expected: String, extraFiles: [String: String] = [:]) throws {
        let dir = try scratch.folder("rtm-bad")
        for (name, text) in extraFiles { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        var absolute = yaml
        for name in ["boundary.gpkg", "crimes.csv", "licensed_premises.gpkg", "stations.gpkg", "bus_stops.gpkg", "high_streets.gpkg",
                     "parks.gpkg", "schools.gpkg", "street_lights.gpkg", "lux.tif"] {
            absolute = absolute.replacingOccurrences(of: "path: \(name)", with: "path: \(data)/\(name)")
                .replacingOccurrences(of: "study_area: \(name)", with: "study_area: \(data)/\(name)")
        }
        try absolute.write(toFile: dir + "/spec.yaml", atomically: true, encoding: .utf8)
        let out = dir + "/out"
        let r = try RTMBinary.run(["run", dir + "/spec.yaml", "--out", out])
        #expect(r.status != 0)
        #expect(r.stderr.hasPrefix("rtm: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(expected), "\(r.stderr)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        #expect(left.isEmpty, "left \(left) in the output folder")
    }

    @Test func unknownKey() throws {
        try failing(specText { $0.replacingOccurrences(of: "cell_size: 25", with: "cell_sise: 25") }, "did you mean 'cell_size'?")
    }

    @Test func missingFile() throws {
        try failing(specText { $0.replacingOccurrences(of: "path: parks.gpkg", with: "path: /no/such/parks.gpkg") }, "/no/such/parks.gpkg: no such file")
    }

    @Test func geographicCRS() throws {
        try failing(specText { $0.replacingOccurrences(of: "crs: EPSG:27700 ", with: "crs: EPSG:4326 ") }, "use a projected CRS")
    }

    @Test func layerThatDoesNotOverlapTheStudyArea() throws {
        // a factor in Manchester, 260 km from the study area
        let far = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[-2.2426,53.4808]}}]}"#
        try failing(specText { $0.replacingOccurrences(of: "path: schools.gpkg", with: "path: far.geojson") }, "out of reach of the study area",
                    extraFiles: ["far.geojson": far])
    }

    @Test func outcomeWithNoEventsInTheWindow() throws {
        // a window wholly before the data: the error names the months that are not there
        try failing(specText { $0.replacingOccurrences(of: "from: 2024-01, to: 2024-12", with: "from: 2019-01, to: 2019-12") },
                    "outcome.time.from: 2019-01 is before the data begins: \(data)/crimes.csv holds 2024-01–2024-12 (12 months), so 2019-01–2023-12 are absent — set from: 2024-01")
    }

    @Test func factorWithNoFeatures() throws {
        try failing(specText { $0.replacingOccurrences(of: "where: \"status = 'out'\"", with: "where: \"status = 'flickering'\"") },
                    "street_lights.gpkg (layer street_lights): no features pass the where/time filter")
    }
}

@Suite struct EvaluateCLITests {
    let scratch = Scratch()

    @Test func evaluateWritesItsJSONAndPlot() throws {
        let out = scratch.path("rtm-cli-eval")
        let r = try RTMBinary.run(["evaluate", dataFile("spec.yaml"), "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("PAI") && r.stdout.contains("uniform"))
        #expect(FileManager.default.fileExists(atPath: out + "/evaluation.json"))
        let svg = try String(contentsOfFile: out + "/evaluation.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("polyline"))
        #expect(r.stdout.contains("rolling origin: 6 splits"))
        let html = try String(contentsOfFile: out + "/evaluation.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Rolling-origin backtests") && html.contains("PAI 2024-12"))
        // one run's folder: a manifest that lists every file there
        let m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        #expect(m["command"] as? String == "evaluate")
        #expect(try OneRunPerFolderCLITests.unaccounted(in: out).unaccounted == [])
    }
}
