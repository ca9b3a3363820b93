import Foundation

/// Exact grouping of rows by their pattern on the strong set, for the elastic net's strong
/// passes. Without offsets and continuous columns, every row of a group has the same linear
/// predictor (the active set ⊆ the strong set), so the IRLS weights, the gradient and the Gram of
/// the strong set are sums over groups weighted by Σq and Σq·y. The strong set only grows along
/// a path, so groups are refined by the new columns (id' = compact(id·2^c + bits), O(n)).
/// The KKT pass still visits every row, but only adds the row's group mean to its non-strong
/// columns: Σ_{x_j=1} q(y − μ) = Σ_{x_j=1} q·y (fixed, from the event rows) − Σ_{x_j=1} q·μ.
///
/// One set of groups serves several paths at once (the full-data path and the CV folds, run in
/// lockstep): it is refined by the union of their strong sets — a finer partition than a path
/// needs is still exact for it — and keeps, per group and per row class (the CV fold), the row
/// count and Σy, from which each path takes its own Σq and Σq·y (the rows of the other classes,
/// each weighted 1/n_train). `lineage` maps each group to its group before the last update, so
/// a path can carry per-group values (its Hessian snapshot's linear predictor) across it.
final class StrongGroups {
    let n: Int, W: Int
    var ids: [Int32]
    var count = 1
    /// The pattern (row bits) shared by each group's rows, `W` words per group, contiguous so
    /// that passes over the groups stream instead of gathering a representative row each.
    var patterns: [UInt64]
    /// Row class (CV fold) per row, `classCount` classes; nil = one class.
    let classes: [UInt8]?
    let classCount: Int
    /// Per group g and class c at `g * classCount + c`: rows, and Σy over them.
    var classRows: [Double] = [], classY: [Double] = []
    /// Per group: rows and Σy over all classes.
    var totalRows: [Double] = [], totalY: [Double] = []
    var mask: [UInt64]
    /// Bumped by every update that refined the groups; `lineage[g]` = g's group before it.
    var generation = 0
    var lineage: [Int32] = []

    init(rows n: Int, wordsPerRow W: Int, classes: [UInt8]? = nil, classCount: Int = 1) {
        self.n = n; self.W = W
        self.classes = classes; self.classCount = classes == nil ? 1 : classCount
        ids = [Int32](repeating: 0, count: n)
        mask = [UInt64](repeating: 0, count: W)
        patterns = [UInt64](repeating: 0, count: W)
    }

    /// Refines the groups by every column of `strongMask` not yet in them, then recomputes the
    /// group sums. New columns are taken several at a time (one O(n) pass per batch, as many
    /// columns as keep the remap table ≤ max(2·groups, 2^22)), and the sums ride on the last
    /// batch's pass. Returns whether the groups changed.
    @discardableResult
    func update(strongMask: [UInt64], bits: UnsafePointer<UInt64>, y: UnsafePointer<Double>) -> Bool {
        var newCols = [(Int, Int)]()
        for k in 0..<W {
            var new = strongMask[k] & ~mask[k]
            while new != 0 { newCols.append((k, new.trailingZeroBitCount)); new &= new &- 1 }
            mask[k] |= strongMask[k]
        }
        guard classRows.isEmpty || !newCols.isEmpty else { return false }
        let before = count
        var lin: [Int32]? = nil
        var at = 0
        repeat {
            var c = 0
            let limit = max(2 * count, 1 << 22)
            while at + c < newCols.count && c < 24 && (count << (c + 1)) <= limit { c += 1 }
            if newCols.isEmpty { c = 0 } else { c = max(c, 1) }
            let batch = Array(newCols[at..<(at + c)])
            at += c
            let parent = refine(batch, bits: bits, sums: at >= newCols.count, y: y)
            lin = lin.map { l in parent.map { l[Int($0)] } } ?? parent
        } while at < newCols.count
        if !newCols.isEmpty || before != count {
            lineage = lin ?? []
            generation += 1
        }
        return true
    }

    /// One pass: splits every group by the bits of `cols` (c ≤ 24 columns); with `sums`, also
    /// the group representatives and the per-class rows and Σy. Returns each new group's parent.
    private func refine(_ cols: [(Int, Int)], bits: UnsafePointer<UInt64>, sums: Bool, y: UnsafePointer<Double>) -> [Int32] {
        let c = cols.count, C = classCount
        let size = count << c
        var remap = [Int32](repeating: -1, count: size)
        let cap = min(n, size)
        // Per-group arrays are filled when a group is created (its first row), not cleared in
        // advance: with ~1 M groups of 2.56 M rows and 11 classes, clearing `cap` entries wrote
        // and faulted in twice the memory the groups use.
        let cells = sums ? cap * C : 0
        var cr = [Double](unsafeUninitializedCapacity: cells) { _, n in n = cells }
        var cy = [Double](unsafeUninitializedCapacity: cells) { _, n in n = cells }
        var rp = [Int32](unsafeUninitializedCapacity: sums ? cap : 0) { _, n in n = sums ? cap : 0 }
        var parent = [Int32](unsafeUninitializedCapacity: cap) { _, n in n = cap }
        var next: Int32 = 0
        let ck = cols.map { $0.0 }, cb = cols.map { UInt64($0.1) }
        let noClasses = [UInt8](repeating: 0, count: 1)
        (classes ?? noClasses).withUnsafeBufferPointer { clsB in
        parent.withUnsafeMutableBufferPointer { parP in
        ids.withUnsafeMutableBufferPointer { id in
        remap.withUnsafeMutableBufferPointer { rm in
        cr.withUnsafeMutableBufferPointer { crP in cy.withUnsafeMutableBufferPointer { cyP in rp.withUnsafeMutableBufferPointer { rpP in
        ck.withUnsafeBufferPointer { ckP in cb.withUnsafeBufferPointer { cbP in
            let cls = classes == nil ? nil : clsB.baseAddress
            for i in 0..<n {
                let rb = bits + i * W
                var key = Int(id[i]) << c
                for t in 0..<c { key |= Int((rb[ckP[t]] >> cbP[t]) & 1) << t }
                var v = rm[key]
                if v < 0 {
                    v = next; rm[key] = v; parP[Int(v)] = id[i]; next += 1
                    if sums {
                        let g = Int(v)
                        rpP[g] = Int32(i)      // the group's representative: its first row
                        for c in 0..<C { crP[g * C + c] = 0; cyP[g * C + c] = 0 }
                    }
                }
                id[i] = v
                if sums {
                    let g = Int(v)
                    let at = g * C + Int(cls?[i] ?? 0)
                    crP[at] += 1; cyP[at] += y[i]
                }
            }
        } } } } } } } } }
        count = Int(next)
        parent.removeLast(cap - count)
        if sums {
            cr.removeLast((cap - count) * C); cy.removeLast((cap - count) * C); rp.removeLast(cap - count)
            classRows = cr; classY = cy
            var pt = [UInt64](repeating: 0, count: count * W)
            for g in 0..<count { for k in 0..<W { pt[g * W + k] = bits[Int(rp[g]) * W + k] } }
            patterns = pt
            var tr = [Double](repeating: 0, count: count), ty = tr
            for g in 0..<count { for c in 0..<C { tr[g] += cr[g * C + c]; ty[g] += cy[g * C + c] } }
            totalRows = tr; totalY = ty
        }
        return parent
    }
}

/// Coefficients (original scale) at which the strong-set Gram was last computed.
struct ENSnapshot {
    var b0: Double
    var beta: [Double]
    var active: [UInt64]
}

extension ENSolver {
    /// Weighted Gram of the strong set on the groups, with the IRLS weights at the snapshot
    /// coefficients: entries of pairs involving a strong index ≥ `from` (all when 0), plus
    /// Σ_{x_j=1} w for those columns and Σ w. O(Σ_groups nnz_S · nnz_new).
    func groupedGram(_ gr: StrongGroups, snap: ENSnapshot, from: Int) -> (gram: [Double], xw: [Double], sw: Double) {
        let W = d.wordsPerRow, ns = strong.count, G = gr.count
        let workers = max(1, o.workers)
        let strongMask = self.strongMask, strongIndex = self.strongIndex
        var parts = [([Double], [Double], Double)](repeating: ([], [], 0), count: workers)
        // A full recompute moves the snapshot: keep its linear predictor per group. An extension
        // reads it back (when carried through the last refinements).
        var fsOut = [Double](repeating: 0, count: from == 0 ? G : 0)
        var newMask = [UInt64](repeating: 0, count: W)
        for si in from..<ns where strong[si] < d.binaryCount { newMask[strong[si] >> 6] |= 1 << UInt64(strong[si] & 63) }
        carried.withUnsafeBufferPointer { keptB in
        let keptP = from > 0 && carried.count == G ? keptB.baseAddress : nil
        fsOut.withUnsafeMutableBufferPointer { fsB in
        let fsW = from == 0 ? fsB.baseAddress : nil
        gr.patterns.withUnsafeBufferPointer { patB in
            let pat = patB.baseAddress!
            parts.withUnsafeMutableBufferPointer { pp in
                let base = pp.baseAddress!
                parallelWorkers(workers) { wk in
                    var gm = [Double](repeating: 0, count: ns * ns), xw = [Double](repeating: 0, count: p), sw = 0.0
                    let lo = G * wk / workers, hi = G * (wk + 1) / workers
                    // The group's strong indices, and (extensions) the new ones among them, in column order.
                    let list = UnsafeMutablePointer<Int>.allocate(capacity: max(ns, 1)); defer { list.deallocate() }
                    let news = UnsafeMutablePointer<Int>.allocate(capacity: max(ns, 1)); defer { news.deallocate() }
                    gm.withUnsafeMutableBufferPointer { gB in gq.withUnsafeBufferPointer { gqs in
                        let gp = gB.baseAddress!
                        for g in lo..<hi {
                            let qs = gqs[g]
                            if qs == 0 { continue }
                            let rb = pat + g * W
                            if from > 0 {
                                // Only groups with a new column contribute.
                                var any: UInt64 = 0
                                for k in 0..<W { any |= rb[k] & newMask[k] }
                                if any == 0 { continue }
                            }
                            var fs = snap.b0
                            if let kept = keptP { fs = kept[g] } else {
                                for k in 0..<W {
                                    var word = rb[k] & snap.active[k]
                                    while word != 0 { fs += snap.beta[k << 6 | word.trailingZeroBitCount]; word &= word &- 1 }
                                }
                            }
                            fsW?[g] = fs
                            let w = qs * Foundation.exp(fs)
                            sw += w
                            var c = 0, n = 0
                            for k in 0..<W {
                                var word = rb[k] & strongMask[k]
                                while word != 0 {
                                    let j = k << 6 | word.trailingZeroBitCount
                                    let si = strongIndex[j]
                                    list[c] = si; c &+= 1
                                    if si >= from { xw[j] += w; news[n] = si; n &+= 1 }
                                    word &= word &- 1
                                }
                            }
                            if n == 0 { continue }
                            if from == 0 {
                                for a in 0..<c { let row = gp + list[a] * ns; for b in 0...a { row[list[b]] += w } }
                            } else {
                                // Only pairs with a new column: each new column's row gets every old
                                // column and the new ones up to itself (the same cells, each once, as
                                // the pairs b ≤ a or b old). O(nnz_S · nnz_new) per group.
                                for a in 0..<n {
                                    let row = gp + news[a] * ns
                                    for b in 0..<c where list[b] < from { row[list[b]] += w }
                                    for b in 0...a { row[news[b]] += w }
                                }
                            }
                        }
                    } }
                    base[wk] = (gm, xw, sw)
                }
            }
        }
        }
        }
        if from == 0 { carried = fsOut }
        var gm = parts[0].0, xw = parts[0].1, sw = parts[0].2
        for pt in parts.dropFirst() {
            for j in 0..<(ns * ns) { gm[j] += pt.0[j] }
            for j in 0..<p { xw[j] += pt.1[j] }
            sw += pt.2
        }
        for a in 0..<ns { for b in 0..<a { let v = gm[a * ns + b] + gm[b * ns + a]; gm[a * ns + b] = v; gm[b * ns + a] = v } }
        return (gm, xw, sw)
    }
}
