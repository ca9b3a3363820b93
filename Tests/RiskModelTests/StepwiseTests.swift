import Foundation
import Testing
@testable import RiskModel

@Suite struct StepwiseTests {
    /// The grouped search (sufficient statistics) and the cell-by-cell search agree exactly.
    @Test(arguments: [Family.poisson, Family.negativeBinomial])
    func groupedAndUngroupedStepwiseAgree(family: Family) throws {
        let (d, _) = Simulation.design(rows: 3000, seed: 11, theta: family == .poisson ? nil : 2)
        let g = try stepwiseBIC(d, candidates: Array(0..<9), family: family)
        var o = StepwiseOptions(); o.glm.grouping = false
        let u = try stepwiseBIC(d, candidates: Array(0..<9), family: family, options: o)
        #expect(g.path.map(\.move) == u.path.map(\.move))
        #expect(g.path.map(\.column) == u.path.map(\.column))
        for (a, b) in zip(g.path, u.path) { #expect(relClose(a.bic, b.bic, 1e-9), "BIC \(a.bic) vs \(b.bic)") }
        expectRel(g.model.coefficients, u.model.coefficients, 1e-9, "coef")
        expectRel(g.model.standardErrors, u.model.standardErrors, 1e-9, "se")
        #expect(g.model.fittedRows < 100 && u.model.fittedRows == 3000)
    }

    /// Every accepted move lowers BIC by more than 1e-7, and no single move improves the end point.
    @Test func pathFollowsTheStepRule() throws {
        let (d, _) = Simulation.design(rows: 5000, seed: 5, theta: nil)
        let r = try stepwiseBIC(d, candidates: Array(0..<9), family: .poisson)
        for (a, b) in zip(r.path, r.path.dropFirst()) { #expect(b.bic < a.bic - 1e-7) }
        let cur = r.model.columns
        for c in 0..<9 {
            let cols = cur.contains(c) ? cur.filter { $0 != c } : cur + [c]
            if let f = try? fitPoisson(d, columns: cols) { #expect(f.bic >= r.model.bic - 1e-7, "move on \(d.names[c]) would improve BIC") }
        }
        #expect(relClose(r.model.bic, try fitPoisson(d, columns: cur).bic, 1e-10))
    }
}
