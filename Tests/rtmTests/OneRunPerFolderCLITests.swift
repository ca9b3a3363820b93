import Foundation
import Testing
import TestSupport

/// Issue 24: an output folder holds one run's files and nothing older, and two `rtm` processes
/// never write one folder at once — the `rtm` binary, as a user (or two containers) runs it.
@Suite struct OneRunPerFolderCLITests {
    let scratch = Scratch()

    /// Every file under `folder` (relative, sorted), and those its manifest.json does not
    /// account for: not an output, not the manifest, not inside what it lists as kept.
    static func unaccounted(in folder: String) throws -> (all: [String], unaccounted: [String]) {
        let m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))) as! [String: Any]
        let outputs = Set((m["outputs"] as! [[String: Any]]).map { $0["path"] as! String })
        let kept = (m["kept"] as! [[String: Any]]).map { $0["path"] as! String }
        var all: [String] = []
        let e = FileManager.default.enumerator(atPath: folder)!
        while let name = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDir), !isDir.boolValue { all.append(name) }
        }
        all.sort()
        return (all, all.filter { f in !(outputs.contains(f) || f == "manifest.json" || kept.contains { $0.hasSuffix("/") ? f.hasPrefix($0) : f == $0 }) })
    }

    @Test func twoRunsOnOneFolderDoNotMixAndARerunLeavesNoEvents() throws {
        let out = scratch.path("rtm-one-run")
        // the first run, with the victims' locations, holds the folder…
        let first = Process()
        first.executableURL = RTMBinary.url
        first.arguments = ["run", dataFile("spec.yaml"), "--out", out, "--include-events", "--quiet"]
        let firstErr = Pipe()
        first.standardError = firstErr
        first.standardOutput = FileHandle.nullDevice
        try first.run()
        let lock = out + "/.rtm-lock"
        let deadline = Date().addingTimeInterval(30)
        while first.isRunning, Date() < deadline,
              (try? String(contentsOfFile: lock, encoding: .utf8))?.contains("pid=\(first.processIdentifier) ") != true { usleep(20_000) }
        try #require(first.isRunning, "the first run ended before a second could start")
        // …so a second process on the same folder stops at once, naming it
        let second = try RTMBinary.run(["run", dataFile("spec.yaml"), "--out", out])
        #expect(second.status == 1)
        #expect(second.stderr.hasPrefix("rtm: \(out): another run is writing to this folder (rtm pid \(first.processIdentifier) on "), "\(second.stderr)")
        #expect(second.stderr.contains(" since 20") && second.stderr.hasSuffix("— wait for it to finish, or choose another output folder with --out\n"))
        #expect(second.stderr.split(separator: "\n").count == 1)
        let message = String(decoding: firstErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0, "\(message)")
        let withEvents = try Self.unaccounted(in: out)
        #expect(withEvents.all.contains("events.gpkg") && withEvents.all.contains("streetsafe_reports.gpkg"))
        #expect(withEvents.unaccounted == [], "\(withEvents.unaccounted)")
        #expect(!withEvents.all.contains { $0.hasPrefix(".rtm-staging-") })

        // a rerun without --include-events: no events layer stays, and nothing the manifest does not list
        let rerun = try RTMBinary.run(["run", dataFile("spec.yaml"), "--out", out, "--quiet"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let after = try Self.unaccounted(in: out)
        #expect(!after.all.contains { $0.lowercased().contains("event") || $0.lowercased().contains("streetsafe") }, "\(after.all)")
        #expect(after.unaccounted == [], "\(after.unaccounted)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        #expect(manifest["includes_events"] as? Bool == false)
        let report = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(!report.contains("written because of --include-events"))
    }

    @Test func patrolsReplaceAnEarlierWeeksPlanAndListWhatTheyWrote() throws {
        let out = scratch.path("rtm-one-plan")
        let week2 = try RTMBinary.run(["patrols", dataFile("spec.yaml"), "--week", "2025-W02", "--out", out, "--no-held-out"])
        #expect(week2.status == 0, "\(week2.stderr)")
        let before = try Self.unaccounted(in: out)
        #expect(before.all.contains("patrols-2025-W02.csv") && before.unaccounted == [])
        let week3 = try RTMBinary.run(["patrols", dataFile("spec.yaml"), "--week", "2025-W03", "--out", out, "--no-held-out"])
        #expect(week3.status == 0, "\(week3.stderr)")
        let after = try Self.unaccounted(in: out)
        #expect(!after.all.contains { $0.contains("2025-W02") }, "\(after.all)")
        #expect(after.all.contains("patrols-2025-W03.ics") && after.unaccounted == [], "\(after.unaccounted)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        #expect(manifest["command"] as? String == "patrols" && (manifest["inputs"] as? [Any])?.count == 11)
    }

    @Test func aFolderOfSomeoneElsesFilesIsRefusedBeforeTheFit() throws {
        let out = try scratch.folder("rtm-not-ours")
        try Data("mine".utf8).write(to: URL(fileURLWithPath: out + "/thesis.docx"))
        let start = Date()
        let r = try RTMBinary.run(["run", dataFile("spec.yaml"), "--out", out])
        #expect(r.status == 1)
        #expect(r.stderr == "rtm: \(out): holds thesis.docx, which no rtm run wrote, and a run replaces everything in its output folder — move them out, or choose a new or empty output folder with --out\n")
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["thesis.docx"])
    }
}
