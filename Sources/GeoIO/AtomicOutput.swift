import Foundation

/// Writes a file so that readers only ever see the old version or the complete new one.
///
/// The writer fills a hidden sibling (`.name.partial-PID`) in the same folder, and only a writer
/// that finished is renamed over the destination (rename is atomic within a file system). A
/// failure removes the partial file and leaves any previous output untouched.
enum AtomicOutput {
    static func write(to path: String, _ body: (_ temporaryPath: String) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw GeoDataError.outputNotWritable(path: path, reason: "the folder \(folder.path) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw GeoDataError.outputNotWritable(path: path, reason: "the folder is not writable")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            try body(temporary)
            guard rename(temporary, path) == 0 else {
                throw GeoDataError.outputNotWritable(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}
