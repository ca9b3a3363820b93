import CGDAL
import CPROJ
import Foundation

/// One-time process set-up of GDAL: drivers registered, GDAL's own stderr printing replaced by
/// errors that carry its message (see `GDALError`).
enum GDALRuntime {
    /// Swift runs a global's initialiser once, thread-safely, on first use.
    private static let registered: Void = {
        CPLSetErrorHandler(CPLQuietErrorHandler)
        GDALAllRegister()
    }()

    /// Call before any GDAL/OGR use.
    static func ensureRegistered() { _ = registered }

    /// GDAL's release name, e.g. "3.6.2".
    static var gdalVersion: String {
        ensureRegistered()
        return String(cString: GDALVersionInfo("RELEASE_NAME"))
    }

    /// PROJ's release, e.g. "9.1.1".
    static var projVersion: String {
        let info = proj_info()
        return String(cString: info.version)
    }
}

/// Versions of the C libraries this build runs on, for manifests and `rtm --version`.
public enum GeoLibraries {
    public static var gdal: String { GDALRuntime.gdalVersion }
    public static var proj: String { GDALRuntime.projVersion }
}
