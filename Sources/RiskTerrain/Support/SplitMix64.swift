import Foundation

/// A small, fast, seedable generator: SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable
/// pseudorandom number generators"), as in swift-argument-parser's examples. Everything random in
/// RiskTerrain takes one of these, so the same seed gives the same bytes on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits (platform-independent, unlike `Double.random(in:)`).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal by Box–Muller.
    public mutating func normal() -> Double {
        let u = max(uniform(), 0x1.0p-60), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// Poisson(λ): Knuth's product method for λ < 30, else the normal approximation with
    /// continuity correction (λ here is a cell's expected count, almost always < 1).
    public mutating func poisson(_ lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        if lambda >= 30 { return max(0, Int((lambda + lambda.squareRoot() * normal() + 0.5).rounded(.down))) }
        let limit = exp(-lambda)
        var k = 0, p = uniform()
        while p > limit { k += 1; p *= uniform() }
        return k
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (2000), for shape ≥ 1.
    public mutating func gamma(shape: Double) -> Double {
        precondition(shape >= 1, "shape must be at least 1")
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat { x = normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform()
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    /// An index drawn with probability proportional to `weights`.
    public mutating func pick(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var r = uniform() * total
        for (i, w) in weights.enumerated() {
            r -= w
            if r < 0 { return i }
        }
        return weights.count - 1
    }
}
