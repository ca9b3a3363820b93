import CGDAL
import Foundation

// The small internal wrappers through which GeoIO calls GDAL/OGR: string lists, errors, handles.

/// A NULL-terminated `char**` list owned by Swift (GDAL's CSL), freed on deinit.
final class CStringList {
    private(set) var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    init(_ strings: [String] = []) {
        for s in strings { pointer = CSLAddString(pointer, s) }
    }

    /// `KEY=VALUE` options.
    convenience init(options: [(String, String)]) {
        self.init(options.map { "\($0.0)=\($0.1)" })
    }

    /// The same list as GDAL's `const char* const*` parameters take it.
    var constPointer: UnsafePointer<UnsafePointer<CChar>?>? {
        pointer.map { UnsafePointer(OpaquePointer($0)) }
    }

    deinit { CSLDestroy(pointer) }
}

/// Reads and clears GDAL's last error (thread-local in GDAL) as a `LibraryError`.
func gdalError(_ operation: String, _ subject: String? = nil) -> LibraryError {
    let message = String(cString: CPLGetLastErrorMsg())
    CPLErrorReset()
    return LibraryError(.gdal, operation: operation, subject: subject, message: message)
}

/// A string GDAL allocated with CPLMalloc, copied and freed.
func takeCPLString(_ p: UnsafeMutablePointer<CChar>?) -> String? {
    guard let p else { return nil }
    defer { VSIFree(p) }
    return String(cString: p)
}

/// An open GDAL dataset (raster or vector). Closed in deinit, so every failure path releases it.
final class GDALDatasetHandle {
    let handle: GDALDatasetH
    let path: String

    private init(handle: GDALDatasetH, path: String) {
        self.handle = handle
        self.path = path
    }

    deinit { GDALClose(handle) }

    enum Kind { case vector, raster, any }

    /// Opens a dataset read-only; a missing file or an unknown format become `GeoDataError`s.
    static func open(_ path: String, kind: Kind, openOptions: [(String, String)] = []) throws -> GDALDatasetHandle {
        GDALRuntime.ensureRegistered()
        guard FileManager.default.fileExists(atPath: path) || path.hasPrefix("/vsi") else {
            throw GeoDataError.fileNotFound(path: path)
        }
        if !path.hasPrefix("/vsi"), let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size == 0 {
            throw GeoDataError.emptyFile(path: path)
        }
        var flags = UInt32(GDAL_OF_READONLY) | UInt32(GDAL_OF_VERBOSE_ERROR)
        switch kind {
        case .vector: flags |= UInt32(GDAL_OF_VECTOR)
        case .raster: flags |= UInt32(GDAL_OF_RASTER)
        case .any: flags |= UInt32(GDAL_OF_VECTOR) | UInt32(GDAL_OF_RASTER)
        }
        let options = CStringList(options: openOptions)
        CPLErrorReset()
        guard let h = GDALOpenEx(path, flags, nil, options.constPointer, nil) else {
            let err = gdalError("open", path)
            if kind != .any, let other = GDALOpenEx(path, UInt32(GDAL_OF_READONLY)
                                                    | UInt32(kind == .vector ? GDAL_OF_RASTER : GDAL_OF_VECTOR), nil, nil, nil) {
                GDALClose(other)
                CPLErrorReset()
                throw kind == .vector ? GeoDataError.notAVector(path: path) : GeoDataError.notARaster(path: path)
            }
            if err.message.contains("not recognized") { throw GeoDataError.unknownFormat(path: path) }
            throw GeoDataError.unreadable(path: path, message: err.message)
        }
        return GDALDatasetHandle(handle: h, path: path)
    }

    /// Wraps a dataset GDAL created for writing; the handle is closed (and flushed) on deinit.
    static func adopt(_ handle: GDALDatasetH, path: String) -> GDALDatasetHandle {
        GDALDatasetHandle(handle: handle, path: path)
    }

    /// The driver's short and long names, e.g. ("GPKG", "GeoPackage").
    var driver: (short: String, long: String) {
        guard let d = GDALGetDatasetDriver(handle) else { return ("?", "unknown") }
        return (String(cString: GDALGetDriverShortName(d)), String(cString: GDALGetDriverLongName(d)))
    }

    var rasterCount: Int { Int(GDALGetRasterCount(handle)) }
    var layerCount: Int { Int(GDALDatasetGetLayerCount(handle)) }
}
