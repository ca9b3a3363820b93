import Foundation
import Testing
import Patrols
@testable import RiskTerrain

/// The `patrols:` section, ISO weeks in Europe/London, and the iCalendar text rules.
@Suite struct PatrolSpecTests {
    let base = """
    cell_size: 25
    block_length: 100
    study_area: boundary.gpkg
    outcome: { path: crimes.csv, time: { field: month, from: 2024-01, to: 2024-12 } }
    factors:
      - { name: licensed_premises, path: lp.gpkg }
      - { name: parks, path: parks.gpkg }

    """

    func parse(_ patrols: String) throws -> ModelSpec { try SpecParser.parse(base + patrols, path: "/study/spec.yaml") }

    func error(_ patrols: String) -> String {
        do { _ = try parse(patrols); return "no error" } catch { return "\(error)" }
    }

    @Test func defaultsFollowHowTheOperationsAreDescribed() throws {
        let o = try #require(try parse("patrols: {}\n").patrols)
        let verona = try #require(o.operation(.verona)), vigilant = try #require(o.operation(.vigilant)), walk = try #require(o.operation(.walkAndTalk))
        #expect(verona.rules.window == .init(start: 840, end: 1440) && verona.rules.days == Array(0..<7) && verona.rules.dwell == 15
                && verona.rules.spacing == 120 && verona.rules.teamsPerDay == 2)
        #expect(vigilant.rules.window.text == "20:00–03:00" && vigilant.rules.days == [3, 4, 5] && vigilant.rules.teamDaysPerWeek == 3)
        #expect(walk.perMonth == 6 && walk.rules.visitsPerTeamDay == 1)
        #expect(o.timeZone == "Europe/London" && o.randomShare == 0.2 && o.marking == "OFFICIAL-SENSITIVE")
        #expect(verona.rules.returns == .proportional && verona.rules.capPerPlace == 35)
    }

    @Test func keysAreReadAndChecked() throws {
        let o = try #require(try parse("""
        patrols:
          verona: { teams: 3, window: "16:00-02:00", days: [fri, sat], dwell_minutes: 20 }
          vigilant: false
          places: { bus_stops: none, parks: parks }
          marking: OFFICIAL
        """).patrols)
        #expect(o.marking == "OFFICIAL")
        let v = try #require(o.operation(.verona))
        #expect(v.rules.teamsPerDay == 3 && v.rules.window.crossesMidnight && v.rules.window.minutes == 600 && v.rules.days == [4, 5] && v.rules.dwell == 20)
        #expect(o.operation(.vigilant) == nil && o.places["bus_stops"] == nil && o.places["parks"] == "parks")
    }

    @Test func impossibleRequestsGetOneLineThatSaysWhatToDo() {
        #expect(error("patrols:\n  verona: { teams: 0 }\n").contains("line 9: patrols.verona.teams: 0 teams cannot patrol — give at least 1"))
        #expect(error("patrols:\n  walk_and_talk: { window: \"10:00-10:30\", dwell_minutes: 60 }\n")
            .contains("patrols.walk_and_talk.window: the window 10:00–10:30 is 30 minutes, shorter than one 60-minute visit — widen the window or shorten the dwell"))
        #expect(error("patrols:\n  vigilant: { per_week: 0 }\n").contains("patrols.vigilant.per_week: 0 deployments a week plans nothing"))
        #expect(error("patrols:\n  verona: { window: \"2pm till late\" }\n").contains("is not a window — write HH:MM-HH:MM"))
        #expect(error("patrols:\n  verona: { days: [fry] }\n").contains("'fry' is not a day"))
        #expect(error("patrols:\n  veronna: { teams: 2 }\n").contains("patrols.veronna: unknown key — did you mean 'verona'?"))
        #expect(error("patrols:\n  places: { parks: park }\n").contains("'park' is not a factor — did you mean 'parks'?"))
        #expect(error("patrols:\n  walk_and_talk: { per_month: 0 }\n").contains("a quota of 0 walks a month plans nothing"))
        #expect(error("patrols:\n  marking: \(String(repeating: "SECRET ", count: 12))\n").contains("patrols.marking: give the protective marking"))
    }

    @Test func isoWeeksInLondonTime() throws {
        let london = TimeZone(identifier: "Europe/London")!
        let w = try #require(PlanWeek("2025-W03", timeZone: london))
        #expect(w.localDay(0) == "2025-01-13" && w.localDay(6) == "2025-01-19")
        // winter: local = UTC; summer: BST = UTC+1
        #expect(w.format(w.date(minute: 14 * 60), "yyyy-MM-dd'T'HH:mm'Z'", utc: true) == "2025-01-13T14:00Z")
        let summer = try #require(PlanWeek("2025-W27", timeZone: london))
        #expect(summer.format(summer.date(minute: 14 * 60), "yyyy-MM-dd'T'HH:mm'Z'", utc: true) == "2025-06-30T13:00Z")
        // the night the clocks go forward (Sunday 30 March 2025, 01:00 GMT → 02:00 BST)
        let spring = try #require(PlanWeek("2025-W13", timeZone: london))
        #expect(spring.format(spring.date(minute: 6 * 1440 + 30), "HH:mm'Z'", utc: true) == "00:30Z")
        #expect(spring.format(spring.date(minute: 6 * 1440 + 180), "HH:mm'Z'", utc: true) == "02:00Z")
        #expect(try parse("patrols:\n").patrols == PatrolOptions())
        // a Sunday window across midnight ends on Monday
        #expect(w.format(w.date(minute: 6 * 1440 + 1440 + 180), "yyyy-MM-dd HH:mm") == "2025-01-20 03:00")
        #expect(PlanWeek("2025-W54", timeZone: london) == nil && PlanWeek("2025-03", timeZone: london) == nil)
        #expect(PlanWeek("2020-W53", timeZone: london) != nil && PlanWeek("2021-W53", timeZone: london) == nil)
        #expect(PlanWeek.after(day: "2024-12-31", timeZone: london)?.description == "2025-W02")   // 2024-12-30 is W01's Monday
        #expect(PlanWeek.after(day: "2024-09-30", timeZone: london)?.description == "2024-W41")
        #expect(PlanWeek.lastDay(of: "2024-02") == "2024-02-29")
        // minute of the week from local timestamps: 2024-01-01 was a Monday, 2024-01-05 a Friday
        #expect(PlanWeek.minuteOfWeek("2024-01-01T17:22:00") == 17 * 60 + 22)
        #expect(PlanWeek.minuteOfWeek("2024-01-05T22:14") == 4 * 1440 + 22 * 60 + 14)
        #expect(PlanWeek.minuteOfWeek("2024-01") == nil && PlanWeek.minuteOfWeek("2024-01-05") == nil)
    }

    @Test func calendarTextIsEscapedAndFoldedWithoutSplittingCharacters() {
        #expect(ICalendarWriter.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
        let long = "DESCRIPTION:" + String(repeating: "é→", count: 60)
        let folded = ICalendarWriter.fold(long)
        let lines = folded.components(separatedBy: "\r\n")
        #expect(lines.count > 1 && lines.allSatisfy { $0.utf8.count <= 75 } && lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(lines.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == long)
    }

    @Test func theNaivePlanVisitsTheTopHotspotsAtFixedTimesAsOftenAsThePlan() {
        let rules = OperationRules(window: .init(start: 840, end: 1440), dwell: 15, spacing: 120, teamsPerDay: 2, capPerPlace: 4)
        let sites = [0.1, 0.5, 0.3, 0.05, 0.05].map { PatrolSite(weight: $0, profile: .uniform) }
        // a plan of 11 visits by 4 team-days
        let plan = (0..<11).map { k in Visit(site: k % 5, day: k % 2, team: 1 + (k / 2) % 2, start: (k % 2) * 1440 + 900 + 15 * k, end: (k % 2) * 1440 + 915 + 15 * k, allocation: .greedy) }
        let (naive, n) = PatrolPlanner.naivePlan(like: plan, sites: sites, rules: rules)
        #expect(naive.count == 11 && n == 3)                                  // 11 visits, cap 4: the top 3 hotspots
        #expect(Set(naive.map(\.site)) == [1, 2, 0])                         // by weight: 0.5, 0.3, 0.1
        #expect(Set(naive.map { [$0.day, $0.team] }) == Set(plan.map { [$0.day, $0.team] }))
        let timetable = Set(naive.map { $0.start % 1440 })
        #expect(timetable.count == 3 && timetable.contains(840))              // the same times every day, from the opening
    }
}
