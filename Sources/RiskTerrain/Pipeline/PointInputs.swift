import Foundation
import GeoIO

/// A point input (outcome events, StreetSafe reports) read from every file behind it — a
/// data.police.uk download of a folder per month, several forces, a list — as one set of
/// features, with what each file gave and the months the data holds.
///
/// A `Crime ID` seen twice (a crime listed by two forces, a month downloaded twice) counts once;
/// rows without an ID (data.police.uk gives anti-social behaviour none) always count.
public struct PointInput: Sendable {
    /// One file's rows and the features kept from it.
    public struct FileRead: Sendable, Codable, Equatable {
        public let path: String
        /// Rows or features in the file before any filter.
        public let rows: Int
        /// Features kept (after filters, before de-duplication).
        public let kept: Int
    }

    /// The features of every file, in the analysis CRS; `report` sums the files' reports, and
    /// counts the repeated Crime IDs among its skips.
    public let features: FeatureSet
    public let files: [FileRead]
    public let skippedFiles: [LayerSource.SkippedFile]
    /// Rows per month in the data (after `where`, before the category and time filters), and
    /// per month among the features kept.
    public let monthsSeen: [String: Int]
    public let monthsKept: [String: Int]
    /// Rows dropped because their Crime ID had been read already.
    public let duplicateIDs: Int

    /// The skip reason repeated IDs are counted under.
    static let duplicateReason = "a Crime ID read already (each crime counts once)"

    /// Reads `source.files` with `query` into `crs`, checks `crime_types` and the time filter
    /// against what the data holds, and drops repeated Crime IDs.
    /// - Parameter key: the spec key, for errors ("outcome").
    static func read(_ source: LayerSource, key: String, spec: ModelSpec, query: VectorQuery, into crs: CRS) throws -> PointInput {
        var q = query
        if let types = source.crimeTypes { q.categories = CategoryFilter(field: "Crime type", values: types, key: "\(key).crime_types") }
        let monthField = source.time?.field ?? "month"
        for f in [Self.idField, monthField] where !q.optionalFields.contains(f) { q.optionalFields.append(f) }
        var sets: [FeatureSet] = []
        let transformers = TransformerCache()
        for file in source.files {
            // an empty file is judged with the rest (below), after crime_types and the months are checked
            sets.append(try VectorReader.read(file, query: q, into: crs, allowEmpty: true, transformers: transformers))
        }
        var combined = Self.concatenate(sets, label: source.label)
        let duplicates = Self.dropRepeatedIDs(&combined, files: source.files, counts: sets.map(\.count), monthField: monthField)
        let input = PointInput(features: combined,
                               files: zip(source.files, sets).map { FileRead(path: $0, rows: $1.report.featuresInLayer, kept: $1.count) },
                               skippedFiles: source.skippedFiles, monthsSeen: combined.report.monthsSeen,
                               monthsKept: combined.report.monthsKept, duplicateIDs: duplicates)
        try input.checkCrimeTypes(source, key: key, spec: spec)
        try input.checkTimeFilter(source, key: key, spec: spec)
        if combined.geometries.isEmpty {
            let r = combined.report
            if r.skipped.keys.contains(where: { !ReadReport.isFilterReason($0) }) {
                throw GeoDataError.nothingUsable(path: source.label, summary: r.summary)
            }
            throw GeoDataError.emptyLayer(path: source.label, layer: sets.first?.report.layer ?? "", filtered: r.featuresInLayer > 0)
        }
        return input
    }

    static let idField = "crime id"

    /// One feature set of many: geometries, ids and attributes in file order (an attribute a file
    /// lacks is null for its features), and one report of their sums.
    static func concatenate(_ sets: [FeatureSet], label: String) -> FeatureSet {
        precondition(!sets.isEmpty, "a point input has at least one file")
        if sets.count == 1, sets[0].report.path == label { return sets[0] }
        let total = sets.reduce(0) { $0 + $1.count }
        var out = FeatureSet(crs: sets[0].crs, geometries: [], attributes: [:], featureIDs: [], report: sets[0].report)
        out.geometries.reserveCapacity(total)
        out.featureIDs.reserveCapacity(total)
        let keys = Set(sets.flatMap(\.attributes.keys))
        for k in keys { out.attributes[k] = [] ; out.attributes[k]!.reserveCapacity(total) }
        var r = ReadReport(path: label, layer: sets[0].report.layer, format: sets[0].report.format, featuresInLayer: 0,
                           passedWhere: 0, kept: 0, skipped: [:], skippedExamples: [:], notes: [])
        for s in sets {
            out.geometries += s.geometries
            out.featureIDs += s.featureIDs
            for k in keys { out.attributes[k]! += s.attributes[k] ?? Array(repeating: nil, count: s.count) }
            let file = (s.report.path as NSString).lastPathComponent
            r.featuresInLayer += s.report.featuresInLayer
            r.passedWhere += s.report.passedWhere
            r.kept += s.report.kept
            for (reason, n) in s.report.skipped {
                r.skipped[reason, default: 0] += n
                for e in s.report.skippedExamples[reason, default: []] where r.skippedExamples[reason, default: []].count < 5 {
                    r.skippedExamples[reason, default: []].append("\(file) \(e)")
                }
            }
            for (what, n) in s.report.repaired { r.repaired[what, default: 0] += n }
            for note in s.report.notes where !r.notes.contains(note) { r.notes.append(note) }
            r.monthsSeen.merge(s.report.monthsSeen, uniquingKeysWith: +)
            r.monthsKept.merge(s.report.monthsKept, uniquingKeysWith: +)
            r.categoriesSeen.merge(s.report.categoriesSeen, uniquingKeysWith: +)
        }
        if sets.count > 1 { r.notes.append("read from \(sets.count) files") }
        out.report = r
        return out
    }

    /// Drops features whose Crime ID an earlier feature had, counting them in the report; returns
    /// how many. IDs are compared as written (data.police.uk's are 64 hexadecimal digits).
    /// - Parameter monthField: the attribute the reader counted months by (the time field, or
    ///   data.police.uk's `Month`), so the months kept lose the repeats too.
    static func dropRepeatedIDs(_ set: inout FeatureSet, files: [String], counts: [Int], monthField: String) -> Int {
        guard let ids = set.attributes[idField], ids.count == set.count else { return 0 }
        var seen = Set<String>()
        seen.reserveCapacity(ids.count)
        var keep = [Bool](repeating: true, count: ids.count)
        var fileOf = [Int](), dropped = 0
        for (f, n) in counts.enumerated() { fileOf += Array(repeating: f, count: n) }
        for (i, id) in ids.enumerated() {
            guard let id, !id.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            if !seen.insert(id).inserted {
                keep[i] = false
                dropped += 1
                let name = (files[fileOf[i]] as NSString).lastPathComponent
                set.report.skip(duplicateReason, "\(name) line \(set.featureIDs[i] + 1)")
            }
        }
        guard dropped > 0 else { return 0 }
        // the months kept counted the repeats: take them off again
        if let months = set.attributes[monthField] {
            for (i, kept) in keep.enumerated() where !kept {
                if let m = months[i].flatMap(EvaluationStage.monthIndex).map(EvaluationStage.monthText),
                   let n = set.report.monthsKept[m] { set.report.monthsKept[m] = n - 1 }
            }
        }
        set.geometries = zip(set.geometries, keep).filter(\.1).map(\.0)
        set.featureIDs = zip(set.featureIDs, keep).filter(\.1).map(\.0)
        for k in set.attributes.keys { set.attributes[k] = zip(set.attributes[k]!, keep).filter(\.1).map(\.0) }
        set.report.kept -= dropped
        return dropped
    }

    // MARK: What the data holds

    /// First and last month of a month count, and the months between them that have none.
    public struct MonthSpan: Sendable, Codable, Equatable {
        public let first: String
        public let last: String
        public let missing: [String]
        public let count: Int
    }

    /// The span of the months the files hold; nil when the rows carry no month.
    public var monthsInData: MonthSpan? { Self.span(monthsSeen) }
    /// The span of the months of the features kept.
    public var monthsRead: MonthSpan? { Self.span(monthsKept) }

    static func span(_ counts: [String: Int]) -> MonthSpan? {
        let indices = counts.filter { $0.value > 0 }.keys.compactMap(EvaluationStage.monthIndex).sorted()
        guard let lo = indices.first, let hi = indices.last else { return nil }
        let present = Set(indices)
        let missing = (lo...hi).filter { !present.contains($0) }.map(EvaluationStage.monthText)
        return MonthSpan(first: EvaluationStage.monthText(lo), last: EvaluationStage.monthText(hi), missing: missing, count: present.count)
    }

    /// "2024-01–2024-12 (12 months)", with the missing ones named.
    static func describe(_ s: MonthSpan) -> String {
        var text = s.first == s.last ? s.first : "\(s.first)–\(s.last)"
        text += " (\(s.count) month\(s.count == 1 ? "" : "s")"
        if !s.missing.isEmpty { text += "; none in \(Self.ranges(s.missing))" }
        return text + ")"
    }

    /// "2024-03, 2024-05–2024-07": consecutive months folded into ranges.
    static func ranges(_ months: [String]) -> String {
        let idx = months.compactMap(EvaluationStage.monthIndex).sorted()
        var parts: [String] = [], i = 0
        while i < idx.count {
            var j = i
            while j + 1 < idx.count, idx[j + 1] == idx[j] + 1 { j += 1 }
            parts.append(i == j ? EvaluationStage.monthText(idx[i]) : "\(EvaluationStage.monthText(idx[i]))–\(EvaluationStage.monthText(idx[j]))")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }

    /// Every `crime_types` entry must be a category present (any case), or the fix is named.
    func checkCrimeTypes(_ source: LayerSource, key: String, spec: ModelSpec) throws {
        guard let types = source.crimeTypes else { return }
        let present = features.report.categoriesSeen.filter { !$0.key.isEmpty }
        let folded = Set(present.keys.map(CategoryFilter.fold))
        for t in types where !folded.contains(CategoryFilter.fold(t)) {
            let names = present.sorted { $0.value > $1.value }.map(\.key)
            let hint = NameMatching.closest(to: t, in: names).map { " — did you mean '\($0)'?" } ?? ""
            let listed = names.prefix(20).map { "\($0) (\(present[$0]!))" }.joined(separator: ", ")
            throw SpecError(file: spec.path, line: nil, key: "\(key).crime_types",
                            message: "'\(t)' is not a crime type in \(source.label)\(hint) (the types there: \(listed.isEmpty ? "none" : listed))")
        }
    }

    /// A time filter's bounds must name months the data holds: `to: 2025-03` on data that ends in
    /// 2024-12 names three months that are not there.
    func checkTimeFilter(_ source: LayerSource, key: String, spec: ModelSpec) throws {
        guard let t = source.time, let data = monthsInData,
              let first = EvaluationStage.monthIndex(data.first), let last = EvaluationStage.monthIndex(data.last) else { return }
        if let from = t.from, let f = Self.boundMonth(from, end: false), f < first {
            throw SpecError(file: spec.path, line: nil, key: "\(key).time.from",
                            message: "\(from) is before the data begins: \(source.label) holds \(Self.describe(data)), so \(Self.ranges((f..<first).map(EvaluationStage.monthText))) \(first - f == 1 ? "is" : "are") absent — set from: \(data.first), or add the earlier files")
        }
        if let to = t.to, let l = Self.boundMonth(to, end: true), l > last {
            throw SpecError(file: spec.path, line: nil, key: "\(key).time.to",
                            message: "\(to) is after the data ends: \(source.label) holds \(Self.describe(data)), so \(Self.ranges((last + 1...l).map(EvaluationStage.monthText))) \(l - last == 1 ? "is" : "are") absent — set to: \(data.last), or add the later files")
        }
    }

    /// The month a bound covers: "2024" is January (a start) or December (an end) of 2024.
    static func boundMonth(_ bound: String, end: Bool) -> Int? {
        if let m = EvaluationStage.monthIndex(bound) { return m }
        guard bound.count == 4, let year = Int(bound) else { return nil }
        return year * 12 + (end ? 11 : 0)
    }
}
