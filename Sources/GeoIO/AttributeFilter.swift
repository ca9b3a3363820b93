/// Makes a user's `where` clause match the file's column names before OGR sees it.
///
/// Column names in the clause may be written in snake case or another case ("crime_type",
/// "CRIME TYPE") for a file column "Crime type": each bare or double-quoted identifier that is not
/// a column but matches exactly one column up to case, spaces, hyphens and underscores is replaced
/// by that column, double-quoted. String literals ('…', with '' escapes) and SQL keywords are left
/// alone; everything else goes to OGR SQL unchanged, which reports its own errors.
enum AttributeFilter {
    static let keywords: Set<String> = [
        "and", "or", "not", "in", "like", "ilike", "is", "null", "between", "true", "false", "escape",
        "cast", "as", "integer", "real", "string", "date", "time", "timestamp", "character", "float",
    ]

    static func rewrite(_ clause: String, fields: [String]) -> String {
        let exact = Set(fields.map { $0.lowercased() })
        func resolve(_ name: String) -> String? {
            guard !exact.contains(name.lowercased()), let m = NameMatching.match(name, in: fields) else { return nil }
            return "\"" + m.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        let chars = Array(clause)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "'" {                                  // string literal, '' escapes a quote
                var j = i + 1
                while j < chars.count {
                    if chars[j] == "'" {
                        if j + 1 < chars.count, chars[j + 1] == "'" { j += 2; continue }
                        break
                    }
                    j += 1
                }
                out += String(chars[i...min(j, chars.count - 1)])
                i = j + 1
            } else if c == "\"" {                          // quoted identifier
                var j = i + 1
                while j < chars.count, chars[j] != "\"" { j += 1 }
                let name = String(chars[(i + 1)..<min(j, chars.count)])
                out += resolve(name) ?? String(chars[i...min(j, chars.count - 1)])
                i = j + 1
            } else if c.isLetter || c == "_" {             // bare identifier or keyword
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
                let word = String(chars[i..<j])
                out += keywords.contains(word.lowercased()) ? word : (resolve(word) ?? word)
                i = j
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }
}
