import CGDAL
import Foundation

/// Reads a file through GDAL's virtual file systems (`/vsizip/…`, `/vsicurl/…` where a spec allows
/// it), so that an input GDAL opens by such a path is fingerprinted from the bytes GDAL reads.
public enum VirtualFile {
    /// Calls `body` with the file's bytes in order, 1 MiB at a time; returns the size.
    @discardableResult
    public static func forEachChunk(_ path: String, _ body: (UnsafeRawBufferPointer) -> Void) throws -> Int {
        GDALRuntime.ensureRegistered()
        CPLErrorReset()
        guard let f = VSIFOpenL(path, "rb") else {
            throw GeoDataError.unreadable(path: path, message: String(cString: CPLGetLastErrorMsg()))
        }
        defer { VSIFCloseL(f) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { VSIFReadL($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0.prefix(n))) }
            total += n
        }
        return total
    }
}
