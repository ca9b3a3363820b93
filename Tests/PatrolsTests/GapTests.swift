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
                                   returns: [.geometric(0.3), .geometric(0.5), .geometric(0.8), .proportional][rng.int(0...3)])
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
            let value = RiskCoverage.value(of: chosen, sites: p.sites, returns: p.rules.returns)
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
            var rng = SplitMix64(seed: 1), same = SplitMix64(seed: 1)
            let plan = WeeklyScheduler.plan(sites: p.sites, rules: p.rules, travel: p.travel, using: &rng)
            let greedy = WeeklyScheduler.plan(sites: p.sites, rules: p.rules, travel: p.travel, localSearch: false, using: &same)
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

    /// The exact optimum by branch and bound: the brute force's depth-first search over visits in
    /// (day, team, start, site) order, pruned where the week's value plus an upper bound of what
    /// the remaining visits can add is no better than the best week found. The bound: the team
    /// time left holds at most M more visits (each team-day's open minutes ÷ the dwell), and by
    /// submodularity no set of later visits adds more than the sum of their gains now, so at most
    /// the M largest current gains of the candidates still open. Exact, like the brute force
    /// (checked against it on the small instances).
    /// `incumbent`: the value of a known feasible week (the heuristic's), which prunes from the start.
    static func branchAndBound(_ p: Instance, incumbent: Double = 0) -> (value: Double, nodes: Int) {
        var candidates: [Visit] = []
        for d in p.rules.days.sorted() {
            for t in 1...p.rules.teamsPerDay {
                for s in p.rules.startMinutes(day: d) {
                    for h in p.sites.indices { candidates.append(Visit(site: h, day: d, team: t, start: s, end: s + p.rules.dwell, allocation: .greedy)) }
                }
            }
        }
        let teamDays = p.rules.days.sorted().flatMap { d in (1...p.rules.teamsPerDay).map { [d, $0] } }
        var best = incumbent, nodes = 0
        var chosen: [Visit] = []
        var values = [[Double]](repeating: [], count: p.sites.count)
        func fits(_ v: Visit) -> Bool {
            let own = chosen.filter { $0.day == v.day && $0.team == v.team }
            if let last = own.last, Double(last.end) + p.travel[last.site, v.site] > Double(v.start) { return false }
            let same = chosen.filter { $0.site == v.site }
            return same.count < p.rules.capPerPlace && same.allSatisfy { abs($0.start - v.start) >= max(p.rules.spacing, p.rules.dwell) }
        }
        func worth(_ v: Visit) -> Double { p.sites[v.site].value(from: v.start, to: v.end) }
        func search(from i: Int, current value: Double) {
            nodes += 1
            if value > best { best = value }
            // visits the team time left can still hold: none on team-days before the next
            // candidate's (the search adds in order), the rest of its own, all of the later ones
            guard i < candidates.count else { return }
            let next = candidates[i], current = [next.day, next.team]
            var room = 0
            for td in teamDays where !td.lexicographicallyPrecedes(current) {
                let open = td[0] * 1440 + p.rules.window.start, close = open + p.rules.window.minutes
                let last = chosen.last { $0.day == td[0] && $0.team == td[1] }
                let from = td == current ? max(next.start, last?.end ?? open) : open
                room += max(0, (close - from) / p.rules.dwell)
            }
            guard room > 0 else { return }
            var gains: [Double] = []
            for j in i..<candidates.count where fits(candidates[j]) {
                let v = candidates[j]
                gains.append(RiskCoverage.gain(adding: worth(v), to: values[v.site], returns: p.rules.returns))
            }
            let bound = gains.sorted(by: >).prefix(room).reduce(0, +)
            guard value + bound > best * (1 + 1e-12) else { return }
            for j in i..<candidates.count where fits(candidates[j]) {
                let v = candidates[j], x = worth(v)
                let g = RiskCoverage.gain(adding: x, to: values[v.site], returns: p.rules.returns)
                let saved = values[v.site]
                chosen.append(v)
                values[v.site].append(x)
                values[v.site].sort(by: >)
                search(from: j + 1, current: value + g)
                values[v.site] = saved
                chosen.removeLast()
            }
        }
        search(from: 0, current: 0)
        return (best, nodes)
    }

    /// 10–14 hotspots, two team-days of 2 hours, 30-minute visits on 15-minute steps.
    static func largeInstance(_ seed: UInt64) -> Instance {
        var rng = SplitMix64(seed: 1000 + seed)
        let n = rng.int(10...14)
        let sites = randomSites(n, &rng)
        let travel = TravelTimes.walking(randomPoints(n, &rng, extent: 900))
        let twoDays = rng.int(0...1) == 1
        let rules = OperationRules(window: .init(start: 20 * 60, end: 22 * 60), days: twoDays ? [4, 5] : [4], dwell: 30,
                                   spacing: [30, 60, 90][rng.int(0...2)], teamsPerDay: twoDays ? 1 : 2, capPerPlace: rng.int(1...3),
                                   returns: [.geometric(0.5), .proportional][rng.int(0...1)])
        return Instance(sites: sites, rules: rules, travel: travel)
    }

    @Test func branchAndBoundIsExactOnTheSmallInstances() {
        for seed in UInt64(1)...40 {
            let p = Self.instance(seed)
            let exact = Self.branchAndBound(p).value, brute = Self.optimum(p)
            #expect(abs(exact - brute) <= 1e-9 * brute, "seed \(seed): branch and bound \(exact), brute force \(brute)")
        }
    }

    @Test func gapOnTenToFourteenHotspotsAgainstTheExactSolver() {
        var gaps: [Double] = [], nodes = 0, sizes: [Int] = []
        for seed in UInt64(1)...6 {
            let p = Self.largeInstance(seed)
            var rng = SplitMix64(seed: 1)
            let plan = WeeklyScheduler.plan(sites: p.sites, rules: p.rules, travel: p.travel, using: &rng)
            let (opt, n) = Self.branchAndBound(p, incumbent: plan.value * (1 - 1e-12))
            nodes += n
            sizes.append(p.sites.count)
            #expect(ruleViolations(plan.visits, rules: p.rules, travel: p.travel, sites: p.sites.count) == [])
            #expect(plan.value <= opt * (1 + 1e-9), "seed \(seed): the heuristic beats the exact optimum — the solver is wrong")
            gaps.append((opt - plan.value) / opt)
        }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        print(String(format: "patrol scheduler gap to branch and bound over %d instances of %d–%d hotspots: mean %.2f%%, max %.2f%%, optimal in %d (%d nodes searched)",
                     gaps.count, sizes.min()!, sizes.max()!, mean * 100, gaps.max()! * 100, gaps.filter { $0 < 1e-9 }.count, nodes))
        #expect(mean < 0.10 && gaps.max()! < 0.25)
    }
}
