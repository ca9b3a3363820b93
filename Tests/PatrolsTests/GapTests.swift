import Testing
import Patrols
import RiskModel

/// The scheduler's gap to the exact optimum, found by brute force over every feasible week of
/// small instances (3 places, two team-days of 2 hours, 30-minute visits on 15-minute steps, walks
/// between places of up to ~20 minutes). The feasible sets are closed under removing visits
/// (walking times obey the triangle inequality), so a depth-first search that adds visits in
/// (day, team, start) order and stops at the first rule broken enumerates every feasible week
/// exactly once; the best week found is checked again against every rule.
@Suite struct GapTests {
    struct Instance { let sites: [PatrolSite]; let rules: OperationRules; let travel: TravelTimes }

    static func instance(_ seed: UInt64) -> Instance {
        var rng = SplitMix64(seed: seed)
        let n = 3
        let sites = randomSites(n, &rng)
        let travel = TravelTimes.walking(randomPoints(n, &rng, extent: 900))
        let twoDays = rng.int(0...1) == 1
        let rules = OperationRules(window: .init(start: 20 * 60, end: 22 * 60), days: twoDays ? [4, 5] : [4], dwell: 30,
                                   spacing: [30, 60, 90][rng.int(0...2)], teamsPerDay: twoDays ? 1 : 2, capPerPlace: rng.int(2...3),
                                   repeatDecay: [0.3, 0.5, 0.8][rng.int(0...2)])
        return Instance(sites: sites, rules: rules, travel: travel)
    }

    /// The optimum by exhaustive search.
    static func optimum(_ p: Instance) -> Double {
        var candidates: [Visit] = []
        for d in p.rules.days.sorted() {
            for t in 1...p.rules.teamsPerDay {
                for s in p.rules.startMinutes(day: d) {
                    for h in p.sites.indices { candidates.append(Visit(site: h, day: d, team: t, start: s, end: s + p.rules.dwell, allocation: .greedy)) }
                }
            }
        }
        var best = 0.0, bestWeek: [Visit] = []
        var chosen: [Visit] = []
        /// Whether `v`, later than every chosen visit of its team-day, keeps the rules with them.
        func fits(_ v: Visit) -> Bool {
            let own = chosen.filter { $0.day == v.day && $0.team == v.team }
            if let last = own.last, Double(last.end) + p.travel[last.site, v.site] > Double(v.start) { return false }
            let same = chosen.filter { $0.site == v.site }
            return same.count < p.rules.capPerPlace && same.allSatisfy { abs($0.start - v.start) >= max(p.rules.spacing, p.rules.dwell) }
        }
        func search(from i: Int) {
            let value = RiskCoverage.value(of: chosen, sites: p.sites, decay: p.rules.repeatDecay)
            if value > best { best = value; bestWeek = chosen }
            for j in i..<candidates.count where fits(candidates[j]) {
                chosen.append(candidates[j])
                search(from: j + 1)
                chosen.removeLast()
            }
        }
        search(from: 0)
        #expect(ruleViolations(bestWeek, rules: p.rules, travel: p.travel, sites: p.sites.count) == [])
        return best
    }

    @Test func greedyWithSwapsIsCloseToTheExactOptimum() {
        var gaps: [Double] = [], greedyGaps: [Double] = []
        for seed in UInt64(1)...40 {
            let p = Self.instance(seed)
            let opt = Self.optimum(p)
            var rng = SplitMix64(seed: 1)
            let plan = WeeklyScheduler.plan(sites: p.sites, rules: p.rules, travel: p.travel, using: &rng)
            let greedy = WeeklyScheduler.plan(sites: p.sites, rules: p.rules, travel: p.travel, localSearch: false, using: &rng)
            #expect(plan.value <= opt * (1 + 1e-9) && greedy.value <= plan.value * (1 + 1e-9))
            #expect(plan.value >= (1 - 1 / 2.718281828459045) * opt, "seed \(seed): \(plan.value) vs optimum \(opt)")
            gaps.append((opt - plan.value) / opt)
            greedyGaps.append((opt - greedy.value) / opt)
        }
        let mean = gaps.reduce(0, +) / Double(gaps.count), meanGreedy = greedyGaps.reduce(0, +) / Double(greedyGaps.count)
        print(String(format: "patrol scheduler gap to the exact optimum over %d small instances: greedy + swaps mean %.2f%%, max %.2f%%, optimal in %d; greedy alone mean %.2f%%, max %.2f%%",
                     gaps.count, mean * 100, gaps.max()! * 100, gaps.filter { $0 < 1e-9 }.count, meanGreedy * 100, greedyGaps.max()! * 100))
        #expect(mean < 0.03 && mean <= meanGreedy)
    }
}
