import Patrols
import RiskModel

/// The property tests' seeded generator: RiskModel's SplitMix64 (Steele, Lea & Flood 2014), with
/// the two draws they need.
extension SplitMix64 {
    /// Uniform in [lo, hi).
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * Double(next() >> 11) * 0x1p-53 }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}

/// Every rule a week's visits must keep, checked from the visits alone (independently of the
/// scheduler's own bookkeeping): the problems found, empty when the week is valid.
func ruleViolations(_ visits: [Visit], rules r: OperationRules, travel: TravelTimes, sites: Int) -> [String] {
    var problems: [String] = []
    for v in visits {
        if !r.days.contains(v.day) { problems.append("\(v) on a closed day") }
        if !(1...r.teamsPerDay).contains(v.team) { problems.append("\(v) by a team that does not exist") }
        if v.end - v.start != r.dwell { problems.append("\(v) does not last the dwell") }
        let open = v.day * 1440 + r.window.start, close = open + r.window.minutes
        if v.start < open || v.end > close { problems.append("\(v) outside the window") }
        if (v.start - open) % r.step != 0 { problems.append("\(v) off the step") }
        if !(0..<sites).contains(v.site) { problems.append("\(v) at no site") }
    }
    // no team double-booked: a team's visits in a day do not overlap and leave time to walk
    for (_, own) in Dictionary(grouping: visits, by: { "\($0.day)-\($0.team)" }) {
        let sorted = own.sorted { $0.start < $1.start }
        for (a, b) in zip(sorted, sorted.dropFirst()) where Double(a.end) + travel[a.site, b.site] > Double(b.start) + 1e-9 {
            problems.append("team \(a.team) double-booked: \(a) then \(b)")
        }
        if let limit = r.visitsPerTeamDay, own.count > limit { problems.append("team-day with \(own.count) visits > \(limit)") }
    }
    for (site, own) in Dictionary(grouping: visits, by: \.site) {
        if own.count > r.capPerPlace { problems.append("site \(site) visited \(own.count) times > cap \(r.capPerPlace)") }
        let sorted = own.sorted { $0.start < $1.start }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.start - a.start < max(r.spacing, r.dwell) {
            problems.append("site \(site) visits \(a.start) and \(b.start) closer than \(r.spacing) min")
        }
    }
    if let limit = r.teamDaysPerWeek {
        let used = Set(visits.map { "\($0.day)-\($0.team)" }).count
        if used > limit { problems.append("\(used) team-days > \(limit)") }
    }
    return problems
}

/// Random sites: weights 0.2–2, profiles from 0–40 random events shrunk toward a random area profile.
func randomSites(_ n: Int, _ rng: inout SplitMix64) -> [PatrolSite] {
    let area = TimeOfWeekProfile.areaWide((0..<200).map { _ in rng.int(0...167) }, bandwidth: 1.5)
    return (0..<n).map { _ in
        let events = (0..<rng.int(0...40)).map { _ in rng.int(0...167) }
        return PatrolSite(weight: rng.uniform(0.2, 2), profile: .shrunk(events, toward: area, priorWeight: 10, bandwidth: 1))
    }
}

func randomPoints(_ n: Int, _ rng: inout SplitMix64, extent: Double = 1500) -> [(x: Double, y: Double)] {
    (0..<n).map { _ in (rng.uniform(0, extent), rng.uniform(0, extent)) }
}
