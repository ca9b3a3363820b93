import Foundation
@testable import RiskTerrain

/// RFC 5545 structure checked in Swift, independently of the writer: CRLF line endings only,
/// physical lines of at most 75 octets, valid UTF-8, nested BEGIN/END, the calendar's VERSION and
/// PRODID, every event's UID, DTSTAMP, DTSTART and DTEND, unique UIDs, DTSTART before DTEND, no
/// control character in any unfolded line; given the plan's CSV, one confirmed event per row with
/// the row's UID, start and end.
enum CalendarStructure {
    struct Problem: Error, CustomStringConvertible { let description: String }

    static func check(_ text: String, csv: String? = nil) throws {
        func fail(_ s: String) -> Problem { Problem(description: "calendar: " + s) }
        let bytes = Array(text.utf8)
        guard String(validating: bytes, as: UTF8.self) != nil else { throw fail("not UTF-8") }
        guard text.hasSuffix("\r\n") else { throw fail("does not end with CRLF") }
        for (i, b) in bytes.enumerated() {
            if b == 0x0A && (i == 0 || bytes[i - 1] != 0x0D) { throw fail("a bare LF at byte \(i)") }
            if b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A) { throw fail("a bare CR at byte \(i)") }
        }
        let physical = text.components(separatedBy: "\r\n").dropLast()
        for (i, l) in physical.enumerated() where l.utf8.count > 75 { throw fail("line \(i + 1) is \(l.utf8.count) octets") }
        let lines = ICalendarWriter.unfold(text)
        for l in lines where l.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { throw fail("a control character in '\(l.prefix(40))'") }
        guard lines.first == "BEGIN:VCALENDAR", lines.last == "END:VCALENDAR" else { throw fail("not one VCALENDAR") }
        guard lines.contains("VERSION:2.0"), lines.contains(where: { $0.hasPrefix("PRODID:") }) else { throw fail("no VERSION 2.0 or PRODID") }
        var stack: [String] = []
        var events: [[String: String]] = [], current: [String: String]?
        for l in lines {
            if l.hasPrefix("BEGIN:") { stack.append(String(l.dropFirst(6))); if l == "BEGIN:VEVENT" { current = [:] }; continue }
            if l.hasPrefix("END:") {
                guard stack.last == String(l.dropFirst(4)) else { throw fail("\(l) closes \(stack.last ?? "nothing")") }
                stack.removeLast()
                if l == "END:VEVENT", let c = current { events.append(c); current = nil }
                continue
            }
            guard let colon = l.firstIndex(of: ":") else { throw fail("'\(l.prefix(40))' is not a content line") }
            let name = String(l[..<colon]).split(separator: ";")[0]
            if current != nil {
                guard current![String(name)] == nil else { throw fail("\(name) twice in one event") }
                current![String(name)] = String(l[l.index(after: colon)...])
            }
        }
        guard stack.isEmpty else { throw fail("\(stack) not closed") }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        var uids = Set<String>()
        for e in events {
            for p in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "STATUS"] where e[p] == nil { throw fail("an event without \(p)") }
            guard uids.insert(e["UID"]!).inserted else { throw fail("UID \(e["UID"]!) twice") }
            guard let s = f.date(from: e["DTSTART"]!), let t = f.date(from: e["DTEND"]!) else { throw fail("\(e["UID"]!): times not in UTC basic format") }
            guard s < t else { throw fail("\(e["UID"]!): DTSTART not before DTEND") }
        }
        guard let csv else { return }
        let rows = parseCSV(csv)
        guard let header = rows.first, let u = header.firstIndex(of: "uid"), let a = header.firstIndex(of: "start_utc"), let b = header.firstIndex(of: "end_utc") else {
            throw fail("the CSV has no uid, start_utc, end_utc")
        }
        let byUID = Dictionary(uniqueKeysWithValues: events.map { ($0["UID"]!, $0) })
        let confirmed = events.filter { $0["STATUS"] == "CONFIRMED" }.count
        guard confirmed == rows.count - 1 else { throw fail("\(confirmed) confirmed events for \(rows.count - 1) CSV rows") }
        for r in rows.dropFirst() {
            guard let e = byUID[r[u]] else { throw fail("CSV row \(r[u]) has no event") }
            guard e["DTSTART"] == PatrolCalendar.basic(r[a]), e["DTEND"] == PatrolCalendar.basic(r[b]) else { throw fail("\(r[u]): times differ from the CSV") }
        }
    }

    /// RFC 4180 fields (quoted fields may hold commas, quotes and line breaks).
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var it = Array(text.unicodeScalars), i = 0
        while i < it.count {
            let c = it[i]
            if quoted {
                if c == "\"" { if i + 1 < it.count, it[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { quoted = false } }
                else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.unicodeScalars.append(c) }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        it.removeAll()
        return rows
    }

    /// Whether /usr/bin/python3 can import icalendar (Debian python3-icalendar).
    static let pythonICalendar: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import icalendar"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()
}
