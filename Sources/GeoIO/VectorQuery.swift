import Foundation
import RasterCore

/// Keeps features whose time field falls within `from…to`, inclusive.
///
/// Values compare as ISO-8601 text on the first `from.count` (or `to.count`) characters, so
/// `from: 2024-01` keeps "2024-01", "2024-01-15" and "2024-01-15T13:45"; a month field such as
/// data.police.uk's `Month` works with month bounds. GDAL's "2024/01/15" dates are read as "2024-01-15".
public struct TimeFilter: Hashable, Sendable, Codable {
    public var field: String
    public var from: String?
    public var to: String?

    public init(field: String, from: String? = nil, to: String? = nil) {
        self.field = field
        self.from = from
        self.to = to
    }

    /// Whether an ISO-like time value passes.
    public func admits(_ value: String) -> Bool {
        let v = Self.normalised(value)
        if let from, String(v.prefix(from.count)) < from { return false }
        if let to, String(v.prefix(to.count)) > to { return false }
        return true
    }

    /// "2024/01/15 13:45:00" → "2024-01-15T13:45:00"; ISO text is left as it is.
    public static func normalised(_ value: String) -> String {
        var chars = Array(value.trimmingCharacters(in: .whitespaces))
        for i in chars.indices.prefix(10) where chars[i] == "/" { chars[i] = "-" }
        if chars.count > 10, chars[10] == " " { chars[10] = "T" }
        return String(chars)
    }
}

/// Keeps features whose `field` holds one of `values` (compared after trimming, ignoring case):
/// `crime_types: [Burglary]` on data.police.uk's `Crime type`.
public struct CategoryFilter: Hashable, Sendable {
    public var field: String
    public var values: [String]
    /// The key the user wrote it under, for the skip reason ("crime_types").
    public var key: String

    public init(field: String, values: [String], key: String) {
        self.field = field
        self.values = values
        self.key = key
    }

    func admits(_ value: String) -> Bool { folded.contains(Self.fold(value)) }

    private var folded: Set<String> { Set(values.map(Self.fold)) }
    public static func fold(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces).lowercased() }
}

/// What to read from a vector source, and how.
public struct VectorQuery: Sendable {
    /// Layer name; nil for the first (and usually only) layer.
    public var layer: String?
    /// OGR SQL attribute filter. Column names may be written as in the file or in snake case
    /// ("crime_type" finds "Crime type").
    public var whereClause: String?
    public var time: TimeFilter?
    /// The layer's CRS when the file has none (required then), or to override the file's.
    public var declaredCRS: CRS?
    /// CSV coordinate columns (case-insensitive). nil: detected (longitude/latitude, lon/lat,
    /// x/y, easting/northing; data.police.uk files need nothing).
    public var xColumn: String?
    public var yColumn: String?
    /// Attributes to carry with each feature, by name (forgiving match).
    public var fields: [String]
    /// Attributes to carry when the layer has them (e.g. "name" for labels); absent ones are ignored.
    public var optionalFields: [String] = []
    /// Keep only these categories of a field (after `where`, before `time`).
    public var categories: CategoryFilter?
    /// OpenStreetMap tags to select (`amenity: [pub, bar]`): a feature is kept when any of the
    /// keys has one of its values. Only for `.osm.pbf` and `.osm` files (`OSMReader`).
    public var tags: [String: [String]]?

    public init(layer: String? = nil, whereClause: String? = nil, time: TimeFilter? = nil,
                declaredCRS: CRS? = nil, xColumn: String? = nil, yColumn: String? = nil, fields: [String] = []) {
        self.layer = layer
        self.whereClause = whereClause
        self.time = time
        self.declaredCRS = declaredCRS
        self.xColumn = xColumn
        self.yColumn = yColumn
        self.fields = fields
    }
}

/// What a read kept and what it skipped, and why: nothing is dropped without being counted.
public struct ReadReport: Sendable, Codable, Equatable {
    public var path: String
    public var layer: String
    public var format: String
    /// Features in the layer before any filter.
    public var featuresInLayer: Int
    /// Features that passed the `where` filter (equal to `featuresInLayer` without one).
    public var passedWhere: Int
    /// Features returned.
    public var kept: Int
    /// Reason → count, e.g. "blank coordinates": 3, "outside the time window": 120.
    public var skipped: [String: Int]
    /// Up to five examples per reason, such as "line 17".
    public var skippedExamples: [String: [String]]
    /// Things the user should know, e.g. "recognised as a data.police.uk street-level crime CSV".
    public var notes: [String]
    /// Repair → count of features kept after it, e.g. "invalid polygons made valid": 2.
    public var repaired: [String: Int] = [:]
    /// Up to five examples per repair, such as "feature 3 (Self-intersection)".
    public var repairedExamples: [String: [String]] = [:]
    /// Features per month ("2024-03") of the time field — or of a `Month` column when there is no
    /// time filter (data.police.uk) — after `where`, before the category and time filters: the
    /// months the data holds. Empty when the layer has neither.
    public var monthsSeen: [String: Int] = [:]
    /// Features per month among those kept.
    public var monthsKept: [String: Int] = [:]
    /// Features per value of the category filter's field, after `where`: what a `crime_types`
    /// list can choose from.
    public var categoriesSeen: [String: Int] = [:]

    public var skippedTotal: Int { skipped.values.reduce(0, +) }
    public var repairedTotal: Int { repaired.values.reduce(0, +) }

    public init(path: String, layer: String, format: String, featuresInLayer: Int, passedWhere: Int, kept: Int,
                skipped: [String: Int], skippedExamples: [String: [String]], notes: [String]) {
        self.path = path
        self.layer = layer
        self.format = format
        self.featuresInLayer = featuresInLayer
        self.passedWhere = passedWhere
        self.kept = kept
        self.skipped = skipped
        self.skippedExamples = skippedExamples
        self.notes = notes
    }

    public mutating func skip(_ reason: String, _ example: String) {
        skipped[reason, default: 0] += 1
        if skippedExamples[reason, default: []].count < 5 { skippedExamples[reason, default: []].append(example) }
    }

    mutating func repair(_ what: String, _ example: String) {
        repaired[what, default: 0] += 1
        if repairedExamples[what, default: []].count < 5 { repairedExamples[what, default: []].append(example) }
    }

    /// One line for logs and reports: "crimes.csv: 1,200 of 1,250 kept; skipped 3 blank coordinates (line 17, …)".
    public var summary: String {
        var s = "\(path): kept \(kept) of \(featuresInLayer) features"
        if passedWhere != featuresInLayer { s += " (\(featuresInLayer - passedWhere) removed by the where filter)" }
        for (reason, n) in skipped.sorted(by: { $0.key < $1.key }) {
            let ex = skippedExamples[reason, default: []].joined(separator: ", ")
            s += "; skipped \(n) with \(reason)" + (ex.isEmpty ? "" : " (\(ex)\(n > 5 ? ", …" : ""))")
        }
        for (what, n) in repaired.sorted(by: { $0.key < $1.key }) {
            let ex = repairedExamples[what, default: []].joined(separator: ", ")
            s += "; repaired \(n): \(what)" + (ex.isEmpty ? "" : " (\(ex)\(n > 5 ? ", …" : ""))")
        }
        return s
    }
}

/// Features read from a layer, in one CRS, with the requested attributes.
public struct FeatureSet: Sendable {
    public var crs: CRS
    public var geometries: [Geometry]
    /// Requested field → one value per feature (nil where the field is null).
    public var attributes: [String: [String?]]
    /// The feature id in the source (for CSVs, the data row: line = fid + 1).
    public var featureIDs: [Int]
    public var report: ReadReport

    public init(crs: CRS, geometries: [Geometry], attributes: [String: [String?]], featureIDs: [Int], report: ReadReport) {
        self.crs = crs
        self.geometries = geometries
        self.attributes = attributes
        self.featureIDs = featureIDs
        self.report = report
    }

    public var count: Int { geometries.count }

    /// The bounding box of all geometries; nil when there are none.
    public var extent: Extent? {
        geometries.lazy.compactMap(\.extent).reduce(nil) { acc, e in acc.map { $0.union(e) } ?? e }
    }
}
