import Foundation
import Testing
import GeoIO
@testable import RiskTerrain
import TestSupport

/// One run per folder (issue 24): the lock, the unique staging folder, the removal of what
/// earlier runs left, and the manifest that names everything in the folder.
@Suite struct OutputFolderTests {
    let scratch = Scratch()

    /// The sample with its StreetSafe reports and a quick spec (`quickSampleStudy`).
    func quickStudy() throws -> (folder: String, spec: ModelSpec) { try quickSampleStudy(scratch, prefix: "rtm-one-run", streetSafe: true) }

    /// Every file under `folder`, relative to it (folders are not listed).
    static func allFiles(_ folder: String) -> [String] { OutputFolder.files(under: folder) }

    /// The files `manifest.json` accounts for: its outputs, itself, and what it says is kept
    /// (a kept folder covers everything inside it). Returns the files it does not account for.
    static func unaccounted(in folder: String) throws -> [String] {
        let m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))) as! [String: Any]
        let outputs = Set((m["outputs"] as! [[String: Any]]).map { $0["path"] as! String })
        let kept = (m["kept"] as! [[String: Any]]).map { $0["path"] as! String }
        return allFiles(folder).filter { f in
            !(outputs.contains(f) || f == "manifest.json" || kept.contains { $0.hasSuffix("/") ? f.hasPrefix($0) : f == $0 })
        }
    }

    @Test func aRerunWithoutEventsLeavesNoEventsLayerAndNothingUnlisted() throws {
        let (dir, spec) = try quickStudy()
        let out = dir + "/out"
        var options = Pipeline.Options(outFolder: out)
        options.includeEvents = true
        options.writeFactorLayers = true
        options.cacheFolder = out + "/.rtm-cache"
        _ = try Pipeline.run(spec, options: options)
        #expect(FileManager.default.fileExists(atPath: out + "/events.gpkg"))
        #expect(try Self.unaccounted(in: out) == [])
        // what older runs and other commands left: an evaluation, a patrol plan, a writer's
        // temporary, a GeoPackage journal, a staging folder of a killed run, another run's folder
        for name in [".DS_Store", "evaluation.json", "patrols-2025-W03.csv", ".risk.tif.partial-77", "streetsafe_reports.gpkg", "events.gpkg-wal",
                     ".rtm-staging-AbC123/risk.tif", "patrols/manifest.json", "patrols/patrols-2025-W03.csv"] {
            try FileManager.default.createDirectory(atPath: ((out + "/" + name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data("old".utf8).write(to: URL(fileURLWithPath: out + "/" + name))
        }
        options.includeEvents = false
        options.writeFactorLayers = false
        let r = try Pipeline.run(spec, options: options)
        let files = Self.allFiles(out)
        #expect(!files.contains { $0.lowercased().contains("event") || $0.contains("streetsafe") }, "\(files)")
        #expect(!files.contains { $0.hasPrefix("factors/") || $0.hasPrefix(".rtm-staging-") || $0.contains("partial") }, "\(files)")
        #expect(!files.contains("evaluation.json") && !files.contains("patrols-2025-W03.csv"))
        #expect(try Self.unaccounted(in: out) == [])
        // kept: the other run's folder, the cache, the log and the lock — and the manifest says so
        #expect(files.contains("patrols/patrols-2025-W03.csv") && files.contains { $0.hasPrefix(".rtm-cache/") })
        let m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        #expect(Set((m["kept"] as! [[String: Any]]).map { $0["path"] as! String }) == [".rtm-cache/", ".rtm-lock", "patrols/", "runs.jsonl"])
        #expect(m["includes_events"] as? Bool == false)
        #expect(Set(r.outputs + ["manifest.json"]) == Set(files.filter { !$0.hasPrefix("patrols/") && !$0.hasPrefix(".rtm-cache/") && $0 != "runs.jsonl" && $0 != ".rtm-lock" }))
    }

    @Test func aFolderHoldingFilesNoRunWroteIsRefusedAndLeftAlone() throws {
        let out = try scratch.folder("rtm-foreign")
        try Data("mine".utf8).write(to: URL(fileURLWithPath: out + "/notes.txt"))
        try FileManager.default.createDirectory(atPath: out + "/photos", withIntermediateDirectories: true)
        #expect(throws: OutputFolderError.foreignFiles(path: out, examples: ["notes.txt", "photos"], count: 2)) { _ = try OutputFolder(out) }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out)) == ["notes.txt", "photos"])   // no lock, no staging left
        let text = String(describing: OutputFolderError.foreignFiles(path: out, examples: ["notes.txt", "photos"], count: 2))
        #expect(!text.contains("\n") && text.contains("notes.txt, photos, which no rtm run wrote") && text.contains(" — move them out"))
    }

    @Test func aSecondRunOnALockedFolderStopsNamingTheHolder() throws {
        let out = scratch.path("rtm-locked")
        var first: OutputFolder? = try OutputFolder(out)
        let error = #expect(throws: OutputFolderError.self) { _ = try OutputFolder(out) }
        guard case .busy(let path, let holder) = error else { Issue.record("\(String(describing: error))"); return }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        let hostName = host.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        #expect(path == out && holder.pid == getpid() && holder.host == hostName && holder.started != nil)
        let text = String(describing: error!)
        #expect(text.hasPrefix("\(out): another run is writing to this folder (rtm pid \(getpid()) on \(hostName) since 20"))
        #expect(text.contains(" — wait for it to finish, or choose another output folder with --out") && !text.contains("\n"))
        // the staging folder is unique (mkdtemp), not named by the process id
        let staging = try #require(first?.staging)
        #expect(!staging.hasSuffix("\(getpid())") && FileManager.default.fileExists(atPath: staging))
        first = nil                                          // released: the folder is free again
        let second = try OutputFolder(out)
        try second.write("x", to: "model.json")
        #expect(try second.commit() == ["model.json"])
        #expect(!FileManager.default.fileExists(atPath: staging))
    }

    @Test func aLockFileThatIsASymbolicLinkIsNotFollowed() throws {
        let out = try scratch.folder("rtm-link")
        let victim = scratch.path("rtm-link-victim")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: out + "/.rtm-lock", withDestinationPath: victim)
        #expect(throws: OutputFolderError.self) { _ = try OutputFolder(out) }
        #expect(FileManager.default.contents(atPath: victim) == Data("keep me".utf8))
    }

    @Test func aFailedRunInANewFolderLeavesNeitherFolderNorLock() throws {
        let out = scratch.path("rtm-new")
        do {
            let f = try OutputFolder(out)
            try f.write("half", to: "risk.tif")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aCommitReplacesAFolderOfOutputsWithOnlyThisRunsFiles() throws {
        let out = scratch.path("rtm-factors")
        do {
            let f = try OutputFolder(out)
            try f.write("a", to: "factors/a.tif"); try f.write("b", to: "factors/b.tif"); try f.write("{}", to: "manifest.json")
            try f.commit()
        }
        let f = try OutputFolder(out)
        try f.write("b2", to: "factors/b.tif")
        try f.commit()
        #expect(Self.allFiles(out).filter { !$0.hasPrefix(".rtm-lock") } == ["factors/b.tif"])
        #expect(FileManager.default.contents(atPath: out + "/factors/b.tif") == Data("b2".utf8))
    }
}
