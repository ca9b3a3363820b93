import Foundation

/// The one iCalendar writer (RFC 5545) of every calendar export: content lines joined by CRLF and
/// folded at 75 octets without splitting a UTF-8 character (§3.1), TEXT values escaped (§3.3.11)
/// and stripped of control characters, so no value can end its line and start a property of
/// its own (a CR in a hotspot name injects properties in many calendar clients).
public struct ICalendarWriter {
    private(set) var lines: [String] = []

    public init() {}

    /// A property whose value is already in its type's syntax (DTSTART, GEO, UID made here).
    public mutating func raw(_ name: String, _ value: String) {
        precondition(!value.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(name): a raw value holds a control character")
        lines.append(name + ":" + value)
    }

    /// A TEXT property (SUMMARY, LOCATION, DESCRIPTION, …): escaped, control characters removed.
    public mutating func text(_ name: String, _ value: String) { lines.append(name + ":" + Self.escape(value)) }

    /// A content line as read back from a calendar this writer made (re-issues).
    mutating func line(_ l: String) {
        precondition(!l.unicodeScalars.contains { $0.properties.generalCategory == .control }, "a content line holds a control character")
        lines.append(l)
    }

    public mutating func begin(_ component: String) { lines.append("BEGIN:" + component) }
    public mutating func end(_ component: String) { lines.append("END:" + component) }

    /// The calendar's bytes: every line folded, CRLF after each.
    public func render() -> String { lines.map(Self.fold).joined(separator: "\r\n") + "\r\n" }

    /// TEXT escaping (§3.3.11): backslash, semicolon and comma escaped, a line break (LF, CR or
    /// CRLF, U+2028/U+2029) written `\n`; every other control character (C0, DEL, C1) removed.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var lastCR = false
        for u in s.unicodeScalars {
            defer { lastCR = u == "\r" }
            switch u {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": if !lastCR { out += "\\n" }
            case "\r", "\u{2028}", "\u{2029}": out += "\\n"
            default:
                if u.properties.generalCategory == .control { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A content line folded into lines of at most 75 octets, continuations starting with a space.
    public static func fold(_ line: String) -> String {
        // by Unicode scalars, not Characters: a grapheme of many scalars (an emoji sequence, a
        // 10 kB run of combining marks) may then be folded inside, which §3.1 allows
        var out = String.UnicodeScalarView(), octets = 0
        for u in line.unicodeScalars {
            let n = String(u).utf8.count
            if octets + n > 75 {
                out.append(contentsOf: "\r\n ".unicodeScalars)
                octets = 1
            }
            out.append(u)
            octets += n
        }
        return String(out)
    }

    /// The content lines of a calendar, unfolded (a line starting with a space or TAB continues the
    /// one before, §3.1): what re-issuing a plan reads back from the previous calendar.
    public static func unfold(_ text: String) -> [String] {
        var out: [String] = []
        for raw in text.components(separatedBy: "\r\n") {
            if let f = raw.first, f == " " || f == "\t", !out.isEmpty { out[out.count - 1] += raw.dropFirst() } else if !raw.isEmpty { out.append(raw) }
        }
        return out
    }
}
