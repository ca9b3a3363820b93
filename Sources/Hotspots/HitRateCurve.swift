import RasterCore

/// The hit-rate curve of a prediction: the share of events captured against the share of the
/// study area searched, cells taken in decreasing predicted score (Chainey, Tompson & Uhlig 2008;
/// the "cumulative capture" or concentration curve).
///
/// Ties in the score are handled one of two ways, and the choice is part of the result:
/// - `.byCellIndex`: tied cells in increasing row-major index — deterministic, but a tie group
///   is ordered by where it happens to lie on the grid, so flat predictions can look lucky.
/// - `.averaged` (default for the metrics): the expected curve over all orders of each tie group
///   (each cell of a group of g cells holding E events counts E/g), i.e. a straight segment
///   across the group. A constant score gives the diagonal, AUC exactly 0.5.
///
/// `captured[k]` is the number of events in the k highest-ranked cells, k = 0…n (n study cells);
/// the curve's points are (k/n, captured[k]/total). The AUC is the trapezoid area under them,
/// 0.5 for a uniform prediction, 1 − (share of cells without events)/2 at best.
///
/// Complexity O(n log n) (a sort); sums in Double, exact for integer counts below 2⁵³.
public struct HitRateCurve: Sendable, Hashable {
    public enum Ties: Sendable, Hashable { case byCellIndex, averaged }

    /// Events captured by the k top cells, k = 0…cellCount.
    public let captured: [Double]
    /// Study cells in the order ranked (ties by index within a group, whatever `ties`).
    public let order: [Int]
    public let ties: Ties
    public var cellCount: Int { captured.count - 1 }
    public var totalEvents: Double { captured[cellCount] }

    /// The curve of `score` against `events` over `cells`.
    public init(score: Raster<Float>, events: Raster<Float>, cells: StudyCells, ties: Ties = .averaged) {
        precondition(score.geometry == cells.geometry && events.geometry == cells.geometry, "rasters on different grids")
        let s = score.values
        precondition(cells.indices.allSatisfy { s[$0].isFinite }, "a score must be finite on every study cell")
        let order = HighRiskCells.rankDescending(s, cells.indices)
        self.init(order: order, groupEnds: ties == .averaged ? Self.groupEnds(order.map { s[$0] }) : nil,
                  events: events.values, ties: ties)
    }

    /// The curve for an explicit order of cells, with tie groups given by their end positions
    /// (nil: no ties averaged).
    init(order: [Int], groupEnds: [Int]?, events: [Float], ties: Ties) {
        var cap = [Double](repeating: 0, count: order.count + 1)
        for (k, c) in order.enumerated() { cap[k + 1] = cap[k] + Double(events[c]) }
        if let ends = groupEnds {
            var start = 0
            for end in ends {
                let g = end - start
                if g > 1 {
                    let a = cap[start], b = cap[end]
                    for j in 1..<g { cap[start + j] = a + (b - a) * Double(j) / Double(g) }
                }
                start = end
            }
        }
        self.captured = cap
        self.order = order
        self.ties = ties
    }

    /// End positions (exclusive) of runs of equal values.
    static func groupEnds(_ v: [Float]) -> [Int] {
        var ends: [Int] = []
        for k in v.indices where k + 1 == v.count || v[k + 1] != v[k] { ends.append(k + 1) }
        return ends
    }

    /// Share of events captured by the k top cells; NaN when there are no events.
    public func hitRate(cells k: Int) -> Double {
        precondition(k >= 0 && k <= cellCount, "cell count outside 0…n")
        return totalEvents > 0 ? captured[k] / totalEvents : .nan
    }

    /// Points (area share, hit rate), k = 0…n.
    public var points: [(area: Double, hitRate: Double)] {
        (0...cellCount).map { (Double($0) / Double(cellCount), hitRate(cells: $0)) }
    }

    /// Area under the curve by the trapezoid rule, in [0, 1]; NaN when there are no events.
    public var auc: Double {
        guard totalEvents > 0, cellCount > 0 else { return .nan }
        var s = 0.0
        for k in 0..<cellCount { s += captured[k] + captured[k + 1] }
        return s / (2 * Double(cellCount) * totalEvents)
    }
}
