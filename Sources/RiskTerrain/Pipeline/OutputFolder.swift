import Foundation
import GeoIO

/// Collects a run's outputs in a hidden staging folder inside the output folder and moves them
/// into place only when every one is written, so a failed or interrupted run leaves the previous
/// outputs as they were and no partial file behind.
public final class OutputFolder {
    public let path: String
    let staging: String
    private var names: [String] = []
    private var committed = false

    public init(_ path: String) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw GeoDataError.outputNotWritable(path: path, reason: "the folder cannot be created")
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw GeoDataError.outputNotWritable(path: path, reason: "the folder is not writable")
        }
        staging = (path as NSString).appendingPathComponent(".rtm-staging-\(getpid())")
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
    }

    deinit { if !committed { try? FileManager.default.removeItem(atPath: staging) } }

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
            throw GeoDataError.outputNotWritable(path: (path as NSString).appendingPathComponent(name), reason: error.localizedDescription)
        }
    }

    public func write(_ text: String, to name: String) throws { try write(Data(text.utf8), to: name) }

    /// Moves every staged file into place (renames within one file system) and returns their names.
    @discardableResult
    public func commit() throws -> [String] {
        for name in names {
            let from = (staging as NSString).appendingPathComponent(name)
            let to = (path as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard rename(from, to) == 0 else {
                throw GeoDataError.outputNotWritable(path: to, reason: String(cString: strerror(errno)))
            }
        }
        committed = true
        try? FileManager.default.removeItem(atPath: staging)
        return names
    }
}
