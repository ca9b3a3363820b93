import CGDAL
import Foundation
import RasterCore

/// Reads an OpenStreetMap `.osm.pbf` or `.osm` file through GDAL's OSM driver, selecting features
/// by their tags (`tags: { amenity: [pub, bar, nightclub] }`) across its `points`, `lines` and
/// `multipolygons` layers — a pub mapped as a node and one mapped as its building both count.
/// Route relations (`multilinestrings`) and other relations are not read.
///
/// A tag is read from the layer's column of that name where GDAL's osmconf.ini makes one
/// (`amenity` on multipolygons), else from the `other_tags` hstore text
/// (`"amenity"=>"pub","name:en"=>"…"`). Features are read in file order through
/// `GDALDatasetGetNextFeature`, the order the driver parses them in, so the file is parsed once
/// whatever the layer (GDAL's OSM driver documentation, "Interleaved reading").
enum OSMReader {
    static let layers = ["points", "lines", "multipolygons"]

    static func read(_ dataset: GDALDatasetHandle, query: VectorQuery) throws -> FeatureSet {
        guard query.whereClause?.trimmingCharacters(in: .whitespaces).isEmpty ?? true else {
            throw GeoDataError.invalidFilter(path: dataset.path, filter: query.whereClause!,
                                             message: "an OpenStreetMap file is selected with tags: (e.g. tags: { amenity: [pub, bar] }), not where:")
        }
        let crs = try query.declaredCRS ?? CRS.wgs84
        let tags = query.tags ?? [:]
        // per wanted layer: the columns of the tag keys, `other_tags`, and the attributes asked for
        var columns: [OGRLayerH: Columns] = [:]
        for name in layers {
            guard let h = GDALDatasetGetLayerByName(dataset.handle, name) else { continue }
            columns[h] = Columns(layer: h, tags: Array(tags.keys), fields: query.fields + query.optionalFields + ["name"])
        }
        var report = ReadReport(path: dataset.path, layer: layers.joined(separator: "+"), format: dataset.driver.long,
                                featuresInLayer: 0, passedWhere: 0, kept: 0, skipped: [:], skippedExamples: [:], notes: [])
        var geometries: [Geometry] = [], ids: [Int] = []
        var attributes = [String: [String?]]()
        var seenValues: [String: Set<String>] = [:]
        var kinds: [String: Int] = [:]
        GDALDatasetResetReading(dataset.handle)
        while true {
            var layer: OGRLayerH?
            guard let f = GDALDatasetGetNextFeature(dataset.handle, &layer, nil, nil, nil) else { break }
            defer { OGR_F_Destroy(f) }
            guard let layer, let c = columns[layer] else { continue }
            report.featuresInLayer += 1
            let values = c.tagValues(f, keys: Array(tags.keys))
            for (k, v) in values { seenValues[k, default: []].insert(v) }
            if !tags.isEmpty, !tags.contains(where: { key, wanted in values[key].map(wanted.contains) ?? false }) { continue }
            report.passedWhere += 1
            let fid = Int(OGR_F_GetFID(f))
            let layerName = String(cString: OGR_L_GetName(layer))
            guard let g = VectorReader.geometry(of: f, example: "\(layerName) \(fid)", report: &report) else { continue }
            geometries.append(g)
            ids.append(fid)
            kinds[layerName, default: 0] += 1
            for (name, index) in c.fields {
                attributes[name, default: []].append(index >= 0 && OGR_F_IsFieldSetAndNotNull(f, index) != 0
                    ? String(cString: OGR_F_GetFieldAsString(f, index)) : nil)
            }
        }
        // a field no layer has is absent, as from any other reader
        for (name, values) in attributes where values.allSatisfy({ $0 == nil }) && !query.fields.contains(name) { attributes[name] = nil }
        report.kept = geometries.count
        report.notes.append("OpenStreetMap: " + layers.map { "\(kinds[$0, default: 0]) from \($0)" }.joined(separator: ", "))
        if geometries.isEmpty, !tags.isEmpty {
            let wanted = tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.joined(separator: "|"))" }.joined(separator: ", ")
            let seen = seenValues.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.sorted().prefix(12).joined(separator: ", "))" }.joined(separator: "; ")
            throw GeoDataError.osmNothingTagged(path: dataset.path, tags: wanted, seen: seen)
        }
        return FeatureSet(crs: crs, geometries: geometries, attributes: attributes, featureIDs: ids, report: report)
    }

    /// Where a layer keeps the tags and fields asked for.
    struct Columns {
        let tagColumns: [String: Int32]
        let otherTags: Int32
        let fields: [(String, Int32)]

        init(layer: OGRLayerH, tags: [String], fields: [String]) {
            let defn = OGR_L_GetLayerDefn(layer)
            func index(_ name: String) -> Int32 { OGR_FD_GetFieldIndex(defn, name) }
            var t: [String: Int32] = [:]
            for k in tags where index(k) >= 0 { t[k] = index(k) }
            tagColumns = t
            otherTags = index("other_tags")
            var seen = Set<String>()
            self.fields = fields.filter { seen.insert($0).inserted }.map { ($0, index($0)) }
        }

        /// The feature's values of `keys`, from their columns or `other_tags`.
        func tagValues(_ f: OGRFeatureH, keys: [String]) -> [String: String] {
            var out: [String: String] = [:]
            var rest: [String: String]?
            for k in keys {
                if let i = tagColumns[k] {
                    if OGR_F_IsFieldSetAndNotNull(f, i) != 0 { out[k] = String(cString: OGR_F_GetFieldAsString(f, i)) }
                    continue
                }
                if rest == nil {
                    rest = otherTags >= 0 && OGR_F_IsFieldSetAndNotNull(f, otherTags) != 0
                        ? OSMReader.hstore(String(cString: OGR_F_GetFieldAsString(f, otherTags))) : [:]
                }
                if let v = rest?[k] { out[k] = v }
            }
            return out
        }
    }

    /// `"amenity"=>"pub","name"=>"The \"Bell\""` as a dictionary: PostgreSQL hstore text, as
    /// GDAL's OSM driver writes `other_tags` (quotes and backslashes escaped with a backslash).
    static func hstore(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        var chars = text.makeIterator()
        func quoted() -> String? {
            var s = ""
            while let c = chars.next() {
                if c == "\\" { if let n = chars.next() { s.append(n) }; continue }
                if c == "\"" { return s }
                s.append(c)
            }
            return nil
        }
        func skip(to target: Character) -> Bool {
            while let c = chars.next() { if c == target { return true } }
            return false
        }
        while skip(to: "\""), let key = quoted(), skip(to: "\""), let value = quoted() { out[key] = value }
        return out
    }
}
