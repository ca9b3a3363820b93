import Testing
@testable import RiskModel

/// Exact grouping: grouped and cell-by-cell fits must agree to 1e-9.
@Suite struct GroupingTests {
    func compare(_ a: GLMFit, _ b: GLMFit) {
        expectRel(a.coefficients, b.coefficients, 1e-9, "coef")
        expectRel(a.standardErrors, b.standardErrors, 1e-9, "se")
        #expect(relClose(a.logLikelihood, b.logLikelihood, 1e-9), "loglik \(a.logLikelihood) vs \(b.logLikelihood)")
        #expect(relClose(a.bic, b.bic, 1e-9))
        #expect(relClose(a.deviance, b.deviance, 1e-9), "deviance \(a.deviance) vs \(b.deviance)")
        if let t = a.theta { #expect(relClose(t, b.theta!, 1e-9), "theta \(t) vs \(b.theta!)") }
    }

    @Test(arguments: [true, false])
    func poissonGroupedEqualsUngrouped(withOffset: Bool) throws {
        let d = try Fixture.design(outcome: "y_pois", offset: withOffset, columns: ["b1", "b2", "b3", "b4", "b5"])
        var off = GLMOptions(); off.grouping = false
        let g = try fitPoisson(d, columns: [0, 1, 2, 3, 4])
        let u = try fitPoisson(d, columns: [0, 1, 2, 3, 4], options: off)
        #expect(g.fittedRows <= 32 && u.fittedRows == 3000)
        compare(g, u)
    }

    @Test(arguments: [true, false])
    func negativeBinomialGroupedEqualsUngrouped(withOffset: Bool) throws {
        let d = try Fixture.design(outcome: "y_nb", offset: withOffset, columns: ["b1", "b2", "b3", "b4", "b5"])
        var off = GLMOptions(); off.grouping = false
        let g = try fitNegativeBinomial(d, columns: [0, 1, 2, 3, 4])
        let u = try fitNegativeBinomial(d, columns: [0, 1, 2, 3, 4], options: off)
        #expect(g.fittedRows < u.fittedRows)
        compare(g, u)
    }

    @Test func incrementalGroupsMatchDirectPatterns() throws {
        let d = try Fixture.design(outcome: "y_pois", columns: ["b1", "b2", "b3"])
        let g = RowGroups.of(d, columns: [0, 1, 2])
        // Two cells share a group iff their patterns are equal.
        var patternOf = [Int32: [Bool]]()
        for i in 0..<d.rowCount {
            let p = (0..<3).map { d.columns[$0].value(i) == 1 }
            if let q = patternOf[g.ids[i]] { #expect(q == p) } else { patternOf[g.ids[i]] = p }
        }
        #expect(Set(patternOf.values.map { $0.description }).count == g.count)
        #expect(g.count == 8)
    }
}
