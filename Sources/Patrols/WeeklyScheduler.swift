/// Plans a week of visits for one operation: which team goes where, when.
///
/// Maximises `RiskCoverage` (risk × time-of-week share, with diminishing returns for repeats)
/// subject to the operation's rules: each team's visits lie inside its day's window, last the
/// dwell, do not overlap and leave time to walk between places; visits to one place start at
/// least `spacing` apart; at most `capPerPlace` visits a place, `visitsPerTeamDay` a team-day
/// and `teamDaysPerWeek` team-days in the week.
///
/// Algorithm: greedy (Nemhauser, Wolsey & Fisher 1978) — repeatedly add the feasible visit of
/// largest marginal gain (ties: earliest day, team, start, then lowest site) until none is
/// feasible — then local search: take out one visit or two consecutive visits of a team, or move
/// a visit by up to two steps, refill the week greedily, and keep the change when the total rises
/// (these exchanges repair greedy's packing losses, e.g. visits at 20:00 and 21:00 that leave no
/// room for a third where 20:00, 20:45 and 21:30 would). For a monotone submodular objective
/// under a cardinality constraint greedy is within 1 − 1/e of the optimum; the time windows and
/// travel here make the feasible sets a more general independence system, so the guarantee is
/// weaker and the gap is measured instead: `PatrolsTests.GapTests` compares with brute-force
/// optima on small instances (mean gap 1.6 %, docs/patrols.md).
///
/// Randomisation against feedback loops (HunchLab's "do not always send the car to the same
/// place", Azavea 2015): a share `randomShare` of the visits is drawn at random with probability
/// proportional to marginal gain, after the optimised part. The optimised part — the first
/// round((1 − share) · K) visits of the optimised plan of K visits — does not depend on the
/// seed; only the random part does.
///
/// Complexity: greedy O(K · C · v) for K visits, C = team-days × start times × places candidates
/// and v visits checked per feasibility test; each local-search move refills only the team-days
/// and places it freed. A borough week (14 places, 2 teams × 7 days): 0.1 s greedy, 2 s in all.
public enum WeeklyScheduler {
    public struct Schedule: Sendable {
        /// In the order chosen: the greedy part, then the random part.
        public let visits: [Visit]
        /// `RiskCoverage` of the visits.
        public let value: Double
    }

    /// `localSearch: false` stops after the greedy (to measure what the swaps add).
    public static func plan(sites: [PatrolSite], rules: OperationRules, travel: TravelTimes, randomShare: Double = 0,
                            localSearch: Bool = true, using rng: inout some RandomNumberGenerator) -> Schedule {
        precondition(rules.problem == nil, "impossible rules: \(rules.problem!.message)")
        precondition((0...1).contains(randomShare), "a share is between 0 and 1")
        precondition(travel.minutes.count == sites.count, "one travel row per site")
        var full = State(sites: sites, rules: rules, travel: travel)
        while let c = full.best() { full.add(c, .greedy) }
        if localSearch { full.improve() }
        guard randomShare > 0 else { return Schedule(visits: full.visits, value: full.value) }
        let keep = Int(((1 - randomShare) * Double(full.visits.count)).rounded())
        var state = State(sites: sites, rules: rules, travel: travel)
        for v in full.visits.prefix(keep) { state.add(Candidate(teamDay: state.teamDayIndex(v), start: v.start, site: v.site), .greedy) }
        while true {
            let options = state.feasible()
            guard !options.isEmpty else { break }
            let total = options.reduce(0) { $0 + $1.gain }
            var r = Double(rng.next() >> 11) * 0x1p-53 * total
            var pick = options[options.count - 1].candidate
            for o in options {
                r -= o.gain
                if r < 0 { pick = o.candidate; break }
            }
            state.add(pick, .random)
        }
        return Schedule(visits: state.visits, value: state.value)
    }

    /// Whether a set of visits keeps every rule (the tests' oracle and the brute force's check).
    public static func isFeasible(_ visits: [Visit], sites: [PatrolSite], rules: OperationRules, travel: TravelTimes) -> Bool {
        var state = State(sites: sites, rules: rules, travel: travel)
        for v in visits.sorted(by: { ($0.day, $0.team, $0.start) < ($1.day, $1.team, $1.start) }) {
            guard rules.days.contains(v.day), (1...rules.teamsPerDay).contains(v.team), v.end == v.start + rules.dwell,
                  rules.startMinutes(day: v.day).contains(v.start) else { return false }
            let c = Candidate(teamDay: state.teamDayIndex(v), start: v.start, site: v.site)
            guard state.canAdd(c) else { return false }
            state.add(c, v.allocation)
        }
        return true
    }

    struct Candidate: Equatable { var teamDay: Int; var start: Int; var site: Int }

    /// A partial week: visits per team-day and per place, and the objective.
    struct State {
        let sites: [PatrolSite]
        let rules: OperationRules
        let travel: TravelTimes
        /// (day, team) of each team-day, days in order.
        let teamDays: [(day: Int, team: Int)]
        let starts: [[Int]]                 // start minutes per team-day
        /// Every (team-day, start, site), in day, team, start, site order.
        let candidates: [Candidate]
        var byTeamDay: [[Visit]]            // sorted by start
        var bySite: [[Visit]]
        var values: [[Double]]              // per site, best first
        var visits: [Visit] = []
        var usedTeamDays = 0
        var value = 0.0

        init(sites: [PatrolSite], rules: OperationRules, travel: TravelTimes) {
            self.sites = sites
            self.rules = rules
            self.travel = travel
            teamDays = rules.days.sorted().flatMap { d in (1...rules.teamsPerDay).map { (d, $0) } }
            starts = teamDays.map { rules.startMinutes(day: $0.day) }
            candidates = starts.enumerated().flatMap { t, ss in ss.flatMap { s in sites.indices.map { Candidate(teamDay: t, start: s, site: $0) } } }
            byTeamDay = Array(repeating: [], count: teamDays.count)
            bySite = Array(repeating: [], count: sites.count)
            values = Array(repeating: [], count: sites.count)
        }

        func teamDayIndex(_ v: Visit) -> Int { teamDays.firstIndex { $0.day == v.day && $0.team == v.team }! }

        func visitValue(_ c: Candidate) -> Double { sites[c.site].value(from: c.start, to: c.start + rules.dwell) }

        func gain(_ c: Candidate) -> Double { RiskCoverage.gain(adding: visitValue(c), to: values[c.site], decay: rules.repeatDecay) }

        func canAdd(_ c: Candidate) -> Bool {
            let own = byTeamDay[c.teamDay]
            if own.isEmpty, let limit = rules.teamDaysPerWeek, usedTeamDays >= limit { return false }
            if let limit = rules.visitsPerTeamDay, own.count >= limit { return false }
            let placeVisits = bySite[c.site]
            if placeVisits.count >= rules.capPerPlace { return false }
            let gap = max(rules.spacing, rules.dwell)
            for v in placeVisits where abs(v.start - c.start) < gap { return false }
            let end = c.start + rules.dwell
            for v in own {
                if v.start < c.start {
                    if Double(v.end) + travel[v.site, c.site] > Double(c.start) { return false }
                } else if Double(end) + travel[c.site, v.site] > Double(v.start) { return false }
            }
            return true
        }

        /// Every feasible visit with a positive gain.
        func feasible() -> [(candidate: Candidate, gain: Double)] {
            candidates.compactMap { c in
                guard canAdd(c) else { return nil }
                let g = gain(c)
                return g > 0 ? (c, g) : nil
            }
        }

        /// The feasible visit of largest gain (ties: the first in day, team, start, site order).
        /// `scope`: only candidates of these team-days or sites (the others are known to be infeasible).
        func best(excluding tabu: [Candidate] = [], scope: (teamDays: Set<Int>, sites: Set<Int>)? = nil) -> Candidate? {
            var best: Candidate?, bestGain = 0.0
            for c in candidates {
                if let scope, !scope.teamDays.contains(c.teamDay), !scope.sites.contains(c.site) { continue }
                if !tabu.isEmpty, tabu.contains(c) { continue }
                let g = gain(c)
                guard g > bestGain * (1 + 1e-12), canAdd(c) else { continue }
                best = c
                bestGain = g
            }
            return best
        }

        mutating func add(_ c: Candidate, _ allocation: Visit.Allocation) {
            let (day, team) = teamDays[c.teamDay]
            let v = Visit(site: c.site, day: day, team: team, start: c.start, end: c.start + rules.dwell, allocation: allocation)
            value += gain(c)
            if byTeamDay[c.teamDay].isEmpty { usedTeamDays += 1 }
            byTeamDay[c.teamDay].append(v)
            byTeamDay[c.teamDay].sort { $0.start < $1.start }
            bySite[c.site].append(v)
            values[c.site].append(visitValue(c))
            values[c.site].sort(by: >)
            visits.append(v)
        }

        mutating func remove(at index: Int) {
            let v = visits.remove(at: index)
            let t = teamDayIndex(v)
            byTeamDay[t].removeAll { $0 == v }
            if byTeamDay[t].isEmpty { usedTeamDays -= 1 }
            bySite[v.site].removeAll { $0 == v }
            values[v.site] = bySite[v.site].map { sites[$0.site].value(from: $0.start, to: $0.end) }.sorted(by: >)
            value = zip(sites.indices, values).reduce(0) { $0 + RiskCoverage.value($1.1, decay: rules.repeatDecay) }
        }

        /// Local search: take out one visit, or two consecutive visits of one team-day, or move a
        /// visit up to two steps earlier or later, and refill the week greedily without them (which may fit more visits where they were, or better
        /// ones); keep the change when the total rises by more than a relative 1e-9, else restore
        /// the week. Repeats while a pass improves, at most `maxRounds` passes.
        mutating func improve(maxRounds: Int = 3) {
            for _ in 0..<maxRounds {
                var improved = false
                var i = 0
                while i < visits.count {
                    if tryReplacing([visits[i]]) { improved = true }
                    i += 1
                }
                // shift a visit up to two steps earlier or later, then refill
                i = 0
                while i < visits.count {
                    let v = visits[i]
                    for delta in [-2, -1, 1, 2] where tryReplacing([v], shiftedBy: delta * rules.step) {
                        improved = true
                        break
                    }
                    i += 1
                }
                for t in teamDays.indices {
                    var k = 0
                    while k + 1 < byTeamDay[t].count {
                        if tryReplacing([byTeamDay[t][k], byTeamDay[t][k + 1]]) { improved = true }
                        k += 1
                    }
                }
                if !improved { break }
            }
        }

        /// Removes `out` (or, with `shiftedBy`, moves the one visit in it that many minutes), refills
        /// greedily without the removed visits; keeps the result if it is better.
        mutating func tryReplacing(_ out: [Visit], shiftedBy shift: Int = 0) -> Bool {
            let before = self
            let tabu = out.map { Candidate(teamDay: teamDayIndex($0), start: $0.start, site: $0.site) }
            for v in out { remove(at: visits.firstIndex(of: v)!) }
            // The week was complete (no feasible visit left), and taking visits out frees only
            // their team-days and places — unless it empties a team-day while the week's team-days
            // are capped, which lets any unused team-day open.
            let freesTeamDays = rules.teamDaysPerWeek != nil && tabu.contains { byTeamDay[$0.teamDay].isEmpty }
            let scope = freesTeamDays ? nil : (Set(tabu.map(\.teamDay)), Set(tabu.map(\.site)))
            if shift != 0 {
                let moved = Candidate(teamDay: tabu[0].teamDay, start: tabu[0].start + shift, site: tabu[0].site)
                guard starts[moved.teamDay].contains(moved.start), canAdd(moved) else { self = before; return false }
                add(moved, out[0].allocation)
            }
            while let c = best(excluding: tabu, scope: scope) { add(c, .greedy) }
            if value > before.value * (1 + 1e-9) { return true }
            self = before
            return false
        }
    }
}
