import Foundation
import GeoIO

/// One run's output folder: locked for the whole run, written through a private staging folder,
/// and at commit made to hold this run's files and nothing older.
///
/// - **Lock.** `init` takes an exclusive `FolderLock` on the folder (`.rtm-lock`) and holds it
///   until the value is released, so two runs never write one folder at once: the second stops
///   with one line naming the holder (pid, host, start time).
/// - **Staging.** Files are written into `.rtm-staging-XXXXXX` (made by `mkdtemp`, unique whatever
///   the pid) and moved into place only when every one is written, so a failed or interrupted run
///   leaves the previous outputs as they were and no partial file behind. Whoever holds the lock
///   knows every other staging folder is an orphan of a killed run, and removes it.
/// - **One run per folder.** `commit` removes what earlier runs left that this run did not write
///   — victim-location layers (`events.gpkg`, `streetsafe_reports.gpkg`, any events layer) first,
///   before anything is moved in — then moves the new files into place and removes the rest.
///   It keeps only `runs.jsonl` (the folder's log), `.rtm-lock`, the layer cache (`.rtm-cache`,
///   or any folder of `.rtml` entries), the entries passed as `keeping`, and sub-folders that are
///   other runs' output folders (e.g. `patrols/`, with their own manifest); `keptEntries` lists
///   them for the manifest, so the manifest names everything in the folder.
/// - **Never a user's files.** A folder holding anything else — a file no rtm run wrote, by the
///   previous manifest's outputs and rtm's output names — is refused before the run starts
///   (`OutputFolderError.foreignFiles`), so `--out ~/Documents` removes nothing.
///
/// Every open staging folder is registered, so a signal handler can remove them
/// (`abandonAll`); `commit` holds the same lock while it removes and moves files, so an interrupt
/// lands either before the first change or after the last. What became of each run that reached
/// the folder is appended to `runs.jsonl` there (`RunLog`).
public final class OutputFolder: @unchecked Sendable {
    public let path: String
    let staging: String
    private let lock: FolderLock
    private var committed = false
    /// Whether this run made the folder (an empty one is removed again when the run fails).
    private let createdFolder: Bool
    /// Top-level entries a commit keeps besides the standing ones (e.g. a layer cache folder).
    private let keeping: Set<String>
    /// The inputs' fingerprints, for commands that record them in their manifest.
    private var inputFiles: InputFiles?

    /// Opens (making it if need be), checks and locks `path` for one run.
    /// - Parameter keeping: names of entries at the top of the folder that the run keeps though
    ///   it does not write them (the layer cache's folder, when it is inside).
    /// - Throws: `GeoDataError.outputNotWritable`, `OutputFolderError.busy` (another run holds
    ///   the folder) or `.foreignFiles` (it holds files no rtm run wrote).
    public init(_ path: String, keeping: [String] = []) throws {
        self.path = path
        self.keeping = Set(keeping)
        createdFolder = !FileManager.default.fileExists(atPath: path)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw GeoDataError.outputNotWritable(path: path, reason: "the folder cannot be created")
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw GeoDataError.outputNotWritable(path: path, reason: "the folder is not writable")
        }
        let foreign = Self.survey(path, keeping: self.keeping, staged: []).foreign
        guard foreign.isEmpty else {
            throw OutputFolderError.foreignFiles(path: path, examples: Array(foreign.prefix(3)), count: foreign.count)
        }
        lock = try FolderLock(folder: path)
        Self.removeStaleStaging(in: path)
        var template = Array((path as NSString).appendingPathComponent("\(Self.stagingPrefix)XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            let reason = String(cString: strerror(errno))
            if createdFolder { lock.releaseRemovingFile(); rmdir(path) }
            throw GeoDataError.outputNotWritable(path: path, reason: "cannot create a folder in it: \(reason)")
        }
        staging = String(cString: made)
        Self.registry.withLock { $0[staging] = self.path }
    }

    deinit {
        if !committed { discard() }
    }

    static let stagingPrefix = ".rtm-staging-"

    /// Where to write `name` (which may include sub-folders, e.g. "factors/x.tif").
    public func stage(_ name: String) throws -> String {
        let p = (staging as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return p
    }

    public func write(_ data: Data, to name: String) throws {
        let p = try stage(name)
        do { try data.write(to: URL(fileURLWithPath: p)) } catch {
            throw GeoDataError.outputNotWritable(path: (path as NSString).appendingPathComponent(name), reason: Self.reason(error))
        }
    }

    public func write(_ text: String, to name: String) throws { try write(Data(text.utf8), to: name) }

    /// The files staged so far, relative to the folder, sorted (sidecars a writer added included).
    public func stagedFiles() -> [String] { Self.files(under: staging) }

    /// Moves every staged file into place and removes what earlier runs left (see the type's
    /// comment); returns the names of this run's files.
    @discardableResult
    public func commit() throws -> [String] {
        let names = stagedFiles()
        try Self.registry.withLock { active in
            let leftovers = Self.survey(path, keeping: keeping, staged: Set(names)).removable
            // victim locations first: gone before anything new is in place
            let victims = leftovers.filter(Self.locatesVictims)
            for v in victims { try remove(v) }
            for name in names {
                let from = (staging as NSString).appendingPathComponent(name)
                let to = (path as NSString).appendingPathComponent(name)
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: to, isDirectory: &isDir), isDir.boolValue { try remove(name) }
                try FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard rename(from, to) == 0 else {
                    throw GeoDataError.outputNotWritable(path: to, reason: String(cString: strerror(errno)))
                }
            }
            for l in leftovers where !Self.locatesVictims(l) { try remove(l) }
            Self.removeEmptyFolders(in: path, keepingTop: Set(names.map(Self.top)))
            committed = true
            active[staging] = nil
        }
        try? FileManager.default.removeItem(atPath: staging)
        return names
    }

    private func remove(_ name: String) throws {
        let p = (path as NSString).appendingPathComponent(name)
        do { try FileManager.default.removeItem(atPath: p) } catch {
            if FileManager.default.fileExists(atPath: p) {
                throw GeoDataError.outputNotWritable(path: p, reason: "an earlier run's file cannot be removed: \(Self.reason(error))")
            }
        }
    }

    /// Removes the staging folder (and the output folder, when this run made it and it is empty).
    func discard() {
        Self.registry.withLock { $0[staging] = nil }
        try? FileManager.default.removeItem(atPath: staging)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        if createdFolder, left.allSatisfy({ $0 == FolderLock.fileName }) {
            lock.releaseRemovingFile()
            rmdir(path)
        }
    }

    /// Whether this run made the output folder (its log then only has this run in it).
    var isNew: Bool { createdFolder }

    // MARK: What is in the folder

    /// An entry of the folder that a commit keeps though this run did not write it, and why.
    public struct Kept: Codable, Equatable, Sendable {
        public let path: String
        public let why: String
    }

    /// What the folder will hold besides this run's files once it commits: for the manifest.
    /// `runs.jsonl` and `.rtm-lock` are always there after a run; folders end in "/".
    public func keptEntries() -> [Kept] {
        var kept = [Kept(path: FolderLock.fileName, why: "the lock a run holds on this folder"),
                    Kept(path: RunLog.fileName, why: "the log of runs in this folder, appended by each")]
        kept += Self.survey(path, keeping: keeping, staged: Set(stagedFiles())).kept.filter { !kept.map(\.path).contains($0.path) }
        return kept.sorted { $0.path < $1.path }
    }

    /// Sorts the top-level entries of `folder`: kept (standing entries, `keeping`, other runs'
    /// folders, layer caches), removable (rtm's outputs this run did not write, with the files
    /// inside a folder this run writes into), and foreign (none of those).
    static func survey(_ folder: String, keeping: Set<String>, staged: Set<String>) -> (kept: [Kept], removable: [String], foreign: [String]) {
        let fm = FileManager.default
        let previous = previousOutputs(folder)
        let stagedTop = Set(staged.map(top))
        var kept: [Kept] = [], removable: [String] = [], foreign: [String] = []
        for name in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
            let p = (folder as NSString).appendingPathComponent(name)
            var isDir: ObjCBool = false
            _ = fm.fileExists(atPath: p, isDirectory: &isDir)
            let folderEntry = isDir.boolValue && !isSymlink(p)
            if name == FolderLock.fileName || name == RunLog.fileName { continue }
            if name.hasPrefix(stagingPrefix) { continue }                   // ours, or an orphan removed under the lock
            if keeping.contains(name) || name == LayerCache.defaultFolderName {
                kept.append(.init(path: name + "/", why: "the layer cache (kept between runs)"))
            } else if stagedTop.contains(name) {
                // this run writes here: a file is replaced; a folder keeps only this run's files
                if folderEntry {
                    removable += files(under: p).map { name + "/" + $0 }.filter { !staged.contains($0) }
                }
            } else if previous.contains(name) || isRTMOutputName(name) {
                removable.append(name)
            } else if folderEntry, isRunFolder(p) {
                kept.append(.init(path: name + "/", why: "another run's output folder (its own manifest.json)"))
            } else if folderEntry, isLayerCache(p) {
                kept.append(.init(path: name + "/", why: "a layer cache (kept between runs)"))
            } else {
                foreign.append(name)
            }
        }
        return (kept, removable, foreign)
    }

    /// The top-level names of the outputs the folder's previous manifest lists.
    static func previousOutputs(_ folder: String) -> Set<String> {
        let url = URL(fileURLWithPath: folder).appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url),
              let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let outputs = doc["outputs"] as? [[String: Any]] else { return [] }
        return Set(outputs.compactMap { $0["path"] as? String }.filter { !$0.hasPrefix("/") && !$0.contains("..") }.map(top))
    }

    /// Names rtm's commands write or wrote (for folders whose manifest predates the one-run
    /// rule, or that had none: `rtm patrols` and `rtm evaluate` before it), with the sidecars and
    /// temporaries of their writers (`.aux.xml`, GeoPackage `-wal`/`-shm`/`-journal`, AtomicOutput's
    /// `.NAME.partial-PID`).
    static func isRTMOutputName(_ name: String) -> Bool {
        var n = name
        if n.hasPrefix("."), let r = n.range(of: ".partial-") { n = String(n[n.index(after: n.startIndex)..<r.lowerBound]) }
        for suffix in [".aux.xml", "-wal", "-shm", "-journal"] where n.hasSuffix(suffix) { n = String(n.dropLast(suffix.count)) }
        if rtmOutputNames.contains(n) || osClutter.contains(name) { return true }
        let ext = (n as NSString).pathExtension
        if n.hasPrefix("patrols-"), ["csv", "json", "ics", "html", "gpx"].contains(ext) { return true }
        if n.hasPrefix("briefing-"), ext == "html" { return true }
        return false
    }

    static let rtmOutputNames: Set<String> = [
        "manifest.json", "model.json", "rrv.csv", "report.html", "risk.tif", "classes.tif", "risk.png", "gistar.tif",
        "hotspots.tif", "hotspots.gpkg", "hotspots.geojson", "hotspots.csv", "events.gpkg", "streetsafe_reports.gpkg",
        "evaluation.json", "evaluation.svg", "evaluation.html", "factors", "routes",
    ]

    /// What file browsers leave in a folder they showed: removed like an old output, not refused.
    static let osClutter: Set<String> = [".DS_Store", "Thumbs.db", "desktop.ini"]

    /// Whether a leftover locates victims (an events or StreetSafe layer), to go first.
    static func locatesVictims(_ name: String) -> Bool {
        let n = name.lowercased()
        return n.contains("event") || n.contains("streetsafe")
    }

    /// A folder that is another run's output folder.
    static func isRunFolder(_ p: String) -> Bool {
        ["manifest.json", FolderLock.fileName, RunLog.fileName].contains { FileManager.default.fileExists(atPath: (p as NSString).appendingPathComponent($0)) }
    }

    /// A folder holding only layer-cache entries (and their temporaries).
    static func isLayerCache(_ p: String) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []
        return !names.isEmpty && names.allSatisfy { $0.hasSuffix(".rtml") || $0.contains(".rtml.tmp") }
    }

    static func isSymlink(_ p: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: p)[.type] as? FileAttributeType) == .typeSymbolicLink
    }

    static func top(_ relative: String) -> String { String(relative.split(separator: "/").first ?? Substring(relative)) }

    /// Every regular file under `folder`, relative to it, sorted; symbolic links are not followed.
    static func files(under folder: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [String] = []
        while let name = e.nextObject() as? String {
            let p = (folder as NSString).appendingPathComponent(name)
            var isDir: ObjCBool = false
            let link = isSymlink(p)
            if link { e.skipDescendants() }              // a link is an entry, never a way out of the folder
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue || link { out.append(name) }
        }
        return out.sorted()
    }

    /// Empty sub-folders left inside the folders this run wrote into.
    static func removeEmptyFolders(in folder: String, keepingTop: Set<String>) {
        for name in keepingTop {
            let p = (folder as NSString).appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue, !isSymlink(p) else { continue }
            let subfolders = (FileManager.default.subpaths(atPath: p) ?? []).filter { sub in
                var d: ObjCBool = false
                return FileManager.default.fileExists(atPath: (p as NSString).appendingPathComponent(sub), isDirectory: &d) && d.boolValue
            }
            for sub in subfolders.sorted(by: { $0.count > $1.count }) { rmdir((p as NSString).appendingPathComponent(sub)) }
        }
    }

    // MARK: Commands other than `rtm run`

    /// Fingerprints the spec's inputs now, before they are read, for `commit(recording:)`.
    public func fingerprintInputs(of spec: ModelSpec) throws {
        inputFiles = try InputFiles(spec, previousManifestIn: path)
    }

    /// For `rtm evaluate` and `rtm patrols`: checks the inputs fingerprinted by
    /// `fingerprintInputs` are unchanged, writes `manifest.json` (the spec, the inputs, this
    /// run's outputs and what the folder keeps), commits and logs the run in `runs.jsonl`.
    @discardableResult
    public func commit(recording spec: ModelSpec, command: String, started: Date, arguments: [String]) throws -> [String] {
        try inputFiles?.verifyUnchanged()
        let manifest = try Manifest.commandJSON(command: command, spec: spec, started: started, arguments: arguments,
                                                inputs: inputFiles?.hashes ?? [], stagedOutputs: self)
        try write(manifest, to: "manifest.json")
        let names = try commit()
        RunLog.append(.init(status: "completed", manifestSha256: SHA256.hex(manifest)), to: path)
        return names
    }

    // MARK: Interrupts

    /// Removes every open staging folder and logs the runs as interrupted; for a signal handler
    /// (run on a dispatch queue, not in the signal's context). Returns the output folders.
    @discardableResult
    public static func abandonAll(reason: String) -> [String] {
        registry.withLock { active in
            for (staging, folder) in active {
                try? FileManager.default.removeItem(atPath: staging)
                RunLog.append(.init(status: "interrupted", reason: reason), to: folder)
            }
            defer { active.removeAll() }
            return Array(active.values)
        }
    }

    private static let registry = Locked<[String: String]>([:])

    /// Staging folders in a folder whose lock this process holds: none is in use (each run holds
    /// the lock while its staging folder exists), so every one is an orphan of a killed run.
    static func removeStaleStaging(in folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(stagingPrefix) {
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
    }

    /// The OS's words for a write failure ("No space left on device"), not Foundation's wrapper.
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}

/// A value behind a lock, for state a signal handler's thread shares with the run.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
