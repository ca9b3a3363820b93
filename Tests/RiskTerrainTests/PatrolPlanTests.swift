import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Patrols
@testable import RiskTerrain
import TestSupport

/// Weekly patrol plans on the bundled sample: the week after its data ends (2025-W02), all three
/// operations, against their rules; the model is fitted once for the suite.
@Suite(.serialized) struct PatrolPlanTests {
    static let spec = try! SpecParser.load(sampleSpec)
    static let fitted = try! Pipeline.fit(spec)
    static let plan = try! PatrolPlanner.plan(spec, week: nil, heldOut: true, fitted: fitted)
    let scratch = Scratch()

    func minutes(_ hhmm: String) -> Int { Int(hhmm.prefix(2))! * 60 + Int(hhmm.suffix(2))! }

    @Test func allThreeOperationsArePlannedWithinTheirRules() throws {
        let plan = Self.plan
        #expect(plan.week == "2025-W02" && plan.operations.map(\.name) == ["Op Verona", "Project Vigilant", "Walk & Talk"])
        let options = Self.spec.patrols ?? PatrolOptions()
        let iso = ISO8601DateFormatter()
        for (op, o) in zip(plan.operations, options.operations) {
            #expect(!op.patrols.isEmpty, "\(op.name) has no patrols")
            let r = o.rules
            for p in op.patrols {
                let start = try #require(iso.date(from: p.startUtc)), end = try #require(iso.date(from: p.endUtc))
                #expect(end.timeIntervalSince(start) == Double(r.dwell * 60), "\(p.uid) does not last the dwell")
                // inside the window: the local start is at or after the opening, the end no later than the close
                let s = minutes(p.start), open = r.window.start, close = r.window.end
                let inside = r.window.crossesMidnight ? (s >= open || minutes(p.end) <= close) : (s >= open && (minutes(p.end) <= close || close == 1440 && p.end == "00:00"))
                #expect(inside, "\(p.uid) \(p.start)–\(p.end) outside \(r.window.text)")
                #expect(p.places.count <= options.maxPlaces && !p.factors.isEmpty && (1...3).contains(p.peakHours.count))
                #expect(p.team.hasPrefix(o.kind.teamPrefix + "-"))
                // whole shifts: the date is the day the window opens; a visit past midnight happens the next day
                let opens = "\(p.date)T\(String(format: "%02d:%02d", open / 60, open % 60))"
                #expect(p.startLocal >= opens, "\(p.uid): starts \(p.startLocal) before its shift opens \(opens)")
                if !p.startLocal.hasPrefix(p.date) { #expect(r.window.crossesMidnight && s < close, "\(p.uid) on the next day outside the window") }
            }
            // no team double-booked: a team's patrols on one day do not overlap
            for (_, mine) in Dictionary(grouping: op.patrols, by: { "\($0.day)-\($0.team)" }) {
                let sorted = mine.sorted { $0.startUtc < $1.startUtc }
                for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(a.endUtc <= b.startUtc, "\(a.uid) overlaps \(b.uid)") }
            }
            // caps and spacing per hotspot
            for (_, visits) in Dictionary(grouping: op.patrols, by: \.hotspotId) {
                #expect(visits.count <= r.capPerPlace)
                let starts = visits.map { iso.date(from: $0.startUtc)! }.sorted()
                for (a, b) in zip(starts, starts.dropFirst()) { #expect(b.timeIntervalSince(a) >= Double(r.spacing * 60)) }
            }
            #expect(Set(op.patrols.map(\.uid)).count == op.patrols.count)
            if let c = op.coverage { #expect(c.plan >= c.naive, "\(op.name): plan \(c.plan) below naive \(c.naive)") }
        }
        let vigilant = plan.operations[1]
        #expect(Set(vigilant.patrols.map(\.day)).isSubset(of: [3, 4, 5]))
        // Thursday–Saturday shifts: dates 2025-01-09…11, none on Sunday, even for the visits after midnight
        #expect(Set(vigilant.patrols.map(\.date)).isSubset(of: ["2025-01-09", "2025-01-10", "2025-01-11"]))
        #expect(vigilant.patrols.contains { !$0.startLocal.hasPrefix($0.date) }, "no Vigilant visit after midnight to check")
        // team ids are unique across operations
        let teams = plan.operations.map { Set($0.patrols.map(\.team)) }
        #expect(teams[0].isDisjoint(with: teams[1]) && teams[0].isDisjoint(with: teams[2]) && teams[1].isDisjoint(with: teams[2]))
        #expect(teams[0] == ["verona-1", "verona-2"])
        #expect(plan.notes.contains { $0.contains("outcome events have no time of day") })
    }

    @Test func heldOutCoverageBeatsTheNaivePlan() throws {
        let h = try #require(Self.plan.heldOut)
        #expect(h.week == "2024-W41" && h.testEvents > 500 && (h.testReports ?? 0) > 50)
        let verona = try #require(h.operations.first { $0.operation == "Op Verona" })
        #expect(verona.planCrime > verona.naiveCrime, "crime: plan \(verona.planCrime), naive \(verona.naiveCrime)")
        // StreetSafe reports carry their times: the plan meets at least as many as the naive plan
        #expect(verona.planStreetsafe! >= verona.naiveStreetsafe! && verona.planStreetsafe! > 0, "StreetSafe: plan \(verona.planStreetsafe!), naive \(verona.naiveStreetsafe!)")
        for s in h.operations { #expect((0...1).contains(s.planCrime) && (0...1).contains(s.naiveCrime)) }
    }

    /// (weekday, local time, team, hotspot) of every patrol: what a reader of two plans compares.
    static func slots(_ plan: PatrolPlan) -> Set<String> {
        Set(plan.operations.flatMap(\.patrols).map { "\($0.day) \($0.start) \($0.team) \($0.hotspotId)" })
    }

    @Test func plansRotateByWeekAndTheSameWeekAndSeedGiveTheSameBytes() throws {
        let again = try PatrolPlanner.plan(Self.spec, week: nil, heldOut: false, fitted: Self.fitted)
        #expect(PatrolOutputs.csv(again) == PatrolOutputs.csv(Self.plan))
        #expect(PatrolCalendar.render(again).map(\.1) == PatrolCalendar.render(Self.plan).map(\.1))
        #expect(PatrolBriefing.render(again).map(\.1) == PatrolBriefing.render(Self.plan).map(\.1))
        // consecutive weeks differ in at least 20 % of their patrols
        var previous = Self.slots(Self.plan)
        for week in ["2025-W03", "2025-W04"] {
            let next = Self.slots(try PatrolPlanner.plan(Self.spec, week: week, heldOut: false, fitted: Self.fitted))
            let changed = Double(next.subtracting(previous).count) / Double(next.count)
            print(String(format: "patrol rotation: %.0f%% of %@'s patrols differ from the week before", changed * 100, week))
            #expect(changed >= 0.2, "\(week): only \(changed) of the patrols changed")
            previous = next
        }
        // another seed, the same week: another plan
        var other = Self.spec
        other.patrols = other.patrols ?? PatrolOptions()
        other.patrols!.seed = 2
        let reseeded = try PatrolPlanner.plan(other, week: nil, heldOut: false, fitted: Self.fitted)
        #expect(Self.slots(reseeded) != Self.slots(Self.plan))
    }

    @Test func visitsFollowRiskAndCoverageIsInEvents() throws {
        let verona = Self.plan.operations[0]
        // Op Verona's weights are the hotspots' scores, and on the sample every hotspot has the
        // same (area-wide) profile, so its risk in the operation's hours is its share of the score
        let hotspots = try HotspotStage.find(Self.fitted, options: Self.spec.hotspots, streetSafe: Self.fitted.inputs.streetSafe)
        let total = hotspots.reduce(0) { $0 + $1.cluster.score }
        let top = hotspots.sorted { $0.cluster.rank < $1.cluster.rank }.prefix(5)
        let riskShare = top.reduce(0) { $0 + $1.cluster.score } / total
        let ids = Set(top.map(\.cluster.id))
        let visitShare = Double(verona.patrols.filter { ids.contains($0.hotspotId) }.count) / Double(verona.patrols.count)
        print(String(format: "Op Verona: the top 5 hotspots hold %.1f%% of the risk and get %.1f%% of the %d visits (%.0f%% of their share)",
                     riskShare * 100, visitShare * 100, verona.patrols.count, visitShare / riskShare * 100))
        #expect(visitShare >= 0.75 * riskShare)
        // expected events: per visit and reached in the week, no more than expected at the hotspots
        let c = try #require(verona.coverage)
        let reached = try #require(c.eventsReached), all = try #require(c.eventsAtHotspots)
        let perVisit = verona.patrols.compactMap(\.expectedEvents).reduce(0, +)
        #expect(reached > 0 && reached <= all && reached <= perVisit + 1e-9 && c.naiveEventsReached! <= reached)
        // peak hours: the hotspot's own where it has 10 timed reports, labelled area-wide elsewhere
        let from = Set(verona.patrols.map(\.peakHoursFrom))
        #expect(from == ["own reports", "area-wide"], "\(from)")
        for p in verona.patrols { #expect(p.peakHours.allSatisfy { $0.hasPrefix("weekday ") || $0.hasPrefix("weekend ") }) }
        #expect(Set(Self.plan.profiles.map(\.hotspotLabel)).count == Self.plan.profiles.count, "two hotspots share a name")
    }

    @Test func calendarsPerTeamAndReissuesUpdateByUID() throws {
        let plan = Self.plan
        let calendars = PatrolCalendar.render(plan)
        let teams = Set(plan.operations.flatMap(\.patrols).map(\.team))
        #expect(calendars.count == teams.count + 1 && calendars[0].0 == nil && Set(calendars.dropFirst().compactMap(\.0)) == teams)
        for (team, text) in calendars.dropFirst() {
            let events = PatrolCalendar.parse(text)
            #expect(!events.isEmpty && events.allSatisfy { $0.event.team == team && $0.sequence == 0 && !$0.cancelled })
            #expect(events.count == plan.operations.flatMap(\.patrols).filter { $0.team == team }.count)
        }
        // the same plan re-issued: the same bytes (nothing changed, nothing re-sequenced)
        #expect(PatrolCalendar.render(plan, previous: calendars[0].1).map(\.1) == calendars.map(\.1))
        // a correction: another seed for the same week
        var other = Self.spec
        other.patrols = other.patrols ?? PatrolOptions()
        other.patrols!.seed = 7
        let corrected = try PatrolPlanner.plan(other, week: nil, heldOut: false, fitted: Self.fitted)
        let reissued = PatrolCalendar.parse(PatrolCalendar.render(corrected, previous: calendars[0].1)[0].1)
        let old = Dictionary(uniqueKeysWithValues: PatrolCalendar.parse(calendars[0].1).map { ($0.event.uid, $0.event) })
        let now = Set(corrected.operations.flatMap(\.patrols).map(\.uid))
        var updated = 0, kept = 0, cancelled = 0
        for e in reissued {
            if !now.contains(e.event.uid) {
                #expect(e.cancelled && e.sequence == 1 && old[e.event.uid] != nil); cancelled += 1
            } else if let o = old[e.event.uid] {
                #expect(!e.cancelled && e.sequence == (o == e.event ? 0 : 1)); if o == e.event { kept += 1 } else { updated += 1 }
            } else { #expect(e.sequence == 0 && !e.cancelled) }
        }
        print("re-issued plan: \(updated) events updated (SEQUENCE 1), \(kept) unchanged, \(cancelled) cancelled")
        #expect(updated > 0 && Set(reissued.map(\.event.uid)).count == reissued.count && Set(old.keys).isSubset(of: Set(reissued.map(\.event.uid))))
        try CalendarStructure.check(PatrolCalendar.render(corrected, previous: calendars[0].1)[0].1)
    }

    @Test func routesPerTeamAndShiftNameTheirWaypointsAfterThePlaces() throws {
        let plan = Self.plan
        let routes = PatrolRoutes.render(plan)
        let shifts = Set(plan.operations.flatMap(\.patrols).map { "\(plan.week)-\($0.team)-\($0.date)" })
        #expect(Set(routes.map(\.name)) == shifts && routes.count == shifts.count)
        for r in routes {
            for doc in [r.gpx, r.kml] {
                let parser = XMLParser(data: Data(doc.utf8))
                #expect(parser.parse(), "\(r.name): not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
            }
            let patrols = plan.operations.flatMap(\.patrols).filter { "\(plan.week)-\($0.team)-\($0.date)" == r.name }
            let names = patrols.sorted { $0.startUtc < $1.startUtc }.flatMap { p in p.places.isEmpty ? ["hotspot #\(p.hotspotRank) \(p.hotspotLabel)"] : p.places.map { "\($0.name) (\(PatrolSites.singular($0.kind)))" } }
            let wpts = r.gpx.components(separatedBy: "<wpt ").dropFirst().map { $0.components(separatedBy: "<name>")[1].components(separatedBy: "</name>")[0] }
            #expect(wpts == names.map(PatrolRoutes.xml), "\(r.name)")
            #expect(r.kml.components(separatedBy: "<Point>").count - 1 == names.count)
        }
    }

    @Test func briefingsAreA4WithAPagePerTeamAMarkingAndLabelsThatDoNotOverlap() throws {
        let plan = Self.plan
        for (date, html) in PatrolBriefing.render(plan) {
            let teams = Set(plan.operations.flatMap(\.patrols).filter { $0.date == date }.map(\.team))
            #expect(html.contains("@page{size:A4 portrait"))
            let pages = html.components(separatedBy: "<section class=\"page\">").dropFirst()
            #expect(pages.count == teams.count, "\(date): \(pages.count) pages for \(teams.count) teams")
            for page in pages {
                #expect(page.components(separatedBy: "OFFICIAL-SENSITIVE").count - 1 == 2, "a page without its marking at the top and the foot")
                let boxes = page.components(separatedBy: "data-box=\"").dropFirst().map { $0.prefix { $0 != "\"" }.split(separator: " ").map { Double($0)! } }
                let labels = page.components(separatedBy: "<text class=\"label\"").count - 1
                #expect(boxes.count == labels && labels > 0)
                for (i, a) in boxes.enumerated() {
                    #expect(a[0] >= 0 && a[1] >= 0 && a[0] + a[2] <= 700 && a[1] + a[3] <= 368, "label outside the map")
                    for b in boxes[(i + 1)...] {
                        #expect(!(a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]), "labels overlap: \(a) \(b)")
                    }
                }
                // every hotspot the team visits has its label
                let ranks = Set(page.components(separatedBy: "<td>#").dropFirst().map { String($0.prefix { $0.isNumber }) })
                for r in ranks { #expect(page.contains(">#\(r)</text>"), "hotspot #\(r) unlabelled") }
            }
        }
        var marked = Self.spec
        marked.patrols = marked.patrols ?? PatrolOptions()
        marked.patrols!.marking = "OFFICIAL"
        let other = try PatrolPlanner.plan(marked, week: nil, heldOut: false, fitted: Self.fitted)
        #expect(PatrolBriefing.render(other).allSatisfy { !$0.1.contains("OFFICIAL-SENSITIVE") && $0.1.contains(">OFFICIAL<") })
    }

    @Test func aRoadNetworkGivesTheWalkingTimes() throws {
        var spec = Self.spec
        spec.patrols = spec.patrols ?? PatrolOptions()
        spec.patrols!.roads = LayerSource(path: (sampleSpec as NSString).deletingLastPathComponent + "/high_streets.gpkg")
        let plan = try PatrolPlanner.plan(spec, week: nil, heldOut: false, fitted: Self.fitted)
        // the sample's high streets are a few separate lines: some pairs of hotspots they join, the rest fall back
        let note = try #require(plan.operations[0].notes.first { $0.hasPrefix("walking times along the road network") })
        #expect(note.contains("it does not connect use the straight line × 1.3"), "\(note)")
        #expect(!plan.operations[0].patrols.isEmpty)
        spec.patrols!.roads = LayerSource(path: (sampleSpec as NSString).deletingLastPathComponent + "/stations.gpkg")
        #expect(throws: SpecError.self) { try PatrolPlanner.plan(spec, week: nil, heldOut: false, fitted: Self.fitted) }
    }

    @Test func weeksOutsideTheDataAreRefused() {
        func message(_ week: String) -> String {
            do { _ = try PatrolPlanner.plan(Self.spec, week: week, heldOut: false, fitted: Self.fitted); return "planned" } catch { return "\(error)" }
        }
        #expect(message("2026-W10").contains("--week 2026-W10: starts 61 weeks after the data ends (2024-12) — plan at most 8 weeks ahead"))
        #expect(message("2023-W40").contains("ends before the data begins (2024-01)"))
        #expect(message("2025-13").contains("not an ISO week — write YYYY-Www, e.g. 2025-W03"))
        #expect(message("2025-W03") == "planned")
    }

    @Test func outputsHoldNoEventCoordinatesAndTheCalendarParses() throws {
        let plan = Self.plan
        let json = String(decoding: try PatrolOutputs.json(plan), as: UTF8.self)
        let csv = PatrolOutputs.csv(plan), ics = PatrolCalendar.render(plan)[0].1
        // no event's coordinates appear anywhere (lon/lat to 6 decimals, as data.police.uk writes them)
        let crimes = try String(contentsOfFile: (sampleSpec as NSString).deletingLastPathComponent + "/crimes.csv", encoding: .utf8)
        let coordinates = crimes.split(separator: "\n").dropFirst().prefix(400).compactMap { line -> String? in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return f.count > 5 && !f[4].isEmpty ? "\(f[4]) \(f[5])" : nil
        }
        for c in coordinates { #expect(!csv.contains(c) && !json.contains(c) && !ics.contains(c)) }
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\n") && ics.hasSuffix("END:VCALENDAR\r\n"))
        #expect(ics.components(separatedBy: "BEGIN:VEVENT").count - 1 == plan.operations.reduce(0) { $0 + $1.patrols.count })
        try CalendarStructure.check(ics, csv: csv)
        #expect(PatrolBriefing.render(plan).count == 7)
        #expect(InspectText.percent(0.0000432) == "0.0043" && InspectText.percent(0.000000432) == "0.000043")
        #expect(InspectText.percent(0.1234) == "12.3" && InspectText.percent(0.001) == "0.1" && InspectText.percent(0) == "0")
        // time-of-week profiles: published coarse (16 blocks, rounded to 5 points), only from 10 events
        let doc = try JSONSerialization.jsonObject(with: PatrolOutputs.json(plan)) as! [String: Any]
        let profiles = try #require(doc["profiles"] as? [[String: Any]])
        #expect(profiles.count == plan.profiles.count && !profiles.isEmpty && plan.profileBlocks.count == 16)
        for p in plan.profiles {
            #expect(p.outcome.source == "none")                          // the sample's crimes have months only
            if let shares = p.streetsafe.shares {
                #expect(shares.count == 16 && p.streetsafe.events == "10 or more")
                #expect(shares.allSatisfy { abs($0 / 0.05 - ($0 / 0.05).rounded()) < 1e-9 })
            } else { #expect(p.streetsafe.events != "10 or more") }
        }
        #expect(plan.profiles.contains { $0.streetsafe.shares != nil })
    }

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Each briefing printed by a real browser (headless Chromium, Debian's chromium, installed by
    /// scripts/setup.sh) to PDF: A4, and exactly one page per team on that shift date — the marking
    /// at its foot included. Skipped, visibly, where Chromium is not installed.
    @Test(.enabled(if: chromium != nil, "chromium is not installed — run bash scripts/setup.sh (apt-get install chromium)"))
    func briefingsPrintOnePagePerTeamAndShift() throws {
        let plan = Self.plan
        let dir = try scratch.folder("rtm-print")
        let briefings = PatrolBriefing.render(plan)
        #expect(!briefings.isEmpty)
        for (date, html) in briefings {
            let page = "\(dir)/\(date).html", pdf = "\(dir)/\(date).pdf"
            try html.write(toFile: page, atomically: true, encoding: .utf8)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Self.chromium!)
            p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=\(dir)/profile",
                           "--print-to-pdf=\(pdf)", "file://\(page)"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            let bytes = try String(decoding: Data(contentsOf: URL(fileURLWithPath: pdf)), as: UTF8.self)
            // the page tree's root /Count is the number of pages; every page's /MediaBox is A4 in points
            let counts = bytes.matches(of: /\/Count (\d+)/).compactMap { Int($0.1) }
            let teams = html.components(separatedBy: "<section class=\"page\">").count - 1
            #expect(counts.max() == teams, "\(date): \(counts.max() ?? 0) printed pages for \(teams) teams")
            // A4 is 595.28 × 841.89 pt; Chromium rounds it to whole CSS pixels (594.96 × 841.92)
            let boxes = bytes.matches(of: /\/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]/).compactMap { m in Double(m.1).flatMap { w in Double(m.2).map { (w, $0) } } }
            #expect(boxes.count == teams && boxes.allSatisfy { abs($0.0 - 595.28) < 1 && abs($0.1 - 841.89) < 1 }, "\(date): not A4: \(boxes)")
        }
    }

    /// The independent RFC 5545 parser (Debian python3-icalendar, installed by scripts/setup.sh):
    /// skipped, visibly, where it is not installed.
    @Test(.enabled(if: CalendarStructure.pythonICalendar, "python3-icalendar is not installed — run bash scripts/setup.sh (apt-get install python3-icalendar)"))
    func theCalendarParsesWithPythonICalendar() throws {
        let plan = Self.plan
        let dir = URL(fileURLWithPath: try scratch.folder("rtm-ics"))
        for (team, text) in PatrolCalendar.render(plan) {
            let name = team ?? "all"
            try Data(text.utf8).write(to: dir.appendingPathComponent("\(name).ics"))
        }
        try Data(PatrolOutputs.csv(plan).utf8).write(to: dir.appendingPathComponent("plan.csv"))
        let script = URL(fileURLWithPath: sampleSpec).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/validate_ics.py")
        func validate(_ arguments: [String]) throws -> (Int32, String) {
            let p = Process(), out = Pipe()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            p.arguments = [script.path] + arguments
            p.standardOutput = out
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, text)
        }
        let (status, text) = try validate([dir.appendingPathComponent("all.ics").path, dir.appendingPathComponent("plan.csv").path])
        #expect(status == 0 && text.contains("valid RFC 5545"), "\(text)")
        let (teamStatus, teamText) = try validate([dir.appendingPathComponent("verona-1.ics").path])
        #expect(teamStatus == 0 && teamText.contains("valid RFC 5545"), "\(teamText)")
    }
}
