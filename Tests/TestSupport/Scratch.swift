import Foundation

/// The temporary files and folders of one test (shared by the test targets that write files), removed when the test ends, whether it passed,
/// failed or threw.
///
/// Swift Testing has no `addTeardownBlock`; it makes a fresh instance of the suite for each test
/// and drops it when the test returns, so a suite holds one of these as a stored property
/// (`let scratch = Scratch()`) and the teardown is its `deinit`. (A local `Scratch` in a function
/// may be released after its last use, before the paths are, so keep it on the suite.)
public final class Scratch {
    private var paths: [String] = []

    public init() {}

    /// A fresh path `<temporary folder>/<prefix>-<UUID>`, not made: the test or the code under
    /// test makes it. Removed at the end of the test with every sibling whose name extends it
    /// (`"\(path)-2"`, `"\(path)-sample"`).
    public func path(_ prefix: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        paths.append(path)
        return path
    }

    /// `path(prefix)`, made as an empty folder.
    public func folder(_ prefix: String) throws -> String {
        let folder = path(prefix)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    deinit {
        let files = FileManager.default
        for path in paths {
            let parent = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
            for entry in (try? files.contentsOfDirectory(atPath: parent)) ?? [] where entry.hasPrefix(name) {
                try? files.removeItem(atPath: parent + "/" + entry)
            }
        }
    }
}
