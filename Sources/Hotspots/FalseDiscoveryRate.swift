/// Benjamini–Hochberg step-up procedure controlling the false discovery rate at `q`
/// (Benjamini & Hochberg 1995, J. R. Stat. Soc. B 57:289–300).
///
/// With the m p-values sorted ascending p₍₁₎ ≤ … ≤ p₍ₘ₎, let k be the largest i with
/// p₍ᵢ₎ ≤ i·q/m; reject the hypotheses of p₍₁₎ … p₍ₖ₎ (none when there is no such i). NaN
/// p-values are not tested and do not count in m. Also returns the BH-adjusted p-values
/// (p̃₍ᵢ₎ = min over j ≥ i of m·p₍ⱼ₎/j, capped at 1; scipy's `false_discovery_control`, R's
/// `p.adjust(method = "BH")`), so p̃ᵢ ≤ q ⇔ rejected.
///
/// Complexity O(m log m) (a sort); comparisons are exact in Double.
public enum FalseDiscoveryRate {
    public struct Result: Sendable, Hashable {
        /// Per input, whether its null hypothesis is rejected.
        public let rejected: [Bool]
        /// Per input, the BH-adjusted p-value (NaN where the input was NaN).
        public let adjusted: [Double]
        /// The largest p-value rejected (the step-up cut-off); nil when none.
        public let cutoff: Double?
    }

    public static func benjaminiHochberg(_ p: [Double], q: Double = 0.05) -> Result {
        precondition(q > 0 && q < 1, "an FDR level is in (0, 1)")
        // Ascending p, ties by input position: (p, index) pairs sort without looking p up.
        let order = p.indices.compactMap { p[$0].isNaN ? nil : (p[$0], $0) }.sorted { $0 < $1 }.map(\.1)
        let m = order.count
        var k = 0
        for (i, j) in order.enumerated() where p[j] <= Double(i + 1) * q / Double(m) { k = i + 1 }
        var rejected = [Bool](repeating: false, count: p.count)
        for j in order.prefix(k) { rejected[j] = true }
        var adjusted = [Double](repeating: .nan, count: p.count)
        var running = 1.0
        for i in stride(from: m - 1, through: 0, by: -1) {
            let j = order[i]
            running = min(running, p[j] * Double(m) / Double(i + 1))
            adjusted[j] = running
        }
        return Result(rejected: rejected, adjusted: adjusted, cutoff: k > 0 ? p[order[k - 1]] : nil)
    }

    /// The same rejections and cut-off without the adjusted p-values, in O(m + r log r) for the r
    /// p-values ≤ q: only they can be rejected (p₍ₖ₎ ≤ k·q/m ≤ q), and as the smallest of all
    /// they sort to their ranks among all m (ties by input position, as above).
    public static func rejections(_ p: [Double], q: Double = 0.05) -> (rejected: [Bool], cutoff: Double?) {
        precondition(q > 0 && q < 1, "an FDR level is in (0, 1)")
        var m = 0
        var small = [(Double, Int)]()
        for (j, v) in p.enumerated() where !v.isNaN {
            m += 1
            if v <= q { small.append((v, j)) }
        }
        small.sort { $0 < $1 }
        var k = 0
        for (i, (v, _)) in small.enumerated() where v <= Double(i + 1) * q / Double(m) { k = i + 1 }
        var rejected = [Bool](repeating: false, count: p.count)
        for (_, j) in small.prefix(k) { rejected[j] = true }
        return (rejected, k > 0 ? small[k - 1].0 : nil)
    }
}
