import Foundation

/// What may be published about when in the week a place's events happen: shares of its events in
/// 16 blocks — weekday (Monday–Friday) or weekend (Saturday–Sunday) × eight 3-hour blocks of
/// the day (00:00–03:00 … 21:00–24:00) — only from at least `minimumEvents` events, each share
/// rounded to a multiple of `roundingStep` (5 percentage points).
///
/// The disclosure rule (docs/reliability.md, "Time profiles"), from statistical disclosure
/// control practice for frequency tables (Hundepool et al. 2012, *Statistical Disclosure
/// Control*, Wiley, §5.2–5.4): a *threshold rule* (no table from fewer than 10 contributors)
/// and *rounding* of the published cells (here shares rounded to 5 points, so a cell does not
/// state a count), on a table whose every cell pools at least 6 hours of the week (a weekend block:
/// 2 days × 3 h; a weekday block 15 h). A reader learns at most "these reports fell mostly on
/// weekend evenings", never an hour: each block's events can lie in any of its ≥ 6 hours, and
/// the event count is published only as "10 or more". `PatrolsTests.DisclosureInversionTests`
/// runs the least-squares inversion on every published profile.
///
/// The internal scheduler keeps the fine 168-hour profiles (`TimeOfWeekProfile`); only this is
/// written out (patrol JSON, CSV, ICS, briefings).
public struct CoarseProfile: Sendable, Equatable {
    public static let minimumEvents = 10
    public static let roundingStep = 0.05
    public static let blocksPerDay = 8
    public static let blockHours = 3

    /// 0 weekday, 1 weekend.
    public struct Block: Sendable, Hashable {
        public let weekend: Bool
        /// 0 … 7: 00:00–03:00 … 21:00–24:00.
        public let part: Int
        public init(weekend: Bool, part: Int) {
            precondition((0..<CoarseProfile.blocksPerDay).contains(part), "a block of the day is 0…7")
            self.weekend = weekend
            self.part = part
        }
        public var index: Int { (weekend ? 1 : 0) * CoarseProfile.blocksPerDay + part }
        /// Hours of the week (0 = Monday 00:00) the block pools.
        public var hours: [Int] {
            let days = weekend ? [5, 6] : [0, 1, 2, 3, 4]
            return days.flatMap { d in (0..<CoarseProfile.blockHours).map { d * 24 + part * CoarseProfile.blockHours + $0 } }
        }
        /// "weekday 18:00–21:00".
        public var label: String {
            let a = part * CoarseProfile.blockHours, b = a + CoarseProfile.blockHours
            return String(format: "%@ %02d:00–%02d:00", weekend ? "weekend" : "weekday", a, b)
        }
        public static func of(hourOfWeek h: Int) -> Block {
            let hh = ((h % 168) + 168) % 168
            return Block(weekend: hh / 24 >= 5, part: (hh % 24) / CoarseProfile.blockHours)
        }
        public static let all: [Block] = [false, true].flatMap { w in (0..<CoarseProfile.blocksPerDay).map { Block(weekend: w, part: $0) } }
    }

    /// Rounded share of the events in each block, in `Block.all` order (weekday blocks first).
    public let shares: [Double]

    /// The published profile of events at these hours of the week, or nil when they are fewer
    /// than `minimumEvents` (then nothing about their times is published).
    public init?(hoursOfWeek: [Int]) {
        guard hoursOfWeek.count >= Self.minimumEvents else { return nil }
        var counts = [Double](repeating: 0, count: Block.all.count)
        for h in hoursOfWeek { counts[Block.of(hourOfWeek: h).index] += 1 }
        let n = Double(hoursOfWeek.count)
        // k / 20, not k × 0.05: the nearest double to the decimal (0.35, not 0.35000000000000003)
        shares = counts.map { ($0 / n / Self.roundingStep).rounded() / (1 / Self.roundingStep).rounded() }
    }

    /// Events per hour in a block relative to the week's mean (share ÷ the block's share of the
    /// week's hours): how busy the block is, comparable between weekday and weekend blocks.
    public func rate(_ b: Block) -> Double { shares[b.index] / (Double(b.hours.count) / 168) }

    /// The `count` busiest blocks among those that overlap these hours of the week (ties: the
    /// earlier block), leaving out blocks with a rounded share of 0.
    public func busiest(_ count: Int, among hours: [Int]) -> [Block] {
        let open = Set(hours.map { Block.of(hourOfWeek: $0) })
        return Array(Block.all.filter { open.contains($0) && shares[$0.index] > 0 }
            .sorted { rate($0) != rate($1) ? rate($0) > rate($1) : $0.index < $1.index }.prefix(count))
    }
}
