import Foundation
import GeoIO
import Testing
import TestSupport

/// docs/tutorial-london.md's commands, as a user runs them, on the committed extract of real data
/// (data/city-of-london: data.police.uk as downloaded, OpenStreetMap, GLA boundaries).
@Suite struct RealDataCLITests {
    let scratch = Scratch()

    @Test func theTutorialRunsEndToEnd() throws {
        let spec = dataFile("city-of-london/spec.yaml")
        let v = try RTMBinary.run(["validate", spec])
        #expect(v.status == 0, "\(v.stderr)")
        #expect(v.stdout.contains("events from police (46 files)"))
        #expect(v.stdout.contains("months read:        2018-01–2019-12 (24 months)"))
        let out = scratch.path("rtm-tutorial")
        let run = try RTMBinary.run(["run", spec, "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("model: ") && run.stdout.contains("hotspots: "))
        for file in ["risk.tif", "hotspots.gpkg", "report.html", "model.json", "manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        // the manifest lists every file read, with its rows and SHA-256, and the months
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        let outcome = (manifest["point_inputs"] as! [String: Any])["outcome"] as! [String: Any]
        #expect((outcome["files"] as! [[String: Any]]).count == 46)
        #expect((outcome["months_read"] as! [String: Any])["last"] as? String == "2019-12")
        #expect(outcome["repeated_crime_ids"] as? Int == 27)
        let hashed = Set((manifest["inputs"] as! [[String: Any]]).compactMap { $0["path"] as? String })
        for f in outcome["files"] as! [[String: Any]] { #expect(hashed.contains(f["path"] as! String)) }

        let ev = try RTMBinary.run(["evaluate", spec, "--out", out + "-eval"])
        #expect(ev.status == 0, "\(ev.stderr)")
        let plan = try RTMBinary.run(["patrols", spec, "--week", "2020-W02", "--out", out + "-patrols"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "-patrols/patrols-2020-W02.csv"))
    }

    /// A layer in British National Grid metres that says it is in degrees: one line naming the
    /// file, the feature and the fix — none of PROJ's own lines.
    @Test func metresLabelledAsDegreesGetOneLine() throws {
        let dir = try scratch.folder("rtm-degrees")
        let spec = dataFile("city-of-london/spec.yaml")
        let folder = (spec as NSString).deletingLastPathComponent
        for f in try FileManager.default.contentsOfDirectory(atPath: folder) where f != "spec.yaml" {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + f, withDestinationPath: folder + "/" + f)
        }
        try #"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "a"}, "geometry": {"type": "Point", "coordinates": [531500.0, 181200.0]}}]}"#
            .write(toFile: dir + "/cameras.geojson", atomically: true, encoding: .utf8)
        let yaml = try String(contentsOfFile: spec, encoding: .utf8)
            .replacingOccurrences(of: "factors:\n", with: "factors:\n  - name: cameras\n    path: cameras.geojson\n    influence: proximity\n")
        try yaml.write(toFile: dir + "/spec.yaml", atomically: true, encoding: .utf8)
        let r = try RTMBinary.run(["validate", dir + "/spec.yaml"])
        #expect(r.status != 0)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("cameras.geojson feature 0: coordinates (531500, 181200) look projected"))
        #expect(r.stderr.contains("set crs: EPSG:27700 if these are British National Grid metres"))
        #expect(!r.stderr.contains("tmerc") && !r.stderr.contains("proj_"))
    }
}
