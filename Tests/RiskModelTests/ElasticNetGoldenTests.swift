import Testing
@testable import RiskModel

/// Elastic-net path against R glmnet (family "poisson", alpha 0.5) on the committed fixture.
@Suite struct ElasticNetGoldenTests {
    func path(threshold: Double) throws -> ElasticNetPath {
        let d = try Fixture.design(outcome: "y_pois", offset: false)
        var o = ElasticNetOptions()
        o.threshold = threshold
        return elasticNetPath(d, options: o)
    }

    func check(_ p: ElasticNetPath, _ file: String, coefTol: Double) {
        let g = Fixture.golden(file)
        let lam = g["lambda"]!
        #expect(p.lambdas.count == lam.count, "path length \(p.lambdas.count) vs glmnet \(lam.count)")
        expectRel(Array(p.lambdas.prefix(lam.count)), Array(lam.prefix(p.lambdas.count)), 1e-10, "lambda")
        // glmnet's column order is b1..b5, c1, c2 — the same as the design here.
        #expect(p.names == ["b1", "b2", "b3", "b4", "b5", "c1", "c2"])
        var worst = 0.0
        for l in 0..<min(p.lambdas.count, lam.count) {
            let want = g["coef\(l + 1)"]!
            let got = [p.intercepts[l]] + p.coefficients[l]
            for (a, b) in zip(got, want) {
                worst = max(worst, abs(a - b))
                #expect(abs(a - b) <= coefTol, "λ #\(l + 1): \(got) vs glmnet \(want)")
                #expect((a == 0) == (b == 0) || abs(a - b) <= coefTol, "λ #\(l + 1): zero pattern differs")
            }
        }
        let dr = g["dev_ratio"]!
        for l in 0..<min(p.lambdas.count, dr.count) {
            #expect(abs(p.devianceRatio[l] - dr[l]) <= 10 * coefTol, "dev.ratio #\(l + 1): \(p.devianceRatio[l]) vs \(dr[l])")
        }
    }

    /// Default threshold 1e-7 on both sides: glmnet stops CD once max v_j Δβ_j² < 1e-7 × dev0, so
    /// each side is within ~1e-4 of the exact path; 2e-4 absolute bounds their difference.
    @Test func defaultThresholdMatchesGlmnet() throws {
        check(try path(threshold: 1e-7), "golden_glmnet.txt", coefTol: 2e-4)
    }

    /// Both sides converged tightly (thresh 1e-13): the exact path, 1e-6 absolute.
    @Test func tightThresholdMatchesGlmnet() throws {
        check(try path(threshold: 1e-13), "golden_glmnet_tight.txt", coefTol: 1e-6)
    }

    @Test func lambdaMaxZeroesEverything() throws {
        let p = try path(threshold: 1e-7)
        #expect(p.coefficients[0].allSatisfy { $0 == 0 })
        #expect(p.coefficients[1].contains { $0 != 0 })
    }
}

/// Cross-validation against cv.glmnet with the same folds (thresh 1e-13 on both sides).
@Suite struct CrossValidationGoldenTests {
    /// The fixture's 5 folds, thresh 1e-13, every λ (no early stop).
    static let options: CrossValidationOptions = {
        var o = CrossValidationOptions()
        o.folds = 5
        o.foldIDs = Fixture.column("fold").map { Int($0) - 1 }
        o.elasticNet.threshold = 1e-13
        o.patience = nil
        return o
    }()

    func expectMatches(_ cv: CrossValidatedPath, _ g: [String: [Double]], sourceLocation: SourceLocation = #_sourceLocation) {
        expectRel(cv.path.lambdas, g["lambda"]!, 1e-10, "lambda", sourceLocation: sourceLocation)
        expectRel(cv.meanDeviance, g["cvm"]!, 1e-6, "cvm", sourceLocation: sourceLocation)
        expectRel(cv.standardError, g["cvsd"]!, 1e-6, "cvsd", sourceLocation: sourceLocation)
        #expect(relClose(cv.lambdaMin, g["lambda_min"]![0], 1e-10), sourceLocation: sourceLocation)
        #expect(relClose(cv.lambda1se, g["lambda_1se"]![0], 1e-10), sourceLocation: sourceLocation)
        #expect(cv.lambda1se >= cv.lambdaMin, sourceLocation: sourceLocation)
    }

    @Test func cvMatchesCvGlmnet() throws {
        let d = try Fixture.design(outcome: "y_pois", offset: false)
        var o = Self.options
        let cv = crossValidatedElasticNet(d, options: o)
        #expect(!cv.stoppedEarly)
        let g = Fixture.golden("golden_cvglmnet.txt")
        expectMatches(cv, g)

        // Stopping ten λ past the CV minimum: the same curve up to there, the same λ.min and λ.1se.
        o.patience = 10
        let short = crossValidatedElasticNet(d, options: o)
        #expect(short.stoppedEarly)
        #expect(short.meanDeviance.count == cv.lambdaMinIndex + 11)
        expectRel(short.meanDeviance, Array(g["cvm"]!.prefix(short.meanDeviance.count)), 1e-6, "cvm (stopped)")
        #expect(short.lambdaMin == cv.lambdaMin && short.lambda1se == cv.lambda1se)
        #expect(short.path.lambdas.count == short.meanDeviance.count)
    }

    /// Binary columns only: the folds run in lockstep on exact row groups and borrow the
    /// full-data path's Hessian (and, with `sharedHessian` off, compute their own).
    @Test(arguments: [true, false]) func groupedCVMatchesCvGlmnet(sharedHessian: Bool) throws {
        let d = try Fixture.design(outcome: "y_pois", offset: false, columns: ["b1", "b2", "b3", "b4", "b5"])
        var o = Self.options
        o.elasticNet.sharedHessian = sharedHessian
        expectMatches(crossValidatedElasticNet(d, options: o), Fixture.golden("golden_cvglmnet_binary.txt"))
    }

    @Test func seededFoldsAreReproducibleAndBalanced() {
        let a = foldAssignment(rows: 1003, folds: 10, seed: 7), b = foldAssignment(rows: 1003, folds: 10, seed: 7)
        #expect(a == b)
        #expect(a != foldAssignment(rows: 1003, folds: 10, seed: 8))
        let counts = (0..<10).map { k in a.filter { $0 == k }.count }
        #expect(counts.max()! - counts.min()! <= 1)
        // The shuffle on bytes (k ≤ 256) makes the same swaps as on Int: the folds of every
        // earlier run are kept.
        for (n, k, seed) in [(1003, 10, UInt64(7)), (50_000, 256, 3), (2, 2, 1), (1, 5, 9), (777, 257, 4)] {
            var f = (0..<n).map { $0 % k }
            var rng = SplitMix64(seed: seed)
            if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { f.swapAt(i, Int(rng.next() % UInt64(i + 1))) } }
            #expect(foldAssignment(rows: n, folds: k, seed: seed) == f, "n \(n), k \(k)")
        }
    }
}
