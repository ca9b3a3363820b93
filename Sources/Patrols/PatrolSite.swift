/// A place teams may be sent to (a hotspot), as the scheduler sees it: how much risk it holds and
/// when in the week that risk falls.
public struct PatrolSite: Sendable, Equatable {
    /// Risk weight, ≥ 0 (e.g. the hotspot's share of the study area's risk).
    public var weight: Double
    public var profile: TimeOfWeekProfile

    public init(weight: Double, profile: TimeOfWeekProfile) {
        precondition(weight >= 0 && weight.isFinite, "a site's weight is finite and not negative")
        self.weight = weight
        self.profile = profile
    }

    /// The risk a visit over these minutes of the week covers: weight × the profile's share of them.
    public func value(from start: Int, to end: Int) -> Double { weight * profile.share(fromMinute: start, toMinute: end) }
}

/// One visit of one team to one place.
public struct Visit: Sendable, Hashable {
    public enum Allocation: String, Sendable, Hashable { case greedy, random }
    /// Index into the sites.
    public let site: Int
    /// 0 = Monday … 6 = Sunday: the day the team's shift starts (a shift across midnight keeps its day).
    public let day: Int
    /// 1-based within the day.
    public let team: Int
    /// Minutes of the week (0 = Monday 00:00; past 10 080 for a Sunday shift across midnight).
    public let start: Int
    public let end: Int
    public let allocation: Allocation

    public init(site: Int, day: Int, team: Int, start: Int, end: Int, allocation: Allocation) {
        self.site = site
        self.day = day
        self.team = team
        self.start = start
        self.end = end
        self.allocation = allocation
    }
}
