import Foundation
import Testing
import TestSupport

/// `rtm patrols` as a planner runs it: impossible requests fail in one line before any fitting.
@Suite struct PatrolsCLITests {
    let scratch = Scratch()

    /// The sample's spec with `edit` applied, written to a temporary folder with absolute paths.
    func spec(_ edit: (String) -> String) throws -> String {
        let data = packageRoot.appendingPathComponent("data").path
        var yaml = edit(try String(contentsOfFile: dataFile("spec.yaml"), encoding: .utf8))
        for name in ["boundary.gpkg", "crimes.csv", "licensed_premises.gpkg", "stations.gpkg", "bus_stops.gpkg", "high_streets.gpkg",
                     "parks.gpkg", "schools.gpkg", "street_lights.gpkg", "lux.tif", "streetsafe.csv"] {
            yaml = yaml.replacingOccurrences(of: "path: \(name)", with: "path: \(data)/\(name)")
                .replacingOccurrences(of: "study_area: \(name)", with: "study_area: \(data)/\(name)")
                .replacingOccurrences(of: "streetsafe: \(name)", with: "streetsafe: \(data)/\(name)")
        }
        let dir = try scratch.folder("rtm-patrols")
        try yaml.write(toFile: dir + "/spec.yaml", atomically: true, encoding: .utf8)
        return dir + "/spec.yaml"
    }

    func fails(_ arguments: [String], with expected: String) throws {
        let r = try RTMBinary.run(["patrols"] + arguments)
        #expect(r.status != 0)
        #expect(r.stderr.hasPrefix("rtm: ") && r.stderr.contains(expected) && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func impossibleRequestsGetClearErrors() throws {
        let zeroTeams = try spec { $0.replacingOccurrences(of: "verona: { teams: 2,", with: "verona: { teams: 0,") }
        try fails([zeroTeams], with: "patrols.verona.teams: 0 teams cannot patrol — give at least 1")
        let shortWindow = try spec { $0.replacingOccurrences(of: "walk_and_talk: { per_month: 6, window: \"10:00-20:00\"", with: "walk_and_talk: { per_month: 6, window: \"10:00-10:45\"") }
        try fails([shortWindow], with: "patrols.walk_and_talk.window: the window 10:00–10:45 is 45 minutes, shorter than one 60-minute visit")
        try fails([dataFile("spec.yaml"), "--week", "2026-W10"], with: "--week 2026-W10: starts 61 weeks after the data ends (2024-12)")
        try fails([dataFile("spec.yaml"), "--week", "2019-W01"], with: "ends before the data begins (2024-01)")
        try fails([dataFile("spec.yaml"), "--week", "W03"], with: "not an ISO week")
    }

    @Test func writesTheWeeksPlanCalendarAndBriefings() throws {
        let out = scratch.path("rtm-patrols-out")
        let r = try RTMBinary.run(["patrols", dataFile("spec.yaml"), "--week", "2025-W03", "--out", out, "--no-held-out"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("patrol plan 2025-W03") && r.stdout.contains("Op Verona") && r.stdout.contains("Project Vigilant")
                && r.stdout.contains("Walk & Talk") && !r.stdout.contains("held-out"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files.filter { $0.hasPrefix("briefing-2025-W03-2025-01-1") }.count == 7)
        #expect(files.contains("patrols-2025-W03.csv") && files.contains("patrols-2025-W03.json") && files.contains("patrols-2025-W03.ics"))
        #expect(!files.contains { $0.hasPrefix(".rtm-staging") })
        #expect(files.contains("patrols-2025-W03-verona-1.ics") && files.contains("patrols-2025-W03-vigilant-1.ics") && files.contains("routes"))
        let routes = try FileManager.default.contentsOfDirectory(atPath: out + "/routes")
        #expect(routes.contains("2025-W03-verona-1-2025-01-13.gpx") && routes.contains("2025-W03-verona-1-2025-01-13.kml"))
        // planned again into the same folder: a re-issue with nothing changed keeps every byte of the calendar
        let ics = try Data(contentsOf: URL(fileURLWithPath: out + "/patrols-2025-W03.ics"))
        let again = try RTMBinary.run(["patrols", dataFile("spec.yaml"), "--week", "2025-W03", "--out", out, "--no-held-out"])
        let reissued = try Data(contentsOf: URL(fileURLWithPath: out + "/patrols-2025-W03.ics"))
        #expect(again.status == 0 && reissued == ics)
    }
}
