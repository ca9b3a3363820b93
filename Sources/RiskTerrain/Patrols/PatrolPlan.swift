import Foundation

/// A week's patrol plan for every operation: what `rtm patrols` writes as CSV, JSON, iCalendar
/// and HTML briefings. No event coordinates: places are public features (premises, stops,
/// parks), hotspots are outlines of cells, and counts below the disclosure threshold are
/// suppressed.
public struct PatrolPlan: Sendable, Encodable {
    public struct Place: Sendable, Encodable, Equatable {
        public let name: String
        /// The place kind (licensed_premises, parks, …).
        public let kind: String
        /// Analysis CRS (metres).
        public let x: Double
        public let y: Double
        public let lon: Double
        public let lat: Double
    }

    /// One visit of one team to one hotspot.
    public struct Patrol: Sendable, Encodable {
        /// Local date and times (the operation's time zone).
        public let date: String
        public let start: String
        public let end: String
        /// ISO 8601 instants in UTC.
        public let startUtc: String
        public let endUtc: String
        public let operation: String
        public let team: String
        public let teamMakeUp: String
        public let hotspotId: Int
        public let hotspotRank: Int
        public let hotspotLabel: String
        /// Hotspot centre, WGS 84.
        public let lon: Double
        public let lat: Double
        /// In walking order.
        public let places: [Place]
        /// The factors behind the hotspot's risk, in words.
        public let factors: String
        /// The hotspot's busiest hours of the week within the operation's window ("Fri 22:00").
        public let peakHours: [String]
        /// This visit's share of the operation's weekly hotspot risk (before diminishing returns).
        public let expectedCoverage: Double
        /// greedy (chosen for coverage) or random (the seeded random share).
        public let allocation: String
        /// Stable per patrol: the same plan gives the same UIDs.
        public let uid: String
        /// The day of the week whose window the visit belongs to (0 = Monday), not written out.
        let day: Int

        enum CodingKeys: String, CodingKey {
            case date, start, end, startUtc, endUtc, operation, team, teamMakeUp, hotspotId, hotspotRank, hotspotLabel, lon, lat
            case places, factors, peakHours, expectedCoverage, allocation, uid
        }
    }

    /// Share of risk or events covered by a plan and by the naive plan.
    public struct Coverage: Sendable, Encodable {
        /// `RiskCoverage` of the plan as a share of the operation's weekly hotspot risk.
        public let plan: Double
        /// The same for the naive plan: the top hotspots every day at fixed times, as many visits.
        public let naive: Double
        public let naiveHotspots: Int
    }

    public struct Operation: Sendable, Encodable {
        public let kind: String
        public let name: String
        public let window: String
        public let days: [String]
        public let dwellMinutes: Int
        public let spacingMinutes: Int
        public let teamsPerDay: Int
        public let teamDays: Int?
        public let maxVisitsPerHotspot: Int
        /// Hotspots eligible for this operation.
        public let hotspots: Int
        public let patrols: [Patrol]
        public let coverage: Coverage?
        /// Where the timing came from, what was left out and why.
        public let notes: [String]
    }

    /// Held-out evaluation: the plan for the week after the training window, measured on the
    /// test window's events.
    public struct HeldOut: Sendable, Encodable {
        public struct Shares: Sendable, Encodable {
            public let operation: String
            /// Share of all test-window outcome events in the study area expected at a visited
            /// hotspot while a team was there (their times from the profile: the data has none).
            public let planCrime: Double
            public let naiveCrime: Double
            /// Share of all test-window StreetSafe reports made at a visited hotspot while a team
            /// was there, had the week's plan run every week (observed times).
            public let planStreetsafe: Double?
            public let naiveStreetsafe: Double?
        }
        public let trainWindow: String
        public let testWindow: String
        public let week: String
        public let testEvents: Int
        public let testReports: Int?
        public let operations: [Shares]
        public let notes: [String]
    }

    /// A hotspot's time-of-week profile as written out: where it came from and, unless its own
    /// events are too few to show (below the disclosure threshold), its 168 hourly shares.
    public struct Profile: Sendable, Encodable {
        /// "own events, shrunk toward the area-wide profile", "area-wide" or "uniform".
        public let source: String
        /// The hotspot's own timed events, "<5" when suppressed.
        public let events: String
        /// Share of the week's events in each hour from Monday 00:00 local, rounded to 1e-6; nil when suppressed.
        public let shares: [Double]?
    }

    public struct HotspotProfiles: Sendable, Encodable {
        public let hotspotId: Int
        public let hotspotRank: Int
        public let hotspotLabel: String
        /// Outcome events (Op Verona, Project Vigilant).
        public let outcome: Profile
        /// StreetSafe reports (Walk & Talk).
        public let streetsafe: Profile
    }

    public let week: String
    public let timeZone: String
    public let spec: String
    public let dataFrom: String
    public let dataTo: String
    public let seed: UInt64
    public let randomShare: Double
    public let operations: [Operation]
    public var heldOut: HeldOut?
    public let notes: [String]
    public let profiles: [HotspotProfiles]
    /// Hotspot outlines (analysis CRS) for the briefing maps, by hotspot id.
    let outlines: [Int: [[Double]]]

    enum CodingKeys: String, CodingKey { case week, timeZone, spec, dataFrom, dataTo, seed, randomShare, operations, heldOut, notes, profiles }
}

extension Pipeline.Result {
    /// The fitted model behind a run, for what comes after it (a patrol plan).
    public var fitted: Pipeline.Fitted {
        Pipeline.Fitted(inputs: inputs, design: design, model: model, surface: surface, timings: timings,
                        selectionTimings: selectionTimings, cache: cache)
    }
}
