/// Forgiving name matching for columns, fields and spec keys: case, spaces, hyphens and
/// underscores don't matter ("crime_type" finds "Crime type"), and near misses are suggested.
public enum NameMatching {
    /// Lower-case with spaces, hyphens and dots folded to underscores.
    public static func normalised(_ s: String) -> String {
        String(s.lowercased().map { " -.".contains($0) ? "_" : $0 })
    }

    /// The candidate equal to `name` up to normalisation, if exactly one is.
    public static func match(_ name: String, in candidates: [String]) -> String? {
        if candidates.contains(name) { return name }
        let n = normalised(name)
        let hits = candidates.filter { normalised($0) == n }
        return hits.count == 1 ? hits[0] : nil
    }

    /// The closest candidate within an edit distance of a third of the name's length (at least 2).
    public static func closest(to name: String, in candidates: [String]) -> String? {
        let n = Array(normalised(name))
        let limit = max(2, n.count / 3)
        var best: (String, Int)?
        for c in candidates {
            let d = editDistance(n, Array(normalised(c)))
            if d <= limit, d < (best?.1 ?? .max) { best = (c, d) }
        }
        return best?.0
    }

    /// Levenshtein distance by the two-row dynamic programme, O(|a|·|b|).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
