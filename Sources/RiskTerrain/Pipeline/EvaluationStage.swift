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
    }

    public static func run(_ spec: ModelSpec, _ e: EvaluationOptions, progress: @escaping Pipeline.Progress = { _, _ in }) throws -> Result {
        guard let field = spec.outcome.time?.field else {
            throw SpecError(file: spec.path, line: nil, key: "evaluation",
                            message: "a temporal split needs the outcome's time field — add outcome.time: { field: month } (or the date column)")
        }
        var train = spec
        train.outcome.time = TimeFilter(field: field, from: e.trainFrom, to: e.trainTo)
        let fitted = try Pipeline.fit(train, progress: progress)
        progress("evaluation on \(e.testFrom)–\(e.testTo)", nil)
        var testSource = spec.outcome
        testSource.time = TimeFilter(field: field, from: e.testFrom, to: e.testTo)
        let test = try VectorReader.read(testSource.path, query: StudyInputs.query(testSource, declared: try testSource.crs.map(CRS.init)),
                                         into: fitted.inputs.crs)
        let g = fitted.surface.rrs.geometry
        let testCounts = try Rasterize.countPoints(test.geometries.flatMap(\.vertices), on: g).counts
        let cells = StudyCells(geometry: g, indices: fitted.design.cells)
        let trainCounts = fitted.design.countsPerCell
        let candidates: [(String, Raster<Float>)] = [
            ("rtm", fitted.surface.rrs),
            ("kde", try Baseline.kde(sigma: e.kdeBandwidth ?? 2 * spec.blockLength).score(training: trainCounts, cells: cells)),
            ("previous_counts", try Baseline.previousCounts.score(training: trainCounts, cells: cells)),
            ("uniform", try Baseline.uniform.score(training: trainCounts, cells: cells)),
        ]
        var hotspotCells = 0
        let methods = candidates.map { name, score -> Method in
            let m = PredictiveAccuracy.evaluate(score: score, testEvents: testCounts, cells: cells, areaShare: e.areaShare,
                                                trainingEvents: trainCounts)
            hotspotCells = m.hotspotCells
            let curve = HitRateCurve(score: score, events: testCounts, cells: cells)
            let n = curve.cellCount
            return Method(name: name, hitRate: m.hitRate, pai: m.pai, pei: m.pei, rri: m.rri, auc: m.auc,
                          curve: (0...100).map { curve.hitRate(cells: Int((Double($0) / 100 * Double(n)).rounded())) })
        }
        let testInCells = cells.indices.reduce(0) { $0 + Int(testCounts.values[$1]) }
        return Result(trainWindow: "\(e.trainFrom)–\(e.trainTo)", testWindow: "\(e.testFrom)–\(e.testTo)", areaShare: e.areaShare,
                      hotspotCells: hotspotCells, trainEvents: fitted.design.events, testEvents: testInCells, methods: methods)
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

    public static func json(_ r: Result) throws -> Data { try RunOutputs.jsonEncoder().encode(r) }

    public static func text(_ r: Result) -> String {
        var lines = ["evaluation: trained on \(r.trainWindow) (\(r.trainEvents) events), tested on \(r.testWindow) (\(r.testEvents) events); "
                     + String(format: "hotspot area %.0f%% (%d cells)", r.areaShare * 100, r.hotspotCells),
                     "  method            hit rate    PAI    PEI    RRI    AUC"]
        for m in r.methods {
            lines.append("  " + DemoText.pad(m.name.replacingOccurrences(of: "_", with: " "), 16)
                         + String(format: "  %7.1f%%  %5.2f  %5.2f  %5@  %5.3f", m.hitRate * 100, m.pai, m.pei,
                                  (m.rri.map { String(format: "%.2f", $0) } ?? "—") as NSString, m.auc))
        }
        return lines.joined(separator: "\n")
    }
}
