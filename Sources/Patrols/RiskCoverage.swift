import Foundation

/// The value of a week's visits: risk-weighted coverage with diminishing returns for repeats.
///
/// A visit of place h over minutes [s, e) covers vᵥ = wₕ · Σ profile share of those minutes (the
/// risk present while the team is there). A place's visits count by their value, best first,
/// with non-increasing weights c₁ ≥ c₂ ≥ …: f(S) = Σₕ Σₖ cₖ v₍ₕ,ₖ₎, v₍ₕ,₁₎ ≥ v₍ₕ,₂₎ ≥ …
///
/// Two weightings (`Returns`): **proportional**, cₖ = 1/k (the default), and **geometric**,
/// cₖ = γ^(k−1) (`repeat_decay`). With cₖ = 1/k greedy's k-th visit to a place gains about
/// wₕ·s/k, so it always sends the next visit to the place of largest wₕ·s/(nₕ + 1): the
/// D'Hondt (Jefferson) rule of apportionment, which gives each place a number of visits in
/// proportion to its risk in the hours patrolled, up to rounding (Balinski & Young 1982, *Fair
/// Representation*, ch. 3) — until a dosage rule (spacing, the weekly cap) binds. Geometric
/// weights give a place visits in proportion to the logarithm of its risk, i.e. nearly the same
/// number to every place (what plans did before: ranks 10–14 with 1.8 % of the risk took 32 % of
/// the visits).
///
/// f is monotone submodular: an ordered weighted sum with non-increasing weights equals
/// Σₖ (cₖ − cₖ₊₁) · (sum of the k largest values), and each "sum of the k largest" is the rank
/// function of a weighted uniform matroid, which is submodular (Fujishige 2005, §3.1); so greedy
/// gains shrink as visits are added, and the greedy of `WeeklyScheduler` is the classical
/// heuristic for it (Nemhauser, Wolsey & Fisher 1978). O(k) per place with k visits.
public enum RiskCoverage {
    /// How a place's repeated visits count.
    public enum Returns: Sendable, Equatable {
        /// The k-th best visit counts 1/k: visits in proportion to risk (D'Hondt).
        case proportional
        /// The k-th best visit counts γ^(k−1).
        case geometric(Double)

        /// The weight of the visit at position `k` (0 = the best).
        @inline(__always) public func weight(_ k: Int) -> Double {
            switch self {
            case .proportional: 1 / Double(k + 1)
            case .geometric(let g): pow(g, Double(k))
            }
        }
    }

    /// f for one place's visit values (any order).
    public static func value(_ values: [Double], returns: Returns) -> Double {
        var total = 0.0
        for (k, v) in values.sorted(by: >).enumerated() { total += returns.weight(k) * v }
        return total
    }

    /// f(S ∪ {x}) − f(S) for one place whose visit values, best first, are `sorted`: x takes its
    /// place in the order and every later value moves one weight down.
    public static func gain(adding x: Double, to sorted: [Double], returns: Returns) -> Double {
        var gain = 0.0, placed = false
        for (k, v) in sorted.enumerated() {
            if !placed, x > v { gain += returns.weight(k) * x; placed = true }
            if placed { gain -= (returns.weight(k) - returns.weight(k + 1)) * v }
        }
        return placed ? gain : gain + returns.weight(sorted.count) * x
    }

    /// f of a whole week.
    public static func value(of visits: [Visit], sites: [PatrolSite], returns: Returns) -> Double {
        var bySite = [[Double]](repeating: [], count: sites.count)
        for v in visits { bySite[v.site].append(sites[v.site].value(from: v.start, to: v.end)) }
        return bySite.reduce(0) { $0 + value($1, returns: returns) }
    }

    // Geometric weights γ^(k−1), by their decay.
    public static func value(_ values: [Double], decay gamma: Double) -> Double { value(values, returns: .geometric(gamma)) }
    public static func gain(adding x: Double, to sorted: [Double], decay gamma: Double) -> Double { gain(adding: x, to: sorted, returns: .geometric(gamma)) }
    public static func value(of visits: [Visit], sites: [PatrolSite], decay: Double) -> Double { value(of: visits, sites: sites, returns: .geometric(decay)) }

    /// The share of a week's events covered when visits are made over these minutes: for each
    /// place, its events × its profile's share of the union of its visit intervals, over all
    /// events. For events whose time of day is unknown (month-only crime data) this is the
    /// expected share under the profile.
    public static func expectedShare(of visits: [Visit], profiles: [TimeOfWeekProfile], eventsPerSite: [Double],
                                     totalEvents: Double) -> Double {
        guard totalEvents > 0 else { return 0 }
        var covered = 0.0
        for (h, profile) in profiles.enumerated() where eventsPerSite[h] > 0 {
            covered += eventsPerSite[h] * union(visits.filter { $0.site == h }.map { ($0.start, $0.end) })
                .reduce(0) { $0 + profile.share(fromMinute: $1.0, toMinute: $1.1) }
        }
        return covered / totalEvents
    }

    /// The share of timed events (minutes of the week, any week) that fell at a visited place while
    /// a team was there, if the week's plan were repeated every week.
    public static func observedShare(of visits: [Visit], eventMinutesPerSite: [[Int]], totalEvents: Int) -> Double {
        guard totalEvents > 0 else { return 0 }
        var covered = 0
        for (h, minutes) in eventMinutesPerSite.enumerated() {
            let spans = visits.filter { $0.site == h }.map { ($0.start % 10_080, $0.end - $0.start) }
            covered += minutes.filter { m in spans.contains { s in ((m - s.0) % 10_080 + 10_080) % 10_080 < s.1 } }.count
        }
        return Double(covered) / Double(totalEvents)
    }

    /// Merges overlapping intervals.
    static func union(_ spans: [(Int, Int)]) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        for s in spans.sorted(by: { $0.0 < $1.0 }) {
            if let last = out.last, s.0 <= last.1 { out[out.count - 1].1 = max(last.1, s.1) } else { out.append(s) }
        }
        return out
    }
}
