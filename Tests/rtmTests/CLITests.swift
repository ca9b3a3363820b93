import Foundation
import Testing
import TestSupport

/// The package root, for the bundled sample in data/.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func dataFile(_ name: String) -> String { packageRoot.appendingPathComponent("data/\(name)").path }

@Suite struct CLITests {
    let scratch = Scratch()

    @Test func versionNamesTheLibraries() throws {
        let r = try RTMBinary.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("rtm ") && r.stdout.contains("GDAL 3.") && r.stdout.contains("PROJ "))
    }

    @Test func inspectDescribesTheBundledSample() throws {
        let r = try RTMBinary.run(["inspect", dataFile("boundary.gpkg"), dataFile("lux.tif"), dataFile("crimes.csv")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("GeoPackage") && r.stdout.contains("EPSG:27700 (OSGB36 / British National Grid)"))
        #expect(r.stdout.contains("pixel size: 20 × 20 m"))
        #expect(r.stdout.contains("recognised as a data.police.uk street-level crime CSV"))
        #expect(r.stdout.contains("12 with blank coordinates"))
        #expect(r.stderr.isEmpty)
    }

    @Test func badInputIsOneLineAndANonZeroExit() throws {
        let missing = try RTMBinary.run(["inspect", "/no/such/layer.gpkg"])
        #expect(missing.status != 0)
        #expect(missing.stderr == "rtm: /no/such/layer.gpkg: no such file — check the path (relative paths resolve against the spec's folder)\n")
        let notGeo = try RTMBinary.run(["inspect", dataFile("truth.json")])
        #expect(notGeo.status != 0)
        #expect(notGeo.stderr.hasPrefix("rtm: ") && notGeo.stderr.contains("not a format GDAL/OGR can read"))
        #expect(notGeo.stderr.split(separator: "\n").count == 1)
    }

    @Test func synthIsReproducibleFromItsSeed() throws {
        let dir = scratch.path("rtm-synth")
        let r = try RTMBinary.run(["synth", "--preset", "borough", "--seed", "1", "--out", dir])
        #expect(r.status == 0, "\(r.stderr)")
        // The committed sample was made with seed 1: every file is byte-identical.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(names == ["README.md", "boundary.gpkg", "bus_stops.gpkg", "crimes.csv", "high_streets.gpkg", "licensed_premises.gpkg",
                          "lux.tif", "parks.gpkg", "schools.gpkg", "spec.yaml", "stations.gpkg", "street_lights.gpkg", "streetsafe.csv", "truth.json"])
        for name in names {
            let ours = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
            let committed = try Data(contentsOf: URL(fileURLWithPath: dataFile(name)))
            #expect(ours == committed, "\(name) differs from data/\(name)")
        }
        let other = try RTMBinary.run(["synth", "--seed", "2", "--out", dir + "-2"])
        #expect(other.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "-2/crimes.csv")) != Data(contentsOf: URL(fileURLWithPath: dataFile("crimes.csv"))))
    }

    @Test func synthLondonWritesAReadySpecAndRefusesABadScale() throws {
        let dir = scratch.path("rtm-london")
        let r = try RTMBinary.run(["synth", "--preset", "london", "--seed", "1", "--scale", "0.01", "--out", dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("500 events"))
        let v = try RTMBinary.run(["validate", dir + "/spec.yaml"])
        #expect(v.status == 0, "\(v.stderr)")
        #expect(v.stdout.contains("240 candidate layers"))
        let sample = try RTMBinary.run(["synth", "--preset", "sample", "--out", dir + "-sample"])
        #expect(sample.status == 0 && FileManager.default.fileExists(atPath: dir + "-sample/lux.tif"))
        for bad in [["--preset", "london", "--scale", "0"], ["--preset", "borough", "--scale", "2"]] {
            let e = try RTMBinary.run(["synth"] + bad + ["--out", dir + "-bad"])
            #expect(e.status != 0 && e.stderr.contains("--scale"), "\(bad): \(e.stderr)")
        }
    }
}

@Suite struct ValidateCLITests {
    let scratch = Scratch()

    @Test func validatesTheBundledSpec() throws {
        let r = try RTMBinary.run(["validate", dataFile("spec.yaml")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("valid") && r.stdout.contains("33 candidate layers"))
        #expect(r.stdout.contains("patrols:       Op Verona 2 teams 14:00–24:00 daily, 15 min visits; Project Vigilant 1 team 20:00–03:00 thu,fri,sat, 3 a week"))
    }

    @Test func aBrokenSpecIsOneLine() throws {
        let dir = URL(fileURLWithPath: try scratch.folder("rtm-spec"))
        let spec = dir.appendingPathComponent("spec.yaml").path
        try "cell_size: 25\nblock_length: 100\nstudy_area: nowhere.gpkg\noutcome: crimes.csv\nfactors:\n  - name: a\n    path: a.gpkg\n"
            .write(toFile: spec, atomically: true, encoding: .utf8)
        let r = try RTMBinary.run(["validate", spec])
        #expect(r.status != 0)
        #expect(r.stderr == "rtm: \(dir.path)/nowhere.gpkg: no such file — check the path (relative paths resolve against the spec's folder)\n")
    }
}
