import Patrols

/// How weekly patrol plans are made (spec key `patrols`; docs/spec.md, "Patrols"). Every key has a
/// default taken from how the operations are described, so `patrols: {}` plans all three.
public struct PatrolOptions: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case verona
        case vigilant
        case walkAndTalk = "walk_and_talk"

        /// The operation's name as the planners say it.
        public var title: String {
            switch self {
            case .verona: "Op Verona"
            case .vigilant: "Project Vigilant"
            case .walkAndTalk: "Walk & Talk"
            }
        }

        /// The start of its team ids, unique across operations: "verona-1".
        public var teamPrefix: String {
            switch self {
            case .verona: "verona"
            case .vigilant: "vigilant"
            case .walkAndTalk: "walk-and-talk"
            }
        }

        /// Who one team is.
        public var teamText: String {
            switch self {
            case .verona: "uniformed hi-vis foot patrol"
            case .vigilant: "plain-clothes spotter pair + uniformed intervention team"
            case .walkAndTalk: "female neighbourhood officers"
            }
        }
    }

    public struct Operation: Sendable, Equatable {
        public var kind: Kind
        public var enabled = true
        public var rules: OperationRules
        /// Walk & Talk: walks a month, spread evenly over the month's days (the week gets those
        /// whose day falls in it).
        public var perMonth: Int?
        /// Project Vigilant: a hotspot is a night-time-economy hotspot with at least this many
        /// licensed premises inside or within `placeDistance` of it.
        public var minLicensedPremises = 2

        /// The defaults (docs/spec.md).
        public static func defaults(_ kind: Kind) -> Operation {
            switch kind {
            case .verona:
                // 2 teams a day, 14:00–24:00, Koper's 15-minute dwell, back no sooner than 2 hours; the
                // 2-hour spacing holds a hotspot to 5 visits a day, so the weekly cap (35) is that
                // and no lower: visits follow risk up to the dosage rules
                Operation(kind: kind, rules: OperationRules(window: .init(start: 14 * 60, end: 1440), dwell: 15, spacing: 120,
                                                            teamsPerDay: 2, capPerPlace: 35))
            case .vigilant:
                // 3 deployments a week on Thursday–Saturday nights, 20:00–03:00, an hour per hotspot
                Operation(kind: kind, rules: OperationRules(window: .init(start: 20 * 60, end: 3 * 60), days: [3, 4, 5], dwell: 60,
                                                            spacing: 120, teamsPerDay: 1, teamDaysPerWeek: 3, capPerPlace: 3))
            case .walkAndTalk:
                // 6 walks a month, 10:00–20:00 (daylight and early evening), an hour each, one place per walk
                Operation(kind: kind, rules: OperationRules(window: .init(start: 10 * 60, end: 20 * 60), dwell: 60, spacing: 120,
                                                            teamsPerDay: 1, visitsPerTeamDay: 1, capPerPlace: 1),
                          perMonth: 6)
            }
        }
    }

    /// In the order Verona, Vigilant, Walk & Talk.
    public var operations: [Operation] = Kind.allCases.map(Operation.defaults)
    /// Place kind → factor name whose features are the places teams visit in a hotspot.
    public var places: [String: String] = Self.defaultPlaces
    /// Places inside a hotspot or within this many metres of its outline are visited.
    public var placeDistance = 100.0
    /// At most this many places per visit, nearest the hotspot's centre first.
    public var maxPlaces = 6
    /// A line layer of roads and footpaths: travel between hotspots along it (nil: straight line × circuity).
    public var roads: LayerSource?
    public var walkingSpeedKmh = 4.8
    /// Walking distance ÷ straight-line distance.
    public var circuity = 1.3
    /// Share of visits drawn at random (weighted by their value) so the plan does not lock onto the same places.
    public var randomShare = 0.2
    /// Seed of the random share; nil: the model's seed.
    public var seed: UInt64?
    /// Time-of-week profiles: circular smoothing σ in hours and the prior weight (events) toward the area-wide profile.
    public var smoothingHours = 1.5
    public var priorWeight = 30.0
    /// The StreetSafe reports' timestamp column.
    public var streetSafeTime = "reported_at"
    /// Plans reach at most this many weeks past the end of the data.
    public var maxWeeksAhead = 8
    public var timeZone = "Europe/London"
    /// The protective marking printed at the top and foot of every briefing page (Government
    /// Security Classifications: operational policing plans are OFFICIAL-SENSITIVE).
    public var marking = "OFFICIAL-SENSITIVE"

    public init() {}

    /// Place kinds and the factor names they default to.
    public static let defaultPlaces = ["licensed_premises": "licensed_premises", "parks": "parks", "high_streets": "high_streets",
                                       "bus_stops": "bus_stops", "stations": "stations"]

    public func operation(_ kind: Kind) -> Operation? { operations.first { $0.kind == kind && $0.enabled } }
}
