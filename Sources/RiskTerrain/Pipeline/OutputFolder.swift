import Foundation
import GeoIO

/// Collects a run's outputs in a hidden staging folder inside the output folder and moves them
/// into place only when every one is written, so a failed or interrupted run leaves the previous
/// outputs as they were and no partial file behind.
///
/// Every open staging folder is registered, so a signal handler can remove them
/// (`abandonAll`); `commit` holds the same lock while it moves files, so an interrupt lands
/// either before the first rename or after the last. What became of each run that reached the
/// folder is appended to `runs.jsonl` there (`RunLog`). Staging folders left by a process that
/// was killed outright (SIGKILL, power loss) are removed by the next run in the folder.
public final class OutputFolder: @unchecked Sendable {
    public let path: String
    let staging: String
    private var names: [String] = []
    private var committed = false
    /// Whether this run made the folder (an empty one is removed again when the run fails).
    private let createdFolder: Bool

    public init(_ path: String) throws {
        self.path = path
        createdFolder = !FileManager.default.fileExists(atPath: path)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw GeoDataError.outputNotWritable(path: path, reason: "the folder cannot be created")
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw GeoDataError.outputNotWritable(path: path, reason: "the folder is not writable")
        }
        Self.removeStaleStaging(in: path)
        staging = (path as NSString).appendingPathComponent("\(Self.stagingPrefix)\(getpid())")
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw GeoDataError.outputNotWritable(path: path, reason: "cannot create a folder in it: \(error.localizedDescription)")
        }
        Self.registry.withLock { $0[staging] = self.path }
    }

    deinit {
        if !committed { discard() }
    }

    static let stagingPrefix = ".rtm-staging-"

    /// Where to write `name` (which may include one sub-folder, e.g. "factors/x.tif").
    public func stage(_ name: String) throws -> String {
        let p = (staging as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        names.append(name)
        return p
    }

    public func write(_ data: Data, to name: String) throws {
        let p = try stage(name)
        do { try data.write(to: URL(fileURLWithPath: p)) } catch {
            throw GeoDataError.outputNotWritable(path: (path as NSString).appendingPathComponent(name), reason: Self.reason(error))
        }
    }

    public func write(_ text: String, to name: String) throws { try write(Data(text.utf8), to: name) }

    /// Moves every staged file into place (renames within one file system) and returns their names.
    @discardableResult
    public func commit() throws -> [String] {
        try Self.registry.withLock { active in
            for name in names {
                let from = (staging as NSString).appendingPathComponent(name)
                let to = (path as NSString).appendingPathComponent(name)
                try FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard rename(from, to) == 0 else {
                    throw GeoDataError.outputNotWritable(path: to, reason: String(cString: strerror(errno)))
                }
            }
            committed = true
            active[staging] = nil
        }
        try? FileManager.default.removeItem(atPath: staging)
        return names
    }

    /// Removes the staging folder (and the output folder, when this run made it and it is empty).
    func discard() {
        Self.registry.withLock { $0[staging] = nil }
        try? FileManager.default.removeItem(atPath: staging)
        if createdFolder, (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty == true {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Whether this run made the output folder (its log then only has this run in it).
    var isNew: Bool { createdFolder }

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

    /// Staging folders of processes that no longer run (killed before they could clean up).
    static func removeStaleStaging(in folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(stagingPrefix) {
            guard let pid = Int32(name.dropFirst(stagingPrefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
            }
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
