import Foundation
import GeoIO
import Yams

/// Reads a model spec from YAML, checking every key and type, and resolving relative paths
/// against the spec's folder. Errors name the line and key path and suggest the fix; unknown keys
/// get a "did you mean". YAML anchors and aliases are refused before the YAML is composed (they
/// are how "billion laughs" documents blow up, and a spec has no need of them), as are documents
/// nested deeper than a spec needs or larger than one (see `YAMLGuard`).
public enum SpecParser {
    public static func load(_ path: String) throws -> ModelSpec {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SpecError(file: path, line: nil, key: "", message: "no such spec file — check the path")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw SpecError(file: path, line: nil, key: "", message: "the spec is not UTF-8 text — save it as UTF-8")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ yaml: String, path: String) throws -> ModelSpec {
        switch YAMLGuard.check(yaml) {
        case .tooLarge(let bytes)?:
            throw SpecError(file: path, line: nil, key: "", message: "\(bytes) bytes is far more than a spec holds (at most \(YAMLGuard.maximumBytes)) — is this the right file?")
        case .anchorOrAlias(let line, let text)?:
            throw SpecError(file: path, line: line, key: "", message: "YAML anchors and aliases are not allowed in a spec (found \(text)) — write the value out in full")
        case .tooDeep(let line)?:
            throw SpecError(file: path, line: line, key: "", message: "nested more than \(YAMLGuard.maximumDepth) levels deep — a spec needs about 4; check the brackets and indentation")
        case nil:
            break
        }
        if yaml.utf8.contains(0) {
            throw SpecError(file: path, line: nil, key: "", message: "the spec holds a NUL byte — save it as plain UTF-8 text")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            if case .duplicatedKeysInMapping = error {
                throw SpecError(file: path, line: Self.line(of: error), key: "", message: "\(Self.summary(of: error)) — keep one of them")
            }
            throw SpecError(file: path, line: Self.line(of: error), key: "", message: "not valid YAML (\(Self.summary(of: error))) — check indentation and quoting")
        }
        guard let root = node else { throw SpecError(file: path, line: nil, key: "", message: "the spec is empty — see docs/spec.md for an example") }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var r = SpecReader(file: path, folder: folder)
        if let allow = root.mapping?.first(where: { $0.key.string == "allow_virtual_paths" })?.value { r.allowVirtualPaths = try r.boolean(allow, "allow_virtual_paths") }
        return try r.spec(root)
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        default: return nil
        }
    }

    /// The problem in one line (Yams' own descriptions quote the document over several).
    private static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        case .duplicatedKeysInMapping(let keys, _): return "the key\(keys.count == 1 ? "" : "s") \(keys.joined(separator: ", ")) appear\(keys.count == 1 ? "s" : "") twice"
        case .reader(let problem, _, _, _): return problem
        default: return String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "unreadable"
        }
    }
}

/// The typed walk over the YAML tree; each accessor names its key path in errors.
struct SpecReader {
    let file: String
    let folder: URL
    /// `allow_virtual_paths:` at the top of the spec (read before any path).
    var allowVirtualPaths = false

    func fail(_ node: Node?, _ key: String, _ message: String) -> SpecError {
        SpecError(file: file, line: node?.mark?.line, key: key, message: message)
    }

    /// A mapping's entries by key, refusing keys not in `allowed` (with a suggestion) and aliases.
    func mapping(_ node: Node, _ key: String, allowed: [String]) throws -> [String: Node] {
        if case .alias = node { throw fail(node, key, "YAML aliases are not allowed in a spec — write the value out") }
        guard let m = node.mapping else {
            throw fail(node, key, "expected a mapping of keys (\(allowed.joined(separator: ", "))), not \(describe(node)) — write them as key: value lines (see docs/spec.md)")
        }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard let name = k.string else { throw fail(k, key, "keys must be text") }
            let path = key.isEmpty ? name : "\(key).\(name)"
            guard allowed.contains(name) else {
                let hint = NameMatching.closest(to: name, in: allowed).map { " — did you mean '\($0)'?" } ?? ""
                throw fail(k, path, "unknown key\(hint) (allowed here: \(allowed.joined(separator: ", ")))")
            }
            if case .alias = v { throw fail(v, path, "YAML aliases are not allowed in a spec — write the value out") }
            out[name] = v
        }
        return out
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    func string(_ node: Node, _ key: String) throws -> String {
        guard case .scalar(let s) = node, !s.string.isEmpty else { throw fail(node, key, "expected text, not \(describe(node)) — write a single value on the line") }
        return s.string
    }

    func number(_ node: Node, _ key: String, positive: Bool = true) throws -> Double {
        guard case .scalar(let s) = node, let v = Double(s.string.trimmingCharacters(in: .whitespaces)), v.isFinite else {
            throw fail(node, key, "expected a number, not \(describe(node)) — write digits only, e.g. 25")
        }
        if positive, v <= 0 { throw fail(node, key, "must be greater than 0, not \(s.string)") }
        return v
    }

    func integer(_ node: Node, _ key: String, range: ClosedRange<Int>) throws -> Int {
        guard case .scalar(let s) = node, let v = Int(s.string.trimmingCharacters(in: .whitespaces)) else {
            throw fail(node, key, "expected a whole number, not \(describe(node)) — write digits only, e.g. 10")
        }
        guard range.contains(v) else { throw fail(node, key, "must be between \(range.lowerBound) and \(range.upperBound), not \(v)") }
        return v
    }

    func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ key: String, _ type: T.Type) throws -> T where T.RawValue == String {
        let s = try string(node, key)
        if let v = T(rawValue: s.lowercased()) { return v }
        let names = T.allCases.map(\.rawValue)
        let hint = NameMatching.closest(to: s, in: names).map { " — did you mean '\($0)'?" } ?? ""
        throw fail(node, key, "'\(s)' is not one of \(names.joined(separator: ", "))\(hint)")
    }

    /// A path relative to the spec's folder, made absolute. GDAL virtual paths that fetch
    /// (`/vsicurl/`, `http://`, cloud stores) are refused unless the spec allows them; an archive's
    /// (`/vsizip/sample.zip/x.csv`) is local, resolved against the spec's folder like any path.
    func path(_ node: Node, _ key: String) throws -> String {
        let p = try string(node, key)
        if VirtualPaths.isVirtual(p) {
            if VirtualPaths.fetches(p), !allowVirtualPaths {
                throw fail(node, key, "'\(p)' would be fetched over the network (a GDAL virtual file system) — download the file and name it here, or set allow_virtual_paths: true at the top of the spec")
            }
            return VirtualPaths.resolvingArchive(p, against: folder)
        }
        let expanded = (p as NSString).expandingTildeInPath
        return expanded.hasPrefix("/") ? expanded : folder.appendingPathComponent(expanded).standardizedFileURL.path
    }

    // MARK: Sections

    func spec(_ root: Node) throws -> ModelSpec {
        let top = try mapping(root, "", allowed: ["crs", "cell_size", "block_length", "study_area", "outcome", "factors", "model",
                                                  "hotspots", "streetsafe", "evaluation", "patrols", "allow_virtual_paths", "context", "areas"])
        func required(_ name: String) throws -> Node {
            guard let n = top[name] else { throw fail(root, name, "missing — every spec needs \(name) (see docs/spec.md)") }
            return n
        }
        let cellSize = try number(required("cell_size"), "cell_size")
        let blockLength = try number(required("block_length"), "block_length")
        // metres: from a few centimetres to a continent (the memory check refuses fine grids on large areas)
        if !(0.01...1_000_000).contains(cellSize) {
            throw fail(top["cell_size"], "cell_size", "\(cellSize) m is not a usable cell size — RTM uses about half a block, e.g. cell_size: 25")
        }
        if blockLength > 1_000_000 {
            throw fail(top["block_length"], "block_length", "\(blockLength) m is not a block length — use the length of a typical street block, e.g. block_length: 100")
        }
        if blockLength < cellSize {
            throw fail(top["block_length"], "block_length", "\(blockLength) m is shorter than the cell size \(cellSize) m — a block should span at least one cell (RTM uses cell ≈ half a block)")
        }
        let factorsNode = try required("factors")
        guard case .sequence(let seq) = factorsNode else {
            throw fail(factorsNode, "factors", "expected a list of factors (- name: …, path: …), not \(describe(factorsNode))")
        }
        let factors = try seq.enumerated().map { try factor($0.element, "factors[\($0.offset + 1)]", blockLength: blockLength) }
        if factors.isEmpty { throw fail(factorsNode, "factors", "the list is empty — add at least one risk factor") }
        var seen: [String: Int] = [:]
        for (i, f) in factors.enumerated() {
            if let j = seen[f.name] { throw fail(seq[i], "factors[\(i + 1)].name", "'\(f.name)' is also the name of factors[\(j + 1)] — names must be unique") }
            seen[f.name] = i
        }
        var spec = ModelSpec(path: file, crs: try top["crs"].map { try string($0, "crs") },
                             cellSize: cellSize, blockLength: blockLength,
                             studyArea: try source(required("study_area"), "study_area", extra: []).source,
                             outcome: try source(required("outcome"), "outcome", extra: [], points: true).source,
                             factors: factors, model: try model(top["model"]))
        spec.hotspots = try hotspots(top["hotspots"])
        spec.streetSafe = try top["streetsafe"].map { try source($0, "streetsafe", extra: [], points: true).source }
        spec.allowVirtualPaths = allowVirtualPaths
        spec.context = try top["context"].map(context) ?? []
        spec.areas = try top["areas"].map(areas) ?? []
        spec.evaluation = try top["evaluation"].map(evaluation)
        if let e = spec.evaluation { _ = try EvaluationStage.rollingPlan(spec, e) }   // rolling windows that fit the span
        spec.patrols = try top["patrols"].map { try patrols($0, factors: factors) }
        return spec
    }

    static let sourceKeys = ["path", "layer", "where", "crs", "x", "y", "time", "tags"]

    /// A layer given as a bare path or as a mapping with path, layer, where, crs, x, y, time.
    /// - Parameter points: a point input (outcome, streetsafe), whose path may also be a folder,
    ///   a glob or a list of them (`PointFiles`), and which may select `crime_types`.
    func source(_ node: Node, _ key: String, extra: [String], points: Bool = false) throws -> (source: LayerSource, extra: [String: Node]) {
        if case .scalar = node {
            var s = LayerSource(path: try path(node, key))
            if points { try resolveFiles(&s, node, key) }
            return (s, [:])
        }
        let m = try mapping(node, key, allowed: Self.sourceKeys + extra + (points ? ["crime_types"] : []))
        guard let p = m["path"] else { throw fail(node, "\(key).path", "missing — give the file of this layer") }
        var s: LayerSource
        if points, case .sequence(let items) = p {
            guard !items.isEmpty else { throw fail(p, "\(key).path", "the list is empty — give the files or folders to read") }
            let paths = try items.enumerated().map { try path($0.element, "\(key).path[\($0.offset + 1)]") }
            s = LayerSource(path: paths[0])
            s.written = paths
        } else {
            s = LayerSource(path: try path(p, "\(key).path"))
        }
        if points { try resolveFiles(&s, p, "\(key).path") }
        if let t = m["tags"] {
            guard let tm = t.mapping, tm.count > 0 else {
                throw fail(t, "\(key).tags", "expected OpenStreetMap keys and their values, e.g. tags: { amenity: [pub, bar, nightclub] }")
            }
            var tags: [String: [String]] = [:]
            for (k, v) in tm {
                let name = try string(k, "\(key).tags")
                let items: [Node]
                if case .sequence(let seq) = v { items = Array(seq) } else { items = [v] }
                tags[name] = try items.map { try string($0, "\(key).tags.\(name)") }
                if tags[name]!.isEmpty { throw fail(v, "\(key).tags.\(name)", "the list is empty — name the values to keep, e.g. [pub, bar]") }
            }
            let lower = s.path.lowercased()
            guard lower.hasSuffix(".pbf") || lower.hasSuffix(".osm") || lower.hasSuffix(".osm.bz2") else {
                throw fail(t, "\(key).tags", "selects OpenStreetMap features; \((s.path as NSString).lastPathComponent) is not an .osm.pbf or .osm file — use where: for other layers (e.g. where: \"fclass = 'pub'\" for a Geofabrik shapefile)")
            }
            if m["where"] != nil { throw fail(t, "\(key).tags", "give tags: or where:, not both (an OpenStreetMap file is selected by tags)") }
            s.tags = tags
        }
        if let c = m["crime_types"] {
            let items: [Node]
            if case .sequence(let seq) = c { items = Array(seq) } else { items = [c] }
            let types = try items.map { try string($0, "\(key).crime_types") }
            guard !types.isEmpty else { throw fail(c, "\(key).crime_types", "the list is empty — name the categories to keep, e.g. [Violence and sexual offences]") }
            s.crimeTypes = types
        }
        s.layer = try m["layer"].map { try string($0, "\(key).layer") }
        s.whereClause = try m["where"].map { try string($0, "\(key).where") }
        s.crs = try m["crs"].map { try string($0, "\(key).crs") }
        s.x = try m["x"].map { try string($0, "\(key).x") }
        s.y = try m["y"].map { try string($0, "\(key).y") }
        if (s.x == nil) != (s.y == nil) { throw fail(node, "\(key).\(s.x == nil ? "x" : "y")", "give both x and y, or neither") }
        if let t = m["time"] {
            let tm = try mapping(t, "\(key).time", allowed: ["field", "from", "to"])
            guard let f = tm["field"] else { throw fail(t, "\(key).time.field", "missing — name the date or month column") }
            let from = try tm["from"].map { try timeBound($0, "\(key).time.from") }
            let to = try tm["to"].map { try timeBound($0, "\(key).time.to") }
            if let from, let to, from > to { throw fail(t, "\(key).time", "from \(from) is after to \(to)") }
            s.time = TimeFilter(field: try string(f, "\(key).time.field"), from: from, to: to)
        }
        return (s, m.filter { extra.contains($0.key) })
    }

    /// `context:` — a list of layers (a path, or a mapping with `name` and the layer keys) drawn
    /// under the maps.
    func context(_ node: Node) throws -> [ContextLayer] {
        guard case .sequence(let seq) = node else {
            throw fail(node, "context", "expected a list of layers, e.g. context: [roads.gpkg, { name: wards, path: wards.shp }]")
        }
        return try seq.enumerated().map { i, item in
            let key = "context[\(i + 1)]"
            let (src, extra) = try source(item, key, extra: ["name"])
            if src.isRaster { throw fail(item, "\(key).path", "context layers are vector lines or polygons (roads, boundaries, water); \((src.path as NSString).lastPathComponent) is a raster") }
            let name = try extra["name"].map { try string($0, "\(key).name") } ?? ((src.path as NSString).lastPathComponent as NSString).deletingPathExtension
            return ContextLayer(name: name, source: src)
        }
    }

    /// `areas:` — a list of polygon layers, each with a `name` (the level: ward, borough) and the
    /// `field` of its polygons' names.
    func areas(_ node: Node) throws -> [AreaLevel] {
        guard case .sequence(let seq) = node else {
            throw fail(node, "areas", "expected a list of levels, e.g. areas: [{ name: ward, path: wards.shp, field: NAME }]")
        }
        let levels = try seq.enumerated().map { i, item -> AreaLevel in
            let key = "areas[\(i + 1)]"
            guard case .mapping = item else { throw fail(item, key, "expected { name: ward, path: wards.shp, field: NAME }") }
            let (src, extra) = try source(item, key, extra: ["name", "field"])
            guard let n = extra["name"] else { throw fail(item, "\(key).name", "missing — name the level (ward, borough, bcu): it names the hotspots' column") }
            let name = try string(n, "\(key).name")
            guard name.range(of: #"^[A-Za-z][A-Za-z0-9_]*$"#, options: .regularExpression) != nil else {
                throw fail(n, "\(key).name", "'\(name)' must start with a letter and hold only letters, digits and _ (it names a column)")
            }
            if src.isRaster { throw fail(item, "\(key).path", "areas are polygon layers (wards, boroughs); \((src.path as NSString).lastPathComponent) is a raster") }
            return AreaLevel(name: name, source: src, field: try extra["field"].map { try string($0, "\(key).field") } ?? "name")
        }
        var seen = Set<String>()
        for (i, l) in levels.enumerated() where !seen.insert(l.name.lowercased()).inserted {
            throw fail(seq[i], "areas[\(i + 1)].name", "'\(l.name)' names another level too — names must be unique")
        }
        return levels
    }

    /// A point input's folders, globs and lists resolved into the files to read.
    func resolveFiles(_ s: inout LayerSource, _ node: Node, _ key: String) throws {
        let resolved = try PointFiles.resolve(s.written) { fail(node, key, $0) }
        s.files = resolved.files
        s.skippedFiles = resolved.skipped
    }

    /// YYYY, YYYY-MM, YYYY-MM-DD or an ISO date-time.
    func timeBound(_ node: Node, _ key: String) throws -> String {
        let s = try string(node, key)
        let ok = s.range(of: #"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2})?)?)?)?)?$"#, options: .regularExpression) != nil
        guard ok else { throw fail(node, key, "'\(s)' is not a date — write 2024, 2024-01, 2024-01-31 or 2024-01-31T18:00") }
        if let problem = Self.calendarProblem(s) { throw fail(node, key, "'\(s)' is not a date: \(problem)") }
        return s.replacingOccurrences(of: " ", with: "T")
    }

    /// What is out of range in a date the pattern accepted ("month 13 is not 01–12"), or nil.
    static func calendarProblem(_ s: String) -> String? {
        let parts = s.split(whereSeparator: { "-T :".contains($0) }).compactMap { Int($0) }
        let year = parts[0]
        if parts.count > 1, !(1...12).contains(parts[1]) { return "month \(parts[1]) is not 01–12" }
        if parts.count > 2 {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][parts[1] - 1]
            if !(1...days).contains(parts[2]) { return "day \(parts[2]) is not 01–\(days) in that month" }
        }
        if parts.count > 3, parts[3] > 23 { return "hour \(parts[3]) is not 00–23" }
        if parts.count > 4, parts[4] > 59 { return "minute \(parts[4]) is not 00–59" }
        if parts.count > 5, parts[5] > 59 { return "second \(parts[5]) is not 00–59" }
        return nil
    }

    func factor(_ node: Node, _ key: String, blockLength: Double) throws -> FactorSpec {
        let extraKeys = ["name", "influence", "max_blocks", "increment", "bandwidth", "resampling", "band"]
        let (src, m) = try source(node, key, extra: extraKeys)
        guard case .mapping = node else { throw fail(node, key, "expected a mapping with name, path and influence") }
        guard let nameNode = m["name"] else { throw fail(node, "\(key).name", "missing — every factor needs a name") }
        let name = try string(nameNode, "\(key).name")
        guard name.range(of: #"^[A-Za-z][A-Za-z0-9_]*$"#, options: .regularExpression) != nil else {
            throw fail(nameNode, "\(key).name", "'\(name)' must start with a letter and hold only letters, digits and _ (it names columns and files)")
        }
        var influences: [Influence] = []
        let written: [(Node, String)]
        switch m["influence"] {
        case nil: written = [(node, src.isRaster ? "value" : "auto")]
        case .sequence(let items)?: written = try items.map { ($0, try string($0, "\(key).influence")) }
        case let n?: written = [(n, try string(n, "\(key).influence"))]
        }
        for (n, w) in written {
            let s = w.lowercased()
            if s == "auto" { influences += [.proximity, .density]; continue }
            guard let i = Influence(rawValue: s) else {
                let hint = NameMatching.closest(to: s, in: Influence.specNames).map { " — did you mean '\($0)'?" } ?? ""
                throw fail(n, "\(key).influence", "'\(w)' is not an influence\(hint) (\(Influence.specNames.joined(separator: ", ")))")
            }
            influences.append(i)
        }
        var seen = Set<Influence>()
        influences = influences.filter { seen.insert($0).inserted }
        if src.isRaster, let bad = influences.first(where: { $0 != .value }) {
            throw fail(m["influence"] ?? node, "\(key).influence", "'\(bad.rawValue)' needs vector features; \((src.path as NSString).lastPathComponent) is a raster — use influence: value")
        }
        if !src.isRaster, influences.contains(.value) {
            throw fail(m["influence"] ?? node, "\(key).influence", "'value' reads a raster; \((src.path as NSString).lastPathComponent) is a vector layer — use proximity, density, distance, density_value or inside")
        }
        let maxBlocks = try m["max_blocks"].map { try number($0, "\(key).max_blocks") } ?? 3
        let increment = try m["increment"].map { n -> FactorSpec.Increment in
            let s = try string(n, "\(key).increment")
            guard let v = FactorSpec.Increment(rawValue: s.lowercased()) else { throw fail(n, "\(key).increment", "'\(s)' must be whole or half") }
            return v
        } ?? .whole
        if maxBlocks > 20 { throw fail(m["max_blocks"], "\(key).max_blocks", "\(maxBlocks) blocks is beyond what RTM tests (1–20); spatial influence rarely reaches past a few blocks") }
        if increment == .whole, maxBlocks < 1 { throw fail(m["max_blocks"], "\(key).max_blocks", "must be at least 1 block with whole increments (or use increment: half)") }
        return FactorSpec(name: name, source: src, influences: influences, maxBlocks: maxBlocks, increment: increment,
                          bandwidth: try m["bandwidth"].map { try number($0, "\(key).bandwidth") },
                          resampling: try m["resampling"].map { try choice($0, "\(key).resampling", Resampling.self) } ?? .bilinear,
                          band: try m["band"].map { try integer($0, "\(key).band", range: 1...10_000) } ?? 1)
    }

    func hotspots(_ node: Node?) throws -> HotspotOptions {
        var o = HotspotOptions()
        guard let node else { return o }
        let m = try mapping(node, "hotspots", allowed: ["threshold_sd", "top_share", "min_cells", "merge_distance", "score", "disclosure_threshold",
                                                           "gi_star"])
        if m["threshold_sd"] != nil, m["top_share"] != nil {
            throw fail(node, "hotspots", "give threshold_sd or top_share, not both")
        }
        if let n = m["threshold_sd"] { o.rule = .standardDeviations(try number(n, "hotspots.threshold_sd", positive: false)) }
        if let n = m["top_share"] {
            let v = try number(n, "hotspots.top_share")
            guard v < 1 else { throw fail(n, "hotspots.top_share", "is a share of the study area: between 0 and 1, e.g. 0.05 for 5%") }
            o.rule = .topShare(v)
        }
        if let n = m["min_cells"] { o.minimumCells = try integer(n, "hotspots.min_cells", range: 1...1_000_000) }
        if let n = m["merge_distance"] { o.mergeDistance = try number(n, "hotspots.merge_distance") }
        if let n = m["score"] { o.score = try choice(n, "hotspots.score", HotspotOptions.Score.self) }
        if let n = m["disclosure_threshold"] { o.disclosureThreshold = try integer(n, "hotspots.disclosure_threshold", range: 1...1000) }
        if let n = m["gi_star"] {
            let g = try mapping(n, "hotspots.gi_star", allowed: ["distance", "fdr"])
            if let d = g["distance"] { o.giStar.distance = try number(d, "hotspots.gi_star.distance") }
            if let q = g["fdr"] {
                o.giStar.falseDiscoveryRate = try number(q, "hotspots.gi_star.fdr")
                guard o.giStar.falseDiscoveryRate < 1 else { throw fail(q, "hotspots.gi_star.fdr", "is a false-discovery rate between 0 and 1, e.g. 0.05") }
            }
        }
        return o
    }

    func evaluation(_ node: Node) throws -> EvaluationOptions {
        let m = try mapping(node, "evaluation", allowed: ["train", "test", "area_share", "kde_bandwidth", "rolling"])
        func window(_ key: String) throws -> (String, String) {
            guard let n = m[key] else { throw fail(node, "evaluation.\(key)", "missing — give { from: 2024-01, to: 2024-09 }") }
            let w = try mapping(n, "evaluation.\(key)", allowed: ["from", "to"])
            guard let f = w["from"], let t = w["to"] else { throw fail(n, "evaluation.\(key)", "give both from and to") }
            let from = try timeBound(f, "evaluation.\(key).from"), to = try timeBound(t, "evaluation.\(key).to")
            if from > to { throw fail(n, "evaluation.\(key)", "from \(from) is after to \(to)") }
            return (from, to)
        }
        let (trainFrom, trainTo) = try window("train"), (testFrom, testTo) = try window("test")
        if testFrom <= trainTo { throw fail(m["test"], "evaluation.test", "the test window must start after the training window ends (\(trainTo))") }
        var o = EvaluationOptions(trainFrom: trainFrom, trainTo: trainTo, testFrom: testFrom, testTo: testTo)
        if let n = m["area_share"] {
            o.areaShare = try number(n, "evaluation.area_share")
            guard o.areaShare <= 1 else { throw fail(n, "evaluation.area_share", "is a share: between 0 and 1, e.g. 0.05") }
        }
        if let n = m["kde_bandwidth"] { o.kdeBandwidth = try number(n, "evaluation.kde_bandwidth") }
        if let n = m["rolling"] { o.rolling = try rolling(n) }
        return o
    }

    func rolling(_ node: Node) throws -> EvaluationOptions.Rolling {
        let m = try mapping(node, "evaluation.rolling", allowed: ["train_months", "test_months", "step_months", "expanding"])
        func months(_ key: String) throws -> Int? {
            try m[key].map { try integer($0, "evaluation.rolling.\(key)", range: 1...1200) }
        }
        guard let train = try months("train_months") else {
            throw fail(node, "evaluation.rolling.train_months", "missing — e.g. rolling: { train_months: 6, test_months: 1 }")
        }
        var r = EvaluationOptions.Rolling(trainMonths: train)
        r.testMonths = try months("test_months") ?? 1
        r.stepMonths = try months("step_months") ?? r.testMonths
        if let n = m["expanding"] {
            switch try string(n, "evaluation.rolling.expanding").lowercased() {
            case "true", "yes": r.expanding = true
            case "false", "no": r.expanding = false
            default: throw fail(n, "evaluation.rolling.expanding", "is true or false")
            }
        }
        return r
    }

    func model(_ node: Node?) throws -> ModelOptions {
        var o = ModelOptions()
        guard let node else { return o }
        let m = try mapping(node, "model", allowed: ["selection", "family", "folds", "cv_patience", "seed", "alpha", "lambda"])
        if let n = m["selection"] { o.selection = try choice(n, "model.selection", ModelOptions.Selection.self) }
        if let n = m["family"] { o.family = try choice(n, "model.family", ModelOptions.Family.self) }
        if let n = m["folds"] { o.folds = try integer(n, "model.folds", range: 2...100) }
        if let n = m["cv_patience"] { o.cvPatience = try integer(n, "model.cv_patience", range: 0...1000) }
        if let n = m["seed"] { o.seed = UInt64(try integer(n, "model.seed", range: 0...Int.max)) }
        if let n = m["alpha"] {
            o.alpha = try number(n, "model.alpha", positive: false)
            guard (0...1).contains(o.alpha) else { throw fail(n, "model.alpha", "must be between 0 (ridge) and 1 (lasso)") }
        }
        if let n = m["lambda"] {
            o.lambda = try number(n, "model.lambda")
            guard o.selection != .none else {
                throw fail(n, "model.lambda", "shortlists on the elastic-net path, which selection: none does not fit — remove it or use selection: rtm")
            }
        }
        return o
    }
}
