import Foundation

/// StreetSafe as a second lens on risk: in each place, do reports of feeling unsafe and recorded
/// crime agree?
///
/// Under the null that a place draws reports and events in the same proportion as the whole
/// study area, each of its n = events + reports is a report with probability
/// π = R / (E + R) (R, E: the study area's totals), and the place's report count is
/// Binomial(n, π). The two-sided exact p-value sums the probabilities of every outcome no more
/// likely than the one observed (R's `binom.test`, with its relative tolerance 1 + 10⁻⁷), and
/// Benjamini–Hochberg at `q` over the places (`FalseDiscoveryRate`) decides which disagree:
/// - more reports than expected: **more concern than recorded crime** — people feel unsafe beyond
///   what crime shows: fix the environment (lighting, sightlines) and walk it with them;
/// - fewer: **more recorded crime than concern** — crime people do not sense: patrols;
/// - otherwise **in line**, and **too few to compare** below `minimum` events + reports.
///
/// Complexity O(n) per place (log-space binomial terms); exact in Double to ~1e-12 relative
/// for n up to 10⁶ (lgamma).
public enum ConcernLens {
    public enum Verdict: String, Sendable, Codable, CaseIterable {
        case moreConcern = "more concern than recorded crime"
        case moreCrime = "more recorded crime than concern"
        case inLine = "concern in line with crime"
        case tooFew = "too few to compare"

        /// What the verdict suggests doing.
        public var action: String {
            switch self {
            case .moreConcern: "environmental fixes (lighting, sightlines) and Walk & Talk"
            case .moreCrime: "patrols: crime here is not matched by reports of feeling unsafe"
            case .inLine: "concern and crime agree"
            case .tooFew: "not enough events and reports to judge"
            }
        }
    }

    public struct Place: Sendable, Hashable {
        public let events: Int
        public let reports: Int
        public init(events: Int, reports: Int) { self.events = events; self.reports = reports }
    }

    public struct Comparison: Sendable, Hashable {
        public let verdict: Verdict
        /// Share of the place's events + reports that are reports, and the study area's share.
        public let reportShare: Double
        public let expectedShare: Double
        /// Two-sided exact binomial p and its BH-adjusted value (NaN when too few).
        public let p: Double
        public let adjusted: Double
    }

    public static func compare(_ places: [Place], totalEvents: Int, totalReports: Int, q: Double = 0.05, minimum: Int = 10) -> [Comparison] {
        precondition(totalEvents >= 0 && totalReports >= 0, "totals are counts")
        let all = totalEvents + totalReports
        let pi = all > 0 ? Double(totalReports) / Double(all) : .nan
        let p = places.map { pl -> Double in
            let n = pl.events + pl.reports
            guard n >= minimum, pi > 0, pi < 1 else { return .nan }
            return binomialTwoSided(pl.reports, n, pi)
        }
        let bh = FalseDiscoveryRate.benjaminiHochberg(p, q: q)
        return places.indices.map { i in
            let pl = places[i], n = pl.events + pl.reports
            let share = n > 0 ? Double(pl.reports) / Double(n) : .nan
            let verdict: Verdict = p[i].isNaN ? .tooFew : !bh.rejected[i] ? .inLine : share > pi ? .moreConcern : .moreCrime
            return Comparison(verdict: verdict, reportShare: share, expectedShare: pi, p: p[i], adjusted: bh.adjusted[i])
        }
    }

    /// P(X ≤ … ) two-sided for X ~ Binomial(n, π): Σ P(X = k) over k with P(X = k) ≤ P(X = x)·(1 + 1e-7).
    public static func binomialTwoSided(_ x: Int, _ n: Int, _ pi: Double) -> Double {
        precondition(x >= 0 && x <= n && pi > 0 && pi < 1, "x in 0…n and π in (0, 1)")
        func logFactorial(_ k: Int) -> Double { Foundation.lgamma(Double(k) + 1) }
        let lp = log(pi), lq = log1p(-pi), lgn = logFactorial(n)
        func logPMF(_ k: Int) -> Double { lgn - logFactorial(k) - logFactorial(n - k) + Double(k) * lp + Double(n - k) * lq }
        let cut = logPMF(x) + log1p(1e-7)
        var s = 0.0
        for k in 0...n { let l = logPMF(k); if l <= cut { s += exp(l) } }
        return min(1, s)
    }
}
