import Foundation

/// Distribution functions used for Wald tests and the likelihood-ratio test.
/// Accuracy: erfc from the C library (≈1 ulp); tails are exact to double precision.
enum Dist {
    /// Two-sided normal p-value P(|Z| ≥ |z|) = erfc(|z|/√2).
    static func twoSidedNormalP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }
    /// Upper tail of χ²₁: P(X ≥ x) = erfc(√(x/2)).
    static func chiSquare1Upper(_ x: Double) -> Double { x <= 0 ? 1 : erfc((x / 2).squareRoot()) }
    /// 97.5 % normal quantile.
    static let z975 = 1.959963984540054
    /// log(y!) for a non-negative whole number.
    static func logFactorial(_ y: Double) -> Double { y < 2 ? 0 : lgamma(y + 1) }
    /// Σ over rows of log(y!) — precomputed once per design.
    static func sumLogFactorial(_ ys: [Double]) -> Double {
        var cache = [Double](repeating: 0, count: 64)
        for i in 2..<64 { cache[i] = cache[i - 1] + log(Double(i)) }
        var s = 0.0
        for y in ys { s += y < 64 ? cache[Int(y)] : lgamma(y + 1) }
        return s
    }
}
