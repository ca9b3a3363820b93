import CPrefetch
import Foundation

/// Several elastic-net paths on the same data — the full-data path and the CV folds — advanced
/// together one λ at a time (`advance`).
///
/// With exact row groups (binary columns, no offset) the paths share one `StrongGroups`,
/// refined by the union of their strong sets; one pass over the groups serves up to 12 paths
/// (`groupPass`), and one pass over the rows per KKT round gives every waiting path its sums at
/// once (`kkt`): each set bit is visited once and adds a vector over the paths instead of one
/// pass per path. Without groups each path passes over the rows on its own and checks its KKT
/// conditions inside its own row pass. On groups, the other paths borrow the first path's
/// Hessian snapshot (`ENSolver.lender`), whose strong set is kept the union of all of theirs.
final class ENPathSet {
    let d: ElasticNetData
    let groups: StrongGroups?
    let paths: [ENSolver]
    let sums: ENClassSums
    /// The path whose Hessian the others borrow (the full-data path of a CV), if any.
    let lender: ENSolver?
    /// Per group, the paths side by side (path t in lane t, nil without groups): e^η at each
    /// path's last pass, and at its last KKT round (for the screen). Which lanes hold valid
    /// values: the paths' flags. (A path's own Hessian snapshot predictor per group is its
    /// own: `ENSolver.predictor`.)
    let means: GroupLanes?, meansAtKKT: GroupLanes?

    /// - Parameters:
    ///   - classes: row class (CV fold) per row, `classCount` classes; nil = one class.
    ///   - excluded: one path per entry, leaving out that class (−1: none).
    init(data: ElasticNetData, options: ElasticNetOptions, classes: [UInt8]? = nil, classCount: Int = 1, excluded: [Int]) {
        d = data
        let grouped = data.groupable && options.groupRows
        let gr = grouped ? StrongGroups(rows: data.rowCount, wordsPerRow: data.wordsPerRow, classes: classes, classCount: classCount) : nil
        groups = gr
        let cs = ENClassSums(data, classes: classes, classCount: classCount)
        sums = cs
        let lanes = { gr == nil ? nil : GroupLanes(paths: excluded.count, rows: data.rowCount) }
        means = lanes(); meansAtKKT = lanes()
        paths = excluded.enumerated().map { t, e in
            ENSolver(data: data, options: options, holdOut: e >= 0 ? classes.map { HoldOut(classes: $0, excluded: e) } : nil,
                     sums: cs, groups: gr, lane: t)
        }
        lender = gr != nil && options.sharedHessian && paths.count > 1 && excluded[0] < 0 ? paths[0] : nil
        for s in paths.dropFirst() { s.lender = lender }
        refine()
        for s in paths { s.start() }
    }

    /// Refines the shared groups by the union of the paths' strong sets and hands every path
    /// the new groups.
    func refine() {
        guard let gr = groups else { return }
        var union = [UInt64](repeating: 0, count: d.wordsPerRow)
        for s in paths { for k in 0..<union.count { union[k] |= s.strongMask[k] } }
        // A lender's strong set (and so its Gram) holds every borrower's.
        if let l = lender {
            for k in 0..<union.count {
                var new = union[k] & ~l.strongMask[k]
                while new != 0 { l.addStrong(k << 6 | new.trailingZeroBitCount); new &= new &- 1 }
            }
        }
        let t0 = ENProfile.now()
        let changed = d.y.withUnsafeBufferPointer { y in gr.update(strongMask: union, columnBits: d.columnBits, y: y.baseAddress!, workers: paths[0].o.workers) }
        paths[0].prof.add("groups", t0)
        let t1 = ENProfile.now()
        if changed {
            // The paths' per-group values carried to the new groups: their parents' (exact: the
            // new columns have zero coefficients in every path).
            let w = max(1, paths[0].o.workers)
            let m = means!.follow(gr, workers: w), a = meansAtKKT!.follow(gr, workers: w)
            for s in paths { s.follow(carried: (means: m, atKKT: a, predictors: s.predictor?.follow(gr, workers: w) ?? false)) }
        }
        paths[0].prof.add("groups sync", t1)
        lender?.extendGram()
    }

    /// Prints the phase times of all paths together (RTM_ENET_PROFILE=1).
    func reportProfile() {
        guard ENProfile.enabled else { return }
        var all = ENProfile()
        for s in paths { for (k, t) in s.prof.t { all.t[k, default: 0] += t; all.n[k, default: 0] += s.prof.n[k] ?? 0 } }
        let summed = paths.reduce(0) { $0 + $1.screen.summedTotal }, skipped = paths.reduce(0) { $0 + $1.screen.skippedTotal }
        all.report("\(paths.count) paths, λ=\(paths[0].outL.count), groups=\(groups?.count ?? 0), KKT columns summed \(summed), screened out \(skipped)")
    }

    /// Fits the next λ of each path in `which` (paths that have ended are skipped): rounds of
    /// passes (batched over the paths that want one) and of KKT checks, until every path's λ is
    /// solved.
    func advance(_ which: [Int]) {
        let live = which.map { paths[$0] }.filter { $0.beginLambda() }
        refine()
        var want = live.map { $0.nextWant() }
        while true {
            let passing = live.indices.filter { want[$0] == .pass }
            if !passing.isEmpty {
                let ps = passing.map { live[$0] }
                let results = passAll(ps)
                for (i, r) in zip(passing, results) { want[i] = live[i].takePass(r) }
                continue
            }
            let waiting = live.indices.filter { want[$0] == .kkt }
            if waiting.isEmpty { break }
            let t0 = ENProfile.now()
            let (s, summed) = kkt(waiting.map { live[$0] })
            paths[0].prof.add("kkt", t0)
            var violated = [Int]()
            for (i, si) in zip(waiting, s) {
                if live[i].takeKKT(si, summed: summed) { violated.append(i) } else { want[i] = .done }
            }
            // The groups split by the new strong columns before the paths go on (they may go on
            // without a pass: `ENSolver.reuseSums`).
            if !violated.isEmpty { refine() }
            for i in violated { want[i] = live[i].nextWant() }
        }
        for s in live { s.finishLambda() }
    }

    /// One pass for each path of `ps` at its current coefficients: over the shared groups, the
    /// paths of up to three lane blocks (12 lanes) at a time (`groupPass`), or over the rows path
    /// by path.
    func passAll(_ ps: [ENSolver]) -> [ENPass] {
        guard let gr = groups else { return ps.map { $0.doPass(full: $0.wantsFullPass) } }
        precondition(ps.allSatisfy { $0.seenGeneration == gr.generation }, "elastic net: a path is not on the current groups")
        var out = [ObjectIdentifier: ENPass]()
        for twelve in Set(ps.map { $0.lane / 12 }).sorted() {
            let chunk = ps.filter { $0.lane / 12 == twelve }
            let t0 = ENProfile.now()
            let r = groupPass(gr, chunk)
            ps[0].prof.add("pass", t0)
            for (s, e) in zip(chunk, r) { out[ObjectIdentifier(s)] = s.finishGroupedPass(e) }
        }
        return ps.map { out[ObjectIdentifier($0)]! }
    }

    /// One IRLS pass over the groups (see `StrongGroups`) for paths of up to three lane blocks
    /// (12 lanes) at once: a group's pattern is read once, and its set bits add SIMD4 vectors over
    /// the paths — the linear predictors and the means from the active columns, then Σq·μ for
    /// every column the groups are split by (the strong columns' for coordinate descent, the
    /// others' for the KKT check), and from it Σq(y − μ) = Σq·y − Σq·μ (Σq·y per column is
    /// fixed). Each lane is exactly its path's sum (in group order within a chunk, then chunk
    /// order). Also: e^η per group into the set's `means` (for the KKT pass) and how far each
    /// group's predictor moved since the path's Hessian snapshot (`maxShift`, weighted `shift2`),
    /// from the snapshot's predictor carried per group (`ENSolver.predictor`).
    ///
    /// Lanes are the paths' own (path t in lane t % 4 of block t / 4): a group's paths of a block
    /// are one vector load or store. The other paths of the blocks computed are computed too, at
    /// their coefficients of their last pass (a path not asking for a pass has not moved since:
    /// coordinate descent is always followed by a pass), so their lanes of `means` are written
    /// with the values they hold; their sums are not returned.
    /// O(G·(nnz·⌈P/4⌉ + P)). Same sums as a pass over the rows, up to rounding.
    func groupPass(_ gr: StrongGroups, _ ps: [ENSolver]) -> [ENPass] {
        let G = gr.count, W = d.wordsPerRow, p = d.columnCount, B = means!.blocks
        // The blocks computed (up to three, of one twelve of lanes), at positions 0, 1, 2.
        let blocks = Set(ps.map { $0.lane / 4 }).sorted(), NB = blocks.count
        precondition(NB <= 3 && blocks.last! - blocks[0] < 3, "elastic net: a pass takes one twelve of lanes")
        let members = paths.filter { blocks.contains($0.lane / 4) }
        @inline(__always) func position(_ s: ENSolver) -> Int { blocks.firstIndex(of: s.lane / 4)! }
        // A path without a snapshot predictor on these groups (its first pass) shows no shift;
        // it refreshes its Hessian anyway (no snapshot), or is made to (a lost one).
        for s in ps where !s.predictorsValid && s.snap != nil { s.forceRefresh = true }
        // The paths with a snapshot predictor of their own (usually the lender alone): their
        // lane, computed block and values, read into the block's vector per group.
        let owners = members.filter(\.predictorsValid)
        let ownerBlock = owners.map(position), ownerValues = owners.map { $0.predictor!.doubles }
        let ownerLane = owners.map { s in SIMDMask<SIMD4<Int64>>((0..<4).map { $0 == s.lane % 4 }) }
        var ua = [UInt64](repeating: 0, count: W)
        let us = gr.mask
        // μ = e^η as the product e^b0 · Π e^β over the group's active columns (one multiply per
        // set bit beside its add, instead of an exp per lane and group), with e^b0 and e^β from
        // the C library. No partial product can overflow or underflow while every |partial sum of
        // η| ≤ reach < 700; past that (never on RTM designs) the lanes take exp4 of the sums.
        // Error: ≤ (k + 1) ulp for k active bits in the group, where e^(the rounded sum) carries
        // the sum's absolute rounding, ~k·ulp(η), as a relative error of μ.
        // Per column: its three lane vectors of β, then their three of e^β (one line of memory) —
        // three whatever NB, so the bit loops add and multiply all three with no test of NB
        // (lanes without a path hold β = 0, e^β = 1 and are never read).
        var beT = [SIMD4<Double>](repeating: .zero, count: p * 6)
        for j in 0..<p { for k in 3..<6 { beT[j * 6 + k] = .one } }
        var b0 = [SIMD4<Double>](repeating: .zero, count: 3), e0 = [SIMD4<Double>](repeating: .one, count: 3)
        var reach = 0.0     // the largest |b0| + Σ|β| of a path: how far any partial sum of η can go
        for s in members {
            for k in 0..<W { ua[k] |= s.active[k] }
            let (c, b) = s.original()
            let at = position(s), l = s.lane % 4
            b0[at][l] = c; e0[at][l] = Foundation.exp(c)
            for j in 0..<p where b[j] != 0 { beT[j * 6 + at][l] = b[j]; beT[j * 6 + 3 + at][l] = Foundation.exp(b[j]) }
            reach = max(reach, b.reduce(abs(c)) { $0 + abs($1) })
        }
        let products = reach < 700
        let workers = max(1, paths[0].o.workers)
        typealias Part = (xw: [SIMD4<Double>], stats: [SIMD4<Double>])
        let chunks = chunkCount(G, workers: workers)
        var parts = [Part](repeating: ([], []), count: chunks)
        let blockAt = (0..<3).map { $0 < NB ? blocks[$0] : blocks[0] }
        let mean = means!.vectors, O = owners.count
        withExtendedLifetime(owners) { ownerLane.withUnsafeBufferPointer { olB in ownerBlock.withUnsafeBufferPointer { obB in
        ownerValues.withUnsafeBufferPointer { ovB in gr.withKept { ks in PathLanes(paths).blocks.withUnsafeBufferPointer { lanesB in
        let lanes = lanesB.baseAddress!
        let oLane = olB.baseAddress, oBlock = obB.baseAddress, oValues = ovB.baseAddress
        parts.withUnsafeMutableBufferPointer { pp in
            let base = pp.baseAddress!
            parallelChunks(chunks, workers: workers) { ch in
                var xw = [SIMD4<Double>](repeating: .zero, count: p * 3)
                // stats per computed block k: sw, sr, ll, maxShift, shift2 at 5k…5k+4
                var st = [SIMD4<Double>](repeating: .zero, count: 5 * NB)
                let lo = G * ch / chunks, hi = G * (ch + 1) / chunks
                gr.patterns.withUnsafeBufferPointer { patB in beT.withUnsafeBufferPointer { btB in
                xw.withUnsafeMutableBufferPointer { xwB in
                    let pat = patB.baseAddress!, bt = btB.baseAddress!, xwp = xwB.baseAddress!
                    // The statistics in registers/stack, not Swift arrays: no bounds or
                    // uniqueness checks in the loop.
                    let stats = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: 15)
                    defer { stats.deallocate() }
                    stats.initialize(repeating: .zero, count: 15)
                    let b00 = b0[0], b01 = b0[1], b02 = b0[2], e00 = e0[0], e01 = e0[1], e02 = e0[2]
                    // Per group: the computed blocks' predictors, means and weights (a loop over
                    // the blocks, not a nested function: that one was not inlined).
                    let fv = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: 3), wv = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: 3)
                    let mv = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: 3)
                    fv.initialize(repeating: .zero, count: 3); wv.initialize(repeating: .zero, count: 3); mv.initialize(repeating: .zero, count: 3)
                    defer { fv.deallocate(); wv.deallocate(); mv.deallocate() }
                    for g in lo..<hi {
                        let rb = pat + g * W
                        var f0 = b00, f1 = b01, f2 = b02, m0 = e00, m1 = e01, m2 = e02
                        for k in 0..<W {
                            var word = rb[k] & ua[k]
                            if NB == 1 {   // one lane block (one to four paths): its sums only
                                while word != 0 {
                                    let at = bt + (k &<< 6 | word.trailingZeroBitCount) &* 6
                                    f0 += at[0]; m0 *= at[3]
                                    word &= word &- 1
                                }
                                continue
                            }
                            while word != 0 {
                                let at = bt + (k &<< 6 | word.trailingZeroBitCount) &* 6
                                f0 += at[0]; f1 += at[1]; f2 += at[2]
                                m0 *= at[3]; m1 *= at[4]; m2 *= at[5]
                                word &= word &- 1
                            }
                        }
                        fv[0] = f0; fv[1] = f1; fv[2] = f2
                        mv[0] = m0; mv[1] = m1; mv[2] = m2
                        // Block k's lanes at predictors fb: μ, the weights, the statistics.
                        for k in 0..<NB {
                            let fb = fv[k], b = blockAt[k], cell = g &* B &+ b
                            let (q, qy) = ks.lanes(g, lanes[b])
                            // A lane none of whose rows the path keeps (or no path's) adds nothing
                            // (its q and Σq·y are 0) and has μ = 0.
                            let dead = q .== 0
                            var fs = fb
                            for o in 0..<O where oBlock![o] == k { fs.replace(with: SIMD4(repeating: oValues![o][g]), where: oLane![o]) }
                            fs.replace(with: fb, where: dead)
                            let mu = (products ? mv[k] : exp4(fb)).replacing(with: 0, where: dead)
                            mean[cell] = mu
                            let w = q * mu, rv = qy - w, dv = fb - fs
                            let st = stats + 5 * k
                            st[0] += w; st[1] += rv; st[2] += qy * fb - w
                            let shift = dv.replacing(with: -dv, where: dv .< 0)    // (pointwiseMax is not inlined here)
                            st[3].replace(with: shift, where: shift .> st[3]); st[4] += w * dv * dv
                            wv[k] = w
                        }
                        let w0 = wv[0], w1 = wv[1], w2 = wv[2]
                        for k in 0..<W {
                            var word = rb[k] & us[k]
                            if NB == 1 {
                                while word != 0 { xwp[(k &<< 6 | word.trailingZeroBitCount) &* 3] += w0; word &= word &- 1 }
                                continue
                            }
                            while word != 0 {
                                let j = (k &<< 6 | word.trailingZeroBitCount) &* 3
                                xwp[j] += w0; xwp[j &+ 1] += w1; xwp[j &+ 2] += w2
                                word &= word &- 1
                            }
                        }
                    }
                    for i in 0..<(5 * NB) { st[i] = stats[i] }
                } } }
                base[ch] = (xw, st)
            }
        }
        } } } } } }
        for s in ps { s.meansValid = true }
        return ps.map { s in
            var e = ENPass(p: p, s: 0)
            let k = position(s), l = s.lane % 4
            for pt in parts {
                e.sw += pt.stats[5 * k][l]; e.sr += pt.stats[5 * k + 1][l]; e.ll += pt.stats[5 * k + 2][l]
                e.maxShift = max(e.maxShift, pt.stats[5 * k + 3][l]); e.shift2 += pt.stats[5 * k + 4][l]
                for j in 0..<d.binaryCount where maskHas(us, j) { e.xw[j] += pt.xw[j * 3 + k][l] }
            }
            // Σq(y − μ) = Σq·y (fixed, from the class sums) − Σq·μ, as in the KKT pass.
            for j in 0..<d.binaryCount where maskHas(us, j) { e.xr[j] = s.qyx[j] - e.xw[j] }
            return e
        }
    }

    /// Σ_{x_j=1} q·μ for the columns outside the groups' columns that some path of `ps` needs
    /// (`ENSolver.kktNeeds`: the others are screened out, see `KKTScreen`), for each path at its
    /// last pass (μ per group), in one pass over the rows: row i's vector (q_t(i)·μ_t(g(i)))_t over the
    /// paths (q_t(i) = 0 on the path's held-out class, 1/n_train otherwise), SIMD4 lanes, is
    /// added to each of its columns. 64 rows at a time: their vectors are made once, then each
    /// column's word of those rows (`blockBits`) adds its rows' vectors in registers and stores
    /// once — not a load and a store per set bit. Row blocks on the workers (`parallelChunks`).
    /// O(n·P + nnz of the summed columns·⌈P/4⌉). Returns the sums and the columns summed.
    func kkt(_ ps: [ENSolver]) -> ([[Double]], [UInt64]) {
        let gr = groups!
        let B = means!.blocks, n = d.rowCount, p = d.columnCount
        let C = gr.classCount
        let tm = ENProfile.now()
        let (moved, oneMean) = screenMovement(ps)
        paths[0].prof.add("kkt means", tm)      // (within "kkt", as is "kkt rows")
        let tr = ENProfile.now()
        defer { paths[0].prof.add("kkt rows", tr) }
        // Columns the groups are split by have their sums from the pass over the groups.
        var summed = [UInt64](repeating: 0, count: d.wordsPerRow)
        for (s, m) in zip(ps, moved) { for (k, w) in s.kktNeeds(outside: gr.mask, moved: m).enumerated() { summed[k] |= w } }
        let cols = (0..<d.binaryCount).filter { maskHas(summed, $0) }
        if let mu = oneMean { return ([kktOnePath(ps[0], means: mu, cols: cols)], summed) }
        // Row weights per class, in the paths' own lanes (zero in the lanes of paths not in the
        // round: their sums are not read).
        var wt = [SIMD4<Double>](repeating: .zero, count: C * B)
        for c in 0..<C { for s in ps { wt[c * B + s.lane / 4][s.lane % 4] = c == s.excluded ? 0 : s.invN } }
        let workers = max(1, ps[0].o.workers)
        // Up to 12 paths, every row's and column's vectors are three SIMD4 whatever B, so the bit
        // loop adds three with no test of B (the unused ones are zero and never read).
        let S = max(3, B)
        let words = (n + 63) / 64, chunks = chunkCount(words, workers: workers)
        var parts = [[SIMD4<Double>]](repeating: [], count: chunks)
        parts.withUnsafeMutableBufferPointer { pp in
            let base = pp.baseAddress!
            d.blockBits.withUnsafeBufferPointer { bbB in
            let bb = bbB.baseAddress!, nb = d.binaryCount
            parallelChunks(chunks, workers: workers) { ch in
                var acc = [SIMD4<Double>](repeating: .zero, count: p * S)
                let v = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: 64 * S); defer { v.deallocate() }
                v.initialize(repeating: .zero, count: 64 * S)
                let sums = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: S); defer { sums.deallocate() }
                gr.ids.withUnsafeBufferPointer { ids in
                means!.withVectors { mt in wt.withUnsafeBufferPointer { wB in acc.withUnsafeMutableBufferPointer { aB in
                    let a = aB.baseAddress!, cls = gr.classes
                    let lo = words * ch / chunks, hi = words * (ch + 1) / chunks
                    for b in lo..<hi {
                        let first = b << 6, count = min(64, n - first)
                        for r in 0..<count {
                            let i = first + r
                            // The means of the row `ahead` rows on: a cache miss, its group at random.
                            let pre = mt + Int(ids[min(i &+ ahead, n &- 1)]) &* B
                            rtm_prefetch(pre); rtm_prefetch(UnsafeRawPointer(pre) + (B &* 32 &- 1))
                            let m = mt + Int(ids[i]) * B
                            let w = wB.baseAddress! + Int(cls?[i] ?? 0) * B
                            for k in 0..<B { v[r * S + k] = m[k] * w[k] }
                        }
                        let blockRow = bb + b * nb
                        for j in cols {
                            var word = blockRow[j]
                            if word == 0 { continue }
                            let at = a + j &* S
                            if S == 3 {
                                var s0 = SIMD4<Double>.zero, s1 = s0, s2 = s0
                                while word != 0 {
                                    let vr = v + word.trailingZeroBitCount &* 3
                                    s0 += vr[0]; s1 += vr[1]; s2 += vr[2]
                                    word &= word &- 1
                                }
                                at[0] += s0; at[1] += s1; at[2] += s2
                                continue
                            }
                            for k in 0..<S { sums[k] = .zero }
                            while word != 0 {
                                let vr = v + word.trailingZeroBitCount * S
                                for k in 0..<S { sums[k] += vr[k] }
                                word &= word &- 1
                            }
                            for k in 0..<S { at[k] += sums[k] }
                        }
                    }
                } } } }
                base[ch] = acc
            }
            }
        }
        let sums = ps.map { s -> [Double] in
            let b = s.lane / 4, l = s.lane % 4
            return (0..<p).map { j -> Double in parts.reduce(0) { $0 + $1[j * S + b][l] } }
        }
        return (sums, summed)
    }

    /// For the KKT round of `ps`: how far each path's means moved since its last KKT round —
    /// Σq(Δμ)⁺, Σq(Δμ)⁻ and Σq(Δμ)² over the groups, for the screen (`KKTScreen`; nil where it
    /// cannot trace them) — and the round's means kept as the paths' means at their last round
    /// (`meansAtKKT`). With one path, also its means alone, one Double per group (for
    /// `kktOnePath`). One pass over the groups for all paths, group blocks on the workers
    /// (`parallelChunks`).
    private func screenMovement(_ ps: [ENSolver]) -> ([MeanMovement?], [Double]?) {
        let G = groups!.count, B = means!.blocks, workers = max(1, ps[0].o.workers)
        for s in ps { precondition(s.meansValid, "elastic net: a path's means are not on the current groups") }
        let traced = ps.map { $0.screenTraces }
        // Per block: the lanes of the round's paths, and of those the screen traces.
        var round = [SIMDMask<SIMD4<Int64>>](repeating: .init(repeating: false), count: B)
        var tracedLanes = [SIMD4<Double>](repeating: .zero, count: B)
        for (s, t) in zip(ps, traced) { round[s.lane / 4][s.lane % 4] = true; if t { tracedLanes[s.lane / 4][s.lane % 4] = 1 } }
        let blocks = (0..<B).filter { b in ps.contains { $0.lane / 4 == b } }
        let one = ps.count == 1 ? ps[0].lane : nil
        var oneMean = [Double](repeating: 0, count: one == nil ? 0 : G)
        let chunks = chunkCount(G, workers: workers)
        var parts = [[SIMD4<Double>]](repeating: [], count: chunks)   // per lane block: up, down, squared
        oneMean.withUnsafeMutableBufferPointer { oneB in parts.withUnsafeMutableBufferPointer { pp in
        let mean = means!.vectors, was = meansAtKKT!.vectors
        groups!.withKept { ks in PathLanes(paths).blocks.withUnsafeBufferPointer { plB in
            let pl = plB.baseAddress!
            let base = pp.baseAddress!, oneOut = oneB.baseAddress
            parallelChunks(chunks, workers: workers) { ch in
                // A group's means and their movement since the last round (untraced lanes count
                // zero), each lane's sums in group order: up += (q·Δμ)⁺, down += (q·Δμ)⁻ — adding
                // +0 where the other moved, so each sum is the one of the moves of its sign alone.
                var acc = [SIMD4<Double>](repeating: .zero, count: 3 * B)
                for g in (G * ch / chunks)..<(G * (ch + 1) / chunks) {
                    for b in blocks {
                        let cell = g &* B &+ b, mu = mean[cell], before = was[cell]
                        let q = ks.lanes(g, pl[b]).q
                        let dm = mu - before, v = q * dm * tracedLanes[b]
                        acc[3 * b] += v.replacing(with: 0, where: v .<= 0)
                        acc[3 * b + 1] += (-v).replacing(with: 0, where: v .> 0)
                        acc[3 * b + 2] += v * dm
                        was[cell] = before.replacing(with: mu, where: round[b])
                    }
                    if let t = one { oneOut![g] = mean[g &* B &+ t / 4][t % 4] }
                }
                base[ch] = acc
            }
        } }
        } }
        let moved = zip(ps, traced).map { s, t -> MeanMovement? in
            let b = s.lane / 4, l = s.lane % 4
            return t ? parts.reduce(into: MeanMovement()) { $0.up += $1[3 * b][l]; $0.down += $1[3 * b + 1][l]; $0.squared += $1[3 * b + 2][l] } : nil
        }
        return (moved, one == nil ? nil : oneMean)
    }

    /// `kkt` for one path (a quick rerun's path, or a CV round where one path waits): one Double
    /// per row instead of three lane vectors, and each column's word of a block summed in four
    /// chains — with one path the latency of one chain of adds, not the loads, bounds the loop.
    /// The same sums as the lanes in another order (rounding only); deterministic.
    private func kktOnePath(_ s: ENSolver, means: [Double], cols: [Int]) -> [Double] {
        let gr = groups!, n = d.rowCount, p = d.columnCount, nb = d.binaryCount
        let words = (n + 63) / 64, workers = max(1, s.o.workers)
        var wt = [Double](repeating: s.invN, count: gr.classCount)
        if s.excluded >= 0 { wt[s.excluded] = 0 }
        let chunks = chunkCount(words, workers: workers)
        var parts = [[Double]](repeating: [], count: chunks)
        parts.withUnsafeMutableBufferPointer { pp in
            let base = pp.baseAddress!
            d.blockBits.withUnsafeBufferPointer { bbB in gr.ids.withUnsafeBufferPointer { idB in (gr.classes ?? []).withUnsafeBufferPointer { clB in
            means.withUnsafeBufferPointer { muB in wt.withUnsafeBufferPointer { wB in
                let bb = bbB.baseAddress!, ids = idB.baseAddress!, mu = muB.baseAddress!, w = wB.baseAddress!
                let cl = gr.classes == nil ? nil : clB.baseAddress     // no classes: one weight
                parallelChunks(chunks, workers: workers) { ch in
                    var acc = [Double](repeating: 0, count: p)
                    let v = UnsafeMutablePointer<Double>.allocate(capacity: 64); defer { v.deallocate() }
                    acc.withUnsafeMutableBufferPointer { aB in
                        let a = aB.baseAddress!
                        for b in (words * ch / chunks)..<(words * (ch + 1) / chunks) {
                            let first = b << 6, count = min(64, n - first)
                            if let cl {
                                for r in 0..<count { v[r] = mu[Int(ids[first + r])] * w[Int(cl[first + r])] }
                            } else {
                                for r in 0..<count { v[r] = mu[Int(ids[first + r])] * w[0] }
                            }
                            let blockRow = bb + b * nb
                            for j in cols {
                                var word = blockRow[j]
                                if word == 0 { continue }
                                var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                                while true {
                                    s0 += v[word.trailingZeroBitCount]; word &= word &- 1
                                    if word == 0 { break }
                                    s1 += v[word.trailingZeroBitCount]; word &= word &- 1
                                    if word == 0 { break }
                                    s2 += v[word.trailingZeroBitCount]; word &= word &- 1
                                    if word == 0 { break }
                                    s3 += v[word.trailingZeroBitCount]; word &= word &- 1
                                    if word == 0 { break }
                                }
                                a[j] += (s0 + s1) + (s2 + s3)
                            }
                        }
                    }
                    base[ch] = acc
                }
            } } } } }
        }
        return (0..<p).map { j in parts.reduce(0) { $0 + $1[j] } }
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
                return pathDeviance(d, path: path, rows: testRows![f])[0]
            }
        }
        let G = gr.count, W = d.wordsPerRow, C = gr.classCount, F = folds.count, p = d.columnCount
        // One pass over the groups for up to 12 folds, as lanes: a group's pattern is read once
        // and each of its columns adds the folds' coefficients (zero where a fold has none: the
        // same η, bit for bit, as adding its own), e^η by `exp4`; a group's rows per class are
        // side by side. Group blocks on the workers (`parallelChunks`), each fold's sum in group order.
        var total = [Double](repeating: 0, count: F)
        for lo in stride(from: 0, to: F, by: 12) {
            let L = min(12, F - lo)
            var bT = [SIMD4<Double>](repeating: .zero, count: p * 3), c0 = [SIMD4<Double>](repeating: .zero, count: 3)
            var nz = [UInt64](repeating: 0, count: W)
            for l in 0..<L {
                let (c, b) = coef[lo + l]
                c0[l / 4][l % 4] = c
                for j in 0..<b.count where b[j] != 0 {
                    precondition(maskHas(gr.mask, j), "elastic net: a fold's coefficient is outside the groups")
                    nz[j >> 6] |= 1 << UInt64(j & 63)
                    bT[j * 3 + l / 4][l % 4] = b[j]
                }
            }
            let cls = (0..<12).map { $0 < L ? folds[lo + $0] : -1 }
            let workers = max(1, paths[0].o.workers)
            let chunks = chunkCount(G, workers: workers)
            var parts = [[SIMD4<Double>]](repeating: [], count: chunks)
            parts.withUnsafeMutableBufferPointer { pp in
                let base = pp.baseAddress!
                parallelChunks(chunks, workers: workers) { ch in
                    var acc0 = SIMD4<Double>.zero, acc1 = acc0, acc2 = acc0
                    gr.patterns.withUnsafeBufferPointer { pat in gr.classSums.withUnsafeBufferPointer { csB in bT.withUnsafeBufferPointer { btB in
                        let bt = btB.baseAddress!, cs = csB.baseAddress!
                        /// The folds' rows and Σy in group g, lanes 4b…4b+3.
                        @inline(__always) func sums(_ g: Int, _ b: Int) -> (SIMD4<Double>, SIMD4<Double>) {
                            var r = SIMD4<Double>.zero, y = r
                            for l in 0..<4 where cls[4 * b + l] >= 0 {
                                let at = cs[g &* C &+ cls[4 * b + l]]
                                r[l] = at.rows; y[l] = at.y
                            }
                            return (r, y)
                        }
                        for g in (G * ch / chunks)..<(G * (ch + 1) / chunks) {
                            let rb = pat.baseAddress! + g * W
                            var e0 = c0[0], e1 = c0[1], e2 = c0[2]
                            for k in 0..<W {
                                var word = rb[k] & nz[k]
                                while word != 0 {
                                    let at = bt + (k &<< 6 | word.trailingZeroBitCount) &* 3
                                    e0 += at[0]; e1 += at[1]; e2 += at[2]
                                    word &= word &- 1
                                }
                            }
                            // A fold without rows in the group adds 0·e^η − 0·η = +0.
                            let (r0, y0) = sums(g, 0)
                            acc0 += r0 * exp4(e0) - y0 * e0
                            if L > 4 { let (r1, y1) = sums(g, 1); acc1 += r1 * exp4(e1) - y1 * e1 }
                            if L > 8 { let (r2, y2) = sums(g, 2); acc2 += r2 * exp4(e2) - y2 * e2 }
                        }
                    } } }
                    base[ch] = [acc0, acc1, acc2]
                }
            }
            for l in 0..<L { total[lo + l] = parts.reduce(0) { $0 + $1[l / 4][l % 4] } }
        }
        return (0..<F).map { t in 2 * (sums.yLogY[folds[t]] + total[t]) }
    }
}

/// How many rows ahead the KKT pass prefetches a row's group means (three lane vectors, ~100 MB
/// at a million groups): far enough for a miss to land before the row is reached, near enough
/// to stay within the core's outstanding misses. (The one-path pass reads one Double per group,
/// mostly in cache: a prefetch there measured no gain.)
private let ahead = 24
