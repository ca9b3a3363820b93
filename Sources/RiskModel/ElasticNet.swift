import Foundation
#if !RISKMODEL_AVX2
import CPUFeatures
#endif

/// Options of the elastic-net path (glmnet's defaults).
public struct ElasticNetOptions: Sendable {
    /// Mixing: 1 = lasso, 0 = ridge. Default 0.5 (the RTM peer's choice).
    public var alpha: Double = 0.5
    public var lambdaCount: Int = 100
    /// λ_min / λ_max; nil = 1e-4 when rows > columns, else 0.01 (glmnet).
    public var lambdaMinRatio: Double? = nil
    /// Explicit λ sequence (decreasing); disables the early stop, as in glmnet.
    public var lambdas: [Double]? = nil
    /// End the path at this λ: the default sequence's values above it, then it (nothing below),
    /// with no early stop — the solution at one given λ as the full path reaches it, by warm
    /// starts down the sequence, without the costlier λ beyond. The same bits as the full path
    /// at each λ they share.
    public var endLambda: Double? = nil
    /// Coordinate-descent convergence: max_j v_j Δβ_j² < thresh × (null deviance / 2n).
    public var threshold: Double = 1e-7
    public var maxPasses: Int = 100_000
    public var workers: Int = 2
    /// Run the strong-set passes on exact row groups (no offset, all columns binary). Same path.
    public var groupRows: Bool = true
    /// With groups, the strong-set Gram (the IRLS Hessian) is recomputed only when the linear
    /// predictors moved since it was computed by more than this (weight-averaged RMS; or 10× this
    /// for any group), or when a step worsened the penalised objective; otherwise coordinate
    /// descent uses it with the exact current gradient (a Newton step with a slightly stale
    /// Hessian: the same solution, convergence judged by glmnet's rule).
    public var hessianRefresh: Double = 0.05
    /// With groups and several paths (CV), the fold paths take their Newton steps with the
    /// full-data path's Hessian snapshot instead of computing their own (see `ENSolver.lender`):
    /// the same solutions (the gradient is each fold's own), a fraction of the Gram work.
    public var sharedHessian: Bool = true
    /// With groups, skip the KKT sums of the columns that a bound on their gradient's drift
    /// proves below the thresholds (`KKTScreen`): the same decisions, so the same path.
    public var screenKKT: Bool = true
    public init() {}
}

/// A fitted elastic-net path on the original scale of the columns.
public struct ElasticNetPath: Sendable {
    public let lambdas: [Double]
    public let intercepts: [Double]
    /// coefficients[l][j]: column j (in `data.designColumns` order) at λ_l, original scale.
    public let coefficients: [[Double]]
    /// Fraction of null deviance explained at each λ (glmnet's dev.ratio).
    public let devianceRatio: [Double]
    /// Null deviance 2 Σ w (ℓ_sat − ℓ_null), weights summing to the training rows.
    public let nullDeviance: Double
    /// Design column indices, in coefficient order.
    public let designColumns: [Int]
    public let names: [String]
    /// IRLS passes over the data (each O(nnz of the strong set) or O(nnz) with the KKT check).
    public let passes: Int
    /// The λ at which coordinate descent stopped at its limit (`maxPasses` outer iterations, or
    /// 10,000 sweeps of the strong or active set) before glmnet's convergence rule held: their
    /// coefficients are the last iterate, not a solution. Empty on a converged path.
    public var notConverged: [Double] = []

    /// Columns with a non-zero coefficient at λ index `l`.
    public func nonZero(at l: Int) -> [Int] { (0..<designColumns.count).filter { coefficients[l][$0] != 0 } }
}

/// Elastic-net penalised Poisson regression over a λ path by cyclical coordinate descent
/// (Friedman, Hastie & Tibshirani 2010, J Stat Softw 33(1); glmnet's `fishnet`).
///
/// glmnet conventions: columns standardised with the population SD (weights summing to 1),
/// λ_max = max_j |∇_j| / max(α, 1e-3) at the null model, a geometric path of `lambdaCount` values
/// down to λ_max·lambdaMinRatio, early stop when the deviance ratio gains < 1e-4 over 4 steps or
/// exceeds 0.999, warm starts, sequential strong rules (Tibshirani et al. 2012) with a KKT check
/// on every column after each λ converges. Each outer (IRLS) iteration makes one pass over the
/// rows (or their exact groups, see `StrongGroups`): fitted means, the gradient and the weighted
/// Gram of the strong set; coordinate descent then runs in covariance mode on the strong set
/// (O(|S|) per update). The KKT pass touches every non-zero, O(nnz). Row passes are split across
/// `workers` row blocks. Accuracy: glmnet's threshold (1e-7), so coefficients agree with glmnet to
/// about 1e-4 absolute; with threshold 1e-13 to 1e-6 (golden tests).
/// On CPUs with AVX2 this runs in the Haswell build of this module (see `crossValidatedElasticNet`).
public func elasticNetPath(_ data: ElasticNetData, options: ElasticNetOptions = ElasticNetOptions()) -> ElasticNetPath {
    #if !RISKMODEL_AVX2
    if CPUFeatures.useHaswell { return HaswellBuild.elasticNetPath(data, options: options) }
    #endif
    return elasticNetPathInThisBuild(data, options: options)
}

package func elasticNetPathInThisBuild(_ data: ElasticNetData, options: ElasticNetOptions) -> ElasticNetPath {
    let set = ENPathSet(data: data, options: options, excluded: [-1])
    while !set.paths[0].finished { set.advance([0]) }
    return set.paths[0].result()
}

/// Convenience: builds the row-major data from the design.
public func elasticNetPath(_ design: DesignMatrix, columns: [Int]? = nil, options: ElasticNetOptions = ElasticNetOptions()) -> ElasticNetPath {
    elasticNetPath(ElasticNetData(design, columns: columns), options: options)
}

struct ENPass {
    var sw = 0.0, sr = 0.0, ll = 0.0, maxShift = 0.0, shift2 = 0.0
    var xw: [Double], xr: [Double]
    var gram: [Double]
    init(p: Int, s: Int) { xw = [Double](repeating: 0, count: p); xr = xw; gram = [Double](repeating: 0, count: s * s) }
}

/// Wall-clock seconds per phase of one path (diagnostics; RTM_ENET_PROFILE=1 prints them).
struct ENProfile {
    static let enabled = ProcessInfo.processInfo.environment["RTM_ENET_PROFILE"] != nil
    static let trace = ProcessInfo.processInfo.environment["RTM_ENET_TRACE"] != nil
    var t: [String: Double] = [:]
    var n: [String: Int] = [:]
    @inline(__always) static func now() -> Double { enabled ? Date().timeIntervalSince1970 : 0 }
    @inline(__always) mutating func add(_ k: String, _ t0: Double) {
        guard ENProfile.enabled else { return }
        t[k, default: 0] += ENProfile.now() - t0; n[k, default: 0] += 1
    }
    func report(_ tag: String) {
        guard ENProfile.enabled else { return }
        let s = t.sorted { $0.value > $1.value }.map { String(format: "%@ %.3f s (%d)", $0.key, $0.value, n[$0.key] ?? 0) }.joined(separator: ", ")
        FileHandle.standardError.write("enet profile \(tag): \(s)\n".data(using: .utf8)!)
    }
}

/// Rows a path leaves out (one CV fold): rows of class `excluded` weigh 0, the others
/// 1/n_train. `nil` in place of a HoldOut: every row weighs 1/n.
struct HoldOut: Sendable {
    let classes: [UInt8]
    let excluded: Int
}

/// Per row class (CV fold) sums, one O(nnz) pass shared by every path: each path's column
/// means and SDs, Σq·y per column and its null model come from the classes it keeps.
struct ENClassSums: Sendable {
    let C: Int, p: Int
    var rows: [Double], y: [Double], yLogY: [Double], expOffset: [Double]
    /// Per class c and column j at c·p + j: Σx, Σx², Σx·y.
    var x: [Double], x2: [Double], xy: [Double]

    init(_ d: ElasticNetData, classes: [UInt8]?, classCount: Int) {
        let C = classes == nil ? 1 : classCount, p = d.columnCount, n = d.rowCount, nb = d.binaryCount
        self.C = C; self.p = p
        rows = [Double](repeating: 0, count: C); y = rows; yLogY = rows; expOffset = rows
        x = [Double](repeating: 0, count: C * p); x2 = x; xy = x
        // Binary columns from their words: Σx per class by popcounts (against each class's row
        // mask), Σx·y over the rows with events. Whole numbers: exact in any order.
        let words = (n + 63) / 64
        let classMask: [[UInt64]] = classes.map { cls in
            var m = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: C)
            for i in 0..<n { m[Int(cls[i])][i >> 6] |= 1 << UInt64(i & 63) }
            return m
        } ?? []
        let events = (0..<n).filter { d.y[$0] != 0 }
        let workers = 2
        var parts = [([Double], [Double])](repeating: ([], []), count: workers)
        parts.withUnsafeMutableBufferPointer { pp in
            let base = pp.baseAddress!
            parallelWorkers(workers) { wk in
                var cx = [Double](repeating: 0, count: C * p), cxy = cx
                for j in stride(from: wk, to: nb, by: workers) {
                    d.columnBits[j].withUnsafeBufferPointer { w in
                        if classMask.isEmpty {
                            var ones = 0
                            for b in 0..<words { ones += w[b].nonzeroBitCount }
                            cx[j] = Double(ones)
                        } else {
                            for c in 0..<C {
                                var ones = 0
                                classMask[c].withUnsafeBufferPointer { m in for b in 0..<words { ones += (w[b] & m[b]).nonzeroBitCount } }
                                cx[c * p + j] = Double(ones)
                            }
                        }
                        for i in events where w[i >> 6] & (1 << UInt64(i & 63)) != 0 {
                            cxy[Int(classes?[i] ?? 0) * p + j] += d.y[i]
                        }
                    }
                }
                base[wk] = (cx, cxy)
            }
        }
        for (cx, cxy) in parts { for j in 0..<(C * p) { x[j] += cx[j]; xy[j] += cxy[j] } }
        for c in 0..<C { for j in 0..<nb { x2[c * p + j] = x[c * p + j] } }
        for i in 0..<n {
            let c = Int(classes?[i] ?? 0), yi = d.y[i]
            rows[c] += 1; y[c] += yi
            if yi > 0 { yLogY[c] += yi * Foundation.log(yi) - yi }
            if let off = d.offset { expOffset[c] += Foundation.exp(off[i]) } else { expOffset[c] += 1 }   // (e^0, exactly)
            for (k, v) in d.dense.enumerated() {
                let j = c * p + nb + k, xv = v[i]
                x[j] += xv; x2[j] += xv * xv; xy[j] += xv * yi
            }
        }
    }

    /// Σ over the classes a path keeps (all but `excluded`).
    func kept(_ a: [Double], excluded: Int) -> Double { (0..<C).reduce(0) { $1 == excluded ? $0 : $0 + a[$1] } }
    func keptColumns(_ a: [Double], excluded: Int) -> [Double] {
        var out = [Double](repeating: 0, count: p)
        for c in 0..<C where c != excluded { for j in 0..<p { out[j] += a[c * p + j] } }
        return out
    }
}

/// One elastic-net path, advanced one λ at a time (`beginLambda`, then `nextWant` / `takePass` /
/// `takeKKT` until the λ is solved, then `finishLambda`) so that several paths — the full-data path and the CV folds — can run in
/// lockstep on shared row groups with one KKT pass for all of them (see `ENPathSet`).
final class ENSolver {
    let d: ElasticNetData
    let o: ElasticNetOptions
    let q: [Double]?          // row weights summing to 1 (nil: 1/n), for the row passes
    let excluded: Int         // the held-out class, −1 for none
    let invN: Double          // 1 / training rows
    let p: Int
    var mean: [Double], sd: [Double], usable: [Bool]
    let qyx: [Double]         // Σ_{x_j=1} q·y per column
    var passes = 0
    /// Seconds per phase, filled when RTM_ENET_PROFILE is set (printed to stderr at the end).
    var prof = ENProfile()
    // Exact row groups shared with the other paths of the set (nil: passes over the rows).
    let groups: StrongGroups?
    /// This path's lane in the set's per-group values (`GroupLanes`: its index in the set).
    let lane: Int
    /// Its own Hessian snapshot's linear predictor per group, made at its first Gram
    /// (`refreshGram`): the lender's, or a path's that stopped borrowing.
    var predictor: GroupLanes? = nil
    /// Whether, on the current groups, the set's `means` hold this path's e^η at its last pass,
    /// and `predictor` its snapshot's predictor.
    var meansValid = false, predictorsValid = false
    var screen = KKTScreen()                    // which KKT sums can be skipped (grouped paths)
    var seenGeneration = -1
    // Path state.
    var a0 = 0.0, beta: [Double]
    var strong = [Int](), strongIndex: [Int], strongMask: [UInt64], strongDense = [Int]()
    var active: [UInt64], activeDense = [Int]()
    var snap: ENSnapshot? = nil
    var forceRefresh = false
    /// The path whose Hessian snapshot this one borrows (CV folds: the full-data path), until a
    /// step with it worsens this path's objective; then it keeps its own. A fold's Hessian
    /// differs from the full data's by the sampling of its held-out tenth and by the coefficients
    /// it is taken at — no more than a stale snapshot of its own (`hessianRefresh`) — so the
    /// quasi-Newton steps converge as fast (the London-size ModelBench design: 207 passes against
    /// 197, no fold took its own), and 11 Gram computations become one (7.7 → 1.2 s).
    var lender: ENSolver? = nil
    /// `ps` holds every column's sums (and the set's `means` its means) at the current
    /// coefficients: the last pass plus the KKT sums, with no coordinate descent since (see
    /// `reuseSums`).
    var sumsCurrent = false
    var hGram = [Double](), hXw: [Double], hSw = 0.0, covered = 0
    var ps: ENPass
    var grad: [Double]
    var llNull = 0.0, dev0 = 0.0, shr = 0.0, llSat = 0.0, ybar = 0.0
    var lambdas = [Double](), explicit = false
    var li = 0, prevLambda = 0.0
    var outL = [Double](), outA = [Double](), outB = [[Double]](), outDev = [Double]()
    /// Per solved λ, whether coordinate descent stopped at a limit there (`notConverged`).
    var outLimit = [Bool](), hitLimit = false
    var notConvergedLambdas: [Double] { zip(outL, outLimit).filter(\.1).map(\.0) }
    var finished = false
    // State of the λ being fitted.
    var lam = 0.0, l1 = 0.0, l2 = 0.0
    var needFull = false, iter = 0, lastObj = Double.infinity, resumePass = false, nullStep = false
    var passKind = PassKind.normal
    let tStart = Date().timeIntervalSince1970

    init(data: ElasticNetData, options: ElasticNetOptions, holdOut: HoldOut?, sums: ENClassSums, groups: StrongGroups?,
         lane: Int = 0) {
        d = data; o = options; p = data.columnCount; self.groups = groups
        self.lane = lane
        let e = holdOut?.excluded ?? -1
        excluded = e
        let w = 1 / sums.kept(sums.rows, excluded: e)
        invN = w
        if let h = holdOut, groups == nil {
            q = h.classes.map { Int($0) == e ? 0 : w }
        } else { q = nil }
        let m = sums.keptColumns(sums.x, excluded: e).map { $0 * w }
        let m2 = sums.keptColumns(sums.x2, excluded: e).map { $0 * w }
        mean = m
        let pp = data.columnCount
        sd = (0..<pp).map { max(0, m2[$0] - m[$0] * m[$0]).squareRoot() }
        usable = sd.map { $0 > 1e-12 }
        qyx = sums.keptColumns(sums.xy, excluded: e).map { $0 * w }
        let W = data.wordsPerRow
        beta = [Double](repeating: 0, count: p)
        strongIndex = [Int](repeating: -1, count: p)
        strongMask = [UInt64](repeating: 0, count: W); active = strongMask
        hXw = beta; grad = beta
        screen.driftAt = beta; screen.driftL2At = beta; screen.skipped = [Bool](repeating: false, count: p)
        ps = ENPass(p: p, s: 0)
        // Null model (weights summing to 1).
        ybar = sums.kept(sums.y, excluded: e) * w
        let eoff = sums.kept(sums.expOffset, excluded: e) * w
        llSat = sums.kept(sums.yLogY, excluded: e) * w
        a0 = Foundation.log(ybar / eoff)
    }

    @inline(__always) func qw(_ i: Int) -> Double { q?[i] ?? 1 / Double(d.rowCount) }

    /// One pass over the rows at original-scale (b0, beta): means, working residuals, the
    /// gradient pieces for the strong set (and for all columns when `full`), the strong Gram.
    func pass(b0: Double, beta: [Double], active: [UInt64], activeDense: [Int], strong: [Int], strongIndex: [Int],
              strongMask: [UInt64], strongDense: [Int], full: Bool) -> ENPass {
        let n = d.rowCount, W = d.wordsPerRow, nb = d.binaryCount, ns = strong.count
        let workers = max(1, o.workers)
        var parts = [ENPass](repeating: ENPass(p: p, s: ns), count: workers)
        let nd = d.dense.count
        // Hot loop on raw pointers: no retain/release or bounds checks per row.
        let yP = UnsafeMutablePointer<Double>.allocate(capacity: n); defer { yP.deallocate() }
        d.y.withUnsafeBufferPointer { yP.update(from: $0.baseAddress!, count: n) }
        let offP: UnsafeMutablePointer<Double>? = d.offset.map { o in
            let m = UnsafeMutablePointer<Double>.allocate(capacity: n); o.withUnsafeBufferPointer { m.update(from: $0.baseAddress!, count: n) }; return m
        }
        defer { offP?.deallocate() }
        let uniform = 1 / Double(n)
        parts.withUnsafeMutableBufferPointer { pp in
            let base = pp.baseAddress!
            parallelWorkers(workers) { wk in
                var acc = ENPass(p: p, s: ns)
                let range = rowRange(wk, of: workers, n: n)
                let list = UnsafeMutablePointer<Int>.allocate(capacity: max(ns, 1)); defer { list.deallocate() }
                let vals = UnsafeMutablePointer<Double>.allocate(capacity: max(ns, 1)); defer { vals.deallocate() }
                let betaP = UnsafeMutablePointer<Double>.allocate(capacity: max(p, 1)); defer { betaP.deallocate() }
                for j in 0..<p { betaP[j] = beta[j] }
                let sIdx = UnsafeMutablePointer<Int>.allocate(capacity: max(p, 1)); defer { sIdx.deallocate() }
                for j in 0..<p { sIdx[j] = strongIndex[j] }
                var sw = 0.0, sr = 0.0, ll = 0.0
                d.rowBits.withUnsafeBufferPointer { bitsB in
                  let bits = bitsB.baseAddress!
                  (q ?? []).withUnsafeBufferPointer { qB in
                  acc.xw.withUnsafeMutableBufferPointer { xwB in
                    acc.xr.withUnsafeMutableBufferPointer { xrB in
                      acc.gram.withUnsafeMutableBufferPointer { gB in
                        let xw = xwB.baseAddress!, xr = xrB.baseAddress!, g = gB.baseAddress
                        let qP = q == nil ? nil : qB.baseAddress
                        for i in range {
                            let qi = qP?[i] ?? uniform
                            if qi == 0 { continue }
                            var f = b0 + (offP?[i] ?? 0)
                            let rb = bits + i * W
                            for k in 0..<W {
                                var word = rb[k] & active[k]
                                while word != 0 { f += betaP[k << 6 | word.trailingZeroBitCount]; word &= word &- 1 }
                            }
                            for c in activeDense { f += betaP[nb + c] * d.dense[c][i] }
                            let mu = Foundation.exp(f), yi = yP[i]
                            let w = qi * mu, r = qi * yi - w
                            sw += w; sr += r; ll += qi * (yi * f - mu)
                            // strong columns present in this row
                            var m = 0
                            for k in 0..<W {
                                var word = rb[k] & strongMask[k]
                                while word != 0 {
                                    let j = k << 6 | word.trailingZeroBitCount
                                    list[m] = sIdx[j]
                                    xw[j] += w; xr[j] += r
                                    m += 1
                                    word &= word &- 1
                                }
                            }
                            let mb = m
                            // Binary strong columns: Gram lower triangle gets w per pair.
                            if let g = g {
                                for a in 0..<mb {
                                    let row = g + list[a] * ns
                                    for b in 0...a { row[list[b]] += w }
                                }
                            }
                            if !strongDense.isEmpty, let g = g {
                                for c in strongDense { list[m] = sIdx[nb + c]; vals[m] = d.dense[c][i]; m += 1 }
                                for a in mb..<m {
                                    let x = vals[a], ja = nb + strongDense[a - mb]
                                    xw[ja] += w * x; xr[ja] += r * x
                                    let row = g + list[a] * ns
                                    for b in 0..<mb { row[list[b]] += w * x }
                                    for b in mb...a { row[list[b]] += w * x * vals[b] }
                                }
                            }
                            if full {
                                for k in 0..<W {
                                    var word = rb[k] & ~strongMask[k]
                                    while word != 0 {
                                        let j = k << 6 | word.trailingZeroBitCount
                                        xw[j] += w; xr[j] += r
                                        word &= word &- 1
                                    }
                                }
                                if nd > 0 {
                                    for c in 0..<nd where sIdx[nb + c] < 0 {
                                        let x = d.dense[c][i]; xw[nb + c] += w * x; xr[nb + c] += r * x
                                    }
                                }
                            }
                        }
                      }
                    }
                  }
                  }
                }
                acc.sw = sw; acc.sr = sr; acc.ll = ll
                base[wk] = acc
            }
        }
        var t = parts[0]
        for pt in parts.dropFirst() {
            t.sw += pt.sw; t.sr += pt.sr; t.ll += pt.ll
            for j in 0..<p { t.xw[j] += pt.xw[j]; t.xr[j] += pt.xr[j] }
            for j in 0..<(ns * ns) { t.gram[j] += pt.gram[j] }
        }
        // Rows filled one triangle in list order (either (a,b) or (b,a)); fold to symmetric.
        for a in 0..<ns { for b in 0..<a { let v = t.gram[a * ns + b] + t.gram[b * ns + a]; t.gram[a * ns + b] = v; t.gram[b * ns + a] = v } }
        return t
    }

    /// The null model's pass, the gradient of every column there, λ_max and the λ sequence.
    func start() {
        let n = d.rowCount, alpha = o.alpha, la = max(alpha, 1e-3)
        if groups != nil {
            // The null model needs no pass: every row has μ0 = e^a0 (no offset with groups), so
            // Σq·μ = μ0, Σq(y − μ) = ȳ − μ0, ℓ = ȳ·a0 − μ0 and Σ_{x_j=1} q·μ = μ0·mean_j.
            let mu0 = Foundation.exp(a0)
            ps = ENPass(p: p, s: 0)
            ps.sw = mu0; ps.sr = ybar - mu0; ps.ll = ybar * a0 - mu0
            for j in 0..<p { ps.xw[j] = mu0 * mean[j]; ps.xr[j] = qyx[j] - ps.xw[j] }
        } else { ps = doPass(full: true) }
        llNull = ps.ll
        dev0 = llSat - llNull
        shr = o.threshold * dev0
        grad = (0..<p).map { usable[$0] ? gradient($0) : 0 }
        let lambdaMax = (0..<p).map { abs(grad[$0]) }.max().map { $0 / la } ?? 0
        explicit = o.lambdas != nil
        if let l = o.lambdas { lambdas = l } else {
            let ratio = o.lambdaMinRatio ?? (n > p ? 1e-4 : 0.01)
            let alf = Foundation.pow(ratio, 1 / Double(o.lambdaCount - 1))
            lambdas = (0..<o.lambdaCount).map { lambdaMax * Foundation.pow(alf, Double($0)) }
            if let end = o.endLambda { lambdas = lambdas.filter { $0 > end } + [end] }
        }
        prevLambda = lambdaMax
        if lambdas.isEmpty { finished = true }
    }

    func original() -> (Double, [Double]) {
        var b = [Double](repeating: 0, count: p), c = a0
        for j in 0..<p where beta[j] != 0 { b[j] = beta[j] / sd[j]; c -= b[j] * mean[j] }
        return (c, b)
    }
    func refreshActive() {
        let nb = d.binaryCount
        active = [UInt64](repeating: 0, count: d.wordsPerRow); activeDense = []
        for j in 0..<p where beta[j] != 0 { if j < nb { active[j >> 6] |= 1 << UInt64(j & 63) } else { activeDense.append(j - nb) } }
    }
    func addStrong(_ j: Int) {
        guard strongIndex[j] < 0, usable[j] else { return }
        strongIndex[j] = strong.count; strong.append(j)
        if j < d.binaryCount { strongMask[j >> 6] |= 1 << UInt64(j & 63) } else { strongDense.append(j - d.binaryCount) }
    }
    func gradient(_ j: Int) -> Double { (ps.xr[j] - mean[j] * ps.sr) / sd[j] }

    /// Takes the groups of the latest refinement (`ENPathSet.refine` carried the set's
    /// per-group lanes: `carried` says which still hold valid values).
    func follow(carried: (means: Bool, atKKT: Bool, predictors: Bool)) {
        meansValid = meansValid && carried.means
        screen.atKKTValid = screen.atKKTValid && carried.atKKT
        predictorsValid = predictorsValid && carried.predictors
        seenGeneration = groups!.generation
    }

    /// One IRLS pass over the rows at the current coefficients (`full`: with the gradient of
    /// every column). Paths on groups pass through `ENPathSet.passAll` instead.
    func doPass(full: Bool = false) -> ENPass {
        precondition(groups == nil, "elastic net: grouped paths pass through ENPathSet.passAll")
        passes += 1
        let (c, b) = original()
        return pass(b0: c, beta: b, active: active, activeDense: activeDense, strong: strong, strongIndex: strongIndex,
                    strongMask: strongMask, strongDense: strongDense, full: full)
    }

    /// After a pass over the groups: refreshes the Hessian snapshot's Gram when the linear
    /// predictors moved too far (or a step went wrong), or extends it to new strong columns.
    func finishGroupedPass(_ r: ENPass) -> ENPass {
        guard groups != nil else { return r }
        passes += 1
        if let l = lender {
            if !forceRefresh {
                if l.snap == nil { l.refreshGram() }   // a lender that has not passed yet
                return r
            }
            lender = nil        // the borrowed Hessian made a step worse: keep one's own from now
            prof.add("own Hessian", ENProfile.now())
        }
        let rms = r.sw > 0 ? (r.shift2 / r.sw).squareRoot() : 0
        if snap == nil || rms > o.hessianRefresh || r.maxShift > 10 * o.hessianRefresh || forceRefresh {
            refreshGram()
        } else { extendGram() }
        return r
    }

    /// Moves the Hessian snapshot to the current coefficients: the Gram of the strong set there.
    func refreshGram() {
        let t0 = ENProfile.now()
        forceRefresh = false
        let (c, b) = original()
        snap = ENSnapshot(b0: c, beta: b, active: active)
        (hGram, hXw, hSw) = groupedGram(groups!, snap: snap!, from: 0)
        covered = strong.count
        prof.add("gram refresh", t0)
    }

    /// Extends the Hessian snapshot's Gram to the strong columns added since it was computed.
    func extendGram() {
        guard let gr = groups, let sn = snap, covered < strong.count else { return }
        let t0 = ENProfile.now()
        let ns = strong.count
        let add = groupedGram(gr, snap: sn, from: covered)
        var g = add.gram
        for a in 0..<covered { for bb in 0..<covered { g[a * ns + bb] = hGram[a * covered + bb] } }
        hGram = g
        for si in covered..<ns { hXw[strong[si]] = add.xw[strong[si]] }
        covered = ns
        prof.add("gram extend", t0)
    }

    /// Starts the next λ (sequential strong rule); false when the path has ended.
    func beginLambda() -> Bool {
        if finished || li >= lambdas.count { finished = true; return false }
        lam = lambdas[li]
        let alpha = o.alpha
        l1 = lam * alpha; l2 = lam * (1 - alpha)
        needFull = false; iter = 0; lastObj = .infinity; resumePass = false; hitLimit = false
        // glmnet's first λ is λ_max itself: the null model, by construction.
        nullStep = li == 0 && !explicit
        if !nullStep {
            let tl = alpha * (2 * lam - prevLambda)
            for j in 0..<p where usable[j] && strongIndex[j] < 0 && abs(grad[j]) > tl { addStrong(j) }
        }
        return true
    }

    /// Adds every column that violates the KKT conditions at the current coefficients to the
    /// strong set (`ps` holds the gradient of every column); true when one did.
    func checkKKT() -> Bool {
        // A column skipped by the screen keeps its last gradient, below every threshold.
        for j in 0..<p where usable[j] && !screen.skipped[j] { grad[j] = gradient(j) }
        var violated = false
        for j in 0..<p where usable[j] && strongIndex[j] < 0 && abs(grad[j]) > l1 { addStrong(j); violated = true }
        return violated
    }

    /// What a path needs next within its λ: a pass at its current coefficients (`takePass`), the
    /// KKT sums of its non-strong columns (`takeKKT`, grouped paths), or nothing (solved).
    enum Want { case pass, kkt, done }
    enum PassKind { case normal, repass, resume }

    /// The next step of the λ's IRLS loop (glmnet): a pass, then coordinate descent on the strong
    /// set, until an outer iteration converges; then the KKT check.
    func nextWant() -> Want {
        if nullStep { return .done }
        while true {
            if resumePass {
                resumePass = false; passKind = .resume
                return reuseSums() ? takePass(ps) : .pass
            }
            iter += 1
            if iter > o.maxPasses { hitLimit = true; return .done }
            if iter > 1 || li > 0 || strong.count > 0 {
                passKind = .normal
                return iter == 1 && reuseSums() ? takePass(ps) : .pass
            }
            coordinateDescent()   // first iteration of a first λ with nothing strong: no pass needed
        }
    }

    /// Whether the pass about to be asked for can be skipped (then readies the Gram): on groups,
    /// after the KKT sums (the λ before was solved, or a column violated its conditions) the
    /// coefficients have not moved, so `ps` already holds every column's sums there and the
    /// set's `means` (carried to split groups) its means — what that pass would return, summed
    /// in another order. The Gram of new strong columns is extended here (own Hessian) or was by
    /// `ENPathSet.refine` (the lender's).
    func reuseSums() -> Bool {
        guard groups != nil, sumsCurrent, meansValid, lender != nil || snap != nil else { return false }
        extendGram()
        return true
    }

    /// Whether the pass this path asked for must include every column's gradient (row passes).
    var wantsFullPass: Bool { groups == nil && passKind == .normal && needFull }

    /// Takes the result of the pass asked for by `nextWant` and goes on.
    func takePass(_ r: ENPass) -> Want {
        ps = r
        if passKind == .resume { coordinateDescent(); return nextWant() }
        if groups != nil && passKind == .normal {
            // Safeguard of the stale-Hessian steps: a worse penalised objective → fresh Hessian.
            let alpha = o.alpha
            var pen = 0.0
            for j in strong where beta[j] != 0 { pen += lam * (alpha * abs(beta[j]) + 0.5 * (1 - alpha) * beta[j] * beta[j]) }
            let obj = -ps.ll + pen
            let worse = obj > lastObj + 1e-12 * abs(obj)
            lastObj = obj
            if worse { forceRefresh = true; passKind = .repass; return .pass }
        }
        if needFull {
            if groups != nil { return .kkt }
            if !checkKKT() { return .done }
            needFull = false
            resumePass = true   // Gram for the enlarged strong set
            return nextWant()
        }
        coordinateDescent()
        return nextWant()
    }

    /// Coordinate descent on the quadratic approximation, covariance mode; sets `needFull` when
    /// the outer (IRLS) iteration has converged by glmnet's rule.
    func coordinateDescent() {
        let tcd = ENProfile.now()
        sumsCurrent = false
        let ns = strong.count
        // Hessian pieces: the pass's own (rows), or the snapshot's (groups; borrowed: the
        // lender's, whose strong set holds this one's); gradient: the pass's.
        let h = lender ?? self
        let sw = groups == nil ? ps.sw : h.hSw
        let hx = groups == nil ? ps.xw : h.hXw
        let hg = groups == nil ? ps.gram : h.hGram
        let hn = groups == nil ? ns : h.covered
        let at = lender == nil ? Array(0..<ns) : strong.map { h.strongIndex[$0] }
        precondition(at.allSatisfy { $0 >= 0 && $0 < hn }, "elastic net: a strong column is outside the borrowed Hessian")
        var g = [Double](repeating: 0, count: ns), v = g, cw = g
        for (si, j) in strong.enumerated() {
            g[si] = (ps.xr[j] - mean[j] * ps.sr) / sd[j]
            cw[si] = (hx[j] - mean[j] * sw) / sd[j]
            v[si] = (hg[at[si] * hn + at[si]] - 2 * mean[j] * hx[j] + mean[j] * mean[j] * sw) / (sd[j] * sd[j])
        }
        func cov(_ a: Int, _ b: Int) -> Double {
            let ja = strong[a], jb = strong[b]
            return (hg[at[a] * hn + at[b]] - mean[ja] * hx[jb] - mean[jb] * hx[ja] + mean[ja] * mean[jb] * sw) / (sd[ja] * sd[jb])
        }
        var C = [Double](repeating: 0, count: ns * ns)
        for a in 0..<ns { for b in 0...a { let c = cov(a, b); C[a * ns + b] = c; C[b * ns + a] = c } }
        var g0 = ps.sr
        let start = strong.map { beta[$0] }, a00 = a0
        let l1 = self.l1, l2 = self.l2
        func sweep(_ idx: [Int]) -> Double {
            var dlx = 0.0
            for si in idx {
                let j = strong[si], ak = beta[j]
                let u = g[si] + v[si] * ak
                let au = abs(u) - l1
                let nv = au <= 0 ? 0 : (u < 0 ? -au : au) / (v[si] + l2)
                if nv == ak { continue }
                let dl = nv - ak
                beta[j] = nv
                dlx = max(dlx, v[si] * dl * dl)
                for t in 0..<ns { g[t] -= C[t * ns + si] * dl }
                g0 -= cw[si] * dl
            }
            let d0 = g0 / sw
            a0 += d0
            dlx = max(dlx, sw * d0 * d0)
            for t in 0..<ns { g[t] -= cw[t] * d0 }
            g0 = 0
            return dlx
        }
        var sweeps = 0, swept = false
        while sweeps < 10_000 {
            sweeps += 1
            if sweep(Array(0..<ns)) < shr { swept = true; break }
            let act = (0..<ns).filter { beta[strong[$0]] != 0 }
            var inner = 0, settled = false
            while inner < 10_000 { inner += 1; if sweep(act) < shr { settled = true; break } }
            if !settled { hitLimit = true }
        }
        if !swept { hitLimit = true }
        refreshActive()
        prof.add("cd", tcd)
        // Outer convergence (glmnet): every change small in the metric of the old weights.
        var conv = sw * (a0 - a00) * (a0 - a00) < shr
        if conv { for (si, j) in strong.enumerated() where v[si] * (beta[j] - start[si]) * (beta[j] - start[si]) >= shr { conv = false; break } }
        needFull = conv
    }

    /// Records the solved λ and applies glmnet's early stop.
    func finishLambda() {
        let (c, b) = original()
        outL.append(lam); outA.append(c); outB.append(b); outLimit.append(hitLimit)
        let dr = dev0 > 0 ? (ps.ll - llNull) / dev0 : 0
        outDev.append(dr)
        prevLambda = lam
        if ENProfile.trace {
            FileHandle.standardError.write(String(format: "enet %d λ %d %.4g strong %d active %d groups %d passes %d t %.2f dr %.5f\n", excluded, li, lam, strong.count, beta.filter { $0 != 0 }.count, groups?.count ?? 0, passes, Date().timeIntervalSince1970 - tStart, dr).data(using: .utf8)!)
        }
        // glmnet's early stop (not with a user-supplied λ sequence or end).
        let mnl = min(5, lambdas.count)
        if !explicit && o.endLambda == nil && li + 1 >= mnl {
            if (dr - outDev[li - mnl + 1]) / dr < 1e-4 { finished = true }
            if dr > 0.999 { finished = true }
        }
        li += 1
        if li >= lambdas.count { finished = true }
        if finished {
            prof.report("n=\(d.rowCount) p=\(p) λ=\(outL.count) passes=\(passes) groups=\(groups?.count ?? 0) KKT columns summed \(screen.summedTotal), screened out \(screen.skippedTotal)")
        }
    }

    /// The path so far, on the original scale of the columns.
    func result() -> ElasticNetPath {
        ElasticNetPath(lambdas: outL, intercepts: outA, coefficients: outB, devianceRatio: outDev,
                       nullDeviance: 2 * dev0 / invN, designColumns: d.designColumns,
                       names: d.names, passes: passes, notConverged: notConvergedLambdas)
    }
}
