import Foundation

/// Several elastic-net paths on the same data — the full-data path and the CV folds — advanced
/// together one λ at a time (`advance`).
///
/// With exact row groups (binary columns, no offset) the paths share one `StrongGroups`,
/// refined by the union of their strong sets, and one pass over the rows per KKT round gives
/// every waiting path its sums at once (`kkt`): each set bit of a row is visited once and adds a
/// vector of the paths' q·μ, instead of one pass per path. Without groups each path passes over
/// the rows on its own and checks its KKT conditions inside its own row pass.
final class ENPathSet {
    let d: ElasticNetData
    let groups: StrongGroups?
    let paths: [ENSolver]
    let sums: ENClassSums

    /// - Parameters:
    ///   - classes: row class (CV fold) per row, `classCount` classes; nil = one class.
    ///   - excluded: one path per entry, leaving out that class (−1: none).
    init(data: ElasticNetData, options: ElasticNetOptions, classes: [UInt8]? = nil, classCount: Int = 1, excluded: [Int]) {
        d = data
        let grouped = data.dense.isEmpty && data.offset == nil && options.groupRows
        let gr = grouped ? StrongGroups(rows: data.rowCount, wordsPerRow: data.wordsPerRow, classes: classes, classCount: classCount) : nil
        groups = gr
        let cs = ENClassSums(data, classes: classes, classCount: classCount)
        sums = cs
        paths = excluded.map { e in
            ENSolver(data: data, options: options, holdOut: e >= 0 ? classes.map { HoldOut(classes: $0, excluded: e) } : nil,
                     sums: cs, groups: gr)
        }
        refine()
        for s in paths { s.start() }
    }

    /// Refines the shared groups by the union of the paths' strong sets and hands every path
    /// the new groups.
    func refine() {
        guard let gr = groups else { return }
        var union = [UInt64](repeating: 0, count: d.wordsPerRow)
        for s in paths { for k in 0..<union.count { union[k] |= s.strongMask[k] } }
        let t0 = ENProfile.now()
        let changed = d.rowBits.withUnsafeBufferPointer { bits in
            d.y.withUnsafeBufferPointer { y in gr.update(strongMask: union, bits: bits.baseAddress!, y: y.baseAddress!) }
        }
        paths[0].prof.add("groups", t0)
        if changed { for s in paths { s.syncGroups() } }
    }

    /// Prints the phase times of all paths together (RTM_ENET_PROFILE=1).
    func reportProfile() {
        guard ENProfile.enabled else { return }
        var all = ENProfile()
        for s in paths { for (k, t) in s.prof.t { all.t[k, default: 0] += t; all.n[k, default: 0] += s.prof.n[k] ?? 0 } }
        all.report("\(paths.count) paths, λ=\(paths[0].outL.count), groups=\(groups?.count ?? 0)")
    }

    /// Fits the next λ of each path in `which` (paths that have ended are skipped).
    func advance(_ which: [Int]) {
        let live = which.map { paths[$0] }.filter { $0.beginLambda() }
        refine()
        var pending = live
        while !pending.isEmpty {
            let waiting = pending.filter { $0.solve() }
            if waiting.isEmpty { break }
            let t0 = ENProfile.now()
            let s = kkt(waiting)
            paths[0].prof.add("kkt", t0)
            pending = zip(waiting, s).filter { $0.0.takeKKT($0.1) }.map { $0.0 }
            if !pending.isEmpty { refine() }
        }
        for s in live { s.finishLambda() }
    }

    /// Σ_{x_j=1} q·μ for every column outside the strong sets, for each path of `ps` at its last
    /// pass (μ per group), in one pass over the rows: row i adds, for each of its set bits, the
    /// vector (q_t(i)·μ_t(g(i)))_t of the paths (q_t(i) = 0 on the path's held-out class,
    /// 1/n_train otherwise) — SIMD4 lanes, row blocks on the workers. O(n·P + nnz·⌈P/4⌉).
    func kkt(_ ps: [ENSolver]) -> [[Double]] {
        let gr = groups!
        let P = ps.count, P4 = (P + 3) / 4, G = gr.count, n = d.rowCount, W = d.wordsPerRow, p = d.columnCount
        let C = gr.classCount
        var common = [UInt64](repeating: ~0, count: W)
        for s in ps { for k in 0..<W { common[k] &= s.strongMask[k] } }
        var muT = [SIMD4<Double>](repeating: .zero, count: G * P4)
        for (t, s) in ps.enumerated() {
            precondition(s.mu.count == G, "elastic net: a path's means are not on the current groups")
            for g in 0..<G { muT[g * P4 + t / 4][t % 4] = s.mu[g] }
        }
        var wt = [SIMD4<Double>](repeating: .zero, count: C * P4)
        for c in 0..<C { for (t, s) in ps.enumerated() { wt[c * P4 + t / 4][t % 4] = c == s.excluded ? 0 : s.invN } }
        let workers = max(1, ps[0].o.workers)
        var parts = [[SIMD4<Double>]](repeating: [], count: workers)
        parts.withUnsafeMutableBufferPointer { pp in
            let base = pp.baseAddress!
            parallelWorkers(workers) { wk in
                var acc = [SIMD4<Double>](repeating: .zero, count: p * P4)
                let v = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: P4); defer { v.deallocate() }
                d.rowBits.withUnsafeBufferPointer { bitsB in gr.ids.withUnsafeBufferPointer { ids in
                muT.withUnsafeBufferPointer { mt in wt.withUnsafeBufferPointer { wB in acc.withUnsafeMutableBufferPointer { aB in
                    let bits = bitsB.baseAddress!, a = aB.baseAddress!
                    let cls = gr.classes
                    for i in rowRange(wk, of: workers, n: n) {
                        let m = mt.baseAddress! + Int(ids[i]) * P4
                        let w = wB.baseAddress! + Int(cls?[i] ?? 0) * P4
                        for b in 0..<P4 { v[b] = m[b] * w[b] }
                        let rb = bits + i * W
                        for k in 0..<W {
                            var word = rb[k] & ~common[k]
                            while word != 0 {
                                let at = a + (k << 6 | word.trailingZeroBitCount) * P4
                                for b in 0..<P4 { at[b] += v[b] }
                                word &= word &- 1
                            }
                        }
                    }
                } } } } }
                base[wk] = acc
            }
        }
        return (0..<P).map { t in
            (0..<p).map { j in parts.reduce(0) { $0 + $1[j * P4 + t / 4][t % 4] } }
        }
    }

    /// Σ over the rows of class `fold` of the Poisson deviance 2(y log(y/μ) − (y − μ)), for each
    /// fold at its path's coefficients interpolated at `lambda` (`ENSolver.coefficients(at:)`).
    /// On groups: 2(Σ y log y − y) + 2 Σ_g (n_g e^η_g − Y_g η_g) with the fold's rows n_g and Σy
    /// Y_g per group — exact (every fold's coefficients are within the groups' columns).
    func heldOutDeviance(folds: [Int], at lambda: Double, testRows: [[Int]]?) -> [Double] {
        let coef = folds.map { paths[$0 + 1].coefficients(at: lambda) }
        guard let gr = groups else {
            return folds.enumerated().map { t, f in
                let path = ElasticNetPath(lambdas: [lambda], intercepts: [coef[t].0], coefficients: [coef[t].1], devianceRatio: [.nan],
                                          nullDeviance: .nan, designColumns: d.designColumns, names: d.names, passes: 0)
                return RiskModel.heldOutDeviance(d, path: path, rows: testRows![f])[0]
            }
        }
        let G = gr.count, W = d.wordsPerRow, C = gr.classCount
        var out = [Double](repeating: 0, count: folds.count)
        out.withUnsafeMutableBufferPointer { oB in
            let o = oB.baseAddress!
            parallelWorkers(min(2, folds.count)) { wk in
                for t in stride(from: wk, to: folds.count, by: 2) {
                    let f = folds[t], (a, b) = coef[t]
                    var nz = [UInt64](repeating: 0, count: W)
                    for j in 0..<b.count where b[j] != 0 {
                        precondition(gr.mask[j >> 6] & (1 << UInt64(j & 63)) != 0, "elastic net: a fold's coefficient is outside the groups")
                        nz[j >> 6] |= 1 << UInt64(j & 63)
                    }
                    var s = 0.0
                    d.rowBits.withUnsafeBufferPointer { bits in gr.rep.withUnsafeBufferPointer { rep in
                    gr.classRows.withUnsafeBufferPointer { cr in gr.classY.withUnsafeBufferPointer { cy in
                        for g in 0..<G {
                            let rows = cr[g * C + f]
                            if rows == 0 { continue }
                            let rb = bits.baseAddress! + Int(rep[g]) * W
                            var eta = a
                            for k in 0..<W {
                                var word = rb[k] & nz[k]
                                while word != 0 { eta += b[k << 6 | word.trailingZeroBitCount]; word &= word &- 1 }
                            }
                            s += rows * Foundation.exp(eta) - cy[g * C + f] * eta
                        }
                    } } } }
                    o[t] = 2 * (sums.yLogY[f] + s)
                }
            }
        }
        return out
    }
}
