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
/// Randomisation against feedback loops and predictability (HunchLab's "do not always send the
/// car to the same place", Azavea 2015): a share `randomShare` of the visits is drawn at random
/// with probability proportional to marginal gain, after the optimised part (the first
/// round((1 − share) · K) visits of the optimised plan of K visits); and every tie between
/// visits of equal gain is broken by a random priority per candidate. Both draw from `rng`, which
/// the planner seeds from (seed, week), so plans rotate from week to week and the same seed and
/// week give the same plan.
///
/// Complexity: candidates C = team-days × start times × places, K visits. Greedy is lazy
/// (Minoux 1978): candidates sit in a max-heap by their last gain, an upper bound of their gain
/// now (f is submodular), and only the top is re-evaluated — O(C log C) plus the re-evaluations;
/// a candidate found infeasible stays so (adding visits only removes room). Each local-search move
/// refills only the team-days and places it freed, scanning their candidates (indexed by
/// team-day and by place). The random share draws by rejection from a Fenwick tree of upper
/// bounds, O(log C) a draw. Local search stops after `localSearchBudget` candidate evaluations.
public enum WeeklyScheduler {
    public struct Schedule: Sendable {
        /// In the order chosen: the greedy part, then the random part.
        public let visits: [Visit]
        /// `RiskCoverage` of the visits.
        public let value: Double
    }

    /// `followRisk`: each place's visits are held to its D'Hondt share (`Apportionment`) of the
    /// visits a greedy week makes, by its risk in the operation's hours (weight × the profile's
    /// share of the open windows), so visits follow risk up to the dosage rules; without it a
    /// team with time left visits any place with a positive gain, however small its risk.
    /// `localSearch: false` stops after the greedy (to measure what the swaps add).
    /// `localSearchBudget`: most candidate evaluations the local search may spend (the week is
    /// then as improved as the budget allowed; a borough week needs a few million).
    public static func plan(sites: [PatrolSite], rules: OperationRules, travel: TravelTimes, randomShare: Double = 0,
                            followRisk: Bool = false, localSearch: Bool = true, localSearchBudget: Int = 12_000_000,
                            using rng: inout some RandomNumberGenerator) -> Schedule {
        precondition(rules.problem == nil, "impossible rules: \(rules.problem!.message)")
        precondition((0...1).contains(randomShare), "a share is between 0 and 1")
        precondition(travel.minutes.count == sites.count, "one travel row per site")
        var layout = Layout(sites: sites, rules: rules, using: &rng)
        if followRisk {
            var probe = State(layout: layout, travel: travel)
            probe.lazyGreedy()
            let risk = sites.map { s in rules.days.reduce(0.0) { $0 + s.value(from: $1 * 1440 + rules.window.start, to: $1 * 1440 + rules.window.start + rules.window.minutes) } }
            layout.quota = Apportionment.dHondt(weights: risk, total: probe.visits.count, caps: Array(repeating: Apportionment.maxVisits(rules), count: sites.count))
        }
        var full = State(layout: layout, travel: travel)
        full.lazyGreedy()
        if localSearch { full.improve(budget: localSearchBudget) }
        guard randomShare > 0 else { return Schedule(visits: full.visits, value: full.value) }
        let keep = Int(((1 - randomShare) * Double(full.visits.count)).rounded())
        var state = State(layout: layout, travel: travel)
        for v in full.visits.prefix(keep) { state.add(layout.index(of: v), .greedy) }
        state.randomFill(using: &rng)
        return Schedule(visits: state.visits, value: state.value)
    }

    /// Whether a set of visits keeps every rule (the tests' oracle and the brute force's check).
    public static func isFeasible(_ visits: [Visit], sites: [PatrolSite], rules: OperationRules, travel: TravelTimes) -> Bool {
        var none = NoRandomness()
        var state = State(layout: Layout(sites: sites, rules: rules, using: &none), travel: travel)
        for v in visits.sorted(by: { ($0.day, $0.team, $0.start) < ($1.day, $1.team, $1.start) }) {
            guard rules.days.contains(v.day), (1...rules.teamsPerDay).contains(v.team), v.end == v.start + rules.dwell,
                  rules.startMinutes(day: v.day).contains(v.start) else { return false }
            let c = state.layout.index(of: v)
            guard state.canAdd(c) else { return false }
            state.add(c, v.allocation)
        }
        return true
    }

    /// Zeros: tie-break priorities for the feasibility check, where they do not matter.
    struct NoRandomness: RandomNumberGenerator { mutating func next() -> UInt64 { 0 } }

    /// The candidates (team-day, start, site), numbered team-day by team-day, then start, then
    /// site, with each one's value and tie-break priority.
    struct Layout {
        let sites: [PatrolSite]
        let rules: OperationRules
        /// (day, team) of each team-day, days in order.
        let teamDays: [(day: Int, team: Int)]
        let firstStart: [Int]               // per team-day
        let startCount: [Int]               // per team-day
        let offset: [Int]                   // first candidate of each team-day
        let count: Int
        let dayPosition: [Int]              // day → position among the open days
        /// Value of each candidate's visit on its own (weight × profile share of its minutes).
        let value: [Double]
        /// Random priority: among equal gains the larger wins.
        let priority: [UInt64]
        /// Most visits per site (`followRisk`); nil: the weekly cap only.
        var quota: [Int]?

        init(sites: [PatrolSite], rules: OperationRules, using rng: inout some RandomNumberGenerator) {
            self.sites = sites
            self.rules = rules
            let days = rules.days.sorted()
            teamDays = days.flatMap { d in (1...rules.teamsPerDay).map { (d, $0) } }
            var position = [Int](repeating: -1, count: 7)
            for (i, d) in days.enumerated() { position[d] = i }
            dayPosition = position
            let starts = teamDays.map { rules.startMinutes(day: $0.day) }
            firstStart = starts.map { $0.first ?? 0 }
            startCount = starts.map(\.count)
            var offsets: [Int] = [], n = 0
            for c in startCount { offsets.append(n); n += c * sites.count }
            offset = offsets
            count = n
            var v = [Double](repeating: 0, count: n), p = [UInt64](repeating: 0, count: n)
            for t in teamDays.indices {
                for (i, s) in starts[t].enumerated() {
                    for h in sites.indices {
                        v[offsets[t] + i * sites.count + h] = sites[h].value(from: s, to: s + rules.dwell)
                    }
                }
            }
            for i in 0..<n { p[i] = rng.next() }
            value = v
            priority = p
        }

        @inline(__always) func teamDay(_ c: Int) -> Int {
            var lo = 0, hi = offset.count - 1
            while lo < hi { let mid = (lo + hi + 1) / 2; if offset[mid] <= c { lo = mid } else { hi = mid - 1 } }
            return lo
        }
        @inline(__always) func site(_ c: Int) -> Int { c % sites.count }
        @inline(__always) func start(_ c: Int, teamDay t: Int) -> Int { firstStart[t] + (c - offset[t]) / sites.count * rules.step }
        func teamDayIndex(day: Int, team: Int) -> Int { dayPosition[day] * rules.teamsPerDay + team - 1 }
        func index(of v: Visit) -> Int {
            let t = teamDayIndex(day: v.day, team: v.team)
            return offset[t] + (v.start - firstStart[t]) / rules.step * sites.count + v.site
        }
        func index(teamDay t: Int, start: Int, site: Int) -> Int? {
            let i = (start - firstStart[t]) / rules.step
            guard start >= firstStart[t], (start - firstStart[t]) % rules.step == 0, i < startCount[t] else { return nil }
            return offset[t] + i * sites.count + site
        }
        /// (gain, priority) orders candidates: the larger gain, then the larger priority.
        @inline(__always) func better(_ g: Double, _ c: Int, than bg: Double, _ b: Int) -> Bool {
            g > bg || (g == bg && priority[c] > priority[b])
        }
    }

    /// A partial week: visits per team-day and per place, and the objective.
    struct State {
        let layout: Layout
        let travel: TravelTimes
        var byTeamDay: [[Visit]]            // sorted by start
        var bySite: [[Visit]]
        var values: [[Double]]              // per site, best first
        var siteValue: [Double]             // f of each site's visits
        var visits: [Visit] = []
        var usedTeamDays = 0
        var value = 0.0
        /// Candidate evaluations spent (the local search's budget).
        var evaluations = 0

        var rules: OperationRules { layout.rules }

        init(layout: Layout, travel: TravelTimes) {
            self.layout = layout
            self.travel = travel
            byTeamDay = Array(repeating: [], count: layout.teamDays.count)
            bySite = Array(repeating: [], count: layout.sites.count)
            values = Array(repeating: [], count: layout.sites.count)
            siteValue = Array(repeating: 0, count: layout.sites.count)
        }

        @inline(__always) func gain(_ c: Int) -> Double {
            RiskCoverage.gain(adding: layout.value[c], to: values[layout.site(c)], returns: rules.returns)
        }

        func canAdd(_ c: Int) -> Bool {
            let t = layout.teamDay(c), site = layout.site(c), start = layout.start(c, teamDay: t)
            let own = byTeamDay[t]
            if own.isEmpty, let limit = rules.teamDaysPerWeek, usedTeamDays >= limit { return false }
            if let limit = rules.visitsPerTeamDay, own.count >= limit { return false }
            let placeVisits = bySite[site]
            if placeVisits.count >= rules.capPerPlace { return false }
            if let q = layout.quota, placeVisits.count >= q[site] { return false }
            let gap = max(rules.spacing, rules.dwell)
            for v in placeVisits where abs(v.start - start) < gap { return false }
            let end = start + rules.dwell
            for v in own {
                if v.start < start {
                    if Double(v.end) + travel[v.site, site] > Double(start) { return false }
                } else if Double(end) + travel[site, v.site] > Double(v.start) { return false }
            }
            return true
        }

        /// Greedy by marginal gain, lazily: a max-heap of (stale gain, priority, candidate).
        mutating func lazyGreedy() {
            var start: [(Double, Int)] = []
            start.reserveCapacity(layout.count)
            for c in 0..<layout.count where layout.value[c] > 0 { start.append((gain(c), c)) }
            var heap = Heap(layout: layout, items: start)
            while let (_, c) = heap.pop() {
                guard canAdd(c) else { continue }          // infeasible now, infeasible for good
                let g = gain(c)
                if let (tg, tc) = heap.top, layout.better(tg, tc, than: g, c) {
                    heap.push(g, c)                        // someone may be better now
                    continue
                }
                guard g > 0 else { continue }
                add(c, .greedy)
            }
        }

        /// The feasible candidate of largest (gain, priority), among the candidates of these
        /// team-days or sites (nil scope: all); none of `tabu`.
        mutating func best(excluding tabu: [Int], scope: (teamDays: [Int], sites: [Int])?) -> Int? {
            var best = -1, bestGain = 0.0
            @inline(__always) func consider(_ c: Int) {
                let g = gain(c)
                guard g > 0, best < 0 || layout.better(g, c, than: bestGain, best), !tabu.contains(c), canAdd(c) else { return }
                best = c
                bestGain = g
            }
            let n = layout.sites.count
            if let scope {
                for t in scope.teamDays {
                    let lo = layout.offset[t], hi = lo + layout.startCount[t] * n
                    evaluations += hi - lo
                    for c in lo..<hi { consider(c) }
                }
                for h in scope.sites {
                    for t in layout.teamDays.indices where !scope.teamDays.contains(t) {
                        evaluations += layout.startCount[t]
                        var c = layout.offset[t] + h
                        for _ in 0..<layout.startCount[t] { consider(c); c += n }
                    }
                }
            } else {
                evaluations += layout.count
                for c in 0..<layout.count { consider(c) }
            }
            return best < 0 ? nil : best
        }

        mutating func add(_ c: Int, _ allocation: Visit.Allocation) {
            let t = layout.teamDay(c), site = layout.site(c), start = layout.start(c, teamDay: t)
            let (day, team) = layout.teamDays[t]
            let v = Visit(site: site, day: day, team: team, start: start, end: start + rules.dwell, allocation: allocation)
            if byTeamDay[t].isEmpty { usedTeamDays += 1 }
            byTeamDay[t].insert(v, at: byTeamDay[t].firstIndex { $0.start > start } ?? byTeamDay[t].count)
            bySite[site].append(v)
            let x = layout.value[c]
            values[site].insert(x, at: values[site].firstIndex { $0 < x } ?? values[site].count)
            let f = RiskCoverage.value(values[site], returns: rules.returns)
            value += f - siteValue[site]
            siteValue[site] = f
            visits.append(v)
        }

        mutating func remove(at index: Int) {
            let v = visits.remove(at: index)
            let t = layout.teamDayIndex(day: v.day, team: v.team)
            byTeamDay[t].removeAll { $0 == v }
            if byTeamDay[t].isEmpty { usedTeamDays -= 1 }
            bySite[v.site].removeAll { $0 == v }
            values[v.site] = bySite[v.site].map { layout.value[layout.index(of: $0)] }.sorted(by: >)
            let f = RiskCoverage.value(values[v.site], returns: rules.returns)
            value += f - siteValue[v.site]
            siteValue[v.site] = f
        }

        /// Local search: take out one visit, or two consecutive visits of one team-day, or move a
        /// visit up to two steps earlier or later, and refill the week greedily without them (which
        /// may fit more visits where they were, or better ones); keep the change when the total
        /// rises by more than a relative 1e-9, else restore the week. Repeats while a pass
        /// improves, at most `maxRounds` passes, and stops when `budget` evaluations are spent.
        mutating func improve(maxRounds: Int = 3, budget: Int) {
            for _ in 0..<maxRounds {
                var improved = false
                var i = 0
                while i < visits.count, evaluations < budget {
                    if tryReplacing([visits[i]]) { improved = true }
                    i += 1
                }
                i = 0
                while i < visits.count, evaluations < budget {
                    let v = visits[i]
                    for delta in [-2, -1, 1, 2] where tryReplacing([v], shiftedBy: delta * rules.step) {
                        improved = true
                        break
                    }
                    i += 1
                }
                for t in layout.teamDays.indices where evaluations < budget {
                    var k = 0
                    while k + 1 < byTeamDay[t].count, evaluations < budget {
                        if tryReplacing([byTeamDay[t][k], byTeamDay[t][k + 1]]) { improved = true }
                        k += 1
                    }
                }
                if !improved || evaluations >= budget { break }
            }
        }

        /// Removes `out` (or, with `shiftedBy`, moves the one visit in it that many minutes), refills
        /// greedily without the removed visits; keeps the result if it is better.
        mutating func tryReplacing(_ out: [Visit], shiftedBy shift: Int = 0) -> Bool {
            var before = self
            let tabu = out.map { layout.index(of: $0) }
            for v in out { remove(at: visits.firstIndex(of: v)!) }
            // The week was complete (no feasible visit left), and taking visits out frees only
            // their team-days and places — unless it empties a team-day while the week's team-days
            // are capped, which lets any unused team-day open.
            let freed = out.map { layout.teamDayIndex(day: $0.day, team: $0.team) }
            let freesTeamDays = rules.teamDaysPerWeek != nil && freed.contains { byTeamDay[$0].isEmpty }
            let scope = freesTeamDays ? nil : (Array(Set(freed)).sorted(), Array(Set(out.map(\.site))).sorted())
            if shift != 0 {
                guard let moved = layout.index(teamDay: freed[0], start: out[0].start + shift, site: out[0].site), canAdd(moved) else {
                    before.evaluations = evaluations
                    self = before
                    return false
                }
                add(moved, out[0].allocation)
            }
            while let c = best(excluding: tabu, scope: scope) { add(c, .greedy) }
            if value > before.value * (1 + 1e-9) { return true }
            before.evaluations = evaluations
            self = before
            return false
        }

        /// The random share: until no feasible visit is left, one drawn with probability in
        /// proportion to its marginal gain — by rejection from a Fenwick tree of upper bounds
        /// (each candidate's gain when last seen, 0 once infeasible): draw c ∝ bound, accept with
        /// probability gain/bound, else lower the bound to the gain.
        mutating func randomFill(using rng: inout some RandomNumberGenerator) {
            var tree = Fenwick(count: layout.count)
            for c in 0..<layout.count where layout.value[c] > 0 && canAdd(c) {
                let g = gain(c)
                if g > 0 { tree.set(c, g) }
            }
            while tree.positive > 0 {
                let r = Double(rng.next() >> 11) * 0x1p-53 * tree.total
                let c = tree.find(r)
                let bound = tree.value(c)
                guard canAdd(c) else { tree.set(c, 0); continue }
                let g = gain(c)
                guard g > 0 else { tree.set(c, 0); continue }
                if g < bound * (1 - 1e-12) {
                    let u = Double(rng.next() >> 11) * 0x1p-53
                    tree.set(c, g)
                    if u * bound >= g { continue }
                }
                add(c, .random)
                tree.set(c, 0)
            }
        }
    }

    /// A binary max-heap of (gain, candidate) ordered by `Layout.better`.
    struct Heap {
        let layout: Layout
        var items: [(Double, Int)] = []
        init(layout: Layout) { self.layout = layout; items.reserveCapacity(layout.count) }
        /// A heap of these items at once (Floyd's bottom-up heapify, O(n)).
        init(layout: Layout, items: [(Double, Int)]) {
            self.layout = layout
            self.items = items
            var i = items.count / 2 - 1
            while i >= 0 { siftDown(i); i -= 1 }
        }
        mutating func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, above(items[l], items[m]) { m = l }
                if r < items.count, above(items[r], items[m]) { m = r }
                if m == i { return }
                items.swapAt(i, m)
                i = m
            }
        }
        var top: (Double, Int)? { items.first }
        @inline(__always) func above(_ a: (Double, Int), _ b: (Double, Int)) -> Bool { layout.better(a.0, a.1, than: b.0, b.1) }
        mutating func push(_ g: Double, _ c: Int) {
            items.append((g, c))
            var i = items.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                guard above(items[i], items[p]) else { break }
                items.swapAt(i, p)
                i = p
            }
        }
        mutating func pop() -> (Double, Int)? {
            guard !items.isEmpty else { return nil }
            let top = items[0]
            let last = items.removeLast()
            if !items.isEmpty {
                items[0] = last
                siftDown(0)
            }
            return top
        }
    }

    /// Prefix sums over non-negative weights (Fenwick 1994), for draws in proportion to them.
    struct Fenwick {
        var tree: [Double]
        var leaf: [Double]
        /// Leaves with a positive weight (the sums may keep a rounding residue when all are 0).
        var positive = 0
        init(count: Int) { tree = Array(repeating: 0, count: count + 1); leaf = Array(repeating: 0, count: count) }
        var total: Double {
            var s = 0.0, i = leaf.count
            while i > 0 { s += tree[i]; i -= i & -i }
            return max(s, 0)
        }
        func value(_ c: Int) -> Double { leaf[c] }
        mutating func set(_ c: Int, _ w: Double) {
            let d = w - leaf[c]
            positive += (w > 0 ? 1 : 0) - (leaf[c] > 0 ? 1 : 0)
            leaf[c] = w
            var i = c + 1
            while i < tree.count { tree[i] += d; i += i & -i }
        }
        /// The candidate whose cumulative range holds r (0 ≤ r < total), skipping zero weights.
        func find(_ r: Double) -> Int {
            var pos = 0, rem = r, step = 1
            while step * 2 < tree.count { step *= 2 }
            while step > 0 {
                let next = pos + step
                if next < tree.count, tree[next] <= rem { pos = next; rem -= tree[next] }
                step /= 2
            }
            // pos is the count of leaves before the one drawn; rounding may land on a zero weight
            var c = min(pos, leaf.count - 1)
            while c < leaf.count - 1, leaf[c] == 0 { c += 1 }
            while c > 0, leaf[c] == 0 { c -= 1 }
            return c
        }
    }
}
