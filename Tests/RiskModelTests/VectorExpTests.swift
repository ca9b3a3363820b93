import Foundation
import Testing
@testable import RiskModel

/// `exp4` (the passes over the groups) against the C library's exp.
@Suite struct VectorExpTests {
    /// Within 1 ulp of `Foundation.exp` on 10⁶ seeded points: the whole finite range, the range
    /// of linear predictors, and values near 0 (where r is tiny and 2^k = 1).
    @Test func withinOneUlpOfTheCLibrary() {
        var rng = SplitMix64(seed: 20261122)
        var worst = 0.0, at = 0.0
        for i in 0..<250_000 {
            let span = [708.0, 30.0, 1e-3][i % 3]
            let x = SIMD4<Double>((0..<4).map { _ in (rng.uniform() * 2 - 1) * span })
            let e = exp4(x)
            for l in 0..<4 {
                let ref = Foundation.exp(x[l])
                let u = abs(e[l] - ref) / ref.ulp
                if u > worst { worst = u; at = x[l] }
            }
        }
        #expect(worst <= 1, "exp4 is \(worst) ulp from exp at \(at)")
    }

    /// Exact where e^x is exact, and the C library's result outside [−708, 709] and for NaN.
    @Test func exactPointsAndTheEdges() {
        #expect(exp4(SIMD4(0, 0, 0, 0)) == SIMD4(repeating: 1))
        let edges = SIMD4<Double>(-745.2, 709.8, .infinity, -.infinity)
        let e = exp4(edges)
        for l in 0..<4 { #expect(e[l] == Foundation.exp(edges[l]), "exp4(\(edges[l])) = \(e[l])") }
        let n = exp4(SIMD4(.nan, 1, 2, 3))
        #expect(n[0].isNaN)
        for l in 1..<4 { #expect(abs(n[l] - Foundation.exp(Double(l))) <= Foundation.exp(Double(l)).ulp) }
    }
}
