import Foundation
import Testing
import GeoIO
@testable import RiskTerrain
import TestSupport

/// The sample in a fresh folder of `scratch` with a quick spec (two factors, no selection), and
/// its StreetSafe reports when asked: what the fault and output-folder tests run.
func quickSampleStudy(_ scratch: Scratch, prefix: String, streetSafe: Bool = false) throws -> (folder: String, spec: ModelSpec) {
    let dir = scratch.path(prefix)
    try FileManager.default.copyItem(atPath: URL(fileURLWithPath: sampleSpec).deletingLastPathComponent().path, toPath: dir)
    let yaml = """
    crs: EPSG:27700
    cell_size: 25
    block_length: 100
    study_area: boundary.gpkg
    outcome: { path: crimes.csv, where: "crime_type = 'Violence and sexual offences'" }
    \(streetSafe ? "streetsafe: streetsafe.csv" : "")
    factors:
      - { name: stations, path: stations.gpkg, influence: proximity, max_blocks: 3 }
      - { name: licensed_premises, path: licensed_premises.gpkg, influence: proximity, max_blocks: 2 }
    model: { selection: none, family: poisson }
    """
    try yaml.write(toFile: dir + "/quick.yaml", atomically: true, encoding: .utf8)
    return (dir, try SpecParser.load(dir + "/quick.yaml"))
}

/// An input changed or deleted while a run reads it: the run fails naming the file, and nothing
/// is committed over the previous outputs.
@Suite struct FaultTests {
    let scratch = Scratch()

    func quickStudy() throws -> (folder: String, spec: ModelSpec) { try quickSampleStudy(scratch, prefix: "rtm-faults") }

    static func files(_ folder: String) -> [String: Data] {
        var out: [String: Data] = [:]
        for name in (try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? [] {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDir), !isDir.boolValue {
                out[name] = FileManager.default.contents(atPath: folder + "/" + name)
            }
        }
        return out
    }

    @Test(arguments: [false, true])
    func anInputChangedOrDeletedDuringTheRunCommitsNothing(deleted: Bool) throws {
        let (dir, spec) = try quickStudy()
        let out = dir + "/out"
        _ = try Pipeline.run(spec, options: .init(outFolder: out))
        var before = Self.files(out)
        before["runs.jsonl"] = nil
        before[".rtm-lock"] = nil                     // names the run that last held the folder
        let stations = dir + "/stations.gpkg"
        let error = #expect(throws: GeoDataError.self) {
            _ = try Pipeline.run(spec, options: .init(outFolder: out)) { stage, _ in
                // once the inputs are read, the stations layer is replaced (or removed) under the run
                guard stage == "building the analysis grid" else { return }
                if deleted { try? FileManager.default.removeItem(atPath: stations) } else {
                    try? FileManager.default.removeItem(atPath: stations)
                    try? FileManager.default.copyItem(atPath: dir + "/schools.gpkg", toPath: stations)
                }
            }
        }
        #expect(error == .changedDuringRun(path: stations, deleted: deleted))
        #expect(error?.description.contains(deleted ? "deleted while the run was reading it" : "changed while the run was reading it") == true)
        var after = Self.files(out)
        let log = after.removeValue(forKey: "runs.jsonl")
        after[".rtm-lock"] = nil
        #expect(after == before, "the previous outputs changed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).allSatisfy { !$0.hasPrefix(".") || $0 == ".rtm-lock" })
        let entries = RunLog.entries(in: out)
        #expect(log != nil && entries.map(\.status) == ["completed", "failed"])
        #expect(entries.last?.reason?.contains("stations.gpkg") == true)
    }

    @Test func theManifestFingerprintsEveryInputBeforeItIsRead() throws {
        let (dir, spec) = try quickStudy()
        let files = try InputFiles(spec, previousManifestIn: dir + "/nowhere")
        #expect(files.hashes.map { ($0.path as NSString).lastPathComponent }
                == ["boundary.gpkg", "crimes.csv", "stations.gpkg", "licensed_premises.gpkg"])
        #expect(files.changedSincePreviousRun.isEmpty)
        #expect(files.hashes[1].sha256 == (try SHA256.file(dir + "/crimes.csv")))
        try files.verifyUnchanged()
    }

    @Test func aFailedRunInANewFolderLeavesNoFolder() throws {
        let (dir, spec) = try quickStudy()
        var broken = spec
        broken.outcome.whereClause = "crime_type = 'Arson'"
        let out = dir + "/new-out"
        #expect(throws: GeoDataError.self) { _ = try Pipeline.run(broken, options: .init(outFolder: out)) }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func staleStagingOfAKilledRunIsRemoved() throws {
        let (dir, spec) = try quickStudy()
        let out = dir + "/out"
        // a process id that is not running: far above the kernel's pid_max default
        let stale = out + "/\(OutputFolder.stagingPrefix)99999999"
        try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
        try Data("half a file".utf8).write(to: URL(fileURLWithPath: stale + "/risk.tif"))
        _ = try Pipeline.run(spec, options: .init(outFolder: out))
        #expect(!FileManager.default.fileExists(atPath: stale))
    }
}
