import Foundation

/// Writes a plan: `patrols-WEEK.csv`, `patrols-WEEK.json`, `patrols-WEEK.ics` and one printable
/// briefing per day with patrols, `briefing-WEEK-YYYY-MM-DD.html`, atomically (`OutputFolder`).
public enum PatrolOutputs {
    @discardableResult
    public static func write(_ plan: PatrolPlan, to folder: OutputFolder) throws -> [String] {
        let base = "patrols-\(plan.week)"
        try folder.write(csv(plan), to: base + ".csv")
        try folder.write(try json(plan), to: base + ".json")
        try folder.write(PatrolCalendar.render(plan), to: base + ".ics")
        var names = [base + ".csv", base + ".json", base + ".ics"]
        for (date, html) in PatrolBriefing.render(plan) {
            let name = "briefing-\(plan.week)-\(date).html"
            try folder.write(html, to: name)
            names.append(name)
        }
        return names
    }

    static let columns = ["date", "start", "end", "start_utc", "end_utc", "operation", "team", "team_make_up", "hotspot_id", "hotspot_rank",
                          "hotspot_label", "lon", "lat", "places", "places_lonlat", "factors", "peak_hours", "expected_coverage", "allocation", "uid"]

    public static func csv(_ plan: PatrolPlan) -> String {
        func q(_ s: String) -> String { s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var lines = [columns.joined(separator: ",")]
        for p in plan.operations.flatMap(\.patrols).sorted(by: { ($0.startUtc, $0.operation, $0.team) < ($1.startUtc, $1.operation, $1.team) }) {
            let fields = [p.date, p.start, p.end, p.startUtc, p.endUtc, p.operation, p.team, p.teamMakeUp, String(p.hotspotId), String(p.hotspotRank),
                          p.hotspotLabel, String(format: "%.6f", p.lon), String(format: "%.6f", p.lat),
                          p.places.map { "\($0.name) (\(PatrolSites.singular($0.kind)))" }.joined(separator: " > "),
                          p.places.map { String(format: "%.6f %.6f", $0.lon, $0.lat) }.joined(separator: "; "),
                          p.factors, p.peakHours.joined(separator: "; "), String(format: "%.6f", p.expectedCoverage), p.allocation, p.uid]
            lines.append(fields.map(q).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ plan: PatrolPlan) throws -> Data { try RunOutputs.encodeJSON(plan) }

    /// What the CLI prints: patrols per operation, coverage against the naive plan, held-out shares.
    public static func text(_ plan: PatrolPlan) -> String {
        var lines = ["patrol plan \(plan.week) (\(plan.timeZone)), data \(plan.dataFrom)–\(plan.dataTo), seed \(plan.seed), random share \(Int((plan.randomShare * 100).rounded()))%"]
        for op in plan.operations {
            var line = "  " + DemoText.pad(op.name, 17) + " \(op.patrols.count) patrols, \(Set(op.patrols.map(\.hotspotId)).count) of \(op.hotspots) hotspots, \(op.window) \(op.days.joined(separator: ","))"
            if let c = op.coverage {
                line += String(format: "; covers %.1f%% of its weekly hotspot risk (naive top-%d plan: %.1f%%)", c.plan * 100, c.naiveHotspots, c.naive * 100)
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
