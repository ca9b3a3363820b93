import Foundation
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
                #expect(p.places.count <= options.maxPlaces && !p.factors.isEmpty && p.peakHours.count == 3)
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
        #expect(plan.notes.contains { $0.contains("outcome events have no time of day") })
    }

    @Test func heldOutCoverageBeatsTheNaivePlan() throws {
        let h = try #require(Self.plan.heldOut)
        #expect(h.week == "2024-W41" && h.testEvents > 500 && (h.testReports ?? 0) > 50)
        let verona = try #require(h.operations.first { $0.operation == "Op Verona" })
        #expect(verona.planCrime > verona.naiveCrime, "crime: plan \(verona.planCrime), naive \(verona.naiveCrime)")
        // StreetSafe reports carry their times: the plan meets some of them where the naive plan meets none
        #expect(verona.planStreetsafe! > verona.naiveStreetsafe!, "StreetSafe: plan \(verona.planStreetsafe!), naive \(verona.naiveStreetsafe!)")
        for s in h.operations { #expect((0...1).contains(s.planCrime) && (0...1).contains(s.naiveCrime)) }
    }

    @Test func sameSeedSameBytesOtherSeedOnlyTheRandomShare() throws {
        let again = try PatrolPlanner.plan(Self.spec, week: nil, heldOut: false, fitted: Self.fitted)
        #expect(PatrolOutputs.csv(again) == PatrolOutputs.csv(Self.plan))
        #expect(PatrolCalendar.render(again) == PatrolCalendar.render(Self.plan))
        var other = Self.spec
        other.patrols = other.patrols ?? PatrolOptions()
        other.patrols!.seed = 2
        let reseeded = try PatrolPlanner.plan(other, week: nil, heldOut: false, fitted: Self.fitted)
        for (a, b) in zip(Self.plan.operations, reseeded.operations) {
            let greedyA = a.patrols.filter { $0.allocation == "greedy" }.map(\.uid), greedyB = b.patrols.filter { $0.allocation == "greedy" }.map(\.uid)
            #expect(greedyA == greedyB, "\(a.name): the greedy part depends on the seed")
        }
        let randomA = Set(Self.plan.operations[0].patrols.filter { $0.allocation == "random" }.map(\.uid))
        let randomB = Set(reseeded.operations[0].patrols.filter { $0.allocation == "random" }.map(\.uid))
        #expect(!randomA.isEmpty && randomA != randomB)
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
        let csv = PatrolOutputs.csv(plan), ics = PatrolCalendar.render(plan)
        // no event's coordinates appear anywhere (lon/lat to 6 decimals, as data.police.uk writes them)
        let crimes = try String(contentsOfFile: (sampleSpec as NSString).deletingLastPathComponent + "/crimes.csv", encoding: .utf8)
        let coordinates = crimes.split(separator: "\n").dropFirst().prefix(400).compactMap { line -> String? in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return f.count > 5 && !f[4].isEmpty ? "\(f[4]) \(f[5])" : nil
        }
        for c in coordinates { #expect(!csv.contains(c) && !json.contains(c) && !ics.contains(c)) }
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\n") && ics.hasSuffix("END:VCALENDAR\r\n"))
        #expect(ics.components(separatedBy: "BEGIN:VEVENT").count - 1 == plan.operations.reduce(0) { $0 + $1.patrols.count })
        #expect(PatrolBriefing.render(plan).count == 7)
        #expect(!PatrolBriefing.render(plan).map { $0.1 }.joined().contains("covers 0.000%"))
        #expect(InspectText.percent(0.0000432) == "0.0043" && InspectText.percent(0.000000432) == "0.000043")
        #expect(InspectText.percent(0.1234) == "12.3" && InspectText.percent(0.001) == "0.1" && InspectText.percent(0) == "0")
        // time-of-week profiles: written per hotspot, a hotspot's own profile only from 5 events up
        let doc = try JSONSerialization.jsonObject(with: PatrolOutputs.json(plan)) as! [String: Any]
        let profiles = try #require(doc["profiles"] as? [[String: Any]])
        #expect(profiles.count == plan.profiles.count && !profiles.isEmpty)
        for p in plan.profiles {
            #expect(p.outcome.source == "area-wide")                          // the sample's crimes have months only
            if p.streetsafe.events == "<5" { #expect(p.streetsafe.shares == nil) }
            else { #expect(abs(p.streetsafe.shares!.reduce(0, +) - 1) < 1e-3) }
        }
        #expect(plan.profiles.contains { $0.streetsafe.source.hasPrefix("own events") && $0.streetsafe.shares != nil })
        // the independent RFC 5545 parser, where it is installed (Debian: python3-icalendar)
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { return }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", "import icalendar"]
        try check.run(); check.waitUntilExit()
        guard check.terminationStatus == 0 else { return }
        let dir = URL(fileURLWithPath: try scratch.folder("rtm-ics"))
        try Data(ics.utf8).write(to: dir.appendingPathComponent("plan.ics"))
        try Data(csv.utf8).write(to: dir.appendingPathComponent("plan.csv"))
        let script = URL(fileURLWithPath: sampleSpec).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/validate_ics.py")
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [script.path, dir.appendingPathComponent("plan.ics").path, dir.appendingPathComponent("plan.csv").path]
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0 && text.contains("valid RFC 5545"), "\(text)")
    }
}
