import Foundation

/// The plan as iCalendar files (RFC 5545), through `ICalendarWriter`: one calendar of every team
/// and one per team, one VEVENT per patrol, times in UTC (`DTSTART:…Z`, so no VTIMEZONE is needed
/// and every calendar app shows local time). DTSTAMP is 00:00 UTC of the first patrol's day, not
/// the clock, so the same plan gives the same bytes.
///
/// A UID names a slot — week, team, shift date and the visit's place in the shift — so a
/// re-issued plan (`previous`: the calendar the last plan of this week wrote) updates events
/// rather than adding new ones: an event whose content changed gets SEQUENCE + 1, an unchanged
/// one keeps its SEQUENCE, and a slot the new plan no longer fills is written again with
/// `STATUS:CANCELLED` and SEQUENCE + 1 (RFC 5545 §3.8.7.4: clients apply the higher sequence).
/// Checked in Swift (`CalendarStructure`) and by an independent parser (scripts/validate_ics.py).
enum PatrolCalendar {
    /// An event as content lines (unfolded), without SEQUENCE and STATUS.
    struct Event: Equatable {
        let uid: String
        let team: String
        /// Every content line but BEGIN/END, SEQUENCE and STATUS, in order.
        let lines: [String]
    }

    /// (nil, the combined calendar), then (team, its calendar) for each team in order.
    static func render(_ plan: PatrolPlan, previous: String? = nil) -> [(String?, String)] {
        let stamp = plan.operations.flatMap(\.patrols).map(\.startUtc).min().map { basic(String($0.prefix(10)) + "T00:00:00Z") } ?? "19700101T000000Z"
        let current = plan.operations.flatMap(\.patrols).map { event($0, stamp: stamp) }
        let old = previous.map(parse) ?? []
        let oldByUID = Dictionary(old.map { ($0.event.uid, $0) }, uniquingKeysWith: { a, _ in a })
        var written: [(event: Event, sequence: Int, cancelled: Bool)] = current.map { e in
            guard let o = oldByUID[e.uid] else { return (e, 0, false) }
            return (e, o.event.lines == e.lines && !o.cancelled ? o.sequence : o.sequence + 1, false)
        }
        let now = Set(current.map(\.uid))
        for o in old where !now.contains(o.event.uid) {
            written.append((o.event, o.cancelled ? o.sequence : o.sequence + 1, true))
        }
        let teams = Array(Set(written.map(\.event.team))).sorted()
        return [(nil, calendar(plan, name: "Patrol plan \(plan.week)", events: written))]
            + teams.map { t in (t, calendar(plan, name: "Patrol plan \(plan.week) — \(t)", events: written.filter { $0.event.team == t })) }
    }

    static func calendar(_ plan: PatrolPlan, name: String, events: [(event: Event, sequence: Int, cancelled: Bool)]) -> String {
        var w = ICalendarWriter()
        w.begin("VCALENDAR")
        w.raw("VERSION", "2.0")
        w.raw("PRODID", "-//RiskTerrain//rtm patrols//EN")
        w.raw("CALSCALE", "GREGORIAN")
        w.raw("METHOD", "PUBLISH")
        w.text("X-WR-CALNAME", name)
        w.text("X-WR-TIMEZONE", plan.timeZone)
        for e in events {
            w.begin("VEVENT")
            for l in e.event.lines.prefix(2) { w.line(l) }            // UID, DTSTAMP
            w.raw("SEQUENCE", String(e.sequence))
            w.raw("STATUS", e.cancelled ? "CANCELLED" : "CONFIRMED")
            for l in e.event.lines.dropFirst(2) { w.line(l) }
            w.end("VEVENT")
        }
        w.end("VCALENDAR")
        return w.render()
    }

    static func event(_ p: PatrolPlan.Patrol, stamp: String) -> Event {
        var w = ICalendarWriter()
        let places = p.places.map { "\($0.name) (\(PatrolSites.singular($0.kind)))" }.joined(separator: " → ")
        let description = [
            "\(p.operation), \(p.team) (\(p.teamMakeUp)), shift of \(p.date), visit \(p.visit).",
            "Hotspot #\(p.hotspotRank): \(p.hotspotLabel).",
            places.isEmpty ? "No mapped places near it: patrol the hotspot." : "Visit in order: \(places).",
            "Why: \(p.factors); busiest hours (\(p.peakHoursFrom)) \(p.peakHours.joined(separator: ", ")).",
            p.expectedEvents.map { String(format: "Expected events while there: %.3f (%@).", $0, p.allocation) } ?? "Allocation: \(p.allocation).",
        ].joined(separator: "\n")
        w.raw("UID", p.uid)
        w.raw("DTSTAMP", stamp)
        w.raw("DTSTART", basic(p.startUtc))
        w.raw("DTEND", basic(p.endUtc))
        w.text("SUMMARY", "\(p.operation) \(p.team): #\(p.hotspotRank) \(p.hotspotLabel)")
        w.text("LOCATION", p.hotspotLabel)
        w.raw("GEO", String(format: "%.6f;%.6f", p.lat, p.lon))
        w.text("CATEGORIES", p.operation)
        w.text("DESCRIPTION", description)
        w.raw("TRANSP", "OPAQUE")
        w.text("X-RTM-TEAM", p.team)
        return Event(uid: p.uid, team: p.team, lines: w.lines)
    }

    /// The events of a calendar this writer made, with their SEQUENCE and whether cancelled; lines
    /// it did not write (or that hold control characters) are left out.
    static func parse(_ text: String) -> [(event: Event, sequence: Int, cancelled: Bool)] {
        var out: [(Event, Int, Bool)] = []
        var lines: [String]?, sequence = 0, cancelled = false
        for l in ICalendarWriter.unfold(text) {
            if l == "BEGIN:VEVENT" { lines = []; sequence = 0; cancelled = false; continue }
            guard var body = lines else { continue }
            if l == "END:VEVENT" {
                let uid = body.first { $0.hasPrefix("UID:") }.map { String($0.dropFirst(4)) }
                let team = body.first { $0.hasPrefix("X-RTM-TEAM:") }.map { String($0.dropFirst(11)) }
                if let uid, let team, body.first?.hasPrefix("UID:") == true { out.append((Event(uid: uid, team: team, lines: body), sequence, cancelled)) }
                lines = nil
                continue
            }
            if l.hasPrefix("SEQUENCE:") { sequence = Int(l.dropFirst(9)) ?? 0; continue }
            if l.hasPrefix("STATUS:") { cancelled = l == "STATUS:CANCELLED"; continue }
            guard !l.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { continue }
            body.append(l)
            lines = body
        }
        return out
    }

    /// "2025-01-13T14:00:00Z" → "20250113T140000Z".
    static func basic(_ iso: String) -> String { iso.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "") }
}
