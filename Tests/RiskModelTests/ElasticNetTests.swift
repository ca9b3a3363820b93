import Testing
@testable import RiskModel

@Suite struct ElasticNetTests {
    /// Strong passes on exact row groups give the same path as passes over every row.
    @Test(arguments: [nil, 2.0])
    func groupedPassesEqualRowPasses(theta: Double?) throws {
        let (d, _) = Simulation.design(rows: 4000, seed: 21, theta: theta)
        var a = ElasticNetOptions(); a.groupRows = true
        var b = ElasticNetOptions(); b.groupRows = false
        let pa = elasticNetPath(d, options: a), pb = elasticNetPath(d, options: b)
        expectRel(pa.lambdas, pb.lambdas, 1e-10, "lambda")  // sums in a different order
        for l in 0..<pa.lambdas.count {
            for (x, y) in zip([pa.intercepts[l]] + pa.coefficients[l], [pb.intercepts[l]] + pb.coefficients[l]) {
                #expect(abs(x - y) <= 1e-9, "λ #\(l): \(x) vs \(y)")
            }
        }
        // Fold fits (zero weights on held-out rows) as well.
        var o = CrossValidationOptions(); o.folds = 3; o.elasticNet = a
        var ob = o; ob.elasticNet = b
        let ca = crossValidatedElasticNet(d, options: o), cb = crossValidatedElasticNet(d, options: ob)
        expectRel(ca.meanDeviance, cb.meanDeviance, 1e-9, "cvm")
        #expect(ca.lambdaMinIndex == cb.lambdaMinIndex)
    }

    /// Noise-only columns leave the lasso path last; the true ones enter first.
    @Test func trueColumnsEnterFirst() throws {
        let (d, _) = Simulation.design(rows: 8000, seed: 3, theta: nil, baseRate: 0.5)
        let p = elasticNetPath(d)
        func entry(_ name: String) -> Int { let j = d.index(of: name)!; return p.coefficients.firstIndex { $0[j] != 0 } ?? Int.max }
        let trueEntry = ["a200", "b100", "c"].map(entry).max()!
        let noiseEntry = ["n1", "n2", "n3", "n4"].map(entry).min()!
        #expect(trueEntry < noiseEntry)
    }
}
