import Foundation

/// The one CSV writer of every export (hotspots.csv, rrv.csv, the patrol plan's CSV): RFC 4180
/// quoting, and text that a spreadsheet cannot run.
///
/// - A text field is quoted when it holds a comma, a double quote, CR or LF; quotes inside are
///   doubled (RFC 4180 §2).
/// - A text field that begins with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`, so Excel,
///   LibreOffice and Google Sheets show it as text instead of evaluating it as a formula (the
///   OWASP "CSV Injection" rule; a name `=HYPERLINK(…)` would otherwise run when the file is
///   opened). The apostrophe is visible in other readers: the price of a field that stays text.
/// - Numbers are written as the caller formats them, never prefixed (a coefficient −0.42 stays a
///   number); `number` checks that they are numbers.
/// Rows end with LF (what the files have always used; every spreadsheet reads it).
public enum CSVWriter {
    /// One field: text (neutralised and quoted as needed) or a number (as formatted).
    public enum Field: Sendable, Equatable {
        case text(String)
        case number(String)
    }

    /// Characters that make a spreadsheet read a cell as a formula when they lead it.
    static let formulaLeads: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// A text field as written.
    public static func text(_ s: String) -> String {
        var v = s
        if let first = v.unicodeScalars.first, formulaLeads.contains(first) { v = "'" + v }
        if v.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    /// A number field as written: the caller's formatting, which must be a number ("" for none).
    public static func number(_ s: String) -> String {
        precondition(s.isEmpty || Double(s) != nil || s == "nan" || s == "inf" || s == "-inf", "'\(s)' is not a number: write it as text")
        return s
    }

    public static func line(_ fields: [Field]) -> String {
        fields.map { f in
            switch f {
            case .text(let s): text(s)
            case .number(let s): number(s)
            }
        }.joined(separator: ",")
    }

    /// A whole file: the header, then one line per row, each ending in LF.
    public static func document(header: [String], rows: [[Field]]) -> String {
        var out = line(header.map(Field.text)) + "\n"
        for r in rows {
            precondition(r.count == header.count, "a row of \(r.count) fields under \(header.count) columns")
            out += line(r) + "\n"
        }
        return out
    }
}
