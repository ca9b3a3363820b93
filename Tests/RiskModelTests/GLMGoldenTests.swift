import Testing
@testable import RiskModel

/// Poisson and NB2 fits against R's glm and MASS::glm.nb on the committed fixture.
@Suite struct GLMGoldenTests {
    @Test func poissonWithContinuousMatchesRGlm() throws {
        let d = try Fixture.design(outcome: "y_pois")
        let fit = try fitPoisson(d, columns: Array(0..<7))
        let g = Fixture.golden("golden_glm_poisson.txt")
        #expect(fit.fittedRows == 3000)  // continuous columns: fitted cell by cell
        expectRel(fit.coefficients, g["coef"]!, 1e-6, "coef")
        expectRel(fit.standardErrors, g["se"]!, 1e-6, "se")
        expectRel([fit.logLikelihood, fit.deviance, fit.aic, fit.bic], g["loglik"]! + g["deviance"]! + g["aic"]! + g["bic"]!, 1e-6, "loglik/dev/aic/bic")
    }

    @Test func groupedBinaryPoissonMatchesRGlm() throws {
        let d = try Fixture.design(outcome: "y_pois", columns: ["b1", "b2", "b3", "b4"])
        let fit = try fitPoisson(d, columns: [0, 1, 2, 3])
        let g = Fixture.golden("golden_glm_poisson_binary.txt")
        #expect(fit.fittedRows <= 16)  // grouped: 2^4 patterns
        expectRel(fit.coefficients, g["coef"]!, 1e-6, "coef")
        expectRel(fit.standardErrors, g["se"]!, 1e-6, "se")
        expectRel([fit.logLikelihood, fit.deviance, fit.aic, fit.bic], g["loglik"]! + g["deviance"]! + g["aic"]! + g["bic"]!, 1e-6, "loglik/dev/aic/bic")
    }

    @Test func negativeBinomialMatchesMASS() throws {
        let d = try Fixture.design(outcome: "y_nb")
        let fit = try fitNegativeBinomial(d, columns: Array(0..<7))
        let g = Fixture.golden("golden_glm_nb.txt")
        expectRel(fit.coefficients, g["coef"]!, 1e-4, "coef")
        expectRel(fit.standardErrors, g["se"]!, 1e-4, "se")
        expectRel([fit.theta!, fit.thetaStandardError!], g["theta"]! + g["se_theta"]!, 1e-4, "theta")
        expectRel([fit.logLikelihood, fit.aic, fit.bic], g["loglik"]! + g["aic"]! + g["bic"]!, 1e-6, "loglik/aic/bic")
        // Strongly overdispersed (θ ≈ 1.6): the LR test against Poisson rejects.
        #expect(fit.overdispersion!.p < 1e-10)
    }

    @Test func groupedBinaryNegativeBinomialMatchesMASS() throws {
        let d = try Fixture.design(outcome: "y_nb", offset: false, columns: ["b1", "b2", "b3", "b4"])
        let fit = try fitNegativeBinomial(d, columns: [0, 1, 2, 3])
        let g = Fixture.golden("golden_glm_nb_binary.txt")
        #expect(fit.fittedRows < 300)  // grouped by (pattern, count)
        expectRel(fit.coefficients, g["coef"]!, 1e-4, "coef")
        expectRel(fit.standardErrors, g["se"]!, 1e-4, "se")
        expectRel([fit.theta!, fit.thetaStandardError!], g["theta"]! + g["se_theta"]!, 1e-4, "theta")
        expectRel([fit.logLikelihood, fit.aic, fit.bic], g["loglik"]! + g["aic"]! + g["bic"]!, 1e-6, "loglik/aic/bic")
    }

    @Test func waldStatisticsAreConsistent() throws {
        let d = try Fixture.design(outcome: "y_pois")
        let fit = try fitPoisson(d, columns: [0, 5])
        for t in fit.terms {
            #expect(relClose(t.z, t.coefficient / t.standardError, 1e-14))
            #expect(relClose(t.ciHigh - t.ciLow, 2 * 1.959963984540054 * t.standardError, 1e-12))
            #expect(relClose(t.rrvCILow, exp(t.ciLow), 1e-14))
        }
        // b1 (true β 0.6) is highly significant; p from the normal tail.
        #expect(fit.terms[0].p < 1e-10)
    }
}

import Foundation
