import Foundation

/// A failure inside GDAL or PROJ, carrying the library's own message.
///
/// This is the one error type for C-library failures; `GeoDataError` covers problems with the
/// user's data that RiskTerrain itself detects.
public struct LibraryError: Error, Sendable, CustomStringConvertible {
    public enum Library: String, Sendable { case gdal = "GDAL", proj = "PROJ" }
    public let library: Library
    /// What RiskTerrain was doing, e.g. "open", "write GeoTIFF".
    public let operation: String
    /// The file or CRS involved, if any.
    public let subject: String?
    /// The library's message (CPLGetLastErrorMsg / proj_context_errno_string).
    public let message: String

    public init(_ library: Library, operation: String, subject: String? = nil, message: String) {
        self.library = library
        self.operation = operation
        self.subject = subject
        self.message = message.isEmpty ? "no message" : message
    }

    public var description: String {
        let on = subject.map { "\($0): " } ?? ""
        return "\(on)\(library.rawValue) could not \(operation): \(message)"
    }
}

/// A problem with the user's data or spec, named with its file, line or feature, and the fix.
public enum GeoDataError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileNotFound(path: String)
    case unknownFormat(path: String)
    case noSuchLayer(path: String, layer: String, available: [String])
    case emptyLayer(path: String, layer: String, filtered: Bool)
    case missingCRS(path: String)
    case invalidCRS(input: String, message: String)
    case geographicAnalysisCRS(crs: String)
    case nonMetricAnalysisCRS(crs: String, unit: String)
    case noCoordinateColumns(path: String, columns: [String])
    case noSuchColumn(path: String, column: String, columns: [String])
    case coordinateOutOfRange(path: String, line: Int, axis: String, value: Double, swapLikely: Bool)
    case invalidFilter(path: String, filter: String, message: String)
    case noSuchField(path: String, field: String, fields: [String])
    case notARaster(path: String)
    case notAVector(path: String)
    case rasterWithoutGeoreferencing(path: String)
    case transformFailed(path: String, feature: Int, x: Double, y: Double, reason: String = "")
    case outputNotWritable(path: String, reason: String)
    case rasterTooFine(path: String, pixels: Int, limit: Int)
    case emptyFile(path: String)
    case unreadable(path: String, message: String)
    case noLayers(path: String)
    case nothingUsable(path: String, summary: String)
    case changedDuringRun(path: String, deleted: Bool)
    case tagsNeedOSM(path: String)
    case osmNothingTagged(path: String, tags: String, seen: String)
    case projectedCoordinatesInDegrees(path: String, feature: Int, x: Double, y: Double, crs: String, declared: Bool, geoJSON: Bool)

    public var description: String {
        switch self {
        case .fileNotFound(let p):
            return "\(p): no such file — check the path (relative paths resolve against the spec's folder)"
        case .unknownFormat(let p):
            return "\(p): not a format GDAL/OGR can read — use GeoPackage, Shapefile, GeoJSON, FlatGeobuf, KML, CSV or a GDAL raster such as GeoTIFF"
        case .noSuchLayer(let p, let l, let available):
            return "\(p): no layer named '\(l)' — the layers are: \(available.joined(separator: ", "))"
        case .emptyLayer(let p, let l, let filtered):
            return filtered
                ? "\(p) (layer \(l)): no features pass the where/time filter — check the filter's field names and values with `rtm inspect \(p)`"
                : "\(p) (layer \(l)): the layer has no features — check that this is the right file or layer"
        case .missingCRS(let p):
            return "\(p): the layer has no coordinate reference system — add `crs:` for it in the spec (e.g. crs: EPSG:27700, or EPSG:4326 for longitude/latitude)"
        case .invalidCRS(let input, let message):
            let why = message.isEmpty ? "" : " (\(Self.oneLine(message)))"
            let fix = CRSNames.suggestion(for: input).map { "did you mean \($0)?" } ?? "use an EPSG code such as EPSG:27700 (British National Grid) or EPSG:4326 (longitude/latitude)"
            return "'\(Self.oneLine(input))' is not a coordinate reference system PROJ knows\(why) — \(fix)"
        case .geographicAnalysisCRS(let crs):
            return "the analysis CRS \(crs) is geographic (degrees); cells must be in metres — use a projected CRS, e.g. crs: EPSG:27700 (British National Grid) for Great Britain"
        case .nonMetricAnalysisCRS(let crs, let unit):
            return "the analysis CRS \(crs) measures in \(unit), not metres — use a projected CRS in metres, e.g. EPSG:27700 for Great Britain"
        case .noCoordinateColumns(let p, let columns):
            let shown = columns.count > 20 ? columns.prefix(20).joined(separator: ", ") + ", …" : columns.joined(separator: ", ")
            if let d = ["|", "\t", ";"].first(where: { d in columns.contains { $0.contains(d) } }) {
                return "\(p): no coordinate columns found among [\(Self.oneLine(shown))] — the header looks delimited by '\(d == "\t" ? "tab" : d)'; save the file as comma-separated CSV"
            }
            return "\(p): no coordinate columns found among [\(shown)] — name them in the spec with x: and y: (e.g. x: longitude, y: latitude, or x: easting, y: northing)"
        case .noSuchColumn(let p, let c, let columns):
            return "\(p): no column '\(c)'\(Self.didYouMean(c, columns)) — the columns are: \(columns.joined(separator: ", "))"
        case .coordinateOutOfRange(let p, let line, let axis, let value, let swapLikely):
            let fix = swapLikely
                ? "are the longitude and latitude columns swapped?"
                : "is the declared crs right for these columns?"
            return "\(p) line \(line): \(axis) \(value.shortText) is outside \(axis == "latitude" ? "-90..90" : "-180..180") — \(fix)"
        case .invalidFilter(let p, let f, let message):
            return "\(p): the filter \"\(f)\" is not valid OGR SQL (\(message)) — quote column names with spaces as \"Crime type\" and text values as 'Violence and sexual offences'"
        case .noSuchField(let p, let f, let fields):
            return "\(p): no field '\(f)'\(Self.didYouMean(f, fields)) — the fields are: \(fields.joined(separator: ", "))"
        case .notARaster(let p):
            return "\(p): this is a vector layer, not a raster — use a vector influence (proximity, density, distance, inside) for it"
        case .notAVector(let p):
            return "\(p): this is a raster, not a vector layer — use influence: value for raster factors"
        case .rasterWithoutGeoreferencing(let p):
            return "\(p): the raster has no georeferencing (no geotransform) — georeference it first, e.g. with gdal_translate -a_srs EPSG:27700 -a_ullr …"
        case .transformFailed(let p, let feature, let x, let y, let reason):
            let why = reason.isEmpty ? "" : " (PROJ: \(Self.oneLine(reason)))"
            return "\(p) feature \(feature): PROJ could not transform (\(x.shortText), \(y.shortText)) into the analysis CRS\(why) — check the layer's crs"
        case .rasterTooFine(let p, let pixels, let limit):
            return "\(p): sampling it at cell centres would read \(pixels) pixels (more than \(limit)) — use resampling: average for a raster much finer than the cells"
        case .emptyFile(let p):
            return "\(p): the file is empty (0 bytes) — it was not written completely; export or download it again"
        case .unreadable(let p, let message):
            return "\(p): GDAL cannot read it (\(Self.oneLine(message))) — the file looks truncated or damaged; export or download it again"
        case .nothingUsable(let p, let summary):
            return "\(p): no feature has a usable geometry or coordinates (\(Self.oneLine(summary))) — check the file in a GIS or with `rtm inspect \(p)`"
        case .noLayers(let p):
            return "\(p): the file holds no layers — it looks truncated or damaged; export or download it again"
        case .changedDuringRun(let p, let deleted):
            return deleted
                ? "\(p): deleted while the run was reading it — nothing was written; restore the file and run again"
                : "\(p): changed while the run was reading it (its SHA-256 differs from the start of the run) — nothing was written; run again once the file is complete"
        case .tagsNeedOSM(let p):
            return "\(p): tags: selects OpenStreetMap features, and this is not an .osm.pbf or .osm file — use where: instead (for a Geofabrik shapefile, e.g. where: \"fclass = 'pub'\")"
        case .osmNothingTagged(let p, let tags, let seen):
            return "\(p): no point, line or polygon has the tags \(tags) — check the keys and values (values seen for those keys: \(seen.isEmpty ? "none" : seen))"
        case .projectedCoordinatesInDegrees(let p, let feature, let x, let y, let crs, let declared, let geoJSON):
            // British National Grid's extent: 0–700 km east, 0–1,300 km north
            let bng = (0...700_000).contains(x) && (0...1_300_000).contains(y)
            let real = bng ? "EPSG:27700 if these are British National Grid metres" : "the CRS the coordinates are in, e.g. EPSG:27700"
            let why = declared
                ? "but the spec's crs: for this layer, \(crs), is in degrees"
                : geoJSON ? "but a GeoJSON without a \"crs\" member is read as WGS 84 degrees (RFC 7946)"
                          : "but the file says its CRS is \(crs), in degrees"
            return "\(p) feature \(feature): coordinates (\(x.shortText), \(y.shortText)) look projected (they are outside ±180/±90), \(why) — set crs: \(real) for this layer in the spec"
        case .outputNotWritable(let p, let reason):
            return "\(p): cannot write (\(reason)) — choose another output folder with --out, or free disk space"
        }
    }

    /// A library message on one line, at most 200 characters.
    static func oneLine(_ message: String) -> String {
        let flat = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 200 ? String(flat.prefix(199)) + "…" : flat
    }

    /// ", did you mean 'X'?" when a name is close to one that exists (case, spaces, underscores or
    /// a small edit apart).
    static func didYouMean(_ name: String, _ candidates: [String]) -> String {
        guard let best = NameMatching.closest(to: name, in: candidates) else { return "" }
        return " (did you mean '\(best)'?)"
    }
}

extension Double {
    /// A compact rendering for messages: up to 8 significant digits.
    var shortText: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int64(self)) }
        return String(format: "%.8g", self)
    }
}
