import Testing
import Patrols
import RiskModel

@Suite struct WeeklySchedulerTests {
    static let verona = OperationRules(window: .init(start: 14 * 60, end: 1440), dwell: 15, spacing: 120, teamsPerDay: 2, capPerPlace: 10)
    static let vigilant = OperationRules(window: .init(start: 20 * 60, end: 3 * 60), days: [3, 4, 5], dwell: 60, spacing: 120,
                                         teamsPerDay: 2, teamDaysPerWeek: 3, capPerPlace: 3)
    static let walkAndTalk = OperationRules(window: .init(start: 10 * 60, end: 20 * 60), dwell: 60, spacing: 120,
                                            teamsPerDay: 1, teamDaysPerWeek: 2, visitsPerTeamDay: 1, capPerPlace: 1)

    @Test(arguments: [(verona, "verona"), (vigilant, "vigilant"), (walkAndTalk, "walk & talk")])
    func everyPlanKeepsEveryRule(rules: OperationRules, name: String) {
        for seed in UInt64(1)...5 {
            var rng = SplitMix64(seed: seed)
            let n = rng.int(3...12)
            let sites = randomSites(n, &rng)
            let travel = TravelTimes.walking(randomPoints(n, &rng))
            let plan = WeeklyScheduler.plan(sites: sites, rules: rules, travel: travel, randomShare: 0.25, using: &rng)
            #expect(!plan.visits.isEmpty)
            #expect(ruleViolations(plan.visits, rules: rules, travel: travel, sites: n) == [], "\(name) seed \(seed)")
            #expect(WeeklyScheduler.isFeasible(plan.visits, sites: sites, rules: rules, travel: travel))
            #expect(abs(plan.value - RiskCoverage.value(of: plan.visits, sites: sites, returns: rules.returns)) < 1e-9 * plan.value)
            if let cap = rules.teamDaysPerWeek { #expect(Set(plan.visits.map { "\($0.day)-\($0.team)" }).count == cap) }
        }
    }

    @Test func aCheckerThatCatchesBrokenRules() {
        // the oracle itself: double booking, spacing and window are caught
        let r = Self.verona
        let a = Visit(site: 0, day: 0, team: 1, start: 840, end: 855, allocation: .greedy)
        let clash = Visit(site: 1, day: 0, team: 1, start: 855, end: 870, allocation: .greedy)   // no time to walk 800 m
        let tooSoon = Visit(site: 0, day: 0, team: 2, start: 900, end: 915, allocation: .greedy)
        let early = Visit(site: 1, day: 1, team: 1, start: 1440 + 600, end: 1440 + 615, allocation: .greedy)
        let travel = TravelTimes.walking([(0, 0), (800, 0)])
        #expect(ruleViolations([a, clash], rules: r, travel: travel, sites: 2).count == 1)
        #expect(ruleViolations([a, tooSoon], rules: r, travel: travel, sites: 2).count == 1)
        #expect(ruleViolations([early], rules: r, travel: travel, sites: 2).count == 1)
        #expect(!WeeklyScheduler.isFeasible([a, clash], sites: [PatrolSite](repeating: .init(weight: 1, profile: .uniform), count: 2), rules: r, travel: travel))
    }

    @Test func sameSeedSamePlanOtherSeedAnotherPlanOfTheSameQuality() {
        var build = SplitMix64(seed: 11)
        let sites = randomSites(10, &build)
        let travel = TravelTimes.walking(randomPoints(10, &build))
        func plan(_ seed: UInt64, share: Double = 0.2) -> WeeklyScheduler.Schedule {
            var rng = SplitMix64(seed: seed)
            return WeeklyScheduler.plan(sites: sites, rules: Self.verona, travel: travel, randomShare: share, using: &rng)
        }
        let a = plan(1), b = plan(1), c = plan(2)
        #expect(a.visits == b.visits)
        // the seed draws the random share and breaks ties: another seed, another week
        let differ = Set(c.visits.map { [$0.site, $0.day, $0.team, $0.start] }).subtracting(a.visits.map { [$0.site, $0.day, $0.team, $0.start] }).count
        #expect(Double(differ) / Double(c.visits.count) >= 0.2, "only \(differ) of \(c.visits.count) visits differ")
        let randomA = a.visits.filter { $0.allocation == .random }
        let share = Double(randomA.count) / Double(a.visits.count)
        #expect(share > 0.1 && share < 0.4, "random share \(share)")
        // without the random share, ties alone: the same value whatever the seed
        let g1 = plan(1, share: 0), g2 = plan(2, share: 0)
        #expect(g1.visits.allSatisfy { $0.allocation == .greedy } && abs(g1.value - g2.value) <= 0.01 * g1.value)
    }

    @Test func followingRiskGivesVisitsInProportionToRisk() {
        // four places, risk 8 : 4 : 2 : 1, one profile, room for every visit: D'Hondt shares
        let sites = [8.0, 4, 2, 1].map { PatrolSite(weight: $0, profile: .uniform) }
        let travel = TravelTimes.walking([(0, 0), (100, 0), (0, 100), (100, 100)])
        let rules = OperationRules(window: .init(start: 14 * 60, end: 1440), dwell: 15, spacing: 30, teamsPerDay: 1, capPerPlace: 100)
        var rng = SplitMix64(seed: 3)
        let plan = WeeklyScheduler.plan(sites: sites, rules: rules, travel: travel, followRisk: true, using: &rng)
        let counts = sites.indices.map { i in plan.visits.filter { $0.site == i }.count }
        let total = counts.reduce(0, +)
        #expect(ruleViolations(plan.visits, rules: rules, travel: travel, sites: 4) == [])
        for (i, w) in [8.0, 4, 2, 1].enumerated() {
            #expect(abs(Double(counts[i]) / Double(total) - w / 15) < 0.05, "place \(i): \(counts[i]) of \(total) visits for \(w / 15) of the risk")
        }
        #expect(Apportionment.dHondt(weights: [8, 4, 2, 1], total: 15, caps: [100, 100, 100, 100]) == [8, 4, 2, 1])
        #expect(Apportionment.dHondt(weights: [8, 4, 2, 1], total: 15, caps: [5, 100, 100, 100]) == [5, 6, 3, 1])
        #expect(Apportionment.maxVisits(WeeklySchedulerTests.verona) == 10)                       // the cap 10 binds before 5 a day × 7
    }

    /// Two places, one team, a 14:00–16:00 window of two one-hour visits and no travel. Place A
    /// (weight 3) has half its risk at 14:00 and half at 15:00; place B (weight 2) all of it at
    /// 15:00. The 14:00 visit is worth at most 1.5 (A) and the 15:00 one at most 2 (B), so
    /// A at 14:00 then B at 15:00, worth 3.5, is optimal — and a plan that chases A's larger
    /// weight (A at 15:00) gets less.
    @Test func aHandSolvableWeekIsSolvedOptimally() {
        var a = [Double](repeating: 0, count: 168), b = a
        a[14] = 1; a[15] = 1; b[15] = 1
        let sites = [PatrolSite(weight: 3, profile: .init(shares: a, source: .uniform)),
                     PatrolSite(weight: 2, profile: .init(shares: b, source: .uniform))]
        let rules = OperationRules(window: .init(start: 840, end: 960), days: [0], dwell: 60, spacing: 120, teamsPerDay: 1, step: 60)
        var rng = SplitMix64(seed: 1)
        let plan = WeeklyScheduler.plan(sites: sites, rules: rules, travel: .none(2), using: &rng)
        #expect(Set(plan.visits.map { [$0.site, $0.start] }) == [[0, 840], [1, 900]])
        #expect(abs(plan.value - 3.5) < 1e-12)

        // one place, flat 14:00–17:00, two teams, visits 2 h apart: only 14:00 and 16:00 fit the
        // spacing, worth 1/3 + γ/3 = 0.5 with γ = 0.5
        var flat = [Double](repeating: 0, count: 168)
        flat[14] = 1; flat[15] = 1; flat[16] = 1
        let one = [PatrolSite(weight: 1, profile: .init(shares: flat, source: .uniform))]
        let two = OperationRules(window: .init(start: 840, end: 1020), days: [0], dwell: 60, spacing: 120, teamsPerDay: 2, step: 60)
        let p2 = WeeklyScheduler.plan(sites: one, rules: two, travel: .none(1), using: &rng)
        #expect(p2.visits.map(\.start).sorted() == [840, 960] && abs(p2.value - 0.5) < 1e-12)
    }

    @Test func travelTimeKeepsTeamsFromBeingInTwoPlacesAtOnce() {
        // two places 2 km apart (≈ 33 min at 80 m/min × 1.3): one team cannot hop between them every 15 minutes
        let travel = TravelTimes.walking([(0, 0), (2000, 0)])
        #expect(abs(travel[0, 1] - 2000 * 1.3 / 80) < 1e-12)
        let sites = [PatrolSite(weight: 1, profile: .uniform), PatrolSite(weight: 1, profile: .uniform)]
        let rules = OperationRules(window: .init(start: 840, end: 1440), days: [0], dwell: 15, spacing: 30, teamsPerDay: 1)
        var rng = SplitMix64(seed: 1)
        let plan = WeeklyScheduler.plan(sites: sites, rules: rules, travel: travel, using: &rng)
        #expect(ruleViolations(plan.visits, rules: rules, travel: travel, sites: 2) == [])
        let order = plan.visits.sorted { $0.start < $1.start }
        for (x, y) in zip(order, order.dropFirst()) where x.site != y.site { #expect(y.start - x.end >= 33) }
    }

    @Test func impossibleRulesAreNamed() {
        var r = Self.verona
        r.teamsPerDay = 0
        #expect(r.problem?.field == "teams")
        r = Self.verona
        r.window = .init(start: 600, end: 610)
        #expect(r.problem?.field == "window" && r.problem!.message.contains("shorter than one 15-minute visit"))
        r = Self.verona
        r.capPerPlace = 0
        #expect(r.problem?.field == "max_visits_per_hotspot")
        #expect(Self.vigilant.window.crossesMidnight && Self.vigilant.window.minutes == 420)
        let sundayLast: Int = 6 * 1440 + 1200 + 420 - 60     // Sunday's shift ends Monday 03:00
        #expect(Self.vigilant.startMinutes(day: 6).last == sundayLast)
    }
}
