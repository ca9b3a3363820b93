/// Statistical disclosure control for counts in shared outputs (DESIGN.md, "Sensitive data").
///
/// Counts of 1 … `threshold − 1` are rendered as `"<threshold"` (default `"<5"`); counts at or
/// above the threshold are written as they are. Zero is written as `"0"` by default, as
/// data.police.uk and most UK forces do when they suppress small numbers (they suppress 1–4: a
/// zero reveals no victim, and hiding zeros would make empty places look like small hotspots);
/// set `suppressZero` where a zero could itself disclose something (e.g. a count of a rare
/// offence against one named premises). Negative counts are a programmer error.
///
/// Complexity O(1) per count; exact (integer arithmetic, no tolerance).
public struct Disclosure: Sendable, Hashable {
    /// Counts below this are suppressed. Must be at least 1.
    public var threshold: Int
    /// Whether 0 is suppressed too (rendered as `"<threshold"`).
    public var suppressZero: Bool

    public init(threshold: Int = 5, suppressZero: Bool = false) {
        precondition(threshold >= 1, "a disclosure threshold must be at least 1")
        self.threshold = threshold
        self.suppressZero = suppressZero
    }

    /// Whether `count` must not be shown as it is.
    public func isSuppressed(_ count: Int) -> Bool {
        precondition(count >= 0, "counts are not negative")
        return count < threshold && (count > 0 || suppressZero)
    }

    /// The text to write for `count`: `"<5"` when suppressed, else the number.
    public func render(_ count: Int) -> String {
        isSuppressed(count) ? "<\(threshold)" : String(count)
    }

    /// The text for a count held as a floating-point raster value (event counts per cell are
    /// `Float` rasters): rounded to the nearest integer first. Non-finite or negative values are
    /// a programmer error.
    public func render(_ count: Double) -> String {
        precondition(count.isFinite && count >= 0, "a count must be finite and not negative")
        return render(Int(count.rounded()))
    }
}
