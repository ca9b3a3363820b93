import CPUFeatures
import Testing
@testable import RiskModel

@Suite struct ElasticNetTests {
    /// Strong passes on exact row groups (with the stale-Hessian Newton steps) give the same path
    /// as passes over every row: both converged tightly (threshold 1e-13). The stale-Hessian steps
    /// converge linearly, so glmnet's step-size rule stops them a little earlier: 5e-6, still
    /// far inside glmnet's own accuracy at its default threshold (~1e-3 on these data).
    @Test(arguments: [nil, 2.0])
    func groupedPassesEqualRowPasses(theta: Double?) throws {
        let (d, _) = Simulation.design(rows: 4000, seed: 21, theta: theta)
        var a = ElasticNetOptions(); a.groupRows = true; a.threshold = 1e-13
        var b = ElasticNetOptions(); b.groupRows = false; b.threshold = 1e-13
        let pa = elasticNetPath(d, options: a), pb = elasticNetPath(d, options: b)
        expectRel(pa.lambdas, pb.lambdas, 1e-10, "lambda")  // sums in a different order
        for l in 0..<pa.lambdas.count {
            for (x, y) in zip([pa.intercepts[l]] + pa.coefficients[l], [pb.intercepts[l]] + pb.coefficients[l]) {
                #expect(abs(x - y) <= 5e-6, "λ #\(l): \(x) vs \(y)")
            }
        }
        // Fold fits (zero weights on held-out rows) as well: 3 folds, and 13 (more paths than
        // the passes' 12 lanes).
        for folds in [3, 13] {
            var o = CrossValidationOptions(); o.folds = folds; o.elasticNet = a
            var ob = o; ob.elasticNet = b
            let ca = crossValidatedElasticNet(d, options: o), cb = crossValidatedElasticNet(d, options: ob)
            expectRel(ca.meanDeviance, cb.meanDeviance, 1e-6, "cvm, \(folds) folds")
            #expect(ca.lambdaMinIndex == cb.lambdaMinIndex)
        }
    }

    /// A path ended at one of its λ (`endLambda`) is the full path up to there, bit for bit (the
    /// same warm starts), on groups and on rows; an end between two λ is fitted as one more, and
    /// an end above λ_max gives the null model.
    @Test(arguments: [true, false])
    func endLambdaIsTheFullPathUpToIt(groupRows: Bool) throws {
        let (d, _) = Simulation.design(rows: 3000, seed: 23, theta: nil)
        var o = ElasticNetOptions(); o.groupRows = groupRows
        let full = elasticNetPath(d, options: o)
        let k = 20
        #expect(full.lambdas.count > k + 5)
        o.endLambda = full.lambdas[k]
        let cut = elasticNetPath(d, options: o)
        func bits(_ p: ElasticNetPath, _ n: Int) -> [UInt64] {
            (Array(p.lambdas.prefix(n)) + p.intercepts.prefix(n) + p.coefficients.prefix(n).flatMap { $0 }).map(\.bitPattern)
        }
        #expect(cut.lambdas.count == k + 1)
        #expect(bits(cut, k + 1) == bits(full, k + 1))
        o.endLambda = (full.lambdas[k] + full.lambdas[k + 1]) / 2
        let between = elasticNetPath(d, options: o)
        #expect(between.lambdas.count == k + 2 && between.lambdas.last == o.endLambda)
        #expect(between.nonZero(at: k + 1).count >= full.nonZero(at: k).count)
        o.endLambda = full.lambdas[0] * 2
        let above = elasticNetPath(d, options: o)
        #expect(above.lambdas == [full.lambdas[0] * 2] && above.coefficients[0].allSatisfy { $0 == 0 })
    }

    /// `fixedLambda` at a CV's λ.min shortlists the same columns as the CV did (the full-data path
    /// ended there, alone instead of in lockstep with the folds), so stepwise returns the same model.
    @Test func fixedLambdaAtTheCVsLambdaMinSelectsTheSameModel() throws {
        let (d, _) = Simulation.design(rows: 4000, seed: 24, theta: 2.0, baseRate: 0.5)
        var o = SelectionOptions(); o.crossValidation.folds = 5
        let cv = try selectModel(design: d, options: o)
        let e = try #require(cv.elasticNet)
        #expect(e.crossValidated && e.lambdaMin == e.lambda && e.lambda1se != nil)
        o.fixedLambda = e.lambda
        let quick = try selectModel(design: d, options: o)
        let q = try #require(quick.elasticNet)
        #expect(!q.crossValidated && q.lambda == e.lambda && q.lambdaMin == nil && q.lambda1se == nil && quick.crossValidation == nil)
        #expect(q.shortlist == e.shortlist)
        // The CV's full path took its own route there (groups split by every fold's strong set,
        // the Hessian lent to the folds): the same solution within glmnet's accuracy (1e-4).
        for (a, b) in zip(q.penalisedCoefficients, e.penalisedCoefficients) { #expect(abs(a - b) <= 1e-4) }
        #expect(quick.model.family == cv.model.family && quick.model.columns == cv.model.columns)
        #expect(abs(quick.model.bic - cv.model.bic) <= 1e-9 * abs(cv.model.bic))
    }

    /// CV folds on the full-data path's Hessian (`ENSolver.lender`) give the paths of separate
    /// fits on their training rows (both converged tightly), and most folds never need their own.
    /// With 4 folds (five paths, two lane blocks) and 13 (fourteen paths: two passes of lanes
    /// over the groups, paths 0–11 and 12–13).
    @Test(arguments: [4, 13])
    func foldsOnTheFullPathsHessianMatchSeparateFits(folds K: Int) throws {
        let (d, _) = Simulation.design(rows: 4000, seed: 22, theta: nil)
        let fold = foldAssignment(rows: d.rowCount, folds: K, seed: 3).map { UInt8($0) }
        var o = ElasticNetOptions(); o.threshold = 1e-13
        let set = ENPathSet(data: ElasticNetData(d), options: o, classes: fold, classCount: K, excluded: [-1] + Array(0..<K))
        #expect(set.groups != nil)
        while set.paths.contains(where: { !$0.finished }) { set.advance(Array(0...K)) }
        let borrowing = set.paths.dropFirst().filter { $0.lender != nil }
        #expect(borrowing.count >= K - 1, "\(K - borrowing.count) of \(K) folds took their own Hessian")
        #expect(borrowing.allSatisfy { $0.hGram.isEmpty })
        for k in 0..<K {
            let rows = (0..<d.rowCount).filter { fold[$0] != k }
            var dk = try DesignMatrix(counts: rows.map { d.counts[$0] }, offset: nil)
            for (c, name) in zip(d.columns, d.names) {
                guard case .binary(let col) = c else { continue }
                dk.addBinary(name, values: rows.map { col[$0] })
            }
            let sep = elasticNetPath(dk, options: o), got = set.paths[k + 1].result()
            expectRel(got.lambdas, sep.lambdas, 1e-10, "fold \(k) lambda")
            for l in 0..<min(got.lambdas.count, sep.lambdas.count) {
                for (x, y) in zip([got.intercepts[l]] + got.coefficients[l], [sep.intercepts[l]] + sep.coefficients[l]) {
                    #expect(abs(x - y) <= 5e-6, "fold \(k) λ #\(l): \(x) vs \(y)")
                }
            }
        }
    }

    /// The Haswell build of this module (`RiskModelAVX2`, the same sources) returns the same bits
    /// as the baseline build: no fused multiply-adds, the same operations in the same order. On
    /// row groups and on rows, with the lockstep early stop.
    @Test(.enabled(if: CPUFeatures.cpuHasHaswell, "the CPU has no AVX2"), arguments: [true, false])
    func crossValidationIsTheSameInBothBuilds(groupRows: Bool) {
        let (d, _) = Simulation.design(rows: 3000, seed: 31, theta: 2.0)
        let data = ElasticNetData(d)
        var o = CrossValidationOptions(); o.folds = 4; o.patience = 5; o.elasticNet.groupRows = groupRows
        let here = crossValidatedElasticNetInThisBuild(data, options: o, progress: nil)
        let there = HaswellBuild.crossValidatedElasticNet(data, options: o, progress: nil)
        func bits(_ c: CrossValidatedPath) -> [UInt64] {
            (c.path.lambdas + c.path.intercepts + c.path.coefficients.flatMap { $0 } + c.path.devianceRatio
                + c.meanDeviance + c.standardError).map(\.bitPattern)
        }
        #expect(here.path.lambdas.count > 10)
        #expect(bits(here) == bits(there))
        #expect(here.lambdaMinIndex == there.lambdaMinIndex && here.lambda1seIndex == there.lambda1seIndex)
        #expect(here.path.passes == there.path.passes && here.stoppedEarly == there.stoppedEarly)
        // HaswellBuild copies the options field by field: a new option must be added there too.
        #expect(Mirror(reflecting: ElasticNetOptions()).children.count == 12, "update HaswellBuild's option copy")
        #expect(Mirror(reflecting: CrossValidationOptions()).children.count == 5, "update HaswellBuild's option copy")
    }

    /// At glmnet's default threshold (1e-7) the grouped path (stale-Hessian Newton steps) is no
    /// farther from the exact path than the row-pass (glmnet-style) path is, up to a factor 2.
    @Test func groupedDefaultThresholdWithinGlmnetAccuracy() throws {
        let (d, _) = Simulation.design(rows: 4000, seed: 22, theta: nil)
        var a = ElasticNetOptions(); a.groupRows = true
        var r = ElasticNetOptions(); r.groupRows = false
        var b = ElasticNetOptions(); b.groupRows = false; b.threshold = 1e-13
        let pa = elasticNetPath(d, options: a), pr = elasticNetPath(d, options: r), pb = elasticNetPath(d, options: b)
        var ea = 0.0, er = 0.0
        for l in 0..<min(pa.lambdas.count, pb.lambdas.count, pr.lambdas.count) {
            for (x, y) in zip(pa.coefficients[l], pb.coefficients[l]) { ea = max(ea, abs(x - y)) }
            for (x, y) in zip(pr.coefficients[l], pb.coefficients[l]) { er = max(er, abs(x - y)) }
        }
        print("elastic net, default threshold, max |Δβ| from the exact path: grouped \(ea), rows \(er)")
        #expect(ea <= 2 * er + 1e-6)
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

/// A λ whose coordinate descent stops at its limit says so (`notConverged`), on the full path and
/// on each CV fold's; a path that converges has none, and the record changes nothing else.
@Suite struct NonConvergenceTests {
    @Test(arguments: [true, false])
    func aLambdaStoppedAtThePassLimitIsRecorded(groupRows: Bool) throws {
        let (d, _) = Simulation.design(rows: 2000, seed: 31, theta: nil)
        var o = ElasticNetOptions(); o.groupRows = groupRows
        let converged = elasticNetPath(d, options: o)
        #expect(converged.notConverged.isEmpty)
        o.maxPasses = 1
        let stopped = elasticNetPath(d, options: o)
        // the first λ is the null model (no descent); every later one needs more than one pass
        #expect(!stopped.notConverged.isEmpty)
        #expect(stopped.notConverged.allSatisfy { stopped.lambdas.contains($0) } && !stopped.notConverged.contains(stopped.lambdas[0]))
        var cv = CrossValidationOptions(); cv.folds = 3; cv.elasticNet = o
        let r = crossValidatedElasticNet(d, options: cv)
        #expect(!r.path.notConverged.isEmpty && r.foldsNotConverged.count == 3 && r.foldsNotConverged.allSatisfy { !$0.isEmpty })
        var fine = cv; fine.elasticNet.maxPasses = 100_000
        #expect(crossValidatedElasticNet(d, options: fine).foldsNotConverged == [[], [], []])
    }
}
