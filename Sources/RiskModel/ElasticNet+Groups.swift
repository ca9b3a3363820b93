import Foundation

/// Exact grouping of rows by their pattern on the strong set, for the elastic net's strong
/// passes. Without offsets and continuous columns, every row of a group has the same linear
/// predictor (the active set ⊆ the strong set), so the IRLS weights, the gradient and the Gram of
/// the strong set are sums over groups weighted by Σq and Σq·y. The strong set only grows along
/// a path, so groups are refined one new column at a time (id' = compact(2·id + bit), O(n)).
/// The KKT pass still visits every row, but only adds the row's group mean to its non-strong
/// columns: Σ_{x_j=1} q(y − μ) = Σ_{x_j=1} q·y (fixed, from the event rows) − Σ_{x_j=1} q·μ.
final class StrongGroups {
    let n: Int, W: Int
    var ids: [Int32]
    var count = 1
    var rep: [Int32] = [0]
    var qsum: [Double] = [], qy: [Double] = []
    var mask: [UInt64]
    /// A value per group carried through refinement (each new group inherits its parent's):
    /// the linear predictor at the Hessian snapshot. Exact for the children too: columns join
    /// the strong set with a zero coefficient, so the snapshot's active columns are within the
    /// columns the parent group was already split by.
    var carried: [Double] = []

    init(rows n: Int, wordsPerRow W: Int) {
        self.n = n; self.W = W
        ids = [Int32](repeating: 0, count: n)
        mask = [UInt64](repeating: 0, count: W)
    }

    /// Refines the groups by every column of `strongMask` not yet in them, then recomputes the
    /// group sums. New columns are taken several at a time (id' = compact(id·2^c + bits), one
    /// O(n) pass per batch, as many columns as keep the remap table ≤ max(2·groups, 2^22)), and
    /// the sums ride on the last batch's pass.
    func update(strongMask: [UInt64], bits: UnsafePointer<UInt64>, q: (Int) -> Double, y: UnsafePointer<Double>) {
        var newCols = [(Int, Int)]()
        for k in 0..<W {
            var new = strongMask[k] & ~mask[k]
            while new != 0 { newCols.append((k, new.trailingZeroBitCount)); new &= new &- 1 }
            mask[k] = strongMask[k]
        }
        guard qsum.isEmpty || !newCols.isEmpty else { return }
        var at = 0
        repeat {
            var c = 0
            let limit = max(2 * count, 1 << 22)
            while at + c < newCols.count && c < 24 && (count << (c + 1)) <= limit { c += 1 }
            if newCols.isEmpty { c = 0 } else { c = max(c, 1) }
            let batch = Array(newCols[at..<(at + c)])
            at += c
            refine(batch, bits: bits, sums: at >= newCols.count, q: q, y: y)
        } while at < newCols.count
    }

    /// One pass: splits every group by the bits of `cols` (c ≤ 24 columns); with `sums`, also
    /// the group representatives and Σq, Σq·y.
    private func refine(_ cols: [(Int, Int)], bits: UnsafePointer<UInt64>, sums: Bool, q: (Int) -> Double, y: UnsafePointer<Double>) {
        let c = cols.count
        let size = count << c
        var remap = [Int32](repeating: -1, count: size)
        let cap = min(n, size)
        var qs = [Double](repeating: 0, count: sums ? cap : 0), qyy = qs
        var rp = [Int32](repeating: -1, count: sums ? cap : 0)
        var next: Int32 = 0
        let ck = cols.map { $0.0 }, cb = cols.map { UInt64($0.1) }
        let carry = !carried.isEmpty && c > 0
        var newCarried = [Double](repeating: 0, count: carry ? cap : 0)
        newCarried.withUnsafeMutableBufferPointer { ncP in carried.withUnsafeBufferPointer { ocP in
        ids.withUnsafeMutableBufferPointer { id in
        remap.withUnsafeMutableBufferPointer { rm in
        qs.withUnsafeMutableBufferPointer { qsP in qyy.withUnsafeMutableBufferPointer { qyP in rp.withUnsafeMutableBufferPointer { rpP in
        ck.withUnsafeBufferPointer { ckP in cb.withUnsafeBufferPointer { cbP in
            for i in 0..<n {
                let rb = bits + i * W
                var key = Int(id[i]) << c
                for t in 0..<c { key |= Int((rb[ckP[t]] >> cbP[t]) & 1) << t }
                var v = rm[key]
                if v < 0 { v = next; rm[key] = v; next += 1; if carry { ncP[Int(v)] = ocP[Int(id[i])] } }
                id[i] = v
                if sums {
                    let g = Int(v)
                    if rpP[g] < 0 { rpP[g] = Int32(i) }
                    let qi = q(i)
                    qsP[g] += qi; qyP[g] += qi * y[i]
                }
            }
        } } } } } } } } }
        count = Int(next)
        if carry { newCarried.removeLast(cap - count); carried = newCarried }
        if sums {
            qs.removeLast(cap - count); qyy.removeLast(cap - count); rp.removeLast(cap - count)
            qsum = qs; qy = qyy; rep = rp
        }
    }
}

/// Coefficients (original scale) at which the strong-set Gram was last computed.
struct ENSnapshot {
    var b0: Double
    var beta: [Double]
    var active: [UInt64]
}

extension ENSolver {
    /// The strong/KKT pass on groups (see `StrongGroups`); same result as `pass` up to rounding.
    /// The Gram of the strong set is not accumulated here (see `groupedGram`); `snap` gives the
    /// coefficients the current Gram was computed at, and `maxShift` of the result is the largest
    /// change of a group's linear predictor since then.
    func groupedPass(_ gr: StrongGroups, b0: Double, beta: [Double], active: [UInt64], strong: [Int], strongIndex: [Int],
                     strongMask: [UInt64], full: Bool, qyx: [Double], snap: ENSnapshot?) -> ENPass {
        let W = d.wordsPerRow, ns = strong.count, G = gr.count, n = d.rowCount
        let workers = max(1, o.workers)
        var mu = [Double](repeating: 0, count: G)
        var parts = [ENPass](repeating: ENPass(p: p, s: 0), count: workers)
        let sb0 = snap?.b0 ?? b0, sbeta = snap?.beta ?? beta, sact = snap?.active ?? active
        // The snapshot's linear predictor per group, kept by `groupedGram` (nil: compute it).
        let useCarried = snap != nil && gr.carried.count == G
        gr.carried.withUnsafeBufferPointer { carriedB in
        let fsP = useCarried ? carriedB.baseAddress : nil
        d.rowBits.withUnsafeBufferPointer { bitsB in
            let bits = bitsB.baseAddress!
            mu.withUnsafeMutableBufferPointer { muB in
                let muP = muB.baseAddress!
                parts.withUnsafeMutableBufferPointer { pp in
                    let base = pp.baseAddress!
                    parallelWorkers(workers) { wk in
                        var acc = ENPass(p: p, s: 0)
                        let lo = G * wk / workers, hi = G * (wk + 1) / workers
                        var sw = 0.0, sr = 0.0, ll = 0.0, shift = 0.0, wshift = 0.0
                        gr.rep.withUnsafeBufferPointer { rep in gr.qsum.withUnsafeBufferPointer { qs in gr.qy.withUnsafeBufferPointer { qyB in
                        beta.withUnsafeBufferPointer { bt in strongIndex.withUnsafeBufferPointer { sIdx in
                        acc.xw.withUnsafeMutableBufferPointer { xw in acc.xr.withUnsafeMutableBufferPointer { xr in
                        acc.gram.withUnsafeMutableBufferPointer { gB in
                            for g in lo..<hi {
                                let rb = bits + Int(rep[g]) * W
                                var f = b0
                                for k in 0..<W {
                                    var word = rb[k] & active[k]
                                    while word != 0 { f += bt[k << 6 | word.trailingZeroBitCount]; word &= word &- 1 }
                                }
                                let m = Foundation.exp(f)
                                muP[g] = m
                                let w = qs[g] * m, r = qyB[g] - w
                                if qs[g] == 0 { continue }
                                sw += w; sr += r; ll += qyB[g] * f - w
                                var fs = sb0
                                if let fsP = fsP { fs = fsP[g] } else {
                                    for k in 0..<W {
                                        var word = rb[k] & sact[k]
                                        while word != 0 { fs += sbeta[k << 6 | word.trailingZeroBitCount]; word &= word &- 1 }
                                    }
                                }
                                shift = max(shift, abs(f - fs)); wshift += w * (f - fs) * (f - fs)
                                for k in 0..<W {
                                    var word = rb[k] & strongMask[k]
                                    while word != 0 {
                                        let j = k << 6 | word.trailingZeroBitCount
                                        xw[j] += w; xr[j] += r
                                        word &= word &- 1
                                    }
                                }
                            }
                        } } } } } } } }
                        acc.sw = sw; acc.sr = sr; acc.ll = ll; acc.maxShift = shift; acc.shift2 = wshift
                        base[wk] = acc
                    }
                }
                if full {
                    let s = kktRows(gr, mu: muP, strongMask: strongMask)
                    for j in 0..<p where strongIndex[j] < 0 {
                        parts[0].xw[j] += s[j]
                        parts[0].xr[j] += qyx[j] - s[j]
                    }
                }
            }
        }
        }
        var t = parts[0]
        for pt in parts.dropFirst() {
            t.sw += pt.sw; t.sr += pt.sr; t.ll += pt.ll; t.maxShift = max(t.maxShift, pt.maxShift); t.shift2 += pt.shift2
            for j in 0..<p where strongIndex[j] >= 0 { t.xw[j] += pt.xw[j]; t.xr[j] += pt.xr[j] }
        }
        _ = ns
        return t
    }

    /// Σ_{x_j=1} q·μ over the rows for every column outside `strongMask` (μ per group), one
    /// gather per row, row blocks on the workers. O(n·W + nnz outside the strong set).
    func kktRows(_ gr: StrongGroups, mu muP: UnsafePointer<Double>, strongMask: [UInt64]) -> [Double] {
        let W = d.wordsPerRow, n = d.rowCount
        let workers = max(1, o.workers)
        var extra = [[Double]](repeating: [Double](repeating: 0, count: p), count: workers)
        d.rowBits.withUnsafeBufferPointer { bitsB in
            let bits = bitsB.baseAddress!
            extra.withUnsafeMutableBufferPointer { eb in
                let e = eb.baseAddress!
                parallelWorkers(workers) { wk in
                    var xw = [Double](repeating: 0, count: p)
                    let range = rowRange(wk, of: workers, n: n)
                    let inv = 1 / Double(n)
                    gr.ids.withUnsafeBufferPointer { ids in xw.withUnsafeMutableBufferPointer { x in
                        let qP = q
                        for i in range {
                            let qi = qP?[i] ?? inv
                            if qi == 0 { continue }
                            let v = qi * muP[Int(ids[i])]
                            let rb = bits + i * W
                            for k in 0..<W {
                                var word = rb[k] & ~strongMask[k]
                                while word != 0 { x[k << 6 | word.trailingZeroBitCount] += v; word &= word &- 1 }
                            }
                        }
                    } }
                    e[wk] = xw
                }
            }
        }
        var out = extra[0]
        for wk in 1..<workers { for j in 0..<p { out[j] += extra[wk][j] } }
        return out
    }

    /// Weighted Gram of the strong set on the groups, with the IRLS weights at the snapshot
    /// coefficients: entries of pairs involving a strong index ≥ `from` (all when 0), plus
    /// Σ_{x_j=1} w for those columns and Σ w. O(Σ_groups nnz_S · nnz_new).
    func groupedGram(_ gr: StrongGroups, snap: ENSnapshot, strong: [Int], strongIndex: [Int], strongMask: [UInt64], from: Int)
        -> (gram: [Double], xw: [Double], sw: Double) {
        let W = d.wordsPerRow, ns = strong.count, G = gr.count
        let workers = max(1, o.workers)
        var parts = [([Double], [Double], Double)](repeating: ([], [], 0), count: workers)
        // A full recompute moves the snapshot: keep its linear predictor per group.
        var fsOut = [Double](repeating: 0, count: from == 0 ? G : 0)
        fsOut.withUnsafeMutableBufferPointer { fsB in
        let fsW = from == 0 ? fsB.baseAddress : nil
        d.rowBits.withUnsafeBufferPointer { bitsB in
            let bits = bitsB.baseAddress!
            parts.withUnsafeMutableBufferPointer { pp in
                let base = pp.baseAddress!
                parallelWorkers(workers) { wk in
                    var gm = [Double](repeating: 0, count: ns * ns), xw = [Double](repeating: 0, count: p), sw = 0.0
                    let lo = G * wk / workers, hi = G * (wk + 1) / workers
                    let list = UnsafeMutablePointer<Int>.allocate(capacity: max(ns, 1)); defer { list.deallocate() }
                    gm.withUnsafeMutableBufferPointer { gB in
                        let gp = gB.baseAddress!
                        for g in lo..<hi {
                            let qs = gr.qsum[g]
                            if qs == 0 { continue }
                            let rb = bits + Int(gr.rep[g]) * W
                            var fs = snap.b0
                            for k in 0..<W {
                                var word = rb[k] & snap.active[k]
                                while word != 0 { fs += snap.beta[k << 6 | word.trailingZeroBitCount]; word &= word &- 1 }
                            }
                            fsW?[g] = fs
                            let w = qs * Foundation.exp(fs)
                            sw += w
                            var c = 0, newest = -1
                            for k in 0..<W {
                                var word = rb[k] & strongMask[k]
                                while word != 0 {
                                    let j = k << 6 | word.trailingZeroBitCount
                                    let si = strongIndex[j]
                                    list[c] = si; c += 1
                                    if si >= from { xw[j] += w; newest = max(newest, si) }
                                    word &= word &- 1
                                }
                            }
                            if newest < 0 { continue }
                            if from == 0 {
                                for a in 0..<c { let row = gp + list[a] * ns; for b in 0...a { row[list[b]] += w } }
                            } else {
                                // Only pairs with a new column: O(nnz_S · nnz_new) per group.
                                for a in 0..<c where list[a] >= from {
                                    let row = gp + list[a] * ns
                                    for b in 0..<c where b <= a || list[b] < from { row[list[b]] += w }
                                }
                            }
                        }
                    }
                    base[wk] = (gm, xw, sw)
                }
            }
        }
        }
        if from == 0 { gr.carried = fsOut }
        var gm = parts[0].0, xw = parts[0].1, sw = parts[0].2
        for pt in parts.dropFirst() {
            for j in 0..<(ns * ns) { gm[j] += pt.0[j] }
            for j in 0..<p { xw[j] += pt.1[j] }
            sw += pt.2
        }
        for a in 0..<ns { for b in 0..<a { let v = gm[a * ns + b] + gm[b * ns + a]; gm[a * ns + b] = v; gm[b * ns + a] = v } }
        return (gm, xw, sw)
    }

    /// Σ_{x_j=1} q·y for every column, from the rows with y > 0.
    func weightedColumnY() -> [Double] {
        let W = d.wordsPerRow
        var out = [Double](repeating: 0, count: p)
        for i in 0..<d.rowCount where d.y[i] > 0 {
            let v = qw(i) * d.y[i]
            if v == 0 { continue }
            for k in 0..<W {
                var word = d.rowBits[i * W + k]
                while word != 0 { out[k << 6 | word.trailingZeroBitCount] += v; word &= word &- 1 }
            }
        }
        return out
    }
}
