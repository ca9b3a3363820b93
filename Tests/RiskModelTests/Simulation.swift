import Foundation
@testable import RiskModel

/// Seeded synthetic RTM-like designs with a known model (SplitMix64).
enum Simulation {
    struct Truth { let names: [String]; let beta: [Double] }

    /// Columns: a100 ⊂ a200 (nested increments of factor a), b100 ⊂ b200, c, noise n1..n4.
    /// True model: a200 (RRV 1.8), b100 (RRV 1.5), c (RRV 0.7); the rest are noise.
    /// `theta` nil → Poisson counts, else NB2 counts (gamma(θ, 1/θ) cell noise).
    static func design(rows n: Int, seed: UInt64, theta: Double?, baseRate: Double = 0.15) -> (DesignMatrix, Truth) {
        var r = SplitMix64(seed: seed)
        var cols = [[Bool]](repeating: [], count: 9)
        var y = [Double]()
        y.reserveCapacity(n)
        let beta: [String: Double] = ["a200": log(1.8), "b100": log(1.5), "c": log(0.7)]
        for _ in 0..<n {
            let da = r.uniform(), db = r.uniform()
            let row = [da < 0.10, da < 0.25, db < 0.08, db < 0.20, r.uniform() < 0.3,
                       r.uniform() < 0.2, r.uniform() < 0.35, r.uniform() < 0.1, r.uniform() < 0.5]
            for j in 0..<9 { cols[j].append(row[j]) }
            var eta = log(baseRate)
            if row[1] { eta += beta["a200"]! }
            if row[2] { eta += beta["b100"]! }
            if row[4] { eta += beta["c"]! }
            var mu = exp(eta)
            if let t = theta { mu *= r.gamma(shape: t, scale: 1 / t) }
            y.append(Double(r.poisson(mu)))
        }
        let names = ["a100", "a200", "b100", "b200", "c", "n1", "n2", "n3", "n4"]
        var d = try! DesignMatrix(counts: y)
        for j in 0..<9 { d.addBinary(names[j], values: cols[j]) }
        return (d, Truth(names: ["a200", "b100", "c"], beta: [log(1.8), log(1.5), log(0.7)]))
    }
}
