import Foundation

/// The rules of one patrol operation for a week: when its teams may patrol, for how long they
/// stay at a place, how soon they may come back, how many teams there are and how often a place
/// may be visited. Times are minutes of local time; a week's minutes count from Monday 00:00.
public struct OperationRules: Sendable, Equatable {
    /// A daily window, e.g. 14:00–24:00 (840…1440) or 20:00–03:00 (1200…180, across midnight).
    public struct Window: Sendable, Equatable {
        /// Minutes after midnight, 0…1439.
        public var start: Int
        /// Minutes after midnight, 1…1440; at or before `start` means the next day.
        public var end: Int
        public init(start: Int, end: Int) {
            precondition((0..<1440).contains(start) && (1...1440).contains(end), "window times are minutes of the day")
            self.start = start
            self.end = end
        }
        public var crossesMidnight: Bool { end <= start }
        /// Length in minutes.
        public var minutes: Int { crossesMidnight ? end + 1440 - start : end - start }
        /// "20:00–03:00".
        public var text: String {
            func hm(_ m: Int) -> String { String(format: "%02d:%02d", m / 60, m % 60) }
            return "\(hm(start))–\(hm(end))"
        }
    }

    public var window: Window
    /// Days the window opens on, 0 = Monday … 6 = Sunday (a window across midnight ends the next day).
    public var days: [Int]
    /// Minutes a team stays at a place per visit (Koper 1995: about 15 minutes).
    public var dwell: Int
    /// Least minutes between the starts of two visits to the same place, by any team.
    public var spacing: Int
    /// Teams on duty on each open day.
    public var teamsPerDay: Int
    /// Most team-days in the week (Project Vigilant's deployments, Walk & Talk's quota); nil = no limit.
    public var teamDaysPerWeek: Int?
    /// Most visits by one team in one day; nil = as many as the window holds.
    public var visitsPerTeamDay: Int?
    /// Most visits to one place in the week.
    public var capPerPlace: Int
    /// How a place's k-th best visit of the week counts relative to its best: 1/k (visits in
    /// proportion to risk, the default) or γ^(k−1) (`RiskCoverage.Returns`).
    public var returns: RiskCoverage.Returns
    /// Visits start on multiples of this many minutes after the window opens.
    public var step: Int

    public init(window: Window, days: [Int] = Array(0..<7), dwell: Int = 15, spacing: Int = 120, teamsPerDay: Int = 1,
                teamDaysPerWeek: Int? = nil, visitsPerTeamDay: Int? = nil, capPerPlace: Int = 14,
                returns: RiskCoverage.Returns = .proportional, step: Int = 15) {
        self.window = window
        self.days = days
        self.dwell = dwell
        self.spacing = spacing
        self.teamsPerDay = teamsPerDay
        self.teamDaysPerWeek = teamDaysPerWeek
        self.visitsPerTeamDay = visitsPerTeamDay
        self.capPerPlace = capPerPlace
        self.returns = returns
        self.step = step
    }

    /// What makes these rules impossible to schedule, as (field, message), or nil. The spec parser
    /// turns it into an error on the right line; the scheduler requires nil.
    public var problem: (field: String, message: String)? {
        if teamsPerDay < 1 { return ("teams", "\(teamsPerDay) teams cannot patrol — give at least 1, or enabled: false") }
        if let d = teamDaysPerWeek, d < 1 { return ("per_week", "\(d) deployments a week plans nothing — give at least 1") }
        if days.isEmpty { return ("days", "no day is open — give at least one day, e.g. [thu, fri, sat]") }
        if let bad = days.first(where: { !(0..<7).contains($0) }) { return ("days", "day \(bad) is not 0 (Monday) … 6 (Sunday)") }
        if dwell < 1 { return ("dwell_minutes", "a visit lasts at least 1 minute") }
        if window.minutes < dwell {
            return ("window", "the window \(window.text) is \(window.minutes) minutes, shorter than one \(dwell)-minute visit — widen the window or shorten the dwell")
        }
        if spacing < 0 { return ("spacing_minutes", "cannot be negative") }
        if capPerPlace < 1 { return ("max_visits_per_hotspot", "a cap of \(capPerPlace) visits allows none — give at least 1") }
        if let v = visitsPerTeamDay, v < 1 { return ("visits_per_team", "give at least 1") }
        if case .geometric(let g) = returns, !(0...1).contains(g) { return ("repeat_decay", "is a weight between 0 and 1 (0.5: a second visit counts half)") }
        if step < 1 || step > 60 { return ("step_minutes", "must be 1…60 minutes") }
        return nil
    }

    /// Minutes of the week at which a visit on `day` may start (its end stays inside the window).
    public func startMinutes(day: Int) -> [Int] {
        let open = day * 1440 + window.start
        return Array(stride(from: open, through: open + window.minutes - dwell, by: step))
    }
}
