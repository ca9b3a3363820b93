import RasterCore

/// Which risk factors drive a cluster's risk: each selected term's share of the cluster's
/// log relative risk, for narratives such as "licensed premises 45%, station 30%, …".
///
/// A term t with coefficient βₜ and values xₜ,c on the cluster's cells contributes
/// Cₜ = Σ_c βₜ xₜ,c to the cluster's summed log-risk Σ_c log RRS_c = Σₜ Cₜ (RRS = exp Σ βx, no
/// intercept, as `RiskSurface`; a sum over cells, so shares are the same for the mean cell).
/// **Drivers** are the terms with Cₜ > 0; each driver's share is Cₜ / Σ_{C>0} C, so drivers'
/// shares add to 1. **Protective** terms (Cₜ < 0: a negative β on a present feature, or a
/// positive β on a feature scored negatively) are not drivers: their share is 0 and they are
/// reported separately with `offset` = |Cₜ| / Σ_{C>0} C, the fraction of the drivers' log-risk
/// they cancel ("street lighting offsets 20% of it"). Terms with Cₜ = 0 (absent) get 0. When no
/// term is positive, every share and offset is 0 (nothing to apportion or offset; never NaN)
/// and `total` ≤ 0 says the cluster is not above baseline risk by its factors.
///
/// Complexity O(terms × cells); sums in Double, exact up to rounding (~1e-15 relative).
public enum FactorShare {
    public struct Term: Sendable, Hashable {
        public var name: String
        public var coefficient: Double
        /// x on the cluster's cells (any order, one per cell).
        public var values: [Double]
        public init(name: String, coefficient: Double, values: [Double]) {
            self.name = name
            self.coefficient = coefficient
            self.values = values
        }
    }

    public struct Share: Sendable, Hashable {
        public let name: String
        /// Cₜ = Σ β x over the cluster's cells.
        public let contribution: Double
        /// Cₜ / Σ of the positive contributions, for drivers; 0 otherwise.
        public let share: Double
        /// |Cₜ| / Σ of the positive contributions, for protective terms; 0 otherwise.
        public let offset: Double
        public var isDriver: Bool { contribution > 0 }
        public var isProtective: Bool { contribution < 0 }
    }

    public struct Result: Sendable, Hashable {
        /// Drivers by share descending, then protective terms by offset descending, then absent
        /// terms; ties in the input order.
        public let shares: [Share]
        /// Σ Cₜ over all terms: the cluster's summed log-risk.
        public let total: Double
        /// Σ of the positive contributions.
        public let positiveTotal: Double
        public var drivers: [Share] { shares.filter(\.isDriver) }
        public var protective: [Share] { shares.filter(\.isProtective) }
    }

    /// Shares on a cluster's `cells` from per-term rasters of x (e.g. the selected influence
    /// layers on the analysis grid), each with its coefficient.
    public static func shares(cells: [Int], terms: [(name: String, coefficient: Double, values: Raster<Float>)]) -> Result {
        shares(terms.map { t in Term(name: t.name, coefficient: t.coefficient, values: cells.map { Double(t.values.values[$0]) }) })
    }

    public static func shares(_ terms: [Term]) -> Result {
        let c = terms.map { t in t.values.reduce(0) { $0 + t.coefficient * $1 } }
        let pos = c.reduce(0) { $0 + max(0, $1) }
        let shares = zip(terms, c).map { t, ct in
            Share(name: t.name, contribution: ct,
                  share: ct > 0 ? ct / pos : 0,
                  offset: ct < 0 && pos > 0 ? -ct / pos : 0)
        }
        func group(_ s: Share) -> Int { s.contribution > 0 ? 0 : s.contribution < 0 ? 1 : 2 }
        let order = shares.indices.sorted { a, b in
            let (sa, sb) = (shares[a], shares[b])
            if group(sa) != group(sb) { return group(sa) < group(sb) }
            let (ka, kb) = (abs(sa.contribution), abs(sb.contribution))
            return ka != kb ? ka > kb : a < b
        }
        return Result(shares: order.map { shares[$0] }, total: c.reduce(0, +), positiveTotal: pos)
    }
}
