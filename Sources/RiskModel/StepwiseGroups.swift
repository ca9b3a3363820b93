import Foundation

/// Design-level constants shared by every grouped fit of one stepwise run: the event cells
/// (y > 0; usually a small fraction of the cells), Σ y·offset − Σ log y!, exposures.
struct EventIndex: @unchecked Sendable {
    let rows: [Int32]
    let y: [Double]
    let ymax: Int
    /// Σᵢ (yᵢ oᵢ − log yᵢ!).
    let base: Double
    let logFactorialSum: Double
    let exposure: [Double]?
    let saturated: Double

    init(_ d: DesignMatrix) {
        var r = [Int32](), yy = [Double]()
        var yo = 0.0
        for i in 0..<d.rowCount where d.counts[i] > 0 {
            r.append(Int32(i)); yy.append(d.counts[i])
            if let o = d.offset { yo += d.counts[i] * o[i] }
        }
        rows = r; y = yy
        ymax = Int(yy.max() ?? 0)
        logFactorialSum = Dist.sumLogFactorial(yy)
        base = yo - logFactorialSum
        exposure = d.offset.map { $0.map { Foundation.exp($0) } }
        saturated = GLMRows.poissonSaturated(d)
    }
}

/// The current stepwise model's exact groups (all columns binary) and their sufficient
/// statistics, from which the rows of any one-column addition are built in O(nnz of the column
/// + events + groups) and of any removal in O(groups + events) — no pass over all cells
/// (Poisson: Σ y and Σ exposure per pattern; NB2: cells per (pattern, count)). Accepting a move
/// rebuilds the cell → group map in O(n).
struct GroupedModel: @unchecked Sendable {
    let design: DesignMatrix
    let ev: EventIndex
    let columns: [Int]
    let ids: [Int32]
    let count: Int
    /// Bit t of pattern[g] = value of columns[t] in group g.
    let pattern: [UInt64]
    let cells: [Double]
    let expo: [Double]
    let ysum: [Double]

    init(design: DesignMatrix, events: EventIndex, columns: [Int], ids: [Int32], count: Int) {
        self.design = design; ev = events; self.columns = columns; self.ids = ids; self.count = count
        var pat = [UInt64](repeating: 0, count: count), seen = [Bool](repeating: false, count: count)
        var c = [Double](repeating: 0, count: count), e = c, ys = c
        let bits = columns.map { col -> BitColumn in
            guard case .binary(let b) = design.columns[col] else { preconditionFailure("grouped model needs binary columns") }
            return b
        }
        for i in 0..<ids.count {
            let g = Int(ids[i])
            c[g] += 1
            e[g] += events.exposure?[i] ?? 1
            if !seen[g] {
                seen[g] = true
                var m: UInt64 = 0
                for (t, b) in bits.enumerated() where b[i] { m |= 1 << UInt64(t) }
                pat[g] = m
            }
        }
        for (r, y) in zip(events.rows, events.y) { ys[Int(ids[Int(r)])] += y }
        pattern = pat; cells = c; expo = e; ysum = ys
    }

    static func null(_ design: DesignMatrix, _ events: EventIndex) -> GroupedModel {
        GroupedModel(design: design, events: events, columns: [], ids: [Int32](repeating: 0, count: design.rowCount), count: 1)
    }

    /// Sufficient statistics of a candidate model given as a map old group → new group.
    struct Candidate {
        var columns: [Int]
        var count: Int
        var pattern: [UInt64]
        var cells: [Double], expo: [Double], ysum: [Double]
        /// New group of each event cell (aligned with `EventIndex.rows`).
        var eventGroup: [Int32]
    }

    /// Candidate with `column` appended.
    func adding(_ column: Int) -> Candidate {
        guard case .binary(let b) = design.columns[column] else { preconditionFailure() }
        let G = count
        var ones = [Double](repeating: 0, count: G), expOnes = ones, yOnes = ones
        ids.withUnsafeBufferPointer { id in
            b.words.withUnsafeBufferPointer { w in
                for wi in 0..<w.count {
                    var word = w[wi]
                    while word != 0 {
                        let i = wi << 6 | word.trailingZeroBitCount
                        let g = Int(id[i])
                        ones[g] += 1
                        if let ex = ev.exposure { expOnes[g] += ex[i] }
                        word &= word &- 1
                    }
                }
            }
        }
        if ev.exposure == nil { expOnes = ones }
        for (r, y) in zip(ev.rows, ev.y) where b[Int(r)] { yOnes[Int(ids[Int(r)])] += y }
        var map = [Int32](repeating: -1, count: 2 * G)
        var c = Candidate(columns: columns + [column], count: 0, pattern: [], cells: [], expo: [], ysum: [], eventGroup: [])
        let k = UInt64(columns.count)
        for g in 0..<G {
            for bit in 0..<2 {
                let n = bit == 1 ? ones[g] : cells[g] - ones[g]
                guard n > 0 else { continue }
                map[2 * g + bit] = Int32(c.count); c.count += 1
                c.pattern.append(pattern[g] | (bit == 1 ? 1 << k : 0))
                c.cells.append(n)
                c.expo.append(bit == 1 ? expOnes[g] : expo[g] - expOnes[g])
                c.ysum.append(bit == 1 ? yOnes[g] : ysum[g] - yOnes[g])
            }
        }
        c.eventGroup = ev.rows.map { r in map[2 * Int(ids[Int(r)]) + (b[Int(r)] ? 1 : 0)] }
        return c
    }

    /// Candidate without columns[t]: groups that differ only in that column merge.
    func dropping(at t: Int) -> Candidate {
        let keep = (0..<columns.count).filter { $0 != t }
        var dict = [UInt64: Int32]()
        var map = [Int32](repeating: 0, count: count)
        var c = Candidate(columns: keep.map { columns[$0] }, count: 0, pattern: [], cells: [], expo: [], ysum: [], eventGroup: [])
        for g in 0..<count {
            var m: UInt64 = 0
            for (nt, ot) in keep.enumerated() where pattern[g] >> UInt64(ot) & 1 == 1 { m |= 1 << UInt64(nt) }
            if let e = dict[m] { map[g] = e } else {
                let e = Int32(c.count); dict[m] = e; map[g] = e; c.count += 1
                c.pattern.append(m); c.cells.append(0); c.expo.append(0); c.ysum.append(0)
            }
            let e = Int(map[g])
            c.cells[e] += cells[g]; c.expo[e] += expo[g]; c.ysum[e] += ysum[g]
        }
        c.eventGroup = ev.rows.map { map[Int(ids[Int($0)])] }
        return c
    }

    /// The cell → group map of an accepted candidate (O(n)).
    func accept(_ c: Candidate) -> GroupedModel {
        var ids: [Int32]
        if c.columns.count == columns.count + 1, case .binary(let b) = design.columns[c.columns.last!] {
            // Recompute by refining: same numbering as `adding` (2g + bit, compacted in order).
            var map = [Int32](repeating: -1, count: 2 * count)
            var next: Int32 = 0
            // Deterministic compact numbering by (g, bit) as in `adding`.
            var present = [Bool](repeating: false, count: 2 * count)
            for i in 0..<design.rowCount { present[2 * Int(self.ids[i]) + (b[i] ? 1 : 0)] = true }
            for key in 0..<(2 * count) where present[key] { map[key] = next; next += 1 }
            ids = (0..<design.rowCount).map { map[2 * Int(self.ids[$0]) + (b[$0] ? 1 : 0)] }
        } else {
            let keepPattern = c.pattern
            var dict = [UInt64: Int32]()
            for (g, m) in keepPattern.enumerated() { dict[m] = Int32(g) }
            let old = self
            let keep = c.columns.map { col in old.columns.firstIndex(of: col)! }
            var map = [Int32](repeating: 0, count: count)
            for g in 0..<count {
                var m: UInt64 = 0
                for (nt, ot) in keep.enumerated() where pattern[g] >> UInt64(ot) & 1 == 1 { m |= 1 << UInt64(nt) }
                map[g] = dict[m]!
            }
            ids = self.ids.map { map[Int($0)] }
        }
        return GroupedModel(design: design, events: ev, columns: c.columns, ids: ids, count: c.count)
    }
}

extension GroupedModel.Candidate {
    private func dense() -> [Double] {
        let k = columns.count
        var x = [Double](repeating: 0, count: count * k)
        for g in 0..<count { for t in 0..<k where pattern[g] >> UInt64(t) & 1 == 1 { x[g * k + t] = 1 } }
        return x
    }

    /// Poisson rows: one per pattern, Σ y and log Σ exposure.
    func poissonRows(_ d: DesignMatrix, _ ev: EventIndex) -> GLMRows {
        var c = ev.base
        let off = expo.map { Foundation.log($0) }
        for g in 0..<count { c -= ysum[g] * off[g] }
        return GLMRows(n: count, k: columns.count + 1, y: ysum, weight: nil, offset: off, source: .dense(dense()),
                       cellCount: d.rowCount, poissonConstant: c, names: columns.map { d.names[$0] },
                       binaryColumn: [Bool](repeating: true, count: columns.count))
    }

    /// NB2 rows: one per (pattern, count) with the number of cells as frequency weight.
    /// Only without offsets (with offsets the caller groups cell by cell).
    func negativeBinomialRows(_ d: DesignMatrix, _ ev: EventIndex) -> GLMRows {
        precondition(d.offset == nil)
        let Y = ev.ymax + 1
        var tally = [Int: Double]()
        var positive = [Double](repeating: 0, count: count)
        for (e, y) in ev.y.enumerated() {
            let g = Int(eventGroup[e])
            tally[g * Y + Int(y), default: 0] += 1
            positive[g] += 1
        }
        let keys = tally.keys.sorted()
        var ys = [Double](), w = [Double](), gs = [Int]()
        var ki = 0
        for g in 0..<count {
            let zeros = cells[g] - positive[g]
            if zeros > 0 { ys.append(0); w.append(zeros); gs.append(g) }
            while ki < keys.count && keys[ki] / Y == g { ys.append(Double(keys[ki] % Y)); w.append(tally[keys[ki]]!); gs.append(g); ki += 1 }
        }
        let k = columns.count
        var x = [Double](repeating: 0, count: gs.count * k)
        for (r, g) in gs.enumerated() { for t in 0..<k where pattern[g] >> UInt64(t) & 1 == 1 { x[r * k + t] = 1 } }
        return GLMRows(n: gs.count, k: k + 1, y: ys, weight: w, offset: nil, source: .dense(x), cellCount: d.rowCount,
                       poissonConstant: -ev.logFactorialSum, names: columns.map { d.names[$0] },
                       binaryColumn: [Bool](repeating: true, count: k))
    }
}
