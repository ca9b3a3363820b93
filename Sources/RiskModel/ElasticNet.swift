import Foundation

/// Options of the elastic-net path (glmnet's defaults).
public struct ElasticNetOptions: Sendable {
    /// Mixing: 1 = lasso, 0 = ridge. Default 0.5 (the RTM peer's choice).
    public var alpha: Double = 0.5
    public var lambdaCount: Int = 100
    /// λ_min / λ_max; nil = 1e-4 when rows > columns, else 0.01 (glmnet).
    public var lambdaMinRatio: Double? = nil
    /// Explicit λ sequence (decreasing); disables the early stop, as in glmnet.
    public var lambdas: [Double]? = nil
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
/// rows: fitted means, the gradient and the weighted Gram of the strong set from the row-major
/// bits (O(Σ nnz_S²)); coordinate descent then runs in covariance mode on the strong set (O(|S|)
/// per update). The KKT pass touches every non-zero, O(nnz). Row passes are split across
/// `workers` row blocks. Accuracy: glmnet's threshold (1e-7), so coefficients agree with glmnet to
/// about 1e-4 absolute; with threshold 1e-13 to 1e-6 (golden tests).
public func elasticNetPath(_ data: ElasticNetData, options: ElasticNetOptions = ElasticNetOptions(),
                           rowWeights: [Double]? = nil) -> ElasticNetPath {
    var s = ENSolver(data: data, options: options, weights: rowWeights)
    return s.run()
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

struct ENSolver {
    let d: ElasticNetData
    let o: ElasticNetOptions
    let q: [Double]?          // row weights summing to 1 (nil: 1/n)
    let p: Int
    var mean: [Double], sd: [Double], usable: [Bool]
    var passes = 0
    /// Seconds per phase, filled when RTM_ENET_PROFILE is set (printed to stderr at the end).
    var prof = ENProfile()

    init(data: ElasticNetData, options: ElasticNetOptions, weights: [Double]?) {
        d = data; o = options; p = data.columnCount
        if let w = weights {
            let t = w.reduce(0, +)
            q = w.map { $0 / t }
        } else { q = nil }
        mean = []; sd = []; usable = []
        (mean, sd) = columnMoments()
        usable = sd.map { $0 > 1e-12 * 1 }
    }

    @inline(__always) func qw(_ i: Int) -> Double { q?[i] ?? 1 / Double(d.rowCount) }

    /// Weighted means and population SDs of the columns, one pass.
    func columnMoments() -> ([Double], [Double]) {
        let n = d.rowCount, W = d.wordsPerRow, nb = d.binaryCount
        var m = [Double](repeating: 0, count: p), m2 = m
        d.rowBits.withUnsafeBufferPointer { bits in
            for i in 0..<n {
                let w = qw(i)
                if w == 0 { continue }
                for k in 0..<W {
                    var word = bits[i * W + k]
                    while word != 0 { let j = k << 6 | word.trailingZeroBitCount; m[j] += w; word &= word &- 1 }
                }
            }
        }
        for j in 0..<nb { m2[j] = m[j] }
        for (c, v) in d.dense.enumerated() {
            var a = 0.0, b = 0.0
            for i in 0..<n { let w = qw(i); a += w * v[i]; b += w * v[i] * v[i] }
            m[nb + c] = a; m2[nb + c] = b
        }
        return (m, (0..<p).map { max(0, m2[$0] - m[$0] * m[$0]).squareRoot() })
    }

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

    mutating func run() -> ElasticNetPath {
        let n = d.rowCount, nb = d.binaryCount, W = d.wordsPerRow
        let alpha = o.alpha, la = max(alpha, 1e-3)
        // Null model and saturated log-likelihood (weights summing to 1).
        var ybar = 0.0, eoff = 0.0, llSat = 0.0
        for i in 0..<n {
            let w = qw(i); if w == 0 { continue }
            let y = d.y[i]
            ybar += w * y; eoff += w * Foundation.exp(d.offset?[i] ?? 0)
            if y > 0 { llSat += w * (y * Foundation.log(y) - y) }
        }
        var a0 = Foundation.log(ybar / eoff)   // standardized-scale intercept
        var beta = [Double](repeating: 0, count: p)   // standardized scale
        var strong = [Int](), strongIndex = [Int](repeating: -1, count: p)
        var strongMask = [UInt64](repeating: 0, count: W), strongDense = [Int]()
        var active = [UInt64](repeating: 0, count: W), activeDense = [Int]()

        func original() -> (Double, [Double]) {
            var b = [Double](repeating: 0, count: p), c = a0
            for j in 0..<p where beta[j] != 0 { b[j] = beta[j] / sd[j]; c -= b[j] * mean[j] }
            return (c, b)
        }
        func refreshActive() {
            active = [UInt64](repeating: 0, count: W); activeDense = []
            for j in 0..<p where beta[j] != 0 { if j < nb { active[j >> 6] |= 1 << UInt64(j & 63) } else { activeDense.append(j - nb) } }
        }
        func addStrong(_ j: Int) {
            guard strongIndex[j] < 0, usable[j] else { return }
            strongIndex[j] = strong.count; strong.append(j)
            if j < nb { strongMask[j >> 6] |= 1 << UInt64(j & 63) } else { strongDense.append(j - nb) }
        }
        // Strong passes on exact groups when every row of a group shares its linear predictor.
        let groups: StrongGroups? = (d.dense.isEmpty && d.offset == nil && o.groupRows) ? StrongGroups(rows: n, wordsPerRow: W) : nil
        let qyx = groups == nil ? [] : weightedColumnY()
        var snap: ENSnapshot? = nil
        var forceRefresh = false, refreshes = 0
        var hGram = [Double](), hXw = [Double](repeating: 0, count: p), hSw = 0.0, covered = 0
        func doPass(full: Bool) -> ENPass {
            passes += 1
            let (c, b) = original()
            if let gr = groups {
                var t0 = ENProfile.now()
                d.rowBits.withUnsafeBufferPointer { bits in
                    d.y.withUnsafeBufferPointer { y in
                        gr.update(strongMask: strongMask, bits: bits.baseAddress!, q: { self.qw($0) }, y: y.baseAddress!)
                    }
                }
                prof.add("groups", t0); t0 = ENProfile.now()
                let r = groupedPass(gr, b0: c, beta: b, active: active, strong: strong, strongIndex: strongIndex,
                                    strongMask: strongMask, full: full, qyx: qyx, snap: snap)
                prof.add(full ? "pass+kkt" : "pass", t0); t0 = ENProfile.now()
                let ns = strong.count
                let rms = r.sw > 0 ? (r.shift2 / r.sw).squareRoot() : 0
                if snap == nil || rms > o.hessianRefresh || r.maxShift > 10 * o.hessianRefresh || forceRefresh {
                    forceRefresh = false
                    refreshes += 1
                    snap = ENSnapshot(b0: c, beta: b, active: active)
                    (hGram, hXw, hSw) = groupedGram(gr, snap: snap!, strong: strong, strongIndex: strongIndex, strongMask: strongMask, from: 0)
                    covered = ns
                } else if covered < ns {
                    let add = groupedGram(gr, snap: snap!, strong: strong, strongIndex: strongIndex, strongMask: strongMask, from: covered)
                    var g = add.gram
                    for a in 0..<covered { for bb in 0..<covered { g[a * ns + bb] = hGram[a * covered + bb] } }
                    hGram = g
                    for si in covered..<ns { hXw[strong[si]] = add.xw[strong[si]] }
                    covered = ns
                }
                prof.add("gram", t0)
                return r
            }
            return pass(b0: c, beta: b, active: active, activeDense: activeDense, strong: strong, strongIndex: strongIndex,
                        strongMask: strongMask, strongDense: strongDense, full: full)
        }
        func gradient(_ ps: ENPass, _ j: Int) -> Double { (ps.xr[j] - mean[j] * ps.sr) / sd[j] }

        var ps = doPass(full: true)
        let llNull = ps.ll
        let dev0 = llSat - llNull
        let shr = o.threshold * dev0
        var grad = (0..<p).map { usable[$0] ? gradient(ps, $0) : 0 }
        let lambdaMax = (0..<p).map { abs(grad[$0]) }.max().map { $0 / la } ?? 0
        var lambdas: [Double]
        let explicit = o.lambdas != nil
        if let l = o.lambdas { lambdas = l } else {
            let ratio = o.lambdaMinRatio ?? (n > p ? 1e-4 : 0.01)
            let alf = Foundation.pow(ratio, 1 / Double(o.lambdaCount - 1))
            lambdas = (0..<o.lambdaCount).map { lambdaMax * Foundation.pow(alf, Double($0)) }
        }
        var outL = [Double](), outA = [Double](), outB = [[Double]](), outDev = [Double]()
        var prevLambda = lambdaMax
        for (li, lam) in lambdas.enumerated() {
            let l1 = lam * alpha, l2 = lam * (1 - alpha)
            // Sequential strong rule.
            let tl = alpha * (2 * lam - prevLambda)
            for j in 0..<p where usable[j] && strongIndex[j] < 0 && abs(grad[j]) > tl { addStrong(j) }
            var needFull = false
            var iter = 0
            var lastObj = Double.infinity
            lambdaLoop: while true {
                iter += 1
                if iter > o.maxPasses { break }
                if iter > 1 || li > 0 {
                    ps = doPass(full: needFull)
                    if groups != nil {
                        // Safeguard of the stale-Hessian steps: a worse penalised objective → fresh Hessian.
                        var pen = 0.0
                        for j in strong where beta[j] != 0 { pen += lam * (alpha * abs(beta[j]) + 0.5 * (1 - alpha) * beta[j] * beta[j]) }
                        let obj = -ps.ll + pen
                        if obj > lastObj + 1e-12 * abs(obj) { forceRefresh = true; ps = doPass(full: needFull) }
                        lastObj = obj
                    }
                } else if strong.count > 0 { ps = doPass(full: true) }
                if needFull {
                    for j in 0..<p where usable[j] { grad[j] = gradient(ps, j) }
                    var violated = false
                    for j in 0..<p where usable[j] && strongIndex[j] < 0 && abs(grad[j]) > l1 { addStrong(j); violated = true }
                    if !violated { break lambdaLoop }
                    needFull = false
                    ps = doPass(full: false)   // Gram for the enlarged strong set
                }
                // Coordinate descent on the quadratic approximation, covariance mode.
                let tcd = ENProfile.now()
                let ns = strong.count
                // Hessian pieces: the pass's own (rows) or the snapshot's (groups); gradient: the pass's.
                let sw = groups == nil ? ps.sw : hSw
                let hx = groups == nil ? ps.xw : hXw
                let hg = groups == nil ? ps.gram : hGram
                var g = [Double](repeating: 0, count: ns), v = g, cw = g
                for (si, j) in strong.enumerated() {
                    g[si] = (ps.xr[j] - mean[j] * ps.sr) / sd[j]
                    cw[si] = (hx[j] - mean[j] * sw) / sd[j]
                    v[si] = (hg[si * ns + si] - 2 * mean[j] * hx[j] + mean[j] * mean[j] * sw) / (sd[j] * sd[j])
                }
                func cov(_ a: Int, _ b: Int) -> Double {
                    let ja = strong[a], jb = strong[b]
                    return (hg[a * ns + b] - mean[ja] * hx[jb] - mean[jb] * hx[ja] + mean[ja] * mean[jb] * sw) / (sd[ja] * sd[jb])
                }
                var C = [Double](repeating: 0, count: ns * ns)
                for a in 0..<ns { for b in 0...a { let c = cov(a, b); C[a * ns + b] = c; C[b * ns + a] = c } }
                var g0 = ps.sr
                let start = strong.map { beta[$0] }, a00 = a0
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
                var sweeps = 0
                while sweeps < 10_000 {
                    sweeps += 1
                    if sweep(Array(0..<ns)) < shr { break }
                    let act = (0..<ns).filter { beta[strong[$0]] != 0 }
                    var inner = 0
                    while inner < 10_000 { inner += 1; if sweep(act) < shr { break } }
                }
                refreshActive()
                prof.add("cd", tcd)
                // Outer convergence (glmnet): every change small in the metric of the old weights.
                var conv = sw * (a0 - a00) * (a0 - a00) < shr
                if conv { for (si, j) in strong.enumerated() where v[si] * (beta[j] - start[si]) * (beta[j] - start[si]) >= shr { conv = false; break } }
                needFull = conv
            }
            let (c, b) = original()
            outL.append(lam); outA.append(c); outB.append(b)
            let dr = dev0 > 0 ? (ps.ll - llNull) / dev0 : 0
            outDev.append(dr)
            prevLambda = lam
            // glmnet's early stop (not with a user-supplied λ sequence).
            let mnl = min(5, lambdas.count)
            if !explicit && li + 1 >= mnl {
                if (dr - outDev[li - mnl + 1]) / dr < 1e-4 { break }
                if dr > 0.999 { break }
            }
        }
        prof.report("n=\(n) p=\(p) λ=\(outL.count) passes=\(passes) groups=\(groups?.count ?? 0)")
        return ElasticNetPath(lambdas: outL, intercepts: outA, coefficients: outB, devianceRatio: outDev,
                              nullDeviance: 2 * dev0 * (q == nil ? Double(n) : 1), designColumns: d.designColumns,
                              names: d.names, passes: passes)
    }
}
