import Foundation

/// Exact grouping of rows by their pattern on the strong set, for the elastic net's strong
/// passes. Without offsets and continuous columns, every row of a group has the same linear
/// predictor (the active set ⊆ the strong set), so the IRLS weights, the gradient and the Gram of
/// the strong set are sums over groups weighted by Σq and Σq·y. The strong set only grows along
/// a path, so groups are refined by each new column in turn: a group whose rows differ on it
/// splits — the rows holding the column's rarer value move to a new group (`split`), in
/// O(rows with the rarer value), not O(n).
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
    /// The pattern (the strong columns' bits) shared by each group's rows, `W` words per group,
    /// contiguous so that passes over the groups stream; bits outside `mask` are zero.
    var patterns: [UInt64]
    /// Row class (CV fold) per row, `classCount` classes; nil = one class.
    let classes: [UInt8]?
    let classCount: Int
    /// Per group g and class c at `g * classCount + c`: rows, and Σy over them (side by side: a
    /// moved row touches one place per group). Rows move between groups by subtracting and
    /// adding counts: exact, as the counts and y are whole numbers.
    var classSums: [RowSums] = []
    /// Per group: rows and Σy over all classes.
    var totals: [RowSums] = []
    var mask: [UInt64]
    /// Bumped by every update that refined the groups. Groups keep their numbers through an
    /// update (a split group keeps its id and its rows with the column's commoner value), and the
    /// new ones come after the `countBefore` groups it started with: `lineage[g − countBefore]`
    /// is new group g's group before the update. So per-group values carry across an update by
    /// appending the new groups' parents' values (`GroupLanes.follow`).
    var generation = 0
    private(set) var countBefore = 0
    private(set) var lineage: [Int32] = []
    /// Per group, scratch for `split` (zero between calls): the first and second half of the
    /// rows' counts.
    private var hits: [Int32] = [], hits2: [Int32] = []
    /// Per new group and class, the second half of the rows' sums in `split` (zero between calls).
    private var spare: [RowSums] = []

    init(rows n: Int, wordsPerRow W: Int, classes: [UInt8]? = nil, classCount: Int = 1) {
        self.n = n; self.W = W
        self.classes = classes; self.classCount = classes == nil ? 1 : classCount
        ids = [Int32](repeating: 0, count: n)
        mask = [UInt64](repeating: 0, count: W)
        patterns = [UInt64](repeating: 0, count: W)
    }

    /// Refines the groups by every column of `strongMask` not yet in them, one column at a time
    /// (the first call also makes the one group's sums). `columnBits` are the binary columns'
    /// bits, 64 rows to a word (`ElasticNetData.columnBits`); with `workers` > 1 the rows'
    /// visits run on two, one half of the rows each. Returns whether the groups changed (or were
    /// made).
    @discardableResult
    func update(strongMask: [UInt64], columnBits: [[UInt64]], y: UnsafePointer<Double>, workers: Int = 1) -> Bool {
        let halves = workers > 1 ? 2 : 1
        var newCols = [Int]()
        for k in 0..<W {
            var new = strongMask[k] & ~mask[k]
            while new != 0 { newCols.append(k << 6 | new.trailingZeroBitCount); new &= new &- 1 }
            mask[k] |= strongMask[k]
        }
        let first = classSums.isEmpty
        guard first || !newCols.isEmpty else { return false }
        if first { startSums(y) }
        if newCols.isEmpty { return true }
        let base = count
        var lin = [Int32]()
        for j in newCols { columnBits[j].withUnsafeBufferPointer { split(by: j, bits: $0.baseAddress!, y: y, lineage: &lin, base: base, halves: halves) } }
        countBefore = base
        lineage = lin
        generation += 1
        return true
    }

    /// The sums of the one group of all rows.
    private func startSums(_ y: UnsafePointer<Double>) {
        let C = classCount
        var cs = [RowSums](repeating: RowSums(), count: C)
        for i in 0..<n { let c = Int(classes?[i] ?? 0); cs[c].rows += 1; cs[c].y += y[i] }
        classSums = cs
        totals = [total(of: 0)]
        hits = [0]; hits2 = [0]
        // There are never more groups than rows: room for that many, reserved and not touched
        // (the pages are only made as the groups grow), so that no split copies the arrays to
        // grow them (~1 M groups of the lockstep CV hold 176 MB of class sums).
        classSums.reserveCapacity(n * C); totals.reserveCapacity(n); hits.reserveCapacity(n); hits2.reserveCapacity(n)
        patterns.reserveCapacity(n * W)
    }

    /// Splits the groups by column `j`: the rows with the column's rarer value v (counted once
    /// over its words) are visited twice — to count them per group, then to move them. A group
    /// all of whose rows have v keeps its id with bit j = v in its pattern; a group with some
    /// gets a new group (pattern bit v, its lineage the old group's) for them, in group order
    /// (the groups are scanned in order, not visited in the rows' order: ~1 M groups of the
    /// lockstep CV, each touched at random, cost more than the scan); the others have bit
    /// j = 1 − v. The scans run on raw pointers (a class's arrays, touched per group, would
    /// check exclusive access at every touch) and the arrays grow once per column.
    /// `halves`: 2, the rows' visits on two workers (one half of the rows each), or 1.
    /// `lin`: the groups made since the update began (numbered from `base`), their groups before it.
    private func split(by j: Int, bits: UnsafePointer<UInt64>, y: UnsafePointer<Double>, lineage lin: inout [Int32], base: Int, halves: Int) {
        let blocks = (n + 63) / 64, C = classCount, W = self.W
        let wk = j >> 6, bit = UInt64(1) << UInt64(j & 63)
        var ones = 0
        for b in 0..<blocks { ones += bits[b].nonzeroBitCount }
        let rareIsOne = 2 * ones <= n
        let lastMask: UInt64 = n & 63 == 0 ? ~0 : (1 << UInt64(n & 63)) - 1
        /// The rows holding the rarer value, in order, in half `half` of the rows' words.
        @inline(__always) func forEachRare(half: Int, _ body: (Int) -> Void) {
            for b in (blocks * half / halves)..<(blocks * (half + 1) / halves) {
                var word = bits[b]
                if !rareIsOne { word = ~word & (b == blocks - 1 ? lastMask : ~0) }
                while word != 0 { body(b << 6 | word.trailingZeroBitCount); word &= word &- 1 }
            }
        }
        let before = count
        ids.withUnsafeBufferPointer { id in hits.withUnsafeMutableBufferPointer { h1 in hits2.withUnsafeMutableBufferPointer { h2 in
            let hs = [h1.baseAddress!, h2.baseAddress!]
            parallelWorkers(halves) { half in let h = hs[half]; forEachRare(half: half) { i in h[Int(id[i])] += 1 } }
        } } }
        // Each group with such rows: their destination, in `hits` until they have moved (0 for
        // group 0 kept whole reads as kept: only such rows' groups are looked up). Two scans of
        // group blocks on the workers: the first marks the groups that split (−1) and counts them
        // per block, the second numbers them in group order from each block's offset.
        let chunks = chunkCount(before, workers: halves)
        var splits = [Int](repeating: 0, count: chunks)
        hits.withUnsafeMutableBufferPointer { hB in hits2.withUnsafeMutableBufferPointer { h2B in
        totals.withUnsafeBufferPointer { tB in patterns.withUnsafeMutableBufferPointer { pB in splits.withUnsafeMutableBufferPointer { sB in
            let h = hB.baseAddress!, h2 = h2B.baseAddress!, tot = tB.baseAddress!, pat = pB.baseAddress!, sp = sB.baseAddress!
            parallelChunks(chunks, workers: halves) { ch in
                var marked = 0
                for g in (before * ch / chunks)..<(before * (ch + 1) / chunks) {
                    if !rareIsOne { pat[g &* W &+ wk] |= bit }
                    let k = h[g] &+ h2[g]
                    h2[g] = 0
                    if k == 0 { continue }
                    if Double(k) == tot[g].rows {
                        h[g] = Int32(g)
                        pat[g &* W &+ wk] ^= bit     // its rows all have the rarer value
                    } else {
                        h[g] = -1; marked += 1
                    }
                }
                sp[ch] = marked
            }
        } } } } }
        let added = splits.reduce(0, +)
        if added > 0 {
            var first = before
            let offsets = splits.map { k in defer { first += k }; return first }
            hits.withUnsafeMutableBufferPointer { hB in
                let h = hB.baseAddress!
                parallelChunks(chunks, workers: halves) { ch in
                    var next = offsets[ch]
                    for g in (before * ch / chunks)..<(before * (ch + 1) / chunks) where h[g] == -1 { h[g] = Int32(next); next += 1 }
                }
            }
        }
        if added == 0 { hits.withUnsafeMutableBufferPointer { h in for g in 0..<before { h[g] = 0 } }; return }
        count = before + added
        patterns += repeatElement(0, count: added * W)
        lin += repeatElement(0, count: added)
        classSums += repeatElement(RowSums(), count: added * C)
        totals += repeatElement(RowSums(), count: added)
        hits += repeatElement(0, count: added); hits2 += repeatElement(0, count: added)
        if halves > 1 && spare.count < added * C { spare += repeatElement(RowSums(), count: added * C - spare.count) }
        // The moving rows' counts and Σy per class add up in their new groups (which start at
        // zero), in row order — the second half of the rows apart (`spare`), then added to the
        // first's; then each split group gives up what its new group took. Whole numbers: the
        // same sums as moving the rows one by one.
        let noClasses = [UInt8](repeating: 0, count: 1)
        (classes ?? noClasses).withUnsafeBufferPointer { clsB in
        ids.withUnsafeMutableBufferPointer { id in hits.withUnsafeBufferPointer { h in
        classSums.withUnsafeMutableBufferPointer { csB in spare.withUnsafeMutableBufferPointer { spB in
            let cls = classes == nil ? nil : clsB.baseAddress, cs = csB.baseAddress!
            // (the second half's sums are at their new group less `before`)
            let into = [(cs, 0), halves > 1 ? (spB.baseAddress!, before * C) : (cs, 0)]
            parallelWorkers(halves) { half in
                let (sums, less) = into[half]
                forEachRare(half: half) { i in
                    let g = Int(id[i]), to = Int(h[g])
                    if to == g { return }
                    id[i] = Int32(to)
                    let at = to &* C &+ Int(cls?[i] ?? 0) &- less
                    sums[at].rows += 1; sums[at].y += y[i]
                }
            }
            if halves > 1 {
                let sp = spB.baseAddress!, m = added * C, parts = chunkCount(m, workers: halves)
                parallelChunks(parts, workers: halves) { ch in
                    for a in (m * ch / parts)..<(m * (ch + 1) / parts) {
                        cs[before * C + a].rows += sp[a].rows; cs[before * C + a].y += sp[a].y
                        sp[a] = RowSums()
                    }
                }
            }
        } } } }
        }
        // One scan of the split groups (group blocks on the workers: each writes its own groups
        // and their new ones): each new group's pattern (its group's, bit j flipped) and lineage,
        // the split group's class sums less its new group's, and the totals of both.
        hits.withUnsafeMutableBufferPointer { hB in totals.withUnsafeMutableBufferPointer { tB in classSums.withUnsafeMutableBufferPointer { cB in
        patterns.withUnsafeMutableBufferPointer { pB in lin.withUnsafeMutableBufferPointer { lB in
            let h = hB.baseAddress!, tot = tB.baseAddress!, cs = cB.baseAddress!, pat = pB.baseAddress!, ln = lB.baseAddress!
            /// Group g's rows and Σy over all classes.
            @inline(__always) func total(_ g: Int) -> RowSums {
                var t = RowSums()
                for c in 0..<C { t.rows += cs[g &* C &+ c].rows; t.y += cs[g &* C &+ c].y }
                return t
            }
            parallelChunks(chunks, workers: halves) { ch in
                for g in (before * ch / chunks)..<(before * (ch + 1) / chunks) {
                    let to = Int(h[g])
                    h[g] = 0
                    if to <= g { continue }     // not split (kept whole, or no rows with the rarer value)
                    for k in 0..<W { pat[to &* W &+ k] = pat[g &* W &+ k] }
                    pat[to &* W &+ wk] ^= bit
                    ln[to &- base] = g < base ? Int32(g) : ln[g &- base]
                    for c in 0..<C { cs[g &* C &+ c].rows -= cs[to &* C &+ c].rows; cs[g &* C &+ c].y -= cs[to &* C &+ c].y }
                    tot[g] = total(g); tot[to] = total(to)
                }
            }
        } } } } }
    }

    /// Group g's rows and Σy over all classes.
    private func total(of g: Int) -> RowSums {
        var t = RowSums()
        for c in 0..<classCount { t.rows += classSums[g * classCount + c].rows; t.y += classSums[g * classCount + c].y }
        return t
    }
}

/// Rows and Σy (of a group and class: `StrongGroups`).
struct RowSums: Equatable {
    var rows = 0.0, y = 0.0
}

/// A path's Σq and Σq·y per group, read where they are used from the groups' sums: the group's
/// rows and Σy less those of the path's held-out class, times 1/n_train. One stream of class
/// sums per group serves every path of a pass (not two arrays per path); valid inside
/// `StrongGroups.withKept`.
struct KeptSums {
    let totals: UnsafePointer<RowSums>, classSums: UnsafePointer<RowSums>, C: Int

    /// Group g's rows and Σy outside class `e` (−1: all rows).
    @inline(__always) func kept(_ g: Int, leaving e: Int) -> RowSums {
        let t = totals[g]
        if e < 0 { return t }
        let h = classSums[g &* C &+ e]
        return RowSums(rows: t.rows - h.rows, y: t.y - h.y)
    }
}

/// The paths of a set by lane (path t in lane t % 4 of block t / 4), for `KeptSums.lanes`: per
/// block, each lane's held-out class (class 0 where it holds none or there is no path, masked),
/// and 1/n_train (0 past the last path, whose lanes come out 0).
struct PathLanes {
    struct Block {
        var held = SIMD4<Int>.zero, none = SIMDMask<SIMD4<Int64>>(repeating: true), invN = SIMD4<Double>.zero
    }
    let blocks: [Block]

    init(_ paths: [ENSolver]) {
        var b = [Block](repeating: Block(), count: (paths.count + 3) / 4)
        for (t, s) in paths.enumerated() {
            b[t / 4].held[t % 4] = max(0, s.excluded); b[t / 4].none[t % 4] = s.excluded < 0; b[t / 4].invN[t % 4] = s.invN
        }
        blocks = b
    }
}

extension KeptSums {
    /// Σq and Σq·y of group g for the paths of a lane block: each lane's group rows and Σy less
    /// its held-out class's, times 1/n_train — four loads per sum and no branch per lane (the
    /// same values as `kept(_:leaving:)` lane by lane).
    @inline(__always) func lanes(_ g: Int, _ b: PathLanes.Block) -> (q: SIMD4<Double>, qy: SIMD4<Double>) {
        let t = totals[g], cs = classSums + g &* C
        let h0 = cs[b.held[0]], h1 = cs[b.held[1]], h2 = cs[b.held[2]], h3 = cs[b.held[3]]
        let rows = SIMD4(h0.rows, h1.rows, h2.rows, h3.rows).replacing(with: 0, where: b.none)
        let y = SIMD4(h0.y, h1.y, h2.y, h3.y).replacing(with: 0, where: b.none)
        return ((SIMD4(repeating: t.rows) - rows) * b.invN, (SIMD4(repeating: t.y) - y) * b.invN)
    }
}

extension StrongGroups {
    /// Runs `body` with read access to the groups' row sums (`KeptSums`).
    func withKept<R>(_ body: (KeptSums) -> R) -> R {
        totals.withUnsafeBufferPointer { t in classSums.withUnsafeBufferPointer { c in
            body(KeptSums(totals: t.baseAddress!, classSums: c.baseAddress!, C: classCount))
        } }
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
        let chunks = chunkCount(G, workers: workers)
        var parts = [([Double], [Double], Double)](repeating: ([], [], 0), count: chunks)
        // A full recompute moves the snapshot: its linear predictor per group goes to this path's
        // `predictor` (made at its first). An extension reads it back (carried through the
        // refinements since).
        var newMask = [UInt64](repeating: 0, count: W)
        for si in from..<ns where strong[si] < d.binaryCount { newMask[strong[si] >> 6] |= 1 << UInt64(strong[si] & 63) }
        if predictor == nil {
            // (onto these groups, at zero: each group with rows is written below; `ENPathSet.refine`
            // carries it from then on)
            predictor = GroupLanes(paths: 1, rows: gr.n, lanes: false)
            predictor!.follow(gr, workers: workers)
        }
        let lanes = predictor!
        precondition(lanes.groups == G, "elastic net: the snapshot predictors are not on the current groups")
        withExtendedLifetime(lanes) {
        let pd = lanes.doubles
        let keptP: UnsafeMutablePointer<Double>? = from > 0 && predictorsValid ? pd : nil
        let fsW: UnsafeMutablePointer<Double>? = from == 0 ? pd : nil
        gr.patterns.withUnsafeBufferPointer { patB in
            let pat = patB.baseAddress!
            parts.withUnsafeMutableBufferPointer { pp in
                let base = pp.baseAddress!
                parallelChunks(chunks, workers: workers) { ch in
                    var gm = [Double](repeating: 0, count: ns * ns), xw = [Double](repeating: 0, count: p), sw = 0.0
                    let lo = G * ch / chunks, hi = G * (ch + 1) / chunks
                    // The group's strong indices in column order: those below `from` (`olds`) and
                    // the others (`news`: all of them in a full recompute).
                    let olds = UnsafeMutablePointer<Int>.allocate(capacity: max(ns, 1)); defer { olds.deallocate() }
                    let news = UnsafeMutablePointer<Int>.allocate(capacity: max(ns, 1)); defer { news.deallocate() }
                    gm.withUnsafeMutableBufferPointer { gB in gr.withKept { ks in
                        let gp = gB.baseAddress!
                        for g in lo..<hi {
                            let qs = ks.kept(g, leaving: excluded).rows * invN
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
                                    if si >= from { xw[j] += w; news[n] = si; n &+= 1 } else { olds[c] = si; c &+= 1 }
                                    word &= word &- 1
                                }
                            }
                            if n == 0 { continue }
                            if from == 0 {
                                for a in 0..<n { let row = gp + news[a] * ns; for b in 0...a { row[news[b]] += w } }
                            } else {
                                // Only pairs with a new column: each new column's row gets every old
                                // column and the new ones up to itself (the same cells, each once, as
                                // the pairs b ≤ a or b old). O(nnz_S · nnz_new) per group.
                                for a in 0..<n {
                                    let row = gp + news[a] * ns
                                    for b in 0..<c { row[olds[b]] += w }
                                    for b in 0...a { row[news[b]] += w }
                                }
                            }
                        }
                    } }
                    base[ch] = (gm, xw, sw)
                }
            }
        }
        }
        if from == 0 { predictorsValid = true }
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
