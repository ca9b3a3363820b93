/// How many of a week's visits each place gets: in proportion to its risk in the operation's
/// hours, by the D'Hondt (Jefferson) divisor method with caps — each visit in turn goes to the
/// place of largest risk ÷ (visits so far + 1) among those below their cap (Balinski & Young
/// 1982, *Fair Representation*, ch. 3; caps as in capped apportionment, the surplus passing
/// to the next place by the same rule). O(V log n) with a heap; here O(V · n), n a few hundred.
///
/// The caps are the dosage rules: a place can take at most the weekly cap, and at most as many
/// visits a day as its window holds at the spacing (`maxVisits`). So the rule a planner reads:
/// every hotspot's share of the visits is its share of the risk, unless spacing or the cap
/// stops it.
public enum Apportionment {
    /// Visits per place: `total` visits by D'Hondt over `weights`, none above its cap. Ties go to
    /// the lower index (the higher-ranked place).
    public static func dHondt(weights: [Double], total: Int, caps: [Int]) -> [Int] {
        precondition(weights.count == caps.count && weights.allSatisfy { $0 >= 0 })
        var n = [Int](repeating: 0, count: weights.count)
        for _ in 0..<max(total, 0) {
            var best = -1, bestQ = 0.0
            for i in weights.indices where n[i] < caps[i] && weights[i] > 0 {
                let q = weights[i] / Double(n[i] + 1)
                if q > bestQ { best = i; bestQ = q }
            }
            guard best >= 0 else { break }
            n[best] += 1
        }
        return n
    }

    /// The most visits one place can take in the week under these rules: the weekly cap, and per
    /// open day as many starts as fit in the window at the spacing.
    public static func maxVisits(_ r: OperationRules) -> Int {
        let gap = max(r.spacing, r.dwell, 1)
        let perDay = (r.window.minutes - r.dwell) / gap + 1
        let days = r.teamDaysPerWeek.map { min($0, r.days.count * r.teamsPerDay) } ?? r.days.count
        return min(r.capPerPlace, perDay * min(days, r.days.count))
    }
}
