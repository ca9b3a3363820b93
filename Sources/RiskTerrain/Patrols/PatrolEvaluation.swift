import Foundation
import GeoIO
import Patrols
import RasterCore

extension PatrolPlanner {
    /// Plans the week after the training window with the model fitted on it (and StreetSafe reports
    /// from it), then asks what share of the test window's events the plan would have covered, had
    /// it run every week, against the naive plan: outcome events by their hotspot and the profile's
    /// share of the visited hours (data.police.uk gives no time of day), StreetSafe reports by
    /// their own timestamps.
    static func evaluate(_ spec: ModelSpec, _ e: EvaluationOptions, options o: PatrolOptions, seed: UInt64,
                         progress: @escaping Pipeline.Progress) throws -> PatrolPlan.HeldOut {
        guard let field = spec.outcome.time?.field else {
            throw SpecError(file: spec.path, line: nil, key: "evaluation",
                            message: "a temporal split needs the outcome's time field — add outcome.time: { field: month } (or the date column)")
        }
        let tz = TimeZone(identifier: o.timeZone)!
        var train = spec
        train.outcome.time = TimeFilter(field: field, from: e.trainFrom, to: e.trainTo)
        train.streetSafe?.time = TimeFilter(field: o.streetSafeTime, from: e.trainFrom, to: e.trainTo)
        let fitted = try Pipeline.fit(train, progress: progress)
        let hotspots = try HotspotStage.find(fitted, options: spec.hotspots, streetSafe: fitted.inputs.streetSafe)
        let (outcome, streetSafe) = try readEvents(train, crs: fitted.inputs.crs, options: o)
        let sites = try PatrolSites.build(fitted, hotspots: hotspots, options: o, outcome: outcome, streetSafe: streetSafe)
        let week = PlanWeek.after(day: PlanWeek.lastDay(of: e.trainTo)!, timeZone: tz)!
        let roads = try readRoads(spec, crs: fitted.inputs.crs, options: o)
        let scheduled = schedule(sites, options: o, week: week, seed: seed, hasStreetSafe: spec.streetSafe != nil, roads: roads)

        // the test window, counted per hotspot
        var test = spec
        test.outcome.time = TimeFilter(field: field, from: e.testFrom, to: e.testTo)
        test.streetSafe?.time = TimeFilter(field: o.streetSafeTime, from: e.testFrom, to: e.testTo)
        let (testOutcome, testStreetSafe) = try readEvents(test, crs: fitted.inputs.crs, options: o)
        let locate = PatrolSites.locator(fitted, hotspots: hotspots)
        var crimeBySite = [Double](repeating: 0, count: hotspots.count), crimeTotal = 0
        for p in testOutcome.points {
            let (study, site) = locate(p)
            if study { crimeTotal += 1 }
            if let site { crimeBySite[site] += 1 }
        }
        var reportMinutes = [[Int]](repeating: [], count: hotspots.count), reportTotal = 0
        if let ss = testStreetSafe {
            for (p, t) in zip(ss.points, ss.times) {
                let (study, site) = locate(p)
                if study { reportTotal += 1 }
                if let site, let t, let m = PlanWeek.minuteOfWeek(t) { reportMinutes[site].append(m) }
            }
        }
        let shares = scheduled.map { sc -> PatrolPlan.HeldOut.Shares in
            let crimeProfiles = sc.siteIndices.map { sites.sites[$0].crimeProfile }
            let events = sc.siteIndices.map { crimeBySite[$0] }
            let minutes = sc.siteIndices.map { reportMinutes[$0] }
            func crime(_ v: [Visit]) -> Double {
                RiskCoverage.expectedShare(of: v, profiles: crimeProfiles, eventsPerSite: events, totalEvents: Double(crimeTotal))
            }
            func reports(_ v: [Visit]) -> Double? {
                testStreetSafe == nil ? nil : RiskCoverage.observedShare(of: v, eventMinutesPerSite: minutes, totalEvents: reportTotal)
            }
            return .init(operation: sc.operation.kind.title, planCrime: crime(sc.visits), naiveCrime: crime(sc.naive),
                         planStreetsafe: reports(sc.visits), naiveStreetsafe: reports(sc.naive))
        }
        var notes = ["the plan for \(week), the week after the training window, made with the model and reports of \(e.trainFrom)–\(e.trainTo) only; shares are of all test-window events in the study area, had that week's plan run every week of \(e.testFrom)–\(e.testTo)"]
        if !sites.crimeTimed { notes.append("outcome events have no time of day: their share is expected under the profile the plan used (the StreetSafe area-wide profile); the StreetSafe shares use the reports' own times") }
        return PatrolPlan.HeldOut(trainWindow: "\(e.trainFrom)–\(e.trainTo)", testWindow: "\(e.testFrom)–\(e.testTo)", week: "\(week)",
                                  testEvents: crimeTotal, testReports: testStreetSafe == nil ? nil : reportTotal,
                                  operations: shares, notes: notes)
    }
}
