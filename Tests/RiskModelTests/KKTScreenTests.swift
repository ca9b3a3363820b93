import Foundation
import Testing
@testable import RiskModel

/// The screen of the grouped KKT pass (`KKTScreen`) against brute force and against no screen.
@Suite struct KKTScreenTests {
    /// Brute force: after every λ, each column the screen skipped has — recomputed from the rows
    /// at the path's coefficients — a gradient below both the KKT threshold and the next λ's
    /// strong-rule threshold, for the full-data path and every fold.
    @Test func screenedColumnsAreBelowBothThresholds() throws {
        let (d, _) = Simulation.design(rows: 4000, seed: 25, theta: nil)
        let n = d.rowCount, K = 3
        let fold = foldAssignment(rows: n, folds: K, seed: 5).map { UInt8($0) }
        let x: [[Bool]] = d.columns.map { c in
            guard case .binary(let col) = c else { Issue.record("the simulation's columns are binary"); return [] }
            return (0..<n).map { col[$0] }
        }
        let set = ENPathSet(data: ElasticNetData(d), options: ElasticNetOptions(), classes: fold, classCount: K, excluded: [-1] + Array(0..<K))
        #expect(set.groups != nil)
        var checked = 0, worst = 0.0
        while set.paths.contains(where: { !$0.finished }) {
            let before = set.paths.map(\.li)
            set.advance(Array(0...K))
            for (s, li0) in zip(set.paths, before) where s.li > li0 && s.screen.skipped.contains(true) {
                let (b0, b) = s.original()
                let q = (0..<n).map { s.excluded >= 0 && Int(fold[$0]) == s.excluded ? 0 : s.invN }
                let mu = (0..<n).map { i in exp(b0 + (0..<b.count).reduce(0) { x[$1][i] ? $0 + b[$1] : $0 }) }
                let lam = s.lambdas[s.li - 1]
                let next = s.li < s.lambdas.count ? s.o.alpha * (2 * s.lambdas[s.li] - lam) : s.o.alpha * lam
                let threshold = min(s.o.alpha * lam, next)
                for j in 0..<b.count where s.screen.skipped[j] {
                    let m = (0..<n).reduce(0) { x[j][$1] ? $0 + q[$1] : $0 }
                    let sd = (m - m * m).squareRoot()
                    let g = (0..<n).reduce(0) { $0 + q[$1] * ((x[j][$1] ? 1 : 0) - m) * (d.counts[$1] - mu[$1]) } / sd
                    #expect(abs(g) < threshold, "path \(s.excluded) λ #\(s.li - 1) column \(j): |g| \(abs(g)) ≥ \(threshold)")
                    worst = max(worst, abs(g) / threshold)
                    checked += 1
                }
            }
        }
        #expect(checked > 50, "the screen skipped only \(checked) column-rounds")
        print("KKT screen: \(checked) skipped column-rounds checked by brute force; largest |g| / threshold \(worst)")
    }

    /// With and without the screen, the CV gives the same bits, and the screen did skip sums.
    @Test func theScreenChangesNoBit() throws {
        let (d, _) = Simulation.design(rows: 4000, seed: 26, theta: 2.0)
        var on = CrossValidationOptions(); on.folds = 4; on.patience = nil
        var off = on; off.elasticNet.screenKKT = false
        let a = crossValidatedElasticNet(d, options: on), b = crossValidatedElasticNet(d, options: off)
        func bits(_ c: CrossValidatedPath) -> [UInt64] {
            (c.path.lambdas + c.path.intercepts + c.path.coefficients.flatMap { $0 } + c.meanDeviance + c.standardError).map(\.bitPattern)
        }
        #expect(a.path.lambdas.count > 10)
        #expect(bits(a) == bits(b) && a.path.passes == b.path.passes)
        let set = ENPathSet(data: ElasticNetData(d), options: on.elasticNet, excluded: [-1])
        while !set.paths[0].finished { set.advance([0]) }
        #expect(set.paths[0].screen.skippedTotal > 0)
        var o = on.elasticNet; o.screenKKT = false
        #expect(elasticNetPath(d, options: on.elasticNet).coefficients == elasticNetPath(d, options: o).coefficients)
    }
}
