import Foundation
import GeoIO
import Hotspots
import Patrols
import RasterCore

/// `rtm patrols`: fits the spec's model, finds its hotspots, builds each hotspot's time-of-week
/// profiles and places, and schedules a week of Op Verona, Project Vigilant and Walk & Talk with
/// `WeeklyScheduler`; with an `evaluation:` split it also plans the week after the training
/// window and measures, on the held-out test window, the share of events the plan would have
/// covered against a naive plan (`PatrolPlan.HeldOut`).
public enum PatrolPlanner {
    /// A request the data cannot answer (a week outside the data, a malformed week), in one line.
    public struct PlanError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// `fitted`: the spec's model when the caller has it already (`rtm demo` after `rtm run`'s
    /// stages); fitted here otherwise.
    public static func plan(_ spec: ModelSpec, week: String?, heldOut: Bool = true, fitted: Pipeline.Fitted? = nil,
                            progress: @escaping Pipeline.Progress = { _, _ in }) throws -> PatrolPlan {
        let o = spec.patrols ?? PatrolOptions()
        let tz = TimeZone(identifier: o.timeZone)!
        // the week first: a wrong week fails before a minute of fitting
        let range = try dataRange(spec)
        let w = try resolve(week, range: range, spec: spec, options: o, timeZone: tz)
        let fitted = try fitted ?? Pipeline.fit(spec, progress: progress)
        progress("patrol plan for \(w)", nil)
        let hotspots = try HotspotStage.find(fitted, options: spec.hotspots, streetSafe: fitted.inputs.streetSafe)
        let (outcome, streetSafe) = try readEvents(spec, crs: fitted.inputs.crs, options: o)
        let sites = try PatrolSites.build(fitted, hotspots: hotspots, options: o, outcome: outcome, streetSafe: streetSafe)
        let seed = o.seed ?? spec.model.seed
        let roads = try readRoads(spec, crs: fitted.inputs.crs, options: o)
        let scheduled = schedule(sites, options: o, week: w, seed: seed, hasStreetSafe: spec.streetSafe != nil, roads: roads)
        var plan = document(scheduled, sites: sites, spec: spec, options: o, week: w, range: range, seed: seed, events: fitted.design.events)
        plan.context = fitted.inputs.context.flatMap { $0.lines.map { $0.flatMap { [$0.x, $0.y] } } }
        if heldOut, let e = spec.evaluation {
            progress("held-out evaluation of the patrol plan", nil)
            plan.heldOut = try evaluate(spec, e, options: o, seed: seed, progress: progress)
        }
        return plan
    }

    // MARK: The week

    /// The outcome's first and last time bound ("2024-01", "2024-12"), from the spec's time filter.
    static func dataRange(_ spec: ModelSpec) throws -> (from: String, to: String)? {
        guard let t = spec.outcome.time, let from = t.from, let to = t.to else { return nil }
        return (from, to)
    }

    static func resolve(_ text: String?, range: (from: String, to: String)?, spec: ModelSpec, options o: PatrolOptions,
                        timeZone tz: TimeZone) throws -> PlanWeek {
        guard let text else {
            guard let range, let last = PlanWeek.lastDay(of: range.to), let w = PlanWeek.after(day: last, timeZone: tz) else {
                throw PlanError(description: "\(spec.path): outcome.time: the data's end is unknown — give the week to plan (--week 2025-W03) or outcome.time: { field, from, to }")
            }
            return w
        }
        guard let w = PlanWeek(text, timeZone: tz) else {
            throw PlanError(description: "--week \(text): not an ISO week — write YYYY-Www, e.g. 2025-W03")
        }
        if let range, let first = PlanWeek.firstDay(of: range.from), let last = PlanWeek.lastDay(of: range.to) {
            if w.weeksAfter(day: first) < -1 + 1e-9 {
                throw PlanError(description: "--week \(w): ends before the data begins (\(range.from)) — plan a week after the data, e.g. \(PlanWeek.after(day: last, timeZone: tz)!)")
            }
            let ahead = w.weeksAfter(day: last)
            if ahead > Double(o.maxWeeksAhead) {
                throw PlanError(description: "--week \(w): starts \(Int(ahead.rounded(.up))) weeks after the data ends (\(range.to)) — plan at most \(o.maxWeeksAhead) weeks ahead (patrols.max_weeks_ahead), e.g. \(PlanWeek.after(day: last, timeZone: tz)!), or add recent data")
            }
        }
        return w
    }

    // MARK: Events with their times

    static func readEvents(_ spec: ModelSpec, crs: CRS, options o: PatrolOptions) throws -> (PatrolSites.Events, PatrolSites.Events?) {
        func read(_ s: LayerSource, field: String) throws -> PatrolSites.Events {
            var q = StudyInputs.query(s, declared: try StudyInputs.crs(s.crs, key: "\(s == spec.outcome ? "outcome" : "streetsafe").crs", spec: spec))
            if !q.optionalFields.contains(field) { q.optionalFields.append(field) }   // the time filter's field may be there already
            let set = try PointInput.read(s, key: s == spec.outcome ? "outcome" : "streetsafe", spec: spec, query: q, into: crs).features
            // one time per point: a multi-point feature's points share its time
            let times = set.attributes[field].flatMap { $0.count == set.count ? $0 : nil } ?? Array(repeating: nil, count: set.count)
            var points: [Point2] = [], pointTimes: [String?] = []
            for (g, t) in zip(set.geometries, times) {
                let v = g.vertices
                points += v
                pointTimes += Array(repeating: t, count: v.count)
            }
            return PatrolSites.Events(points: points, times: pointTimes)
        }
        let outcome = try read(spec.outcome, field: spec.outcome.time?.field ?? "month")
        return (outcome, try spec.streetSafe.map { try read($0, field: o.streetSafeTime) })
    }

    /// The `patrols.roads` line layer as a network, in the analysis CRS.
    static func readRoads(_ spec: ModelSpec, crs: CRS, options o: PatrolOptions) throws -> RoadNetwork? {
        guard let r = o.roads else { return nil }
        let set = try VectorReader.read(r.path, query: StudyInputs.query(r, declared: try StudyInputs.crs(r.crs, key: "patrols.roads.crs", spec: spec)), into: crs)
        let lines = set.geometries.flatMap { g -> [[(x: Double, y: Double)]] in
            switch g {
            case .lineString(let l): [l.map { ($0.x, $0.y) }]
            case .multiLineString(let ls): ls.map { $0.map { ($0.x, $0.y) } }
            default: []
            }
        }
        guard !lines.isEmpty else {
            throw SpecError(file: spec.path, line: nil, key: "patrols.roads",
                            message: "\(r.path) holds \(set.geometries.first?.kind.rawValue ?? "nothing")s, no lines — give a line layer of roads and footpaths")
        }
        return RoadNetwork(lines: lines)
    }

    // MARK: Scheduling

    /// One operation's week: its hotspots (indices into the sites), as the scheduler saw them, and
    /// the plan and the naive plan.
    struct Scheduled {
        let operation: PatrolOptions.Operation
        let rules: OperationRules
        let siteIndices: [Int]
        let patrolSites: [PatrolSite]
        let visits: [Visit]
        let naive: [Visit]
        let naiveHotspots: Int
        let notes: [String]
    }

    static func schedule(_ s: PatrolSites, options o: PatrolOptions, week: PlanWeek, seed: UInt64, hasStreetSafe: Bool,
                         roads: RoadNetwork?) -> [Scheduled] {
        o.operations.enumerated().compactMap { index, op -> Scheduled? in
            guard op.enabled else { return nil }
            var notes: [String] = []
            var rules = op.rules
            let eligible: [(Int, Double)]
            switch op.kind {
            case .verona:
                eligible = s.sites.indices.map { ($0, s.sites[$0].hotspot.cluster.score) }
            case .vigilant:
                eligible = s.sites.indices.filter { s.sites[$0].licensedPremises >= op.minLicensedPremises }
                    .map { ($0, s.sites[$0].hotspot.cluster.score * Double(s.sites[$0].licensedPremises)) }
                notes.append("night-time-economy hotspots: \(eligible.count) of \(s.sites.count) have at least \(op.minLicensedPremises) licensed premises within \(Int(o.placeDistance)) m; weighted by risk × licensed premises")
            case .walkAndTalk:
                if !hasStreetSafe { notes.append("no StreetSafe layer in the spec (streetsafe:): Walk & Talk has no places of concern to visit") }
                eligible = s.sites.indices.filter { s.sites[$0].reports > 0 }.map { ($0, Double(s.sites[$0].reports)) }
                let walks = walksInWeek(perMonth: op.perMonth ?? 6, week: week)
                rules.teamDaysPerWeek = walks
                notes.append("\(walks) of the month's \(op.perMonth ?? 6) walks \(walks == 1 ? "falls" : "fall") in this week (spread evenly over each month's days); places of StreetSafe concern: \(eligible.count) hotspots with reports, weighted by their reports")
            }
            let total = eligible.reduce(0) { $0 + $1.1 }
            guard !eligible.isEmpty, total > 0, rules.teamDaysPerWeek ?? 1 > 0 else {
                if eligible.isEmpty { notes.append("no hotspot qualifies: no \(op.kind.title) patrols this week") }
                return Scheduled(operation: op, rules: rules, siteIndices: [], patrolSites: [], visits: [], naive: [], naiveHotspots: 0, notes: notes)
            }
            let patrolSites = eligible.map { i, w in
                PatrolSite(weight: w / total, profile: op.kind == .walkAndTalk ? s.sites[i].streetSafeProfile : s.sites[i].crimeProfile)
            }
            let centres = eligible.map { (x: s.sites[$0.0].hotspot.cluster.centroid.x, y: s.sites[$0.0].hotspot.cluster.centroid.y) }
            let speed = o.walkingSpeedKmh * 1000 / 60
            var travel = TravelTimes.walking(centres, metresPerMinute: speed, circuity: o.circuity)
            if let roads {
                let (t, unconnected) = roads.travelTimes(centres, metresPerMinute: speed, fallbackCircuity: o.circuity)
                travel = t
                let pairs = centres.count * (centres.count - 1)
                notes.append("walking times along the road network (\(roads.nodes.count) nodes)" + (unconnected > 0 ? "; \(unconnected) of \(pairs) hotspot pairs it does not connect use the straight line × \(o.circuity)" : ""))
            }
            var rng = SplitMix64(seed: rotationSeed(seed, week: week, operation: index))
            let plan = WeeklyScheduler.plan(sites: patrolSites, rules: rules, travel: travel, randomShare: o.randomShare, followRisk: true, using: &rng)
            let (naive, n) = naivePlan(like: plan.visits, sites: patrolSites, rules: rules)
            return Scheduled(operation: op, rules: rules, siteIndices: eligible.map(\.0), patrolSites: patrolSites, visits: plan.visits,
                             naive: naive, naiveHotspots: n, notes: notes)
        }
    }

    /// The seed of one operation's week: the spec's seed, the ISO week and the operation mixed
    /// through SplitMix64's finaliser, so every week draws its own random share and tie-breaks
    /// (plans rotate) and the same seed and week give the same plan.
    static func rotationSeed(_ seed: UInt64, week: PlanWeek, operation: Int) -> UInt64 {
        var g = SplitMix64(seed: seed)
        var h = g.next() ^ (UInt64(week.year) << 8 | UInt64(week.week))
        g = SplitMix64(seed: h)
        h = g.next() ^ UInt64(operation + 1)
        g = SplitMix64(seed: h)
        return g.next()
    }

    /// Walk & Talk's monthly quota: walk k of q in a month of D days is due on day (k − ½)·D/q; the
    /// week gets the walks due in its seven days (so any month's weeks add up to its quota).
    static func walksInWeek(perMonth q: Int, week: PlanWeek) -> Int {
        (0..<7).reduce(0) { n, d in
            let day = week.localDay(d)
            guard let (y, m, dd) = PlanWeek.civil(day) else { return n }
            let days = Double(PlanWeek.daysInMonth(y, m))
            return n + (1...q).filter { k in Int(((Double(k) - 0.5) * days / Double(q)).rounded(.down)) + 1 == dd }.count
        }
    }

    /// The plan a planner without the model would write: the top N hotspots by weight (N the
    /// fewest that take the plan's visits within the weekly cap, and at least the teams a day),
    /// visited in turn at the same evenly spaced times every day, by the same team-days and as many
    /// visits as the plan.
    static func naivePlan(like visits: [Visit], sites: [PatrolSite], rules r: OperationRules) -> ([Visit], Int) {
        guard !visits.isEmpty else { return ([], 0) }
        let ranked = sites.indices.sorted { (sites[$0].weight, -$0) > (sites[$1].weight, -$1) }
        let n = min(sites.count, max(r.teamsPerDay, Int((Double(visits.count) / Double(r.capPerPlace)).rounded(.up))))
        let teamDays = Set(visits.map { [$0.day, $0.team] }).sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
        // one timetable for every day: the most visits a team-day makes, evenly spaced through the window
        let most = (visits.count + teamDays.count - 1) / teamDays.count
        let offsets = (0..<most).map { j in most == 1 ? 0 : (r.window.minutes - r.dwell) * j / (most - 1) / r.step * r.step }
        var out: [Visit] = []
        for (k, td) in teamDays.enumerated() {
            // as many visits as the plan: the first team-days take the remainder
            let perTeamDay = visits.count / teamDays.count + (k < visits.count % teamDays.count ? 1 : 0)
            let open = td[0] * 1440 + r.window.start
            for (j, offset) in offsets.prefix(perTeamDay).enumerated() {
                let site = ranked[(j * r.teamsPerDay + td[1] - 1) % n]
                out.append(Visit(site: site, day: td[0], team: td[1], start: open + offset, end: open + offset + r.dwell, allocation: .greedy))
            }
        }
        return (out, n)
    }

    // MARK: The document

    /// The study's outcome events a week: its events over the weeks of the data range (nil when
    /// the range is unknown).
    static func eventsPerWeek(_ s: PatrolSites, events: Int, range: (from: String, to: String)?) -> Double? {
        guard let range, let a = PlanWeek.firstDay(of: range.from), let b = PlanWeek.lastDay(of: range.to),
              let (y0, m0, d0) = PlanWeek.civil(a), let (y1, m1, d1) = PlanWeek.civil(b) else { return nil }
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        guard let from = c.date(from: DateComponents(year: y0, month: m0, day: d0)), let to = c.date(from: DateComponents(year: y1, month: m1, day: d1 + 1)) else { return nil }
        let weeks = to.timeIntervalSince(from) / (7 * 86_400)
        return weeks > 0 ? Double(events) / weeks : nil
    }

    static func document(_ scheduled: [Scheduled], sites s: PatrolSites, spec: ModelSpec, options o: PatrolOptions, week w: PlanWeek,
                         range: (from: String, to: String)?, seed: UInt64, events: Int) -> PatrolPlan {
        var outlines: [Int: [[Double]]] = [:]
        let perWeek = eventsPerWeek(s, events: events, range: range)
        let crimeArea = CoarseProfile(hoursOfWeek: s.crimeHours), reportArea = CoarseProfile(hoursOfWeek: s.reportHours)
        let operations = scheduled.map { sc -> PatrolPlan.Operation in
            let r = sc.rules, kind = sc.operation.kind
            let windowHours = r.days.flatMap { d in stride(from: d * 1440 + r.window.start, to: d * 1440 + r.window.start + r.window.minutes, by: 60).map { $0 / 60 } }
            // expected outcome events in the week at each of the operation's hotspots
            let weekly = sc.siteIndices.map { i in perWeek.map { $0 * s.sites[i].riskShare } }
            // a visit's place in its team's shift
            var ordinal: [Visit: Int] = [:]
            for (_, mine) in Dictionary(grouping: sc.visits, by: { [$0.day, $0.team] }) {
                for (k, v) in mine.sorted(by: { $0.start < $1.start }).enumerated() { ordinal[v] = k + 1 }
            }
            let patrols = sc.visits.sorted { ($0.start, $0.team) < ($1.start, $1.team) }.map { v -> PatrolPlan.Patrol in
                let site = s.sites[sc.siteIndices[v.site]], h = site.hotspot
                outlines[h.cluster.id] = h.cluster.outline.flatMap { $0.rings.map { $0.flatMap { [$0.x, $0.y] } } }
                // the end is the start plus the dwell in real time, so a visit across a clock change
                // (01:00–02:00 on the last Sunday of March does not exist in London) still lasts the dwell
                let start = w.date(minute: v.start), end = start.addingTimeInterval(Double(v.end - v.start) * 60)
                let profile = sc.patrolSites[v.site].profile
                let (peaks, from) = busiest(site, kind: kind, crimeTimed: s.crimeTimed, crimeArea: crimeArea, reportArea: reportArea, windowHours: windowHours)
                let team = "\(kind.teamPrefix)-\(v.team)", shift = w.localDay(v.day), k = ordinal[v]!
                return PatrolPlan.Patrol(
                    date: shift, start: w.format(start, "HH:mm"), end: w.format(end, "HH:mm"), startLocal: w.format(start, "yyyy-MM-dd'T'HH:mm"),
                    startUtc: w.format(start, "yyyy-MM-dd'T'HH:mm:ss'Z'", utc: true), endUtc: w.format(end, "yyyy-MM-dd'T'HH:mm:ss'Z'", utc: true),
                    operation: kind.title, team: team, teamMakeUp: kind.teamText, visit: k,
                    hotspotId: h.cluster.id, hotspotRank: h.cluster.rank, hotspotLabel: h.label,
                    hotspotAreas: h.areas.map { "\($0.level): \($0.text)" }, lon: h.lonLat.x, lat: h.lonLat.y,
                    places: site.places, factors: h.narrative, peakHours: peaks.map(\.label), peakHoursFrom: from,
                    riskShare: sc.patrolSites[v.site].value(from: v.start, to: v.end),
                    expectedEvents: weekly[v.site].map { $0 * profile.share(fromMinute: v.start, toMinute: v.end) },
                    allocation: v.allocation.rawValue,
                    uid: String(format: "%@-%@-%@-%02d@riskterrain", "\(w)", team, shift, k),
                    day: v.day)
            }
            let profiles = sc.patrolSites.map(\.profile)
            let reached: ([Visit]) -> Double? = { visits in
                perWeek == nil ? nil : RiskCoverage.expectedShare(of: visits, profiles: profiles, eventsPerSite: weekly.map { $0 ?? 0 }, totalEvents: 1)
            }
            let coverage = sc.visits.isEmpty ? nil : PatrolPlan.Coverage(
                plan: RiskCoverage.expectedShare(of: sc.visits, profiles: profiles, eventsPerSite: sc.patrolSites.map(\.weight), totalEvents: 1),
                naive: RiskCoverage.expectedShare(of: sc.naive, profiles: profiles, eventsPerSite: sc.patrolSites.map(\.weight), totalEvents: 1),
                naiveHotspots: sc.naiveHotspots, eventsAtHotspots: perWeek == nil ? nil : weekly.reduce(0) { $0 + ($1 ?? 0) },
                eventsReached: reached(sc.visits), naiveEventsReached: reached(sc.naive))
            return PatrolPlan.Operation(kind: kind.rawValue, name: kind.title, window: r.window.text, days: r.days.map { dayNames[$0] },
                                        dwellMinutes: r.dwell, spacingMinutes: r.spacing, teamsPerDay: r.teamsPerDay, teamDays: r.teamDaysPerWeek,
                                        maxVisitsPerHotspot: r.capPerPlace, hotspots: sc.siteIndices.count, patrols: patrols,
                                        coverage: coverage, notes: sc.notes)
        }
        func published(_ hours: [Int], own: String) -> PatrolPlan.Profile {
            guard let p = CoarseProfile(hoursOfWeek: hours) else {
                return .init(source: hours.isEmpty ? "none" : own, events: hours.isEmpty ? "0" : "fewer than \(CoarseProfile.minimumEvents)", shares: nil)
            }
            return .init(source: own, events: "\(CoarseProfile.minimumEvents) or more", shares: p.shares)
        }
        let profiles = s.sites.map { site in
            PatrolPlan.HotspotProfiles(hotspotId: site.hotspot.cluster.id, hotspotRank: site.hotspot.cluster.rank, hotspotLabel: site.hotspot.label,
                                       outcome: published(site.crimeHours, own: "own events"), streetsafe: published(site.reportHours, own: "own reports"))
        }
        return PatrolPlan(week: "\(w)", timeZone: o.timeZone, spec: spec.path, dataFrom: range?.from ?? "", dataTo: range?.to ?? "",
                          seed: seed, randomShare: o.randomShare, operations: operations, heldOut: nil, notes: s.notes,
                          profileBlocks: CoarseProfile.Block.all.map(\.label),
                          areaProfiles: .init(outcome: published(s.crimeHours, own: "area-wide"), streetsafe: published(s.reportHours, own: "area-wide")),
                          profiles: profiles, marking: o.marking, outlines: outlines)
    }

    static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// A hotspot's busiest 3-hour blocks in the operation's window, from its own published
    /// profile when it has one (at least `CoarseProfile.minimumEvents` timed events — its
    /// outcome events for Op Verona and Project Vigilant, or its StreetSafe reports where the
    /// outcome has no times and for Walk & Talk), else the area-wide one, labelled so.
    static func busiest(_ site: PatrolSites.Site, kind: PatrolOptions.Kind, crimeTimed: Bool, crimeArea: CoarseProfile?,
                        reportArea: CoarseProfile?, windowHours: [Int]) -> ([CoarseProfile.Block], String) {
        let useCrime = kind != .walkAndTalk && crimeTimed
        if let own = CoarseProfile(hoursOfWeek: useCrime ? site.crimeHours : site.reportHours) {
            return (own.busiest(3, among: windowHours), useCrime ? "own events" : "own reports")
        }
        if let area = useCrime ? crimeArea : reportArea ?? crimeArea { return (area.busiest(3, among: windowHours), "area-wide") }
        return ([], "area-wide")
    }
}
