import Foundation
import Testing
@testable import RiskModel

/// Recovery of a known model from data simulated in Swift: the full selection (CV elastic net →
/// stepwise BIC, both families) keeps the true factors, drops the noise, picks the right family,
/// and the 95 % CIs cover the true RRVs in most repetitions.
@Suite struct RecoveryTests {
    struct Tally { var reps = 0; var keptTrue = 0; var noiseKept = 0; var family = 0; var covered = 0; var intervals = 0 }

    func run(theta: Double?, reps: Int, seed: UInt64) throws -> Tally {
        var t = Tally()
        for rep in 0..<reps {
            let (d, truth) = Simulation.design(rows: 5_000, seed: seed &+ UInt64(rep), theta: theta, baseRate: 0.5)
            var o = SelectionOptions()
            o.crossValidation.folds = 5
            o.crossValidation.seed = UInt64(rep + 1)
            let s = try selectModel(design: d, options: o)
            t.reps += 1
            let names = Set(s.model.terms.map(\.name))
            if Set(truth.names).isSubset(of: names) { t.keptTrue += 1 }
            t.noiseKept += names.filter { $0.hasPrefix("n") }.count
            if s.model.family == (theta == nil ? .poisson : .negativeBinomial) { t.family += 1 }
            for (name, b) in zip(truth.names, truth.beta) {
                guard let term = s.model.terms.first(where: { $0.name == name }) else { continue }
                t.intervals += 1
                if term.ciLow <= b && b <= term.ciHigh { t.covered += 1 }
            }
        }
        return t
    }

    @Test func poissonTruthIsRecovered() throws {
        let t = try run(theta: nil, reps: 10, seed: 1000)
        print("recovery Poisson: true kept \(t.keptTrue)/\(t.reps), noise terms kept \(t.noiseKept) over \(t.reps * 4), family right \(t.family)/\(t.reps), 95% CI coverage \(t.covered)/\(t.intervals)")
        #expect(t.keptTrue >= t.reps - 1)
        #expect(t.noiseKept <= t.reps / 2)
        #expect(t.family >= t.reps * 3 / 4)
        #expect(Double(t.covered) >= 0.8 * Double(t.intervals))
    }

    @Test func negativeBinomialTruthIsRecovered() throws {
        let t = try run(theta: 2, reps: 10, seed: 2000)
        print("recovery NB2: true kept \(t.keptTrue)/\(t.reps), noise terms kept \(t.noiseKept) over \(t.reps * 4), family right \(t.family)/\(t.reps), 95% CI coverage \(t.covered)/\(t.intervals)")
        #expect(t.keptTrue >= t.reps - 1)
        #expect(t.noiseKept <= t.reps / 2)
        #expect(t.family == t.reps)
        #expect(Double(t.covered) >= 0.8 * Double(t.intervals))
    }
}
