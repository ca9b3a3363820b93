import CGDAL
import Foundation

/// A coordinate reference system, held as WKT2 with what RiskTerrain needs to know about it.
///
/// Built through GDAL's OSR (which uses PROJ's database), always with the traditional GIS axis
/// order: x = easting or longitude, y = northing or latitude.
public struct CRS: Hashable, Sendable, CustomStringConvertible {
    /// WKT2:2019 text; what PROJ and GDAL are given.
    public let wkt: String
    /// Human name, e.g. "OSGB36 / British National Grid".
    public let name: String
    /// "EPSG:27700" when the CRS is (or is identified as) an EPSG one.
    public let authorityCode: String?
    public let isGeographic: Bool
    public let isProjected: Bool
    /// Metres per unit of the projected axes (1 for metres); nil for geographic CRSs.
    public let metresPerUnit: Double?
    /// Name of the linear unit, e.g. "metre", "US survey foot".
    public let linearUnitName: String?

    /// WGS 84 longitude/latitude, the CRS of GPS points, data.police.uk and RFC 7946 GeoJSON.
    public static var wgs84: CRS { get throws { try CRS("EPSG:4326") } }

    /// From anything OSR accepts: "EPSG:27700", WKT, PROJ strings, PROJJSON.
    public init(_ userInput: String) throws {
        GDALRuntime.ensureRegistered()
        let srs = OSRNewSpatialReference(nil)
        defer { OSRDestroySpatialReference(srs) }
        CPLErrorReset()
        guard OSRSetFromUserInput(srs, userInput) == OGRERR_NONE else {
            throw GeoDataError.invalidCRS(input: userInput, message: String(cString: CPLGetLastErrorMsg()))
        }
        try self.init(srs: srs!, label: userInput)
    }

    /// From an OGR spatial reference handle (not taken over: the caller still owns it).
    init(srs: OGRSpatialReferenceH, label: String) throws {
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER)
        var raw: UnsafeMutablePointer<CChar>?
        let options = CStringList(["FORMAT=WKT2_2019"])
        guard OSRExportToWktEx(srs, &raw, options.constPointer) == OGRERR_NONE, let wkt = takeCPLString(raw) else {
            throw GeoDataError.invalidCRS(input: label, message: String(cString: CPLGetLastErrorMsg()))
        }
        self.wkt = wkt
        self.name = OSRGetName(srs).map { String(cString: $0) } ?? label
        self.isGeographic = OSRIsGeographic(srs) != 0
        self.isProjected = OSRIsProjected(srs) != 0
        if isProjected {
            var unit: UnsafeMutablePointer<CChar>?
            let factor = OSRGetLinearUnits(srs, &unit)
            self.metresPerUnit = factor
            self.linearUnitName = unit.map { String(cString: $0) }
        } else {
            self.metresPerUnit = nil
            self.linearUnitName = nil
        }
        // Identify an EPSG code where the definition carries one, or matches one with confidence.
        if let a = OSRGetAuthorityName(srs, nil), String(cString: a) == "EPSG",
           let c = OSRGetAuthorityCode(srs, nil) {
            self.authorityCode = "EPSG:\(String(cString: c))"
        } else {
            self.authorityCode = Self.identify(srs)
        }
    }

    /// The best EPSG match of 100 % confidence (OSRFindMatches), if any.
    private static func identify(_ srs: OGRSpatialReferenceH) -> String? {
        var count: Int32 = 0
        var confidences: UnsafeMutablePointer<Int32>?
        guard let matches = OSRFindMatches(srs, nil, &count, &confidences) else { return nil }
        defer { OSRFreeSRSArray(matches); VSIFree(confidences) }
        guard count > 0, let confidences, confidences[0] == 100, let m = matches[0],
              let a = OSRGetAuthorityName(m, nil), String(cString: a) == "EPSG",
              let c = OSRGetAuthorityCode(m, nil) else { return nil }
        return "EPSG:\(String(cString: c))"
    }

    /// Runs `body` with a fresh OSR handle for this CRS (traditional GIS axis order).
    func withSpatialReference<T>(_ body: (OGRSpatialReferenceH) throws -> T) throws -> T {
        let srs = OSRNewSpatialReference(nil)!
        defer { OSRDestroySpatialReference(srs) }
        CPLErrorReset()
        guard OSRSetFromUserInput(srs, wkt) == OGRERR_NONE else {
            throw GeoDataError.invalidCRS(input: name, message: String(cString: CPLGetLastErrorMsg()))
        }
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER)
        return try body(srs)
    }

    /// Refuses a CRS that cannot carry a grid of square metre cells.
    public func requireProjectedMetres() throws {
        if isGeographic || !isProjected { throw GeoDataError.geographicAnalysisCRS(crs: description) }
        if let f = metresPerUnit, abs(f - 1) > 1e-9 {
            throw GeoDataError.nonMetricAnalysisCRS(crs: description, unit: linearUnitName ?? "non-metre units")
        }
    }

    public var description: String {
        if let code = authorityCode { return "\(code) (\(name))" }
        return name
    }

    public static func == (a: CRS, b: CRS) -> Bool { a.wkt == b.wkt }
    public func hash(into h: inout Hasher) { h.combine(wkt) }
}
