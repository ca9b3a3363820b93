import Foundation

/// The plan as an iCalendar file (RFC 5545): one VEVENT per patrol, times in UTC (`DTSTART:…Z`,
/// so no VTIMEZONE is needed and every calendar app shows local time), a UID stable per patrol,
/// CRLF line endings, text escaped (§3.3.11) and lines folded at 75 octets without splitting a
/// UTF-8 character (§3.1). DTSTAMP is 00:00 UTC of the first patrol's day, not the clock, so the same
/// plan gives the same bytes. Checked by an independent parser: scripts/validate_ics.py.
enum PatrolCalendar {
    static func render(_ plan: PatrolPlan) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//RiskTerrain//rtm patrols//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:" + escape("Patrol plan \(plan.week)"), "X-WR-TIMEZONE:" + plan.timeZone]
        let stamp = plan.operations.flatMap(\.patrols).map(\.startUtc).min().map { String($0.prefix(10)) + "T00:00:00Z" } ?? "1970-01-01T00:00:00Z"
        for op in plan.operations {
            for p in op.patrols {
                let places = p.places.map { "\($0.name) (\(PatrolSites.singular($0.kind)))" }.joined(separator: " → ")
                let description = [
                    "\(p.operation), \(p.team) (\(p.teamMakeUp)).",
                    "Hotspot #\(p.hotspotRank): \(p.hotspotLabel).",
                    places.isEmpty ? "No mapped places near it: patrol the hotspot." : "Visit in order: \(places).",
                    "Why: \(p.factors); busiest hours \(p.peakHours.joined(separator: ", ")).",
                    String(format: "Expected coverage: %.3f%% of the week's hotspot risk (%@).", p.expectedCoverage * 100, p.allocation),
                ].joined(separator: "\n")
                lines += ["BEGIN:VEVENT", "UID:" + p.uid, "DTSTAMP:" + basic(stamp), "DTSTART:" + basic(p.startUtc), "DTEND:" + basic(p.endUtc),
                          "SUMMARY:" + escape("\(p.operation) \(p.team): #\(p.hotspotRank) \(p.hotspotLabel)"),
                          "LOCATION:" + escape(p.hotspotLabel), String(format: "GEO:%.6f;%.6f", p.lat, p.lon),
                          "CATEGORIES:" + escape(p.operation), "DESCRIPTION:" + escape(description), "TRANSP:OPAQUE", "END:VEVENT"]
            }
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// "2025-01-13T14:00:00Z" → "20250113T140000Z".
    static func basic(_ iso: String) -> String { iso.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "") }

    /// TEXT escaping: backslash, semicolon, comma and newline.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Folds a content line into lines of at most 75 octets, continuation lines starting with a space.
    static func fold(_ line: String) -> String {
        var out = "", octets = 0
        for ch in line {
            let n = String(ch).utf8.count
            if octets + n > 75 {
                out += "\r\n "
                octets = 1
            }
            out.append(ch)
            octets += n
        }
        return out
    }
}
