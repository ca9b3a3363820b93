/// Domain failures of the model stage. Each message names the column (factor) and says what to do.
public enum ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Counts or offsets that are not valid model input.
    case invalidCounts(String)
    /// A column whose values cannot be used (non-finite values).
    case invalidColumn(String, String)
    /// The column's coefficient is ±∞: e.g. a binary column whose cells all have 0 events.
    case separation(column: String, detail: String)
    /// The column is constant or a linear combination of the intercept and other columns.
    case collinear(column: String, detail: String)
    /// IRLS or the θ iteration did not converge.
    case notConverged(String)
    /// Nothing to fit (e.g. no events at all).
    case degenerate(String)

    public var description: String {
        switch self {
        case .invalidCounts(let m): return "outcome: \(m)"
        case .invalidColumn(let c, let m): return "column \(c): \(m)"
        case .separation(let c, let m): return "column \(c): \(m)"
        case .collinear(let c, let m): return "column \(c): \(m)"
        case .notConverged(let m): return m
        case .degenerate(let m): return m
        }
    }
}
