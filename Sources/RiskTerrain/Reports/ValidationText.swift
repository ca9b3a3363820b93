import Foundation
import GeoIO
import RasterCore

/// Renders what `rtm validate` found: the inputs as the model will see them.
public enum ValidationText {
    public static func render(_ inputs: StudyInputs) throws -> String {
        let spec = inputs.spec
        let grid = try GridGeometry(covering: inputs.studyExtent, cellSize: spec.cellSize)
        var lines = ["\(spec.path): valid",
                     "  analysis crs:  \(inputs.crs)",
                     "  grid:          \(grid.width) × \(grid.height) cells of \(InspectText.number(spec.cellSize)) m (\(grid.cellCount) in the extent), blocks of \(InspectText.number(spec.blockLength)) m",
                     "  study area:    \(inputs.studyArea.count) polygon\(inputs.studyArea.count == 1 ? "" : "s"), extent \(InspectText.extent(inputs.studyExtent))",
                     "  outcome:       \(inputs.outcome.count) events from \(sourceText(spec.outcome))" + filterText(spec.outcome)]
        lines += pointLines(inputs.outcomeRead, spec.outcome)
        var candidates = 0
        for f in inputs.factors {
            let increments = f.spec.increments(blockLength: spec.blockLength)
            let layers = f.spec.candidateCount(blockLength: spec.blockLength).total
            candidates += layers
            let what: String
            if let set = f.features {
                let kinds = Set(set.geometries.map(\.kind.rawValue)).sorted().joined(separator: "/")
                what = "\(set.count) \(kinds) feature\(set.count == 1 ? "" : "s")"
            } else if let r = f.raster {
                what = "raster \(r.width) × \(r.height), pixel \(InspectText.number(r.pixelSize?.x ?? 0)), \(f.spec.resampling.rawValue)"
            } else { what = "" }
            let distances = increments.map { InspectText.number($0) }.joined(separator: ", ")
            let inf = f.spec.influences.map { [.proximity, .density].contains($0) ? "\($0.rawValue) (\(distances) m)" : $0.rawValue }
                .joined(separator: ", ")
            lines.append("  factor \(f.spec.name): \(what); \(inf) → \(layers) candidate layer\(layers == 1 ? "" : "s")")
        }
        let m = spec.model
        lines.append("  model:         selection \(m.selection.rawValue), family \(m.family.rawValue), \(m.lambda.map { "shortlist at the given λ \(String(format: "%.4g", $0)) (model.lambda, no cross-validation)" } ?? "\(m.folds) folds (\(m.cvPatience > 0 ? "stop \(m.cvPatience) λ past the CV minimum" : "whole paths"))"), seed \(m.seed), alpha \(InspectText.number(m.alpha)); \(candidates) candidate layers")
        if let e = inputs.spec.evaluation {
            var text = "train \(e.trainFrom)–\(e.trainTo), test \(e.testFrom)–\(e.testTo), metrics at \(InspectText.number(e.areaShare * 100))% of the area"
            if let plan = try? EvaluationStage.rollingPlan(inputs.spec, e) {   // checked by the parser
                let r = plan.rolling
                text += "; rolling origin: \(plan.splitCount) splits (\(r.expanding ? "every month before the origin" : "\(r.trainMonths) months") → \(r.testMonths))"
            }
            lines.append("  evaluation:    " + text)
        }
        if let p = spec.patrols {
            let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            let ops = p.operations.filter(\.enabled).map { o -> String in
                let r = o.rules
                let days = r.days.count == 7 ? "daily" : r.days.map { dayNames[$0] }.joined(separator: ",")
                let quota = o.perMonth.map { ", \($0) a month" } ?? r.teamDaysPerWeek.map { ", \($0) a week" } ?? ""
                return "\(o.kind.title) \(r.teamsPerDay) team\(r.teamsPerDay == 1 ? "" : "s") \(r.window.text) \(days)\(quota), \(r.dwell) min visits"
            }
            lines.append("  patrols:       " + (ops.isEmpty ? "no operation enabled" : ops.joined(separator: "; ")))
        }
        if let s = spec.streetSafe, let read = inputs.streetSafeRead {
            lines.append("  streetsafe:    \(read.features.count) reports from \(sourceText(s))" + filterText(s))
            lines += pointLines(read, s)
        }
        for w in inputs.warnings { lines.append("  warning:       \(w)") }
        return lines.joined(separator: "\n")
    }

    /// "spec-relative/police (57 files)", or the file's name.
    static func sourceText(_ s: LayerSource) -> String {
        guard s.isMultiFile else { return (s.path as NSString).lastPathComponent }
        let names = s.written.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
        return "\(names) (\(s.files.count) file\(s.files.count == 1 ? "" : "s")\(s.skippedFiles.isEmpty ? "" : ", \(s.skippedFiles.count) others not read"))"
    }

    /// Files listed up to this many; the manifest lists them all.
    static let filesListed = 24

    /// Per file: rows and features kept; the months the data holds and those read; Crime IDs
    /// counted once.
    static func pointLines(_ read: PointInput, _ s: LayerSource) -> [String] {
        var lines: [String] = []
        if s.isMultiFile {
            for f in read.files.prefix(filesListed) {
                lines.append("    \((f.path as NSString).lastPathComponent): \(f.rows) rows, \(f.kept) kept")
            }
            if read.files.count > filesListed { lines.append("    … and \(read.files.count - filesListed) more files (manifest.json lists every one)") }
            for f in s.skippedFiles.prefix(8) { lines.append("    not read: \((f.path as NSString).lastPathComponent) (\(f.reason))") }
            if s.skippedFiles.count > 8 { lines.append("    not read: … and \(s.skippedFiles.count - 8) more") }
        }
        if let data = read.monthsInData { lines.append("    months in the data: \(PointInput.describe(data))") }
        if let kept = read.monthsRead, kept != read.monthsInData { lines.append("    months read:        \(PointInput.describe(kept))") }
        if read.duplicateIDs > 0 { lines.append("    \(read.duplicateIDs) repeated Crime ID\(read.duplicateIDs == 1 ? "" : "s") counted once") }
        return lines
    }

    static func filterText(_ s: LayerSource) -> String {
        var parts: [String] = []
        if let types = s.crimeTypes { parts.append("crime types \(types.joined(separator: ", "))") }
        if let w = s.whereClause { parts.append("where \(w)") }
        if let t = s.time { parts.append("\(t.field) \(t.from ?? "…")–\(t.to ?? "…")") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")"
    }
}
