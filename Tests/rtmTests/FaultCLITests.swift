import Foundation
import Testing
import TestSupport

/// Faults in the middle of `rtm run`: an interrupt, an unwritable or full output folder, inputs
/// changed since the last run. Each time the previous outputs stay byte for byte as they were, no
/// staging folder or partial file is left, and `runs.jsonl` records what happened.
@Suite(.serialized) struct FaultCLITests {
    let scratch = Scratch()

    /// Every file of a folder (recursively, hidden ones too) → its bytes.
    static func snapshot(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        // the layer cache (default OUT/.rtm-cache) is not an output: whole entries may be added by any run;
        // the lock file names whichever run last held the folder
        for name in try FileManager.default.subpathsOfDirectory(atPath: folder) where !name.hasPrefix(".rtm-cache") && name != ".rtm-lock" {
            var isDir: ObjCBool = false
            let p = folder + "/" + name
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue { files[name] = try Data(contentsOf: URL(fileURLWithPath: p)) }
        }
        return files
    }

    /// The previous outputs are intact (the run log aside, which only grows) and nothing was left.
    static func expectIntact(_ folder: String, _ before: [String: Data], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var after = try snapshot(folder)
        let log = after.removeValue(forKey: "runs.jsonl")
        var previous = before
        let previousLog = previous.removeValue(forKey: "runs.jsonl")
        #expect(after.keys.sorted() == previous.keys.sorted(), "files now: \(after.keys.sorted())", sourceLocation: sourceLocation)
        for (name, data) in previous { #expect(after[name] == data, "\(name) changed", sourceLocation: sourceLocation) }
        if let previousLog, let log { #expect(log.starts(with: previousLog), "runs.jsonl was rewritten", sourceLocation: sourceLocation) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") && $0 != ".rtm-cache" && $0 != ".rtm-lock" }
        #expect(leftovers.isEmpty, "left \(leftovers)", sourceLocation: sourceLocation)
    }

    static func lastLogEntry(_ folder: String) throws -> [String: Any] {
        let text = try String(contentsOfFile: folder + "/runs.jsonl", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").last)
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// A copy of the bundled sample in a fresh folder (inputs the tests may change).
    func sampleCopy() throws -> String {
        let dir = scratch.path("rtm-fault-data")
        try FileManager.default.copyItem(atPath: packageRoot.appendingPathComponent("data").path, toPath: dir)
        return dir
    }

    @Test func anInterruptedRunLeavesThePreviousOutputsAndSaysSo() throws {
        let data = try sampleCopy()
        let out = data + "/out"
        let first = try RTMBinary.run(["run", data + "/spec.yaml", "--out", out])
        try #require(first.status == 0, "\(first.stderr)")
        let before = try Self.snapshot(out)

        for (sig, name, code) in [(SIGINT, "SIGINT", Int32(130)), (SIGTERM, "SIGTERM", Int32(143))] {
            let p = Process()
            p.executableURL = RTMBinary.url
            p.arguments = ["run", data + "/spec.yaml", "--out", out]
            let err = Pipe()
            p.standardOutput = FileHandle.nullDevice
            p.standardError = err
            try p.run()
            // the run has opened its staging folder (mkdtemp: .rtm-staging-XXXXXX); let it get into the fit, then interrupt it
            func staging() -> Bool { ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).contains { $0.hasPrefix(".rtm-staging-") } }
            let deadline = Date().addingTimeInterval(20)
            while !staging(), p.isRunning, Date() < deadline { usleep(20_000) }
            usleep(1_500_000)
            try #require(p.isRunning, "the run ended before it could be interrupted")
            kill(p.processIdentifier, sig)
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationReason == .exit && p.terminationStatus == code, "\(name): \(p.terminationReason) \(p.terminationStatus) \(message)")
            #expect(message.contains("rtm: interrupted by \(name) — the previous outputs in \(out) are as they were"), "\(message)")
            try Self.expectIntact(out, before)
            let entry = try Self.lastLogEntry(out)
            #expect(entry["status"] as? String == "interrupted" && entry["reason"] as? String == "interrupted by \(name)", "\(entry)")
        }

        // a run after the interrupts, with an input changed since the first: it names the file
        let crimes = data + "/crimes.csv"
        var text = try String(contentsOfFile: crimes, encoding: .utf8)
        text += text.split(separator: "\n")[1] + "\n"                 // one more event, a repeat of the first
        try text.write(toFile: crimes, atomically: true, encoding: .utf8)
        let again = try RTMBinary.run(["run", data + "/spec.yaml", "--out", out])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("inputs changed since the last run in this folder: crimes.csv (see manifest.json)"), "\(again.stdout)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        #expect(manifest["changed_since_previous_run"] as? [String] == [crimes])
        let statuses = try String(contentsOfFile: out + "/runs.jsonl", encoding: .utf8).split(separator: "\n")
            .map { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["status"] as? String }
        #expect(statuses == ["completed", "interrupted", "interrupted", "completed"])
        // and an unchanged rerun says nothing about changes
        let same = try RTMBinary.run(["run", data + "/spec.yaml", "--out", out, "--quiet"])
        #expect(same.status == 0)
        let unchanged = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        #expect(unchanged["changed_since_previous_run"] as? [String] == [])
    }

    @Test func anOutputFolderThatCannotBeMadeFailsBeforeTheFit() throws {
        let file = scratch.path("rtm-not-a-folder")
        try "a file".write(toFile: file, atomically: true, encoding: .utf8)
        let start = Date()
        let r = try RTMBinary.run(["run", dataFile("spec.yaml"), "--out", file + "/out"])
        #expect(r.status == 1)
        #expect(r.stderr == "rtm: \(file)/out: cannot write (the folder cannot be created) — choose another output folder with --out, or free disk space\n")
        #expect(Date().timeIntervalSince(start) < 5, "the fit ran before the folder was checked")
    }

    @Test(.enabled(if: Mounts.available, "needs mount (root with CAP_SYS_ADMIN); CI without it skips"))
    func aReadOnlyOutputFolderKeepsItsOutputs() throws {
        let out = scratch.path("rtm-readonly")
        let first = try RTMBinary.run(["run", dataFile("spec.yaml"), "--out", out, "--quiet"])
        try #require(first.status == 0, "\(first.stderr)")
        let before = try Self.snapshot(out)
        try Mounts.mount(["--bind", out, out])
        defer { Mounts.unmount(out) }
        try Mounts.mount(["-o", "remount,bind,ro", out])
        let r = try RTMBinary.run(["run", dataFile("spec.yaml"), "--out", out])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("rtm: \(out): cannot write") && r.stderr.hasSuffix("— choose another output folder with --out, or free disk space\n"), "\(r.stderr)")
        try Self.expectIntact(out, before)
    }

    @Test(.enabled(if: Mounts.available, "needs mount (root with CAP_SYS_ADMIN); CI without it skips"))
    func aFullDiskKeepsThePreviousOutputsAndRecordsTheFailure() throws {
        let previous = scratch.path("rtm-previous")
        let first = try RTMBinary.run(["run", dataFile("spec.yaml"), "--out", previous, "--quiet"])
        try #require(first.status == 0, "\(first.stderr)")
        let bytes = try Self.snapshot(previous).values.reduce(0) { $0 + $1.count }
        // a file system with room for the previous outputs and a third of another set
        let out = scratch.path("rtm-full")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Mounts.mount(["-t", "tmpfs", "-o", "size=\(bytes + bytes / 3 + 64 * 1024)", "tmpfs", out])
        defer { Mounts.unmount(out) }
        for name in try FileManager.default.contentsOfDirectory(atPath: previous) where name != ".rtm-cache" {
            try FileManager.default.copyItem(atPath: previous + "/" + name, toPath: out + "/" + name)
        }
        let before = try Self.snapshot(out)
        let r = try RTMBinary.run(["run", dataFile("spec.yaml"), "--out", out])
        #expect(r.status == 1)
        // the OS's "No space left on device", or SQLite's "database or disk is full" when the GeoPackage hits it first
        let full = ["No space left on device", "disk is full"]
        #expect(r.stderr.hasPrefix("rtm: \(out)/") && full.contains { r.stderr.contains($0) } && r.stderr.hasSuffix("free disk space\n"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        try Self.expectIntact(out, before)
        let entry = try Self.lastLogEntry(out)
        #expect(entry["status"] as? String == "failed" && full.contains { (entry["reason"] as? String)?.contains($0) == true }, "\(entry)")
    }
}

/// Mounting a read-only bind or a tiny tmpfs over a temporary folder, where the system allows it.
enum Mounts {
    static let available: Bool = {
        // outside any test, so no Scratch: removed here, once it is unmounted (or was never mounted)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rtm-mount-probe-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard (try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)) != nil,
              (try? mount(["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir])) != nil else { return false }
        unmount(dir)
        return true
    }()

    static func mount(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/mount")
        p.arguments = arguments
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteNoPermission) }
    }

    static func unmount(_ dir: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/umount")
        p.arguments = [dir]
        try? p.run()
        p.waitUntilExit()
    }
}
