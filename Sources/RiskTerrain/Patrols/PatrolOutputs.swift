import Foundation

/// Writes a plan: `patrols-WEEK.csv`, `patrols-WEEK.json`, `patrols-WEEK.ics` (every team) and
/// `patrols-WEEK-TEAM.ics` (one per team), one printable briefing per shift date with patrols,
/// `briefing-WEEK-YYYY-MM-DD.html` (a page per team), and a route per team and shift,
/// `routes/WEEK-TEAM-YYYY-MM-DD.gpx` and `.kml`; atomically (`OutputFolder`).
///
/// A plan written where a plan of the same week was written before is a re-issue: its calendars
/// keep each slot's UID, raise SEQUENCE on the events that changed and carry the slots it no
/// longer fills as `STATUS:CANCELLED` (RFC 5545 §3.8.1.11, §3.8.7.4), so importing the new
/// calendar corrects the old one.
public enum PatrolOutputs {
    @discardableResult
    public static func write(_ plan: PatrolPlan, to folder: OutputFolder) throws -> [String] {
        let base = "patrols-\(plan.week)"
        let previous = try? String(contentsOfFile: (folder.path as NSString).appendingPathComponent(base + ".ics"), encoding: .utf8)
        let calendars = PatrolCalendar.render(plan, previous: previous)
        try folder.write(csv(plan), to: base + ".csv")
        try folder.write(try json(plan), to: base + ".json")
        var names = [base + ".csv", base + ".json"]
        for (team, text) in calendars {
            let name = team.map { "\(base)-\($0).ics" } ?? base + ".ics"
            try folder.write(text, to: name)
            names.append(name)
        }
        for (date, html) in PatrolBriefing.render(plan) {
            let name = "briefing-\(plan.week)-\(date).html"
            try folder.write(html, to: name)
            names.append(name)
        }
        for route in PatrolRoutes.render(plan) {
            try folder.write(route.gpx, to: "routes/\(route.name).gpx")
            try folder.write(route.kml, to: "routes/\(route.name).kml")
            names += ["routes/\(route.name).gpx", "routes/\(route.name).kml"]
        }
        return names
    }

    static let columns = ["date", "start", "end", "start_local", "start_utc", "end_utc", "operation", "team", "team_make_up", "visit",
                          "hotspot_id", "hotspot_rank", "hotspot_label", "lon", "lat", "places", "places_lonlat", "factors", "peak_hours",
                          "peak_hours_from", "risk_share", "expected_events", "allocation", "uid"]

    /// Every patrol in time order, through `CSVWriter` (names come from input files).
    public static func csv(_ plan: PatrolPlan) -> String {
        let rows = plan.operations.flatMap(\.patrols).sorted(by: { ($0.startUtc, $0.operation, $0.team) < ($1.startUtc, $1.operation, $1.team) }).map { p -> [CSVWriter.Field] in
            [.text(p.date), .text(p.start), .text(p.end), .text(p.startLocal), .text(p.startUtc), .text(p.endUtc), .text(p.operation), .text(p.team),
             .text(p.teamMakeUp), .number(String(p.visit)), .number(String(p.hotspotId)), .number(String(p.hotspotRank)), .text(p.hotspotLabel),
             .number(String(format: "%.6f", p.lon)), .number(String(format: "%.6f", p.lat)),
             .text(p.places.map { "\($0.name) (\(PatrolSites.singular($0.kind)))" }.joined(separator: " > ")),
             .text(p.places.map { String(format: "%.6f %.6f", $0.lon, $0.lat) }.joined(separator: "; ")),
             .text(p.factors), .text(p.peakHours.joined(separator: "; ")), .text(p.peakHoursFrom), .number(String(format: "%.6f", p.riskShare)),
             .number(p.expectedEvents.map { String(format: "%.4f", $0) } ?? ""), .text(p.allocation), .text(p.uid)]
        }
        return CSVWriter.document(header: columns, rows: rows)
    }

    public static func json(_ plan: PatrolPlan) throws -> Data { try RunOutputs.encodeJSON(plan) }

    /// What the CLI prints: patrols per operation, coverage against the naive plan, held-out shares.
    public static func text(_ plan: PatrolPlan) -> String {
        var lines = ["patrol plan \(plan.week) (\(plan.timeZone)), data \(plan.dataFrom)–\(plan.dataTo), seed \(plan.seed), random share \(Int((plan.randomShare * 100).rounded()))%"]
        for op in plan.operations {
            var line = "  " + DemoText.pad(op.name, 17) + " \(op.patrols.count) patrols, \(Set(op.patrols.map(\.hotspotId)).count) of \(op.hotspots) hotspots, \(op.window) \(op.days.joined(separator: ","))"
            if let c = op.coverage {
                if let e = c.eventsReached, let all = c.eventsAtHotspots, let naive = c.naiveEventsReached {
                    line += String(format: "; reaches %.2f of the %.1f events expected at its hotspots this week (naive top-%d plan: %.2f)", e, all, c.naiveHotspots, naive)
                } else {
                    line += String(format: "; covers %.1f%% of its weekly hotspot risk (naive top-%d plan: %.1f%%)", c.plan * 100, c.naiveHotspots, c.naive * 100)
                }
            }
            lines.append(line)
        }
        for n in plan.notes + plan.operations.flatMap(\.notes) { lines.append("  note: " + n) }
        if let h = plan.heldOut {
            lines.append("held-out: plan for \(h.week) from \(h.trainWindow), tested on \(h.testWindow) (\(h.testEvents) events\(h.testReports.map { ", \($0) StreetSafe reports" } ?? ""))")
            lines.append("  operation          crime covered (plan / naive)   StreetSafe covered (plan / naive)")
            for s in h.operations {
                let ss = s.planStreetsafe.map { String(format: "%6.2f%% / %6.2f%%", $0 * 100, s.naiveStreetsafe! * 100) } ?? "—"
                lines.append("  " + DemoText.pad(s.operation, 17) + String(format: "  %6.2f%% / %6.2f%%", s.planCrime * 100, s.naiveCrime * 100) + "          " + ss)
            }
        }
        return lines.joined(separator: "\n")
    }
}
