import Foundation

/// An ISO 8601 week (`2025-W03`, Monday to Sunday) in a time zone, and the clock arithmetic of a
/// plan: a plan's times are minutes of the week from Monday 00:00 local time, and become dates
/// here with Foundation's time-zone rules (Europe/London: GMT in winter, BST in summer).
public struct PlanWeek: Sendable, Equatable, CustomStringConvertible {
    public let year: Int
    public let week: Int
    public let timeZone: TimeZone
    /// Monday 00:00 local time.
    public let monday: Date

    public var description: String { String(format: "%04d-W%02d", year, week) }

    var calendar: Calendar {
        var c = Calendar(identifier: .iso8601)
        c.timeZone = timeZone
        return c
    }

    public init?(year: Int, week: Int, timeZone: TimeZone) {
        var c = Calendar(identifier: .iso8601)
        c.timeZone = timeZone
        guard (1...53).contains(week),
              let d = c.date(from: DateComponents(hour: 0, minute: 0, weekday: 2, weekOfYear: week, yearForWeekOfYear: year)),
              c.component(.weekOfYear, from: d) == week, c.component(.yearForWeekOfYear, from: d) == year else { return nil }
        self.year = year
        self.week = week
        self.timeZone = timeZone
        monday = d
    }

    /// "2025-W03"; nil when it is not an ISO week.
    public init?(_ text: String, timeZone: TimeZone) {
        let parts = text.uppercased().split(separator: "-")
        guard parts.count == 2, parts[1].hasPrefix("W"), let y = Int(parts[0]), let w = Int(parts[1].dropFirst()),
              parts[0].count == 4 else { return nil }
        self.init(year: y, week: w, timeZone: timeZone)
    }

    /// The first week that starts after `day` (ISO date text, "2024-12-31").
    public static func after(day: String, timeZone: TimeZone) -> PlanWeek? {
        var c = Calendar(identifier: .iso8601)
        c.timeZone = timeZone
        guard let (y, m, d) = PlanWeek.civil(day), let date = c.date(from: DateComponents(year: y, month: m, day: d + 1)) else { return nil }
        var monday = date
        while c.component(.weekday, from: monday) != 2 { monday = c.date(byAdding: .day, value: 1, to: monday)! }
        return PlanWeek(year: c.component(.yearForWeekOfYear, from: monday), week: c.component(.weekOfYear, from: monday), timeZone: timeZone)
    }

    /// The last day of a time bound: "2024-12" → "2024-12-31", "2024" → "2024-12-31", a date as it is.
    public static func lastDay(of bound: String) -> String? {
        let p = bound.prefix(10).split(separator: "-").compactMap { Int($0) }
        switch p.count {
        case 1: return String(format: "%04d-12-31", p[0])
        case 2: return String(format: "%04d-%02d-%02d", p[0], p[1], daysInMonth(p[0], p[1]))
        case 3: return String(format: "%04d-%02d-%02d", p[0], p[1], p[2])
        default: return nil
        }
    }

    /// The first day of a time bound: "2024-01" → "2024-01-01".
    public static func firstDay(of bound: String) -> String? {
        let p = bound.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard (1...3).contains(p.count) else { return nil }
        return String(format: "%04d-%02d-%02d", p[0], p.count > 1 ? p[1] : 1, p.count > 2 ? p[2] : 1)
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }

    /// (year, month, day) of "2024-12-31…".
    static func civil(_ s: String) -> (Int, Int, Int)? {
        let p = s.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, (1...12).contains(p[1]), (1...31).contains(p[2]) else { return nil }
        return (p[0], p[1], p[2])
    }

    /// The instant of a minute of the week (wall-clock time: minute 1440 × d + 60 h is day d at h:00
    /// local, whatever the clocks did in between).
    public func date(minute: Int) -> Date {
        var c = calendar.dateComponents([.year, .month, .day], from: monday)
        c.day! += minute / 1440
        c.hour = (minute % 1440) / 60
        c.minute = minute % 60
        return calendar.date(from: c)!
    }

    /// "2025-01-13" for day 0 … 6 (and 7: the Monday after).
    public func localDay(_ day: Int) -> String { format(date(minute: day * 1440 + 720), "yyyy-MM-dd") }

    public func format(_ date: Date, _ pattern: String, utc: Bool = false) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB_POSIX")
        f.calendar = Calendar(identifier: .gregorian)
        f.timeZone = utc ? TimeZone(identifier: "UTC")! : timeZone
        f.dateFormat = pattern
        return f.string(from: date)
    }

    /// Whole weeks from the end of `day` (ISO date) to this week's Monday.
    public func weeksAfter(day: String) -> Double {
        guard let (y, m, d) = PlanWeek.civil(day), let end = calendar.date(from: DateComponents(year: y, month: m, day: d + 1)) else { return 0 }
        return monday.timeIntervalSince(end) / (7 * 86_400)
    }

    /// Minute of the week (Monday 00:00 = 0) of a local timestamp "2024-01-05T22:14[:00]"; nil when
    /// the value has no time of day (a month, a date) or is not a timestamp.
    public static func minuteOfWeek(_ value: String) -> Int? {
        let s = Array(value.trimmingCharacters(in: .whitespaces).utf8)
        guard s.count >= 16, s[10] == UInt8(ascii: "T") || s[10] == UInt8(ascii: " "),
              let (y, m, d) = civil(String(decoding: s[0..<10], as: UTF8.self).replacingOccurrences(of: "/", with: "-")),
              let h = Int(String(decoding: s[11..<13], as: UTF8.self)), let mi = Int(String(decoding: s[14..<16], as: UTF8.self)),
              (0..<24).contains(h), (0..<60).contains(mi) else { return nil }
        // days since 1970-01-01 (Hinnant's days_from_civil), a Thursday: Monday-based weekday = (days + 3) mod 7
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let weekday = ((days + 3) % 7 + 7) % 7
        return weekday * 1440 + h * 60 + mi
    }
}
