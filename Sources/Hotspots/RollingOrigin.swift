import RasterCore

/// Rolling-origin (time-series cross-validation) evaluation: train on a window of periods, test
/// on the periods that follow, move the origin on, repeat (Tashman 2000, Int. J. Forecasting
/// 16:437–450). Each split's score comes from a caller's function of the training window (a
/// refit model, or a `Baseline`), so no information from the test periods can leak into it.
///
/// With P periods, training length L, test length T and step s, the origins are
/// o = L, L + s, … while o + T ≤ P; split o trains on periods o − L ..< o (or 0 ..< o when
/// `expanding`) and tests on o ..< o + T. Counts of a window are summed cell by cell.
/// Summaries are the mean and the sample SD (n − 1; NaN for one split) over the splits whose
/// metric is finite (a split without test events has NaN metrics and is left out of that
/// metric's summary, and `count` says how many were used).
///
/// Complexity: splits × (the score function + O(N log N) for the metrics + O(cells × L) sums).
public enum RollingOrigin {
    public struct Window: Sendable {
        public let training: Range<Int>
        public let test: Range<Int>
        /// Σ of the training periods' counts.
        public let trainingCounts: Raster<Float>
    }

    public struct Split: Sendable {
        public let training: Range<Int>
        public let test: Range<Int>
        public let metrics: PredictiveAccuracy.Metrics
    }

    public struct Summary: Sendable, Hashable {
        public let mean: Double
        public let sd: Double
        public let count: Int

        init(_ xs: [Double]) {
            let v = xs.filter(\.isFinite)
            let m = v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
            count = v.count
            mean = m
            sd = v.count < 2 ? .nan : (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
        }
    }

    public struct Result: Sendable {
        public let splits: [Split]
        public let hitRate, pai, pei, rri, scoreRatio, auc: Summary
    }

    /// Evaluates `score` over the rolling splits of `periods` (e.g. monthly count rasters, oldest
    /// first). RRI uses each split's training counts.
    public static func evaluate(periods: [Raster<Float>], cells: StudyCells, trainingLength: Int, testLength: Int = 1,
                                step: Int = 1, expanding: Bool = false, areaShare: Double,
                                ties: HitRateCurve.Ties = .averaged,
                                score: (Window) throws -> Raster<Float>) rethrows -> Result {
        precondition(trainingLength >= 1 && testLength >= 1 && step >= 1, "window lengths and step are at least 1")
        precondition(periods.allSatisfy { $0.geometry == cells.geometry }, "periods on another grid")
        var splits: [Split] = []
        var o = trainingLength
        while o + testLength <= periods.count {
            let train = (expanding ? 0 : o - trainingLength)..<o, test = o..<(o + testLength)
            let trainCounts = sum(periods[train], cells.geometry), testCounts = sum(periods[test], cells.geometry)
            let s = try score(Window(training: train, test: test, trainingCounts: trainCounts))
            let m = PredictiveAccuracy.evaluate(score: s, testEvents: testCounts, cells: cells, areaShare: areaShare,
                                                trainingEvents: trainCounts, ties: ties)
            splits.append(Split(training: train, test: test, metrics: m))
            o += step
        }
        let ms = splits.map(\.metrics)
        return Result(splits: splits, hitRate: Summary(ms.map(\.hitRate)), pai: Summary(ms.map(\.pai)),
                      pei: Summary(ms.map(\.pei)), rri: Summary(ms.map { $0.rri ?? .nan }),
                      scoreRatio: Summary(ms.map(\.scoreRatio)), auc: Summary(ms.map(\.auc)))
    }

    static func sum(_ rasters: ArraySlice<Raster<Float>>, _ g: GridGeometry) -> Raster<Float> {
        var out = [Double](repeating: 0, count: g.cellCount)
        for r in rasters { for i in out.indices { out[i] += Double(r.values[i]) } }
        return Raster(geometry: g, values: out.map { Float($0) })
    }
}
