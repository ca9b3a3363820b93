import Foundation
import GeoIO
import Hotspots
import RasterCore

/// A temporal split for out-of-sample evaluation (spec key `evaluation`).
public struct EvaluationOptions: Sendable, Equatable {
    public var trainFrom: String
    public var trainTo: String
    public var testFrom: String
    public var testTo: String
    /// Area share at which PAI, PEI and RRI are reported (default 5%).
    public var areaShare = 0.05
    /// σ of the kernel-density baseline, metres (default 2 blocks).
    public var kdeBandwidth: Double?
    /// Rolling-origin backtests over the months from `trainFrom` to `testTo` (spec key
    /// `evaluation.rolling`); nil: as many splits of the main windows' lengths as the span holds.
    public var rolling: Rolling?

    public struct Rolling: Sendable, Equatable {
        public var trainMonths: Int
        public var testMonths = 1
        public var stepMonths = 1
        /// Train on every month before the origin instead of the last `trainMonths`.
        public var expanding = false
        public init(trainMonths: Int) { self.trainMonths = trainMonths }
    }
}

/// Fits the model on the training window and asks how well its surface — and the simple
/// alternatives an analyst would use instead — predict where the test window's events happen.
/// Metrics (Hotspots.PredictiveAccuracy): hit rate, PAI, PEI, RRI and the area under the hit-rate
/// curve, ties in scores averaged over their orderings (so a flat score gives the diagonal).
public enum EvaluationStage {
    public struct Method: Sendable, Encodable {
        public let name: String
        public let hitRate: Double
        public let pai: Double
        public let pei: Double
        public let rri: Double?
        public let auc: Double
        /// The hit-rate curve at every 1% of area, 0…100%.
        public let curve: [Double]
    }

    public struct Result: Sendable, Encodable {
        public let trainWindow: String
        public let testWindow: String
        public let areaShare: Double
        public let hotspotCells: Int
        public let trainEvents: Int
        public let testEvents: Int
        public let methods: [Method]
        /// Rolling-origin backtests; nil when the span holds only one split.
        public let rolling: RollingResult?
    }

    /// One metric over the rolling splits: mean and sample SD over the splits where it is defined.
    public struct Spread: Sendable, Encodable {
        public let mean: Double?
        public let sd: Double?
        public let splits: Int
        init(_ s: RollingOrigin.Summary) {
            mean = s.mean.isFinite ? s.mean : nil
            sd = s.sd.isFinite ? s.sd : nil
            splits = s.count
        }
    }

    public struct RollingMethod: Sendable, Encodable {
        public let name: String
        public let hitRate, pai, pei, rri, auc: Spread
        /// PAI of each split, in split order.
        public let paiBySplit: [Double?]
    }

    public struct Split: Sendable, Encodable {
        /// "2024-01–2024-06", "2024-07".
        public let train: String
        public let test: String
    }

    public struct RollingResult: Sendable, Encodable {
        public let trainMonths: Int
        public let testMonths: Int
        public let stepMonths: Int
        public let expanding: Bool
        public let splits: [Split]
        public let testEvents: [Int]
        public let methods: [RollingMethod]
    }

    /// - Parameter cache: the layer cache, so that `rtm run --evaluate` does not build the
    ///   candidate layers it has just built again.
    public static func run(_ spec: ModelSpec, _ e: EvaluationOptions, cache: LayerCache? = nil,
                           progress: @escaping Pipeline.Progress = { _, _ in }) throws -> Result {
        guard let field = spec.outcome.time?.field else {
            throw SpecError(file: spec.path, line: nil, key: "evaluation",
                            message: "a temporal split needs the outcome's time field — add outcome.time: { field: month } (or the date column)")
        }
        // One read of every event from the start of training to the end of the test window, and
        // one set of candidate layers; each split refits the model on its own training events.
        let plan = try rollingPlan(spec, e)
        var whole = spec
        whole.outcome.time = TimeFilter(field: field, from: e.trainFrom, to: e.testTo)
        let prepared = try Pipeline.prepare(whole, cache: cache, progress: progress)
        let events = prepared.inputs.outcome
        let times = events.attributes[field] ?? Array(repeating: nil, count: events.count)
        func points(_ window: TimeFilter) -> [Geometry] {
            zip(events.geometries, times).compactMap { g, t in t.map(window.admits) == true ? g : nil }
        }
        let fitted = try Pipeline.fit(prepared, outcome: points(TimeFilter(field: field, from: e.trainFrom, to: e.trainTo)), progress: progress)
        progress("evaluation on \(e.testFrom)–\(e.testTo)", nil)
        let g = fitted.surface.rrs.geometry
        let testCounts = try Rasterize.countPoints(points(TimeFilter(field: field, from: e.testFrom, to: e.testTo)).flatMap(\.vertices), on: g).counts
        let cells = StudyCells(geometry: g, indices: fitted.design.cells)
        let trainCounts = fitted.design.countsPerCell
        var hotspotCells = 0
        let methods = try baselines(spec, e).map { name, baseline -> Method in
            let score = try baseline.map { try $0.score(training: trainCounts, cells: cells) } ?? fitted.surface.rrs
            let m = PredictiveAccuracy.evaluate(score: score, testEvents: testCounts, cells: cells, areaShare: e.areaShare,
                                                trainingEvents: trainCounts)
            hotspotCells = m.hotspotCells
            let curve = HitRateCurve(score: score, events: testCounts, cells: cells)
            let n = curve.cellCount
            return Method(name: name, hitRate: m.hitRate, pai: m.pai, pei: m.pei, rri: m.rri, auc: m.auc,
                          curve: (0...100).map { curve.hitRate(cells: Int((Double($0) / 100 * Double(n)).rounded())) })
        }
        let testInCells = cells.indices.reduce(0) { $0 + Int(testCounts.values[$1]) }
        let rolling = try plan.map {
            try rollingOrigin(spec, e, plan: $0, prepared: prepared, events: events, times: times, cells: cells, progress: progress)
        }
        return Result(trainWindow: "\(e.trainFrom)–\(e.trainTo)", testWindow: "\(e.testFrom)–\(e.testTo)", areaShare: e.areaShare,
                      hotspotCells: hotspotCells, trainEvents: fitted.design.events, testEvents: testInCells, methods: methods,
                      rolling: rolling)
    }

    /// The methods compared, in order: the model ("rtm", no baseline) and the simple alternatives.
    static func baselines(_ spec: ModelSpec, _ e: EvaluationOptions) -> [(String, Baseline?)] {
        [("rtm", nil), ("kde", .kde(sigma: e.kdeBandwidth ?? 2 * spec.blockLength)),
         ("previous_counts", .previousCounts), ("uniform", .uniform)]
    }

    /// Month number (year × 12 + month − 1) of an ISO-like time value's first seven characters.
    static func monthIndex(_ value: String) -> Int? {
        let v = Array(TimeFilter.normalised(value).prefix(7))
        guard v.count == 7, v[4] == "-", let y = Int(String(v[0..<4])), let m = Int(String(v[5..<7])), (1...12).contains(m) else { return nil }
        return y * 12 + m - 1
    }

    static func monthText(_ i: Int) -> String { String(format: "%04d-%02d", i / 12, i % 12 + 1) }

    /// The rolling splits a spec asks for (or, without `rolling`, the default when the span holds
    /// two or more); checked before any model is fitted.
    struct RollingPlan {
        let rolling: EvaluationOptions.Rolling
        /// Month number of the first period, the number of periods and of splits.
        let first: Int, periodCount: Int, splitCount: Int
    }

    static func rollingPlan(_ spec: ModelSpec, _ e: EvaluationOptions) throws -> RollingPlan? {
        guard let first = monthIndex(e.trainFrom), let last = monthIndex(e.testTo) else {
            if e.rolling == nil { return nil }
            throw SpecError(file: spec.path, line: nil, key: "evaluation.rolling",
                            message: "rolling-origin splits are by month: give the windows as months (2024-01) or dates (2024-01-15)")
        }
        let r: EvaluationOptions.Rolling
        if let given = e.rolling { r = given } else {
            // Default: splits as long as the main windows, stepped by the test length.
            guard let tt = monthIndex(e.trainTo), let sf = monthIndex(e.testFrom) else { return nil }
            var d = EvaluationOptions.Rolling(trainMonths: tt - first + 1)
            d.testMonths = last - sf + 1
            d.stepMonths = d.testMonths
            r = d
        }
        let periodCount = last - first + 1
        guard periodCount >= r.trainMonths + r.testMonths else {
            if e.rolling == nil { return nil }
            throw SpecError(file: spec.path, line: nil, key: "evaluation.rolling",
                            message: "\(r.trainMonths) training + \(r.testMonths) test months do not fit in the \(periodCount) months from \(e.trainFrom) to \(e.testTo) — shorten them")
        }
        let splitCount = (periodCount - r.trainMonths - r.testMonths) / r.stepMonths + 1
        // The default needs at least two splits to say anything the main split does not.
        if e.rolling == nil, splitCount < 2 { return nil }
        return RollingPlan(rolling: r, first: first, periodCount: periodCount, splitCount: splitCount)
    }

    /// Rolling-origin backtests (Hotspots.RollingOrigin) over the months from `trainFrom` to
    /// `testTo`: the model refitted on each split's training months, the baselines scored from
    /// them, every method tested on the months that follow.
    static func rollingOrigin(_ spec: ModelSpec, _ e: EvaluationOptions, plan: RollingPlan, prepared: Pipeline.Prepared, events: FeatureSet,
                              times: [String?], cells: StudyCells, progress: @escaping Pipeline.Progress) throws -> RollingResult {
        let r = plan.rolling, first = plan.first, periodCount = plan.periodCount, splitCount = plan.splitCount
        let last = first + periodCount - 1
        let g = cells.geometry
        var monthPoints = [[Point2]](repeating: [], count: periodCount)
        for (geometry, t) in zip(events.geometries, times) {
            guard let t, let m = monthIndex(t), m >= first, m <= last else { continue }
            monthPoints[m - first] += geometry.vertices
        }
        let periods = try monthPoints.map { try Rasterize.countPoints($0, on: g).counts }
        func window(_ w: Range<Int>) -> String {
            w.count == 1 ? monthText(first + w.lowerBound) : "\(monthText(first + w.lowerBound))–\(monthText(first + w.upperBound - 1))"
        }
        var methods: [RollingMethod] = []
        var splits: [Split] = [], testEvents: [Int] = []
        for (name, baseline) in baselines(spec, e) {
            var done = 0
            let result = try RollingOrigin.evaluate(periods: periods, cells: cells, trainingLength: r.trainMonths, testLength: r.testMonths,
                                                    step: r.stepMonths, expanding: r.expanding, areaShare: e.areaShare) { w in
                if let baseline { return try baseline.score(training: w.trainingCounts, cells: cells) }
                progress("rolling-origin split \(done + 1) of \(splitCount): training on \(window(w.training))", Double(done) / Double(splitCount))
                done += 1
                let train = w.training.flatMap { monthPoints[$0] }
                do {
                    let f = try Pipeline.fit(prepared, outcome: [.multiPoint(train)])
                    return f.surface.rrs
                } catch let error as SpecError {
                    throw SpecError(file: error.file, line: error.line, key: "evaluation.rolling",
                                    message: "split trained on \(window(w.training)): \(error.message)")
                }
            }
            if splits.isEmpty {
                splits = result.splits.map { Split(train: window($0.training), test: window($0.test)) }
                testEvents = result.splits.map { s in s.test.reduce(0) { n, p in n + cells.indices.reduce(0) { $0 + Int(periods[p].values[$1]) } } }
            }
            methods.append(RollingMethod(name: name, hitRate: Spread(result.hitRate), pai: Spread(result.pai), pei: Spread(result.pei),
                                         rri: Spread(result.rri), auc: Spread(result.auc),
                                         paiBySplit: result.splits.map { $0.metrics.pai.isFinite ? $0.metrics.pai : nil }))
        }
        return RollingResult(trainMonths: r.trainMonths, testMonths: r.testMonths, stepMonths: r.stepMonths, expanding: r.expanding,
                             splits: splits, testEvents: testEvents, methods: methods)
    }

    /// Hit-rate curves as an SVG for the report: share of test events against share of area.
    public static func curvesSVG(_ r: Result) -> String {
        let w = 420.0, h = 300.0, pad = 44.0
        func X(_ a: Double) -> Double { pad + a * (w - 1.5 * pad) }
        func Y(_ v: Double) -> Double { h - pad - v * (h - 1.5 * pad) }
        let colours = ["rtm": "#c0392b", "kde": "#2471a3", "previous_counts": "#7d3c98", "uniform": "#7f8c8d"]
        var s = "<svg width=\"\(Int(w))\" height=\"\(Int(h))\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\" role=\"img\" aria-label=\"hit-rate curves\">\n"
        s += String(format: "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#ccc\"/>\n", X(0), Y(1), X(1) - X(0), Y(0) - Y(1))
        for (i, m) in r.methods.enumerated() {
            let pts = m.curve.enumerated().map { String(format: "%.1f,%.1f", X(Double($0.offset) / 100), Y($0.element)) }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(colours[m.name] ?? "#000")\" stroke-width=\"1.8\" points=\"\(pts)\"/>\n"
            s += String(format: "<text x=\"%.0f\" y=\"%.0f\" fill=\"%@\">%@ (AUC %.3f)</text>\n", X(0.55), Y(0.34) + Double(i) * 14,
                        colours[m.name] ?? "#000", m.name.replacingOccurrences(of: "_", with: " "), m.auc)
        }
        s += String(format: "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">share of area (cells ranked by score)</text>", (X(0) + X(1)) / 2, h - 10)
        s += String(format: "<text x=\"12\" y=\"%.0f\" transform=\"rotate(-90 12 %.0f)\" text-anchor=\"middle\">share of test events</text>\n", h / 2, h / 2)
        return s + "</svg>\n"
    }

    public static func json(_ r: Result) throws -> Data { try RunOutputs.encodeJSON(r) }

    public static func text(_ r: Result) -> String {
        var lines = ["evaluation: trained on \(r.trainWindow) (\(r.trainEvents) events), tested on \(r.testWindow) (\(r.testEvents) events); "
                     + String(format: "hotspot area %.0f%% (%d cells)", r.areaShare * 100, r.hotspotCells),
                     "  method            hit rate    PAI    PEI    RRI    AUC"]
        for m in r.methods {
            lines.append("  " + DemoText.pad(m.name.replacingOccurrences(of: "_", with: " "), 16)
                         + String(format: "  %7.1f%%  %5.2f  %5.2f  %5@  %5.3f", m.hitRate * 100, m.pai, m.pei,
                                  (m.rri.map { String(format: "%.2f", $0) } ?? "—") as NSString, m.auc))
        }
        if let r = r.rolling {
            lines.append("rolling origin: \(r.splits.count) splits (train \(r.expanding ? "on every month before the origin" : "\(r.trainMonths) months"), "
                         + "test \(r.testMonths), step \(r.stepMonths)); mean ± SD over the splits")
            lines.append("  method            hit rate          PAI            PEI            AUC")
            for m in r.methods {
                lines.append("  " + DemoText.pad(m.name.replacingOccurrences(of: "_", with: " "), 16)
                             + "  " + spread(m.hitRate, percent: true) + "  " + spread(m.pai) + "  " + spread(m.pei) + "  " + spread(m.auc, digits: 3))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// "3.12 ± 0.85" (or "—" when no split defined it), padded to a column.
    static func spread(_ s: Spread, percent: Bool = false, digits: Int = 2) -> String {
        guard let mean = s.mean else { return DemoText.pad("—", 13) }
        let k = percent ? 100.0 : 1.0, f = percent ? "%.1f%%" : "%.\(digits)f"
        let sd = s.sd.map { String(format: " ± " + f, $0 * k) } ?? ""
        return DemoText.pad(String(format: f, mean * k) + sd, 13)
    }
}
