import Foundation
import GeoIO
import RasterCore

/// Every input of a spec, read and reprojected into the analysis CRS, with what was skipped.
///
/// This is the only stage of the pipeline that touches input files: `rtm validate` stops after it,
/// `rtm run` hands its result on.
public struct StudyInputs: Sendable {
    public struct FactorLayer: Sendable {
        public let spec: FactorSpec
        /// Vector features in the analysis CRS; nil for a raster factor.
        public let features: FeatureSet?
        /// A raster factor's description; nil for a vector factor.
        public let raster: RasterInfo?
        /// The raster's CRS (declared or from the file).
        public let rasterCRS: CRS?
    }

    public let spec: ModelSpec
    public let crs: CRS
    /// Study-area polygons in the analysis CRS.
    public let studyArea: [Polygon]
    public let studyExtent: Extent
    public let outcome: FeatureSet
    /// What each of the outcome's files gave, and the months read.
    public let outcomeRead: PointInput
    public let factors: [FactorLayer]
    /// StreetSafe reports in the analysis CRS, when the spec names them.
    public let streetSafe: FeatureSet?
    public let streetSafeRead: PointInput?
    /// The `areas:` layers (wards, boroughs) in the analysis CRS.
    public let areas: [AreaLayer]
    /// Lines and polygon rings of the `context:` layers in the analysis CRS, for the maps, by layer.
    public let context: [(name: String, lines: [[Point2]])]
    /// Things a user should read before trusting the model (a factor far from the study area, …).
    public let warnings: [String]

    /// Reads everything, checking that it fits together. Throws the first problem, named.
    /// - Parameter memoryLimit: bytes the run may use; a spec whose grid and candidate layers
    ///   would need more is refused before anything large is allocated (`MemoryEstimate`).
    public static func load(_ spec: ModelSpec, memoryLimit: Double = MemoryEstimate.defaultLimit,
                            progress: (String) -> Void = { _ in }) throws -> StudyInputs {
        var warnings: [String] = []
        progress("reading the study area")
        let areaCRSOverride = try crs(spec.studyArea.crs, key: "study_area.crs", spec: spec)
        let crs: CRS
        if let written = spec.crs {
            crs = try Self.crs(written, key: "crs", spec: spec)!
        } else {
            let raw = try VectorReader.read(spec.studyArea.path, query: query(spec.studyArea, declared: areaCRSOverride))
            crs = raw.crs
        }
        try crs.requireProjectedMetres()
        let area = try VectorReader.read(spec.studyArea.path, query: query(spec.studyArea, declared: areaCRSOverride), into: crs)
        let polygons = area.geometries.flatMap { g -> [Polygon] in
            switch g {
            case .polygon(let p): [p]
            case .multiPolygon(let ps): ps
            default: []
            }
        }
        guard !polygons.isEmpty else {
            throw SpecError(file: spec.path, line: nil, key: "study_area",
                            message: "\(spec.studyArea.path) has no polygons (it holds \(area.geometries.first?.kind.rawValue ?? "nothing")s) — the study area must be a polygon layer")
        }
        guard let extent = area.extent else { throw GeoDataError.emptyLayer(path: spec.studyArea.path, layer: area.report.layer, filtered: false) }
        if area.report.skippedTotal + area.report.repairedTotal > 0 { warnings.append(area.report.summary) }
        // Refuse, before any allocation, a grid the machine cannot hold.
        try MemoryEstimate(spec: spec, extent: extent).require(within: memoryLimit, spec: spec)
        let grid = try GridGeometry(covering: extent, cellSize: spec.cellSize)
        let maxReach = spec.factors.map { $0.increments(blockLength: spec.blockLength).last ?? 0 }.max() ?? 0
        _ = try grid.padded(by: Int((4 * maxReach / spec.cellSize).rounded(.up)) + 1)

        progress("reading the outcome events")
        let outcomeRead = try PointInput.read(spec.outcome, key: "outcome", spec: spec,
                                              query: query(spec.outcome, declared: try Self.crs(spec.outcome.crs, key: "outcome.crs", spec: spec)), into: crs)
        let outcome = outcomeRead.features
        if outcome.geometries.contains(where: { $0.kind != .point }) {
            throw SpecError(file: spec.path, line: nil, key: "outcome",
                            message: "\(spec.outcome.label) holds \(outcome.geometries.first { $0.kind != .point }!.kind.rawValue)s — outcome events must be points")
        }
        let inside = outcome.geometries.filter { g in g.vertices.allSatisfy { p in
            p.x >= extent.minX && p.x <= extent.maxX && p.y >= extent.minY && p.y <= extent.maxY } }.count
        if inside == 0 {
            throw SpecError(file: spec.path, line: nil, key: "outcome",
                            message: "none of the \(outcome.count) events in \(spec.outcome.label) fall within the study area's extent \(extent) — check the outcome's crs (or swapped x/y columns)")
        }
        if inside < outcome.count {
            warnings.append("\(outcome.count - inside) of \(outcome.count) outcome events lie outside the study area's extent and will not count")
        }
        warnings += eventNotes(outcome, path: spec.outcome.label)
        warnings += fileNotes(outcomeRead, spec.outcome, key: "outcome")
        try checkEvaluationWindows(spec, outcomeRead)

        var layers: [FactorLayer] = []
        for f in spec.factors {
            progress("reading factor \(f.name)")
            let declared = try Self.crs(f.source.crs, key: "factors.\(f.name).crs", spec: spec)
            if f.source.isRaster {
                let info = try RasterReader.info(f.source.path)
                guard info.geoTransform != nil else { throw GeoDataError.rasterWithoutGeoreferencing(path: f.source.path) }
                guard let rcrs = declared ?? info.crs else { throw GeoDataError.missingCRS(path: f.source.path) }
                if let e = info.extent, let reach = try? transformedExtent(e, from: rcrs, to: crs), !reach.intersects(extent) {
                    throw SpecError(file: spec.path, line: nil, key: "factors.\(f.name)",
                                    message: "\(f.source.path) covers \(reach) in the analysis CRS, which misses the study area \(extent) — check its crs")
                }
                layers.append(FactorLayer(spec: f, features: nil, raster: info, rasterCRS: rcrs))
            } else {
                let set = try VectorReader.read(f.source.path, query: query(f.source, declared: declared), into: crs)
                let reach = f.increments(blockLength: spec.blockLength).last ?? 0
                if let e = set.extent, !e.expanded(by: max(reach, f.bandwidth ?? 0) * 4).intersects(extent) {
                    throw SpecError(file: spec.path, line: nil, key: "factors.\(f.name)",
                                    message: "the \(set.count) features of \(f.source.path) lie at \(e), out of reach of the study area \(extent) — check the layer's crs")
                }
                if f.influences.contains(.inside), !set.geometries.contains(where: { $0.kind == .polygon }) {
                    throw SpecError(file: spec.path, line: nil, key: "factors.\(f.name).influence",
                                    message: "'inside' needs polygons; \(f.source.path) holds \(set.geometries[0].kind.rawValue)s — use proximity or density")
                }
                if set.report.skippedTotal + set.report.repairedTotal > 0 { warnings.append(set.report.summary) }
                layers.append(FactorLayer(spec: f, features: set, raster: nil, rasterCRS: nil))
            }
        }
        var streetSafeRead: PointInput?
        if let s = spec.streetSafe {
            progress("reading the StreetSafe reports")
            var q = query(s, declared: try Self.crs(s.crs, key: "streetsafe.crs", spec: spec))
            q.optionalFields.append("reason")     // why people felt unsafe: the hotspots' StreetSafe lens names the commonest
            let read = try PointInput.read(s, key: "streetsafe", spec: spec, query: q, into: crs)
            if read.features.report.skippedTotal + read.features.report.repairedTotal > 0 { warnings.append(read.features.report.summary) }
            warnings += fileNotes(read, s, key: "streetsafe")
            streetSafeRead = read
        }
        var context: [(name: String, lines: [[Point2]])] = []
        for (i, c) in spec.context.enumerated() {
            progress("reading context layer \(c.name)")
            let set = try VectorReader.read(c.source.path, query: query(c.source, declared: try Self.crs(c.source.crs, key: "context[\(i + 1)].crs", spec: spec)), into: crs)
            context.append((c.name, Self.lines(of: set.geometries, near: extent)))
        }
        if !spec.areas.isEmpty { progress("reading the areas") }
        let areas = try HotspotAreas.read(spec, crs: crs)
        if outcome.report.skippedTotal + outcome.report.repairedTotal > 0 { warnings.insert(outcome.report.summary, at: 0) }
        return StudyInputs(spec: spec, crs: crs, studyArea: polygons, studyExtent: extent, outcome: outcome, outcomeRead: outcomeRead,
                           factors: layers, streetSafe: streetSafeRead?.features, streetSafeRead: streetSafeRead,
                           areas: areas, context: context, warnings: warnings)
    }

    /// The lines and polygon rings of `geometries` whose extent meets `extent` (points have none).
    static func lines(of geometries: [Geometry], near extent: Extent) -> [[Point2]] {
        var out: [[Point2]] = []
        for g in geometries {
            guard let e = g.extent, e.intersects(extent) else { continue }
            switch g {
            case .lineString(let l): out.append(l)
            case .multiLineString(let ls): out += ls
            case .polygon(let p): out += p.rings
            case .multiPolygon(let ps): out += ps.flatMap(\.rings)
            case .point, .multiPoint: break
            }
        }
        return out
    }

    /// A CRS the spec names, parsed; a name PROJ does not know is an error naming the spec's key
    /// (with GDAL's did-you-mean: `BNG` → EPSG:27700).
    static func crs(_ text: String?, key: String, spec: ModelSpec) throws -> CRS? {
        guard let text else { return nil }
        do { return try CRS(text) } catch let e as GeoDataError {
            throw SpecError(file: spec.path, line: nil, key: key, message: e.description)
        }
    }

    /// What a user should know about a point input read from a folder: files it did not read and
    /// months with no rows inside the span read (repeated Crime IDs are in the read's summary).
    static func fileNotes(_ read: PointInput, _ s: LayerSource, key: String) -> [String] {
        var notes: [String] = []
        if !read.skippedFiles.isEmpty {
            let reasons = Dictionary(grouping: read.skippedFiles, by: \.reason).sorted { $0.key < $1.key }
                .map { "\($0.value.count) \($0.key) (\($0.value.prefix(3).map { ($0.path as NSString).lastPathComponent }.joined(separator: ", "))\($0.value.count > 3 ? ", …" : ""))" }
            notes.append("\(key): \(read.skippedFiles.count) file\(read.skippedFiles.count == 1 ? "" : "s") in \(s.label) not read: \(reasons.joined(separator: "; "))")
        }
        if let months = read.monthsRead, !months.missing.isEmpty {
            notes.append("\(key): no rows in \(PointInput.ranges(months.missing)), inside the months read \(months.first)–\(months.last) — a month's file missing from the download?")
        }
        return notes
    }

    /// The evaluation's windows must lie inside the months the outcome's files hold (its time
    /// filter may be narrower: `rtm evaluate` reads each window's months), and hold some of them.
    static func checkEvaluationWindows(_ spec: ModelSpec, _ read: PointInput) throws {
        guard let e = spec.evaluation, let data = read.monthsInData,
              let first = EvaluationStage.monthIndex(data.first), let last = EvaluationStage.monthIndex(data.last) else { return }
        let present = Set(read.monthsSeen.filter { $0.value > 0 }.keys.compactMap(EvaluationStage.monthIndex))
        for (name, from, to) in [("train", e.trainFrom, e.trainTo), ("test", e.testFrom, e.testTo)] {
            guard let f = PointInput.boundMonth(from, end: false), let t = PointInput.boundMonth(to, end: true), f <= t else { continue }
            let problem = t > last ? "ends after the data's last month"
                : f < first ? "starts before the data's first month"
                : (f...t).allSatisfy { !present.contains($0) } ? "falls in months the data does not hold" : nil
            if let problem {
                throw SpecError(file: spec.path, line: nil, key: "evaluation.\(name)",
                                message: "the \(name) window \(from)–\(to) \(problem) (\(spec.outcome.label) holds \(PointInput.describe(data))) — move the window inside the data, or add the files for those months")
            }
        }
    }

    /// What a user should know about the events as counted: multi-point features count once per
    /// point, and events at the same spot (data.police.uk snaps each to an anonymised map point)
    /// count separately.
    static func eventNotes(_ events: FeatureSet, path: String) -> [String] {
        var notes: [String] = []
        let multi = events.geometries.filter { if case .multiPoint = $0 { true } else { false } }
        if !multi.isEmpty {
            notes.append("\(path): \(multi.count) multi-point feature\(multi.count == 1 ? "" : "s") count as \(multi.reduce(0) { $0 + $1.vertices.count }) events, one per point")
        }
        // sorted, not hashed: 16 bytes a point for the copy, where a set of 50 million takes gigabytes
        var points: [Point2] = []
        points.reserveCapacity(events.count)
        for g in events.geometries { if case .point(let p) = g { points.append(p) } else { points += g.vertices } }
        points.sort { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        let repeats = points.indices.dropFirst().reduce(0) { $0 + (points[$1] == points[$1 - 1] ? 1 : 0) }
        if repeats > 0 {
            notes.append("\(path): \(repeats) event\(repeats == 1 ? " shares its" : "s share their") location with an earlier one; each counts as an event")
        }
        return notes
    }

    static func query(_ s: LayerSource, declared: CRS?) -> VectorQuery {
        var q = VectorQuery(layer: s.layer, whereClause: s.whereClause, time: s.time, declaredCRS: declared, xColumn: s.x, yColumn: s.y)
        q.tags = s.tags
        q.optionalFields = ["name"]      // labels hotspots when the layer names its features
        if let t = s.time { q.optionalFields.append(t.field) }   // each event's time, for rolling-origin splits
        return q
    }

    /// An extent's four corners and edge midpoints, reprojected, as a bounding box.
    static func transformedExtent(_ e: Extent, from: CRS, to: CRS) throws -> Extent {
        if from == to { return e }
        let t = try CoordinateTransformer(from: from, to: to)
        var ps = [Point2(e.minX, e.minY), Point2(e.maxX, e.minY), Point2(e.minX, e.maxY), Point2(e.maxX, e.maxY),
                  Point2((e.minX + e.maxX) / 2, e.minY), Point2((e.minX + e.maxX) / 2, e.maxY),
                  Point2(e.minX, (e.minY + e.maxY) / 2), Point2(e.maxX, (e.minY + e.maxY) / 2)]
        t.transform(&ps)
        let ok = ps.filter { $0.x.isFinite }
        guard let g = Geometry.multiPoint(ok).extent else { throw GeoDataError.transformFailed(path: "", feature: 0, x: e.minX, y: e.minY) }
        return g
    }
}
