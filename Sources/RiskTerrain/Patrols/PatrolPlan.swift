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
        /// The date of the shift the visit belongs to: the local date its window opens (a
        /// Thursday-night visit at 01:00 is on Thursday's shift).
        public let date: String
        /// Local start and end times of the visit, and its local start date-time
        /// ("2025-01-17T01:00": the calendar day it happens on).
        public let start: String
        public let end: String
        public let startLocal: String
        /// ISO 8601 instants in UTC.
        public let startUtc: String
        public let endUtc: String
        public let operation: String
        /// Unique across operations: "verona-1", "vigilant-1", "walk-and-talk-1".
        public let team: String
        public let teamMakeUp: String
        /// 1-based: the visit's place in its team's shift.
        public let visit: Int
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
        /// The busiest 3-hour blocks of the week within the operation's window
        /// ("weekend 21:00–24:00"), from the published coarse profile (`CoarseProfile`).
        public let peakHours: [String]
        /// Whose profile those are: "own events" / "own reports" (the hotspot's own, at least
        /// `CoarseProfile.minimumEvents` of them) or "area-wide".
        public let peakHoursFrom: String
        /// This visit's share of the operation's weekly hotspot risk (before diminishing returns).
        public let riskShare: Double
        /// Outcome events the model expects at the hotspot while the team is there (the hotspot's
        /// share of the study's forecast risk × the study's events a week × the profile's share of
        /// the visit's minutes); nil when the data's weeks are unknown.
        public let expectedEvents: Double?
        /// greedy (chosen for coverage) or random (the seeded random share).
        public let allocation: String
        /// Stable per slot (week, team, shift, visit), so a re-issued plan updates its events.
        public let uid: String
        /// The day of the week whose window the visit belongs to (0 = Monday), not written out.
        let day: Int

        enum CodingKeys: String, CodingKey {
            case date, start, end, startLocal, startUtc, endUtc, operation, team, teamMakeUp, visit, hotspotId, hotspotRank, hotspotLabel, lon, lat
            case places, factors, peakHours, peakHoursFrom, riskShare, expectedEvents, allocation, uid
        }
    }

    /// Share of risk or events covered by a plan and by the naive plan.
    public struct Coverage: Sendable, Encodable {
        /// `RiskCoverage` of the plan as a share of the operation's weekly hotspot risk.
        public let plan: Double
        /// The same for the naive plan: the top hotspots every day at fixed times, as many visits.
        public let naive: Double
        public let naiveHotspots: Int
        /// Outcome events expected in the week at the operation's hotspots, and those expected
        /// while a team is there (the plan's and the naive plan's); nil when the data's weeks are unknown.
        public let eventsAtHotspots: Double?
        public let eventsReached: Double?
        public let naiveEventsReached: Double?
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

    /// A time-of-week profile as published (`CoarseProfile`): shares of events in 16 blocks
    /// (`PatrolPlan.profileBlocks`), rounded to 5 points, only from at least 10 events.
    public struct Profile: Sendable, Encodable {
        /// "own events", "own reports", "area-wide" or "none".
        public let source: String
        /// "10 or more", or "fewer than 10" (then no shares).
        public let events: String
        /// One share per block of `profileBlocks`; nil when fewer than 10 events.
        public let shares: [Double]?
    }

    public struct HotspotProfiles: Sendable, Encodable {
        public let hotspotId: Int
        public let hotspotRank: Int
        public let hotspotLabel: String
        /// Timed outcome events (Op Verona, Project Vigilant).
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
    /// The blocks of every published profile, in order ("weekday 00:00–03:00" …).
    public let profileBlocks: [String]
    /// Area-wide published profiles of the outcome events and StreetSafe reports.
    public struct AreaProfiles: Sendable, Encodable {
        public let outcome: Profile
        public let streetsafe: Profile
    }
    public let areaProfiles: AreaProfiles
    public let profiles: [HotspotProfiles]
    /// The protective marking printed on every briefing page (`patrols.marking`).
    public let marking: String
    /// Hotspot outlines (analysis CRS) for the briefing maps, by hotspot id.
    let outlines: [Int: [[Double]]]

    enum CodingKeys: String, CodingKey { case week, timeZone, spec, dataFrom, dataTo, seed, randomShare, marking, operations, heldOut, notes, profileBlocks, areaProfiles, profiles }
}

extension Pipeline.Result {
    /// The fitted model behind a run, for what comes after it (a patrol plan).
    public var fitted: Pipeline.Fitted {
        Pipeline.Fitted(inputs: inputs, design: design, model: model, surface: surface, timings: timings,
                        selectionTimings: selectionTimings, cache: cache)
    }
}
