import RasterCore

/// Picks the high-risk cells of a risk surface: the candidates for `RiskClusters`.
///
/// - `.meanPlusSD(k)`: cells with value **strictly above** mean + k·SD, the mean and the
///   population SD (divide by n) taken over the study cells: RTMDx's "highest" class for k = 2
///   (Caplan & Kennedy 2016; as `RiskSurface.classes` in RiskTerrain).
/// - `.topShare(s)`: the ⌈s·n⌉ study cells of highest value (n study cells; the ceiling with a
///   1e-9 slack so 5% of 200 cells is 10, not 11), ties broken by the smaller cell index
///   first, so the selection is deterministic and has exactly that many cells.
/// - `.above(v)`: cells with value strictly above a given value.
///
/// The mean and SD come from the raster's Float values; RiskTerrain's `RiskSurface` classes use
/// the Double scores, so a cell within Float rounding (~6e-8 relative) of mean + 2 SD could be
/// classed differently. To match those classes exactly, pass
/// `.above(surface.mean + 2 * surface.standardDeviation)`.
///
/// Complexity: O(n) for the thresholds, O(n log n) for `.topShare` (a sort). Mean and SD are
/// accumulated in Double (two passes), so they match a Double reference to ~1e-12 relative.
public enum HighRiskCells {
    public enum Rule: Sendable, Hashable {
        case meanPlusSD(k: Double)
        case topShare(Double)
        case above(Double)
        /// RTMDx's highest class: mean + 2 SD.
        public static let rtmdxHighest = Rule.meanPlusSD(k: 2)
    }

    /// The selected cells (increasing index) and the value threshold they exceed (for
    /// `.topShare`, the value of the last cell taken; NaN when nothing is taken).
    public static func select(_ values: Raster<Float>, in cells: StudyCells, rule: Rule) -> (cells: [Int], threshold: Double) {
        precondition(cells.geometry == values.geometry, "study cells and raster on different grids")
        let v = values.values
        switch rule {
        case .meanPlusSD(let k):
            guard !cells.indices.isEmpty else { return ([], .nan) }
            let (mean, sd) = meanAndSD(v, cells.indices)
            let t = mean + k * sd
            return (cells.indices.filter { Double(v[$0]) > t }, t)
        case .above(let t):
            return (cells.indices.filter { Double(v[$0]) > t }, t)
        case .topShare(let s):
            precondition(s >= 0 && s <= 1, "a share of area is in 0…1")
            let n = cellCount(forShare: s, of: cells.count)
            guard n > 0 else { return ([], .nan) }
            let ranked = rankDescending(v, cells.indices)
            let taken = ranked.prefix(n)
            return (taken.sorted(), Double(v[taken.last!]))
        }
    }

    /// ⌈share·n⌉ with a 1e-9 slack against floating-point error (0.05·200 = 10.000000000000002).
    public static func cellCount(forShare share: Double, of n: Int) -> Int {
        min(n, max(0, Int((share * Double(n) - 1e-9).rounded(.up))))
    }

    /// Cells in decreasing value, ties by increasing cell index.
    static func rankDescending(_ v: [Float], _ cells: [Int]) -> [Int] {
        cells.sorted { v[$0] != v[$1] ? v[$0] > v[$1] : $0 < $1 }
    }

    /// Mean and population SD over `cells`, in Double, two passes.
    static func meanAndSD(_ v: [Float], _ cells: [Int]) -> (Double, Double) {
        let n = Double(cells.count)
        var s = 0.0
        for i in cells { s += Double(v[i]) }
        let mean = s / n
        var ss = 0.0
        for i in cells { let d = Double(v[i]) - mean; ss += d * d }
        return (mean, (ss / n).squareRoot())
    }
}
