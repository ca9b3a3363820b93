import Foundation

/// When in the week events happen at one place: the share of its events in each of the 168 hours
/// of the week (Monday 00:00–01:00 local time is hour 0), smoothed around the week's circle and
/// shrunk toward a wider area's profile when the place has few events.
///
/// Estimator, for a place with n events whose hour-of-week counts are c₀…c₁₆₇:
/// 1. Circular smoothing: c̃ₕ = Σⱼ K(j) c₍ₕ₊ⱼ₎ mod 168, K a Gaussian in hours (σ = `bandwidth`,
///    truncated at 3σ and normalised), so a Friday 22:00 event also speaks for 21:00 and 23:00.
/// 2. Shrinkage: pₕ = (c̃ₕ + k·qₕ) / (n + k), the posterior mean of a Dirichlet–multinomial with
///    prior Dirichlet(k·q), q the area-wide profile and k the prior weight in events (default 30):
///    a place with 3 events is mostly the area, one with 300 mostly itself (the empirical-Bayes
///    shrinkage of Efron & Morris 1975, with k fixed and documented rather than estimated).
///
/// Complexity O(168·w) for a kernel of w hours. Shares are exact to rounding (they sum to 1 to
/// about 1e-15).
public struct TimeOfWeekProfile: Sendable, Equatable {
    public static let hours = 168

    /// Where a profile's shape came from, for the plan's "why".
    public enum Source: Sendable, Equatable {
        /// The place's own events, shrunk toward `prior` with weight `priorWeight` events.
        case observed(events: Int, priorWeight: Double)
        /// A wider area's events (a place with none of its own, or the area itself).
        case areaWide(events: Int)
        /// No timed events at all: every hour alike.
        case uniform
    }

    /// Share of events in each hour of the week; sums to 1.
    public let shares: [Double]
    public let source: Source

    public init(shares: [Double], source: Source) {
        precondition(shares.count == Self.hours, "a time-of-week profile has 168 hours")
        let total = shares.reduce(0, +)
        precondition(total > 0 && shares.allSatisfy { $0 >= 0 && $0.isFinite }, "shares must be non-negative with a positive sum")
        self.shares = shares.map { $0 / total }
        self.source = source
    }

    /// Every hour alike.
    public static let uniform = TimeOfWeekProfile(shares: Array(repeating: 1, count: hours), source: .uniform)

    /// Counts per hour of the week of events given as hours of the week (0…167).
    public static func counts(_ hoursOfWeek: [Int]) -> [Double] {
        var c = [Double](repeating: 0, count: hours)
        for h in hoursOfWeek {
            precondition((0..<hours).contains(h), "an hour of the week is 0…167")
            c[h] += 1
        }
        return c
    }

    /// Circular Gaussian smoothing (σ in hours, truncated at 3σ); σ = 0 returns the counts.
    public static func smooth(_ counts: [Double], bandwidth sigma: Double) -> [Double] {
        precondition(counts.count == hours && sigma >= 0)
        guard sigma > 0 else { return counts }
        let reach = Int((3 * sigma).rounded(.up))
        var kernel = (-reach...reach).map { j in exp(-Double(j * j) / (2 * sigma * sigma)) }
        let z = kernel.reduce(0, +)
        kernel = kernel.map { $0 / z }
        return (0..<hours).map { h in
            var s = 0.0
            for (i, j) in (-reach...reach).enumerated() { s += kernel[i] * counts[((h + j) % hours + hours) % hours] }
            return s
        }
    }

    /// The area-wide profile of events at these hours of the week (uniform when there are none).
    public static func areaWide(_ hoursOfWeek: [Int], bandwidth: Double) -> TimeOfWeekProfile {
        guard !hoursOfWeek.isEmpty else { return .uniform }
        return TimeOfWeekProfile(shares: smooth(counts(hoursOfWeek), bandwidth: bandwidth), source: .areaWide(events: hoursOfWeek.count))
    }

    /// A place's profile from its own events, shrunk toward `prior` with weight `priorWeight` events.
    public static func shrunk(_ hoursOfWeek: [Int], toward prior: TimeOfWeekProfile, priorWeight k: Double,
                              bandwidth: Double) -> TimeOfWeekProfile {
        precondition(k >= 0, "the prior weight is a number of events, not negative")
        guard !hoursOfWeek.isEmpty else {
            return TimeOfWeekProfile(shares: prior.shares, source: prior.source == .uniform ? .uniform : .areaWide(events: 0))
        }
        let s = smooth(counts(hoursOfWeek), bandwidth: bandwidth)
        return TimeOfWeekProfile(shares: zip(s, prior.shares).map { $0 + k * $1 },
                                 source: .observed(events: hoursOfWeek.count, priorWeight: k))
    }

    /// The share of events expected between two minutes of the week (0 = Monday 00:00; the
    /// interval may run past the week's end and wraps), counting each hour pro rata.
    public func share(fromMinute start: Int, toMinute end: Int) -> Double {
        precondition(end >= start)
        var total = 0.0, m = start
        while m < end {
            let hourEnd = (m / 60 + 1) * 60
            let stop = min(end, hourEnd)
            total += shares[(m / 60) % Self.hours] * Double(stop - m) / 60
            m = stop
        }
        return total
    }

    /// The `count` hours of the week with the highest share among `candidates` (ties: earlier hour).
    public func peakHours(_ count: Int, among candidates: [Int]) -> [Int] {
        Array(Set(candidates.map { $0 % Self.hours }).sorted { shares[$0] != shares[$1] ? shares[$0] > shares[$1] : $0 < $1 }.prefix(count))
    }

    /// "Fri 22:00" for an hour of the week.
    public static func label(hour: Int) -> String {
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let h = hour % hours
        return "\(days[h / 24]) \(h % 24 < 10 ? "0" : "")\(h % 24):00"
    }
}
