import Foundation
#if !RISKMODEL_AVX2
import CPUFeatures
#endif

/// Options of the cross-validated elastic net.
public struct CrossValidationOptions: Sendable {
    public var folds: Int = 10
    /// Seed of the fold assignment (SplitMix64 Fisher–Yates shuffle of rep(0..<folds, length n)).
    public var seed: UInt64 = 1
    /// Explicit fold of every row (0..<folds), e.g. to reproduce another tool's folds.
    public var foldIDs: [Int]? = nil
    public var elasticNet = ElasticNetOptions()
    /// Stop every path once the CV deviance has gone this many λ without a new minimum (nil:
    /// fit every path to its end, as cv.glmnet). The CV curves of RTM designs are smooth and
    /// have one minimum; ten λ past it (a factor 2.5 in λ) confirms it.
    public var patience: Int? = 10
    public init() {}
}

/// Result of k-fold cross-validation of the elastic-net path.
public struct CrossValidatedPath: Sendable {
    /// The path fitted on all rows.
    public let path: ElasticNetPath
    /// CV mean Poisson deviance per λ (glmnet's cvm) and its standard error (cvsd).
    public let meanDeviance: [Double]
    public let standardError: [Double]
    public let lambdaMinIndex: Int
    public let lambda1seIndex: Int
    public var lambdaMin: Double { path.lambdas[lambdaMinIndex] }
    public var lambda1se: Double { path.lambdas[lambda1seIndex] }
    public let foldIDs: [Int]
    /// The paths stopped `patience` λ past the CV minimum, before the end of the λ sequence.
    public let stoppedEarly: Bool
    /// Per fold, the λ of its path at which coordinate descent stopped at its limit
    /// (`ElasticNetPath.notConverged`; the full-data path's are in `path`).
    public var foldsNotConverged: [[Double]] = []
    /// Design columns with a non-zero coefficient at λ.min: the shortlist for stepwise.
    public var shortlist: [Int] { path.nonZero(at: lambdaMinIndex).map { path.designColumns[$0] } }
}

/// Seeded fold assignment: a uniform shuffle of (0, 1, …, k−1, 0, 1, …) of length n.
public func foldAssignment(rows n: Int, folds k: Int, seed: UInt64) -> [Int] {
    var rng = SplitMix64(seed: seed)
    if k <= 256 {
        // The same swaps on one byte per row: the shuffle's random touches stay in cache
        // (2.6 MB for London's 2.56 M rows, not 20 MB of Int).
        var b = (0..<n).map { UInt8(truncatingIfNeeded: $0 % k) }
        b.withUnsafeMutableBufferPointer { f in
            if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { f.swapAt(i, Int(rng.next() % UInt64(i + 1))) } }
        }
        return b.map { Int($0) }
    }
    var f = (0..<n).map { $0 % k }
    if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { f.swapAt(i, Int(rng.next() % UInt64(i + 1))) } }
    return f
}

/// k-fold cross-validation of the Poisson elastic net by deviance, as glmnet's `cv.glmnet`
/// (type.measure = "deviance", grouped, alignment "lambda"): each fold's path is fitted on the
/// other folds with its own default λ sequence, and its coefficients are interpolated linearly
/// in λ at the full-data path's λ values (clamped at the ends), as `predict(fit, s = lambda)`
/// does; cvm = fold-size-weighted mean of the folds' mean deviance, cvsd = √(weighted variance /
/// (k − 1)); λ.min = largest λ with the least cvm, λ.1se = largest λ with cvm ≤ cvm(λ.min) +
/// cvsd(λ.min). Matches cv.glmnet's cvm to 1e-6 with the same folds.
///
/// The k + 1 paths run in lockstep (`ENPathSet`): at each λ of the full-data path every fold
/// path is advanced past it and the CV deviance there is known at once, so with `patience` the
/// paths stop once the CV deviance has gone that many λ without a new minimum — the λ beyond
/// (the costliest, with the most columns) cannot change λ.min or λ.1se unless the curve turns
/// down again after rising that long. `patience: nil` fits every path to its end, as cv.glmnet.
///
/// On CPUs with AVX2 this runs in the Haswell build of this module (`RiskModelAVX2`, the same
/// source): the same operations in the same order, so the same bits, in about 0.8× the time.
public func crossValidatedElasticNet(_ data: ElasticNetData, options: CrossValidationOptions = CrossValidationOptions(),
                                     progress: ((Int, Int) -> Void)? = nil) -> CrossValidatedPath {
    #if !RISKMODEL_AVX2
    if CPUFeatures.useHaswell { return HaswellBuild.crossValidatedElasticNet(data, options: options, progress: progress) }
    #endif
    return crossValidatedElasticNetInThisBuild(data, options: options, progress: progress)
}

package func crossValidatedElasticNetInThisBuild(_ data: ElasticNetData, options: CrossValidationOptions,
                                         progress: ((Int, Int) -> Void)?) -> CrossValidatedPath {
    let tSetup = ENProfile.now()
    let n = data.rowCount, K = options.folds
    let folds = options.foldIDs ?? foldAssignment(rows: n, folds: K, seed: options.seed)
    precondition(K >= 2 && K <= 255, "folds must be between 2 and 255")
    precondition(folds.count == n && folds.allSatisfy { $0 >= 0 && $0 < K }, "foldIDs must hold one fold in 0..<folds per row")
    let set = ENPathSet(data: data, options: options.elasticNet, classes: folds.map { UInt8($0) }, classCount: K,
                        excluded: [-1] + Array(0..<K))
    let full = set.paths[0]
    full.prof.add("setup", tSetup)
    let testRows: [[Int]]? = set.groups == nil ? (0..<K).map { k in (0..<n).filter { folds[$0] == k } } : nil
    let foldSize = set.sums.rows
    let total = foldSize.reduce(0, +)
    var foldMean = [[Double]](repeating: [], count: K)
    var cvm = [Double](), cvsd = [Double]()
    var best = Double.infinity, bestAt = -1
    while !full.finished {
        let lambda = full.lambdas[full.li]
        func lagging() -> [Int] { (1...K).filter { !set.paths[$0].finished && (set.paths[$0].outL.last ?? .infinity) > lambda } }
        set.advance([0] + lagging())
        var lag = lagging()
        while !lag.isEmpty { set.advance(lag); lag = lagging() }
        let t0 = ENProfile.now()
        let dev = set.heldOutDeviance(folds: Array(0..<K), at: lambda, testRows: testRows)
        full.prof.add("cv deviance", t0)
        var m = 0.0
        for k in 0..<K { foldMean[k].append(dev[k] / max(foldSize[k], 1)); m += foldSize[k] * foldMean[k].last! }
        m /= total
        var v = 0.0
        for k in 0..<K { v += foldSize[k] * (foldMean[k].last! - m) * (foldMean[k].last! - m) }
        cvm.append(m)
        cvsd.append((v / total / Double(K - 1)).squareRoot())
        if m < best { best = m; bestAt = cvm.count - 1 }
        progress?(cvm.count, full.lambdas.count)
        if let pat = options.patience, cvm.count - 1 - bestAt >= pat { break }
    }
    set.reportProfile()
    let iMin = bestAt                                   // λ decreasing: first = largest λ
    let bound = cvm[iMin] + cvsd[iMin]
    let i1se = cvm.firstIndex { $0 <= bound }!
    return CrossValidatedPath(path: full.result(), meanDeviance: cvm, standardError: cvsd, lambdaMinIndex: iMin,
                              lambda1seIndex: i1se, foldIDs: folds, stoppedEarly: !full.finished,
                              foldsNotConverged: (1...K).map { set.paths[$0].notConvergedLambdas })
}

public func crossValidatedElasticNet(_ design: DesignMatrix, columns: [Int]? = nil, options: CrossValidationOptions = CrossValidationOptions()) -> CrossValidatedPath {
    crossValidatedElasticNet(ElasticNetData(design, columns: columns), options: options)
}

/// The coefficients at λ = `s` of a path fitted at `lambdas` (decreasing), linearly
/// interpolated in λ between the bracketing fitted values and clamped outside the fitted range
/// (glmnet's `lambda.interp`).
func interpolate(lambdas: [Double], intercepts: [Double], coefficients: [[Double]], at s: Double) -> (Double, [Double]) {
    let L = lambdas.count
    var left = 0, right = 0, frac = 1.0
    if L > 1 {
        if s >= lambdas[0] { left = 0; right = 0 } else if s <= lambdas[L - 1] { left = L - 1; right = L - 1 } else {
            var r = 1
            while lambdas[r] > s { r += 1 }
            left = r - 1; right = r
            if lambdas[r] == s { left = r } else { frac = (s - lambdas[right]) / (lambdas[left] - lambdas[right]) }
        }
    }
    if left == right { frac = 1 }
    return (intercepts[left] * frac + intercepts[right] * (1 - frac),
            zip(coefficients[left], coefficients[right]).map { $0 * frac + $1 * (1 - frac) })
}

extension ENSolver {
    /// This path's coefficients interpolated at λ = `s` (see `interpolate`).
    func coefficients(at s: Double) -> (Double, [Double]) {
        interpolate(lambdas: outL, intercepts: outA, coefficients: outB, at: s)
    }
}

/// Σ over `rows` of the Poisson deviance 2(y log(y/μ) − (y − μ)) at every λ of `path`.
/// All λ at once per row: the row's non-zero columns add their coefficient vectors (contiguous
/// over λ), O(nnz_row · L) per row.
func pathDeviance(_ d: ElasticNetData, path: ElasticNetPath, rows: [Int]) -> [Double] {
    let L = path.lambdas.count, p = d.columnCount, W = d.wordsPerRow, nb = d.binaryCount
    var bt = [Double](repeating: 0, count: p * L)
    var used = [UInt64](repeating: 0, count: W)
    var usedDense = [Int]()
    for l in 0..<L { for j in 0..<p where path.coefficients[l][j] != 0 { bt[j * L + l] = path.coefficients[l][j] } }
    for j in 0..<p where (0..<L).contains(where: { bt[j * L + $0] != 0 }) {
        if j < nb { used[j >> 6] |= 1 << UInt64(j & 63) } else { usedDense.append(j - nb) }
    }
    let workers = 2
    var parts = [[Double]](repeating: [Double](repeating: 0, count: L), count: workers)
    parts.withUnsafeMutableBufferPointer { pp in
        let base = pp.baseAddress!
        parallelWorkers(workers) { wk in
            let lo = rows.count * wk / workers, hi = rows.count * (wk + 1) / workers
            var acc = [Double](repeating: 0, count: L), f = acc
            bt.withUnsafeBufferPointer { b in
                d.rowBits.withUnsafeBufferPointer { bits in
                    for t in lo..<hi {
                        let i = rows[t]
                        let off = d.offset?[i] ?? 0
                        for l in 0..<L { f[l] = path.intercepts[l] + off }
                        for k in 0..<W {
                            var word = bits[i * W + k] & used[k]
                            while word != 0 {
                                let j = k << 6 | word.trailingZeroBitCount
                                let src = b.baseAddress! + j * L
                                for l in 0..<L { f[l] += src[l] }
                                word &= word &- 1
                            }
                        }
                        for c in usedDense {
                            let x = d.dense[c][i], src = b.baseAddress! + (nb + c) * L
                            for l in 0..<L { f[l] += x * src[l] }
                        }
                        let y = d.y[i]
                        let ly = y > 0 ? y * Foundation.log(y) - y : 0
                        for l in 0..<L { acc[l] += 2 * (ly - y * f[l] + Foundation.exp(f[l])) }
                    }
                }
            }
            base[wk] = acc
        }
    }
    var out = parts[0]
    for pt in parts.dropFirst() { for l in 0..<L { out[l] += pt[l] } }
    return out
}
