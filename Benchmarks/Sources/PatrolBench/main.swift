// A London-size week of patrols (issue 26's target: planned in < 5 s): 200 hotspots over a
// 40 × 40 km area in 20 town-centre clusters, 10 teams in each of Op Verona (every day 14:00–24:00,
// 15-minute visits, 2-hour spacing), Project Vigilant (10 teams on Thursday–Saturday nights
// 20:00–03:00, 30 deployments, hour-long visits) and Walk & Talk (10 walks of an hour, 10:00–20:00),
// each planned as `rtm patrols` plans it (risk-following quotas, local search, 20 % random share).
// Prints the seconds per operation, the visits and the candidates; run with run_patrol.sh.
import Foundation
import Patrols

struct Rng: RandomNumberGenerator {
    var s: UInt64
    mutating func next() -> UInt64 {
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
}

var rng = Rng(s: 26)
let hotspots = 200
let area = TimeOfWeekProfile.areaWide((0..<5000).map { _ in Int(rng.uniform() * 168) }, bandwidth: 1.5)
let centres = (0..<20).map { _ in (x: rng.uniform() * 40_000, y: rng.uniform() * 40_000) }
var points: [(x: Double, y: Double)] = []
var sites: [PatrolSite] = []
for i in 0..<hotspots {
    let c = centres[i % 20]
    points.append((c.x + (rng.uniform() - 0.5) * 1500, c.y + (rng.uniform() - 0.5) * 1500))
    let events = (0..<Int(rng.uniform() * 40)).map { _ in Int(rng.uniform() * 168) }
    // risk falls with rank, as hotspot scores do (a long tail)
    sites.append(PatrolSite(weight: 1 / Double(i + 1).squareRoot(), profile: .shrunk(events, toward: area, priorWeight: 30, bandwidth: 1.5)))
}
let travel = TravelTimes.walking(points, metresPerMinute: 80, circuity: 1.3)
let operations: [(String, OperationRules)] = [
    ("Op Verona", OperationRules(window: .init(start: 14 * 60, end: 1440), dwell: 15, spacing: 120, teamsPerDay: 10, capPerPlace: 35)),
    ("Project Vigilant", OperationRules(window: .init(start: 20 * 60, end: 3 * 60), days: [3, 4, 5], dwell: 60, spacing: 120, teamsPerDay: 10,
                                        teamDaysPerWeek: 30, capPerPlace: 3)),
    ("Walk & Talk", OperationRules(window: .init(start: 10 * 60, end: 20 * 60), dwell: 60, spacing: 120, teamsPerDay: 10, teamDaysPerWeek: 10,
                                   visitsPerTeamDay: 1, capPerPlace: 1)),
]
let clock = ContinuousClock()
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
var total = Duration.zero
print("PatrolBench: \(hotspots) hotspots, 10 teams per operation, \(ProcessInfo.processInfo.activeProcessorCount) cores, load \(String((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.prefix(14) ?? ""))")
for (index, (name, rules)) in operations.enumerated() {
    var r = Rng(s: 1000 + UInt64(index))
    let start = clock.now
    let plan = WeeklyScheduler.plan(sites: sites, rules: rules, travel: travel, randomShare: 0.2, followRisk: true, using: &r)
    let t = clock.now - start
    var g = Rng(s: 1000 + UInt64(index))
    let greedyStart = clock.now
    let greedy = WeeklyScheduler.plan(sites: sites, rules: rules, travel: travel, randomShare: 0.2, followRisk: true, localSearch: false, using: &g)
    let tg = clock.now - greedyStart
    total += t
    let candidates = rules.days.count * rules.teamsPerDay * rules.startMinutes(day: rules.days[0]).count * hotspots
    print(String(format: "  %@: %d visits to %d hotspots, %d candidates: %.2f s (without local search %.2f s, value %.4g against %.4g)", name, plan.visits.count,
                 Set(plan.visits.map(\.site)).count, candidates, seconds(t), seconds(tg), plan.value, greedy.value))
}
print(String(format: "  week planned in %.2f s (target < 5 s)", seconds(total)))
