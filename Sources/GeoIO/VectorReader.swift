import CGDAL
import Foundation
import RasterCore

/// Reads features from any OGR vector source (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, KML,
/// CSV, …) with attribute and time filters, and reprojects them into a target CRS.
///
/// CSV files are read as points from coordinate columns. Rows whose coordinates are blank or not
/// numbers are skipped and counted; coordinates outside the range of a geographic CRS are an error
/// that names the line (they mean swapped columns or a wrong `crs:`, not one bad row).
public enum VectorReader {
    /// - Parameter allowEmpty: return an empty set where nothing passes the filters (one month's
    ///   file of many, outside the time window) instead of throwing `emptyLayer`.
    /// - Parameter transformers: transformations made for earlier files, reused (finding one
    ///   costs PROJ tens of milliseconds: a folder of monthly files shares one).
    public static func read(_ path: String, query: VectorQuery = VectorQuery(), into target: CRS? = nil,
                            allowEmpty: Bool = false, transformers: TransformerCache? = nil) throws -> FeatureSet {
        let dataset = try GDALDatasetHandle.open(path, kind: .vector)
        if dataset.driver.short == "OSM", query.layer == nil {
            var set = try OSMReader.read(dataset, query: query)
            if let target { try reproject(&set, to: target, path: path, transformers: transformers) }
            return set
        }
        if let tags = query.tags, !tags.isEmpty { throw GeoDataError.tagsNeedOSM(path: path) }
        let layer = try VectorLayerHandle(dataset: dataset, name: query.layer)
        var set = try layer.driverIsCSV
            ? readCSVPoints(layer, query: query)
            : readGeometries(layer, query: query)
        if set.geometries.isEmpty, allowEmpty, set.report.featuresInLayer == 0 || set.report.skipped.keys.allSatisfy(FilteredFeatures.isFilterReason) {
            return set
        }
        if set.geometries.isEmpty {
            let skippedAll = set.report.skippedTotal > 0 && set.report.skipped.keys.contains { !FilteredFeatures.isFilterReason($0) }
            if skippedAll { throw GeoDataError.nothingUsable(path: path, summary: set.report.summary) }
            throw GeoDataError.emptyLayer(path: path, layer: layer.name,
                                          filtered: set.report.featuresInLayer > 0)
        }
        if set.crs.isGeographic, !layer.driverIsCSV {     // CSV rows are checked line by line as read
            try requireDegrees(set, path: path, declared: query.declaredCRS != nil, geoJSON: layer.driverIsGeoJSON)
        }
        if let target, target != set.crs { try reproject(&set, to: target, path: path, transformers: transformers) }
        return set
    }

    /// Refuses a layer whose CRS says degrees but whose coordinates cannot be (|x| > 180 or
    /// |y| > 90): metres labelled EPSG:4326, or a GeoJSON in British National Grid without a
    /// "crs" member, which RFC 7946 reads as WGS 84. PROJ would otherwise fail on every vertex.
    private static func requireDegrees(_ set: FeatureSet, path: String, declared: Bool, geoJSON: Bool) throws {
        for (i, g) in set.geometries.enumerated() {
            guard let p = g.vertices.first(where: { abs($0.x) > 180 || abs($0.y) > 90 }) else { continue }
            throw GeoDataError.projectedCoordinatesInDegrees(path: path, feature: set.featureIDs[i], x: p.x, y: p.y,
                                                             crs: set.crs.description, declared: declared, geoJSON: geoJSON)
        }
    }

    // MARK: OGR layers with geometries

    private static func readGeometries(_ layer: VectorLayerHandle, query: VectorQuery) throws -> FeatureSet {
        guard let crs = try query.declaredCRS ?? layer.crs() else { throw GeoDataError.missingCRS(path: layer.path) }
        return try collect(layer, query: query, crs: crs, report: layer.emptyReport()) { feature, fid, report in
            geometry(of: feature, example: "feature \(fid)", report: &report)
        }
    }

    /// A feature's geometry as RiskTerrain's, made valid where it is an invalid polygon; nil (and
    /// counted in the report under `example`) where it has none, or none usable.
    static func geometry(of feature: OGRFeatureH, example: String, report: inout ReadReport) -> Geometry? {
        guard let g = OGR_F_GetGeometryRef(feature) else {
            report.skip("no geometry", example)
            return nil
        }
        var outcome = OGRGeometryConversion.convert(g)
        if case .geometry(let geometry) = outcome, !geometry.vertices.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) {
            report.skip("coordinates that are not finite numbers", example)
            return nil
        }
        if case .geometry(let geometry) = outcome, geometry.kind == .polygon, OGR_G_IsValid(g) == 0 {
            outcome = OGRGeometryConversion.madeValid(g)
            if case .geometry = outcome { report.repair("invalid polygons made valid (GEOS MakeValid)", example) }
        }
        switch outcome {
        case .skipped(let reason):
            report.skip(reason, example)
            return nil
        case .geometry(let geometry):
            return geometry
        }
    }

    /// Reads every feature that passes the filters, keeping those `geometry` turns into one (it
    /// counts the others in the report), with their ids and requested attributes.
    private static func collect(_ layer: VectorLayerHandle, query: VectorQuery, crs: CRS, report initial: ReadReport,
                                geometry: (OGRFeatureH, Int, inout ReadReport) throws -> Geometry?) throws -> FeatureSet {
        var report = initial
        var reader = try FilteredFeatures(layer: layer, query: query, report: &report)
        var geometries: [Geometry] = [], ids: [Int] = []
        var attributes = [String: [String?]]()
        while let feature = reader.next(report: &report) {
            defer { OGR_F_Destroy(feature) }
            let fid = Int(OGR_F_GetFID(feature))
            guard let g = try geometry(feature, fid, &report) else { continue }
            geometries.append(g)
            ids.append(fid)
            reader.collect(feature, into: &attributes)
            if let m = reader.currentMonth { report.monthsKept[m, default: 0] += 1 }
        }
        report.kept = geometries.count
        return FeatureSet(crs: crs, geometries: geometries, attributes: attributes, featureIDs: ids, report: report)
    }

    // MARK: CSV points

    private static func readCSVPoints(_ layer: VectorLayerHandle, query: VectorQuery) throws -> FeatureSet {
        var report = layer.emptyReport()
        let columns = try CSVColumns.detect(fields: layer.fieldNames, query: query, path: layer.path)
        report.notes += columns.notes
        let crs = try query.declaredCRS ?? columns.defaultCRS ?? layer.crs()
        guard let crs else { throw GeoDataError.missingCRS(path: layer.path) }
        let xIndex = layer.fieldIndex(columns.x), yIndex = layer.fieldIndex(columns.y)
        return try collect(layer, query: query, crs: crs, report: report) { feature, fid, report in
            let line = fid + 1
            // read in place from OGR's buffer: no String per field (a runaway CSV has millions of rows)
            let xf = decimal(OGR_F_GetFieldAsString(feature, xIndex)), yf = decimal(OGR_F_GetFieldAsString(feature, yIndex))
            if xf == .blank || yf == .blank {
                report.skip("blank coordinates", "line \(line)")
                return nil
            }
            guard case .value(let x) = xf, case .value(let y) = yf, x.isFinite, y.isFinite else {
                report.skip("coordinates that are not finite numbers", "line \(line)")
                return nil
            }
            if crs.isGeographic {
                if abs(y) > 90 {
                    throw GeoDataError.coordinateOutOfRange(path: layer.path, line: line, axis: "latitude",
                                                            value: y, swapLikely: abs(x) <= 90)
                }
                if abs(x) > 180 {
                    throw GeoDataError.coordinateOutOfRange(path: layer.path, line: line, axis: "longitude",
                                                            value: x, swapLikely: false)
                }
            }
            return .point(Point2(x, y))
        }
    }

    enum Field: Equatable { case blank, invalid, value(Double) }

    /// A field as a decimal number as CSVs write it ("-0.0779", " 531200 ", "5.3e5"): blank when
    /// it holds only spaces, invalid for anything else — including what `strtod` would also take
    /// but no coordinate column means: "nan", "inf", hexadecimal "0x1p-2". O(length), no allocation.
    static func decimal(_ text: UnsafePointer<CChar>?) -> Field {
        guard let text else { return .blank }
        var i = 0
        while text[i] == 0x20 || text[i] == 0x09 { i += 1 }
        let start = i
        func digits() -> Int {
            let from = i
            while text[i] >= 0x30 && text[i] <= 0x39 { i += 1 }
            return i - from
        }
        if text[i] == 0 { return .blank }
        if text[i] == 0x2B || text[i] == 0x2D { i += 1 }                      // + -
        var mantissa = digits()
        if text[i] == 0x2E { i += 1; mantissa += digits() }                    // .
        guard mantissa > 0 else { return .invalid }
        if text[i] == 0x65 || text[i] == 0x45 {                                // e E
            i += 1
            if text[i] == 0x2B || text[i] == 0x2D { i += 1 }
            guard digits() > 0 else { return .invalid }
        }
        while text[i] == 0x20 || text[i] == 0x09 { i += 1 }
        guard text[i] == 0 else { return .invalid }
        return .value(strtod(text + start, nil))
    }

    // MARK: Reprojection

    /// Transforms the vertices with PROJ a chunk of about a million at a time, writing each
    /// geometry back in place (so a layer of millions of points is held once, not copied);
    /// features with a vertex PROJ cannot transform are skipped and counted.
    private static func reproject(_ set: inout FeatureSet, to target: CRS, path: String, transformers: TransformerCache?) throws {
        let transformer = try transformers?.transformer(from: set.crs, to: target) ?? CoordinateTransformer(from: set.crs, to: target)
        var keep = [Bool](repeating: true, count: set.geometries.count)
        let first = set.geometries.first?.vertices.first ?? Point2(x: .nan, y: .nan)
        var start = 0
        while start < set.geometries.count {
            var end = start, count = 0
            while end < set.geometries.count, count < 1 << 20 { count += set.geometries[end].vertices.count; end += 1 }
            var vertices: [Point2] = []
            vertices.reserveCapacity(count)
            for g in set.geometries[start..<end] { vertices += g.vertices }
            _ = transformer.transform(&vertices)
            var cursor = 0
            for i in start..<end {
                var ok = true
                set.geometries[i] = set.geometries[i].mapVertices { _ in
                    let p = vertices[cursor]
                    cursor += 1
                    if !p.x.isFinite || !p.y.isFinite { ok = false }
                    return p
                }
                if !ok {
                    keep[i] = false
                    set.report.skip("coordinates PROJ could not transform into \(target)", "feature \(set.featureIDs[i])")
                }
            }
            start = end
        }
        let kept = keep.reduce(0) { $0 + ($1 ? 1 : 0) }
        if kept == 0 {      // nothing could be transformed: the CRS is wrong, not a few rows
            throw GeoDataError.transformFailed(path: path, feature: set.featureIDs.first ?? 0, x: first.x, y: first.y,
                                               reason: transformer.messages.first ?? "")
        }
        if kept < keep.count {
            set.geometries = zip(set.geometries, keep).filter(\.1).map(\.0)
            set.featureIDs = zip(set.featureIDs, keep).filter(\.1).map(\.0)
            for key in set.attributes.keys {
                set.attributes[key] = zip(set.attributes[key]!, keep).filter(\.1).map(\.0)
            }
        }
        set.report.kept = kept
        set.crs = target
    }
}

// MARK: - Layer access

/// An OGR layer inside an open dataset, which it keeps alive.
final class VectorLayerHandle {
    let dataset: GDALDatasetHandle
    let handle: OGRLayerH
    let name: String
    var path: String { dataset.path }

    init(dataset: GDALDatasetHandle, name: String?) throws {
        self.dataset = dataset
        let count = dataset.layerCount
        let names = (0..<count).compactMap { GDALDatasetGetLayer(dataset.handle, Int32($0)) }
            .map { String(cString: OGR_L_GetName($0)) }
        if let name {
            guard let match = NameMatching.match(name, in: names),
                  let h = GDALDatasetGetLayerByName(dataset.handle, match) else {
                throw GeoDataError.noSuchLayer(path: dataset.path, layer: name, available: names)
            }
            self.handle = h
            self.name = match
        } else {
            guard count > 0, let h = GDALDatasetGetLayer(dataset.handle, 0) else {
                throw GeoDataError.noLayers(path: dataset.path)
            }
            self.handle = h
            self.name = names[0]
        }
    }

    var driverIsCSV: Bool { dataset.driver.short == "CSV" }
    var driverIsGeoJSON: Bool { dataset.driver.short == "GeoJSON" || dataset.driver.short == "GeoJSONSeq" }

    var fieldNames: [String] {
        let defn = OGR_L_GetLayerDefn(handle)
        return (0..<OGR_FD_GetFieldCount(defn)).map { String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, $0))) }
    }

    func fieldIndex(_ name: String) -> Int32 { OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(handle), name) }

    /// The layer's CRS from the file, or nil when it has none.
    func crs() throws -> CRS? {
        guard let srs = OGR_L_GetSpatialRef(handle) else { return nil }
        return try CRS(srs: srs, label: "\(path) layer \(name)")
    }

    /// The feature count without a filter (OGR counts by iterating when the format has no index).
    var featureCount: Int { Int(OGR_L_GetFeatureCount(handle, 1)) }

    func emptyReport() -> ReadReport {
        ReadReport(path: path, layer: name, format: dataset.driver.long, featuresInLayer: featureCount,
                   passedWhere: 0, kept: 0, skipped: [:], skippedExamples: [:], notes: [])
    }
}

/// Iterates a layer's features after the `where` filter (in OGR) and the time filter (here),
/// counting what each removes, and collects the requested attributes of the ones kept.
struct FilteredFeatures {
    private let layer: VectorLayerHandle
    private let time: TimeFilter?
    private let timeIndex: Int32
    private let fieldIndices: [(name: String, index: Int32)]
    private let categories: CategoryFilter?
    private let categoryIndex: Int32
    /// The field whose months are counted: the time field, else a `Month` column; -1: none.
    private let monthIndex: Int32
    /// The month ("2024-03") of the feature `next` returned last, when the layer has months.
    private(set) var currentMonth: String?

    /// Reasons `next` skips a feature for: filters, not faults in the data.
    static func isFilterReason(_ reason: String) -> Bool {
        reason.hasPrefix("a time outside") || reason.hasPrefix("no value in the time field") || reason.hasPrefix("a category not in")
    }

    init(layer: VectorLayerHandle, query: VectorQuery, report: inout ReadReport) throws {
        self.layer = layer
        let fields = layer.fieldNames
        OGR_L_SetAttributeFilter(layer.handle, nil)
        if let clause = query.whereClause?.trimmingCharacters(in: .whitespaces), !clause.isEmpty {
            let rewritten = AttributeFilter.rewrite(clause, fields: fields)
            CPLErrorReset()
            guard OGR_L_SetAttributeFilter(layer.handle, rewritten) == OGRERR_NONE else {
                throw GeoDataError.invalidFilter(path: layer.path, filter: clause,
                                                 message: String(cString: CPLGetLastErrorMsg()))
            }
            report.passedWhere = Int(OGR_L_GetFeatureCount(layer.handle, 1))
        } else {
            report.passedWhere = report.featuresInLayer
        }
        self.time = query.time
        if let time = query.time {
            guard let name = NameMatching.match(time.field, in: fields) else {
                throw GeoDataError.noSuchField(path: layer.path, field: time.field, fields: fields)
            }
            self.timeIndex = layer.fieldIndex(name)
        } else {
            self.timeIndex = -1
        }
        self.categories = query.categories
        if let c = query.categories {
            guard let name = NameMatching.match(c.field, in: fields) else {
                throw GeoDataError.noSuchField(path: layer.path, field: c.field, fields: fields)
            }
            self.categoryIndex = layer.fieldIndex(name)
        } else {
            self.categoryIndex = -1
        }
        self.monthIndex = timeIndex >= 0 ? timeIndex : NameMatching.match("month", in: fields).map(layer.fieldIndex) ?? -1
        let asked = try query.fields.map { wanted in
            guard let name = NameMatching.match(wanted, in: fields) else {
                throw GeoDataError.noSuchField(path: layer.path, field: wanted, fields: fields)
            }
            return (wanted, layer.fieldIndex(name))
        } + query.optionalFields.compactMap { wanted in
            NameMatching.match(wanted, in: fields).map { (wanted, layer.fieldIndex($0)) }
        }
        // A field asked for twice (required and optional, or twice in a list) is carried once:
        // otherwise each feature would append its value twice and the columns would misalign.
        var seen = Set<String>()
        self.fieldIndices = asked.filter { seen.insert($0.0).inserted }
        OGR_L_ResetReading(layer.handle)
    }

    /// The next feature that passes both filters; the caller destroys it.
    mutating func next(report: inout ReadReport) -> OGRFeatureH? {
        while let f = OGR_L_GetNextFeature(layer.handle) {
            currentMonth = monthIndex >= 0 ? Self.month(OGR_F_GetFieldAsString(f, monthIndex)) : nil
            if let m = currentMonth { report.monthsSeen[m, default: 0] += 1 }
            if let categories {
                let value = OGR_F_IsFieldSetAndNotNull(f, categoryIndex) != 0
                    ? String(cString: OGR_F_GetFieldAsString(f, categoryIndex)).trimmingCharacters(in: .whitespaces) : ""
                report.categoriesSeen[value, default: 0] += 1
                if !categories.admits(value) {
                    report.skip("a category not in \(categories.key)", "line or feature \(OGR_F_GetFID(f) + (layer.driverIsCSV ? 1 : 0))")
                    OGR_F_Destroy(f)
                    continue
                }
            }
            if let time {
                let value = OGR_F_IsFieldSetAndNotNull(f, timeIndex) != 0
                    ? String(cString: OGR_F_GetFieldAsString(f, timeIndex)) : ""
                let where_ = "line or feature \(OGR_F_GetFID(f) + (layer.driverIsCSV ? 1 : 0))"
                if value.trimmingCharacters(in: .whitespaces).isEmpty {
                    report.skip("no value in the time field '\(time.field)'", where_)
                    OGR_F_Destroy(f)
                    continue
                }
                if !time.admits(value) {
                    report.skip("a time outside \(time.from ?? "…")–\(time.to ?? "…")", where_)
                    OGR_F_Destroy(f)
                    continue
                }
            }
            return f
        }
        return nil
    }

    /// "2024-03" from a value that starts YYYY-MM or YYYY/MM, else nil. No allocation but the result.
    static func month(_ text: UnsafePointer<CChar>?) -> String? {
        guard let text else { return nil }
        var i = 0
        while text[i] == 0x20 { i += 1 }
        let t = text + i
        func digit(_ k: Int) -> Bool { t[k] >= 0x30 && t[k] <= 0x39 }
        // each test stops at the first failure, so a shorter string's NUL is never passed
        guard digit(0), digit(1), digit(2), digit(3), t[4] == 0x2D || t[4] == 0x2F, digit(5), digit(6) else { return nil }
        let bytes = [t[0], t[1], t[2], t[3], 0x2D, t[5], t[6]].map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    func collect(_ feature: OGRFeatureH, into attributes: inout [String: [String?]]) {
        for (name, index) in fieldIndices {
            let v: String? = OGR_F_IsFieldSetAndNotNull(feature, index) != 0
                ? String(cString: OGR_F_GetFieldAsString(feature, index)) : nil
            attributes[name, default: []].append(v)
        }
    }
}
