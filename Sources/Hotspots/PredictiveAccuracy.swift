import RasterCore

/// Out-of-sample accuracy of a risk prediction against held-out events, at a share of the
/// study area taken as "hotspot" (the top-scored cells).
///
/// With N study cells, area share a, the hotspot is the n = ⌈a·N⌉ top cells (1e-9 slack, as
/// `HighRiskCells.cellCount`), so the area actually searched is n/N, which is what PAI divides by:
/// - hit rate H = events captured in the n cells / all test events (Chainey et al. 2008);
/// - PAI = H / (n/N) (Chainey, Tompson & Uhlig 2008, Security Journal 21:4–28);
/// - PEI = PAI / PAI*, PAI* the best PAI possible with n cells: the n cells with the most test
///   events (Hunt 2016, "Do crime hot spots move? Exploring the effects of the modifiable areal
///   unit problem and modifiable temporal unit problem on crime hot spot stability", PhD thesis,
///   American University — cited from memory). In [0, 1]; 1 = as good as hindsight.
/// - RRI, the recapture rate index of Levine (2008, Security Journal 21:295–302):
///   (n₂/n₁)/(N₂/N₁) = H_test / H_train, with n₁, n₂ the training and test events in the hotspot
///   and N₁, N₂ all of them: above 1 the hotspot holds a larger share of the test events than of
///   the training events. Needs the training counts; nil without them. (Citation from memory of
///   the paper's definition, not re-checked in this session.)
/// - score ratio: mean predicted score in the hotspot / mean elsewhere — a contrast of the
///   prediction itself, not of events; NaN when the hotspot is the whole area.
/// - AUC of the hit-rate curve (`HitRateCurve.auc`).
/// Ties in the score follow `ties` (`HitRateCurve.Ties`): with `.averaged` the counts inside a tie
/// group straddling the hotspot edge are prorated, the expectation over random tie orders.
///
/// Complexity O(N log N); Double sums. Metrics are NaN where their denominator is 0 (no test
/// events, no training events for RRI, an empty hotspot).
public enum PredictiveAccuracy {
    public struct Metrics: Sendable, Hashable {
        /// The share asked for.
        public let areaShare: Double
        /// n = ⌈areaShare·N⌉ cells.
        public let hotspotCells: Int
        /// n / N, what PAI divides by.
        public let hotspotAreaShare: Double
        public let hitRate: Double
        public let pai: Double
        public let pei: Double
        public let rri: Double?
        public let scoreRatio: Double
        public let auc: Double
        public let testEvents: Double
    }

    /// Metrics of `score` (higher = riskier) against `testEvents` over `cells`.
    public static func evaluate(score: Raster<Float>, testEvents: Raster<Float>, cells: StudyCells,
                                areaShare: Double, trainingEvents: Raster<Float>? = nil,
                                ties: HitRateCurve.Ties = .averaged) -> Metrics {
        precondition(areaShare > 0 && areaShare <= 1, "an area share is in (0, 1]")
        if let t = trainingEvents { precondition(t.geometry == cells.geometry, "training counts on another grid") }
        let curve = HitRateCurve(score: score, events: testEvents, cells: cells, ties: ties)
        let N = curve.cellCount
        let n = HighRiskCells.cellCount(forShare: areaShare, of: N)
        let share = N > 0 ? Double(n) / Double(N) : .nan
        let hit = curve.hitRate(cells: n)
        let pai = n > 0 ? hit / share : .nan
        let best = cells.indices.map { Double(testEvents.values[$0]) }.sorted(by: >).prefix(n).reduce(0, +)
        let pei = best > 0 ? curve.captured[n] / best : .nan
        var rri: Double?
        if let t = trainingEvents {
            let ends = ties == .averaged ? HitRateCurve.groupEnds(curve.order.map { score.values[$0] }) : nil
            let train = HitRateCurve(order: curve.order, groupEnds: ends, events: t.values, ties: ties)
            let h1 = train.hitRate(cells: n)
            rri = h1 > 0 ? hit / h1 : .nan
        }
        var inside = 0.0, outside = 0.0
        for (k, c) in curve.order.enumerated() {
            if k < n { inside += Double(score.values[c]) } else { outside += Double(score.values[c]) }
        }
        let ratio = n > 0 && n < N && outside != 0 ? (inside / Double(n)) / (outside / Double(N - n)) : .nan
        return Metrics(areaShare: areaShare, hotspotCells: n, hotspotAreaShare: share, hitRate: hit, pai: pai,
                       pei: pei, rri: rri, scoreRatio: ratio, auc: curve.auc, testEvents: curve.totalEvents)
    }
}
