/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast, seedable 64-bit generator.
/// The same seed gives the same stream on every platform. O(1) per draw.
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
    /// Uniform on (0, 1), 53 bits.
    public mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }
    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u = uniform(), v = uniform()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
    /// Poisson(λ): inversion for λ < 30, else PTRS-free normal-approximation-free method by
    /// splitting λ into chunks of ≤ 30 (sum of independent Poissons is Poisson). Exact.
    public mutating func poisson(_ lambda: Double) -> Int {
        precondition(lambda >= 0 && lambda.isFinite)
        var remaining = lambda, total = 0
        while remaining > 0 {
            let l = min(remaining, 30)
            remaining -= l
            var k = 0, p = Foundation.exp(-l), s = p
            let u = uniform()
            while u > s && k < 1000 { k += 1; p *= l / Double(k); s += p }
            total += k
        }
        return total
    }
    /// Gamma(shape, scale) by Marsaglia & Tsang (2000); shape < 1 by the boost u^(1/shape).
    public mutating func gamma(shape: Double, scale: Double) -> Double {
        if shape < 1 { return gamma(shape: shape + 1, scale: scale) * Foundation.pow(uniform(), 1 / shape) }
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform()
            if Foundation.log(u) < 0.5 * x * x + d - d * v + d * Foundation.log(v) { return d * v * scale }
        }
    }
}

import Foundation
