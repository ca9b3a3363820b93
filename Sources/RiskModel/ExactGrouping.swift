import Foundation

/// Exact grouping of cells for all-binary models.
///
/// Poisson: cells with the same row pattern are sufficient through (Σ y, Σ exposure), so the
/// grouped fit has the same MLE and information; the cell-level log-likelihood is restored by
/// the constant Σᵢ(yᵢoᵢ − log yᵢ!) − Σ_g y_g log E_g. NB2: cells with the same (pattern, count,
/// offset) are identical observations, fitted once with a frequency weight.
/// Group ids are built one column at a time (id' = compact(2·id + bit)), O(n) per column, so a
/// model that adds one column to a cached one costs a single pass.
public struct RowGroups: Sendable {
    /// Group of every cell, 0..<count, numbered by first appearance.
    public let ids: [Int32]
    public let count: Int
    /// First cell of each group.
    public let representative: [Int32]

    /// All cells in one group (the null model).
    public init(rowCount: Int) {
        ids = [Int32](repeating: 0, count: rowCount)
        count = rowCount > 0 ? 1 : 0
        representative = rowCount > 0 ? [0] : []
    }

    init(ids: [Int32], count: Int, representative: [Int32]) {
        self.ids = ids; self.count = count; self.representative = representative
    }

    /// Refines the groups by one binary column. O(n).
    public func adding(_ column: BitColumn) -> RowGroups {
        let n = ids.count
        var remap = [Int32](repeating: -1, count: 2 * count)
        var out = [Int32](repeating: 0, count: n)
        var rep = [Int32]()
        rep.reserveCapacity(min(n, 2 * count))
        var next: Int32 = 0
        ids.withUnsafeBufferPointer { g in
            column.words.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { o in
                    remap.withUnsafeMutableBufferPointer { rm in
                        for i in 0..<n {
                            let key = Int(g[i]) << 1 | Int((w[i >> 6] >> UInt64(i & 63)) & 1)
                            var v = rm[key]
                            if v < 0 { v = next; rm[key] = v; next += 1; rep.append(Int32(i)) }
                            o[i] = v
                        }
                    }
                }
            }
        }
        return RowGroups(ids: out, count: Int(next), representative: rep)
    }

    /// Groups of the row patterns over `columns` (all binary).
    public static func of(_ design: DesignMatrix, columns: [Int]) -> RowGroups {
        var g = RowGroups(rowCount: design.rowCount)
        for c in columns {
            guard case .binary(let b) = design.columns[c] else { preconditionFailure("grouping needs binary columns") }
            g = g.adding(b)
        }
        return g
    }
}

extension GLMRows {
    /// Dense row-major values of `columns` at the representative cells.
    private static func denseRows(_ design: DesignMatrix, _ columns: [Int], _ rep: [Int32]) -> [Double] {
        let p = columns.count
        var x = [Double](repeating: 0, count: rep.count * p)
        for (jj, c) in columns.enumerated() {
            let col = design.columns[c]
            for (g, r) in rep.enumerated() { x[g * p + jj] = col.value(Int(r)) }
        }
        return x
    }

    /// Poisson rows grouped by pattern: Σ counts, offset log Σ exposure.
    static func poissonGrouped(_ design: DesignMatrix, _ columns: [Int], _ groups: RowGroups) -> GLMRows {
        let G = groups.count
        var ys = [Double](repeating: 0, count: G), ex = [Double](repeating: 0, count: G)
        var yo = 0.0
        for i in 0..<design.rowCount {
            let g = Int(groups.ids[i])
            ys[g] += design.counts[i]
            if let o = design.offset { ex[g] += Foundation.exp(o[i]); yo += design.counts[i] * o[i] } else { ex[g] += 1 }
        }
        var c = yo - Dist.sumLogFactorial(design.counts)
        var off = [Double](repeating: 0, count: G)
        for g in 0..<G { off[g] = Foundation.log(ex[g]); c -= ys[g] * off[g] }
        return GLMRows(n: G, k: columns.count + 1, y: ys, weight: nil, offset: off,
                       source: .dense(denseRows(design, columns, groups.representative)), cellCount: design.rowCount,
                       poissonConstant: c, names: columns.map { design.names[$0] },
                       binaryColumn: columns.map { design.columns[$0].isBinary })
    }

    /// NB2 rows grouped by (pattern, count, offset) with frequency weights.
    static func negativeBinomialGrouped(_ design: DesignMatrix, _ columns: [Int], _ groups: RowGroups) -> GLMRows {
        let n = design.rowCount
        var key = [Int32](repeating: 0, count: n)
        var rep = [Int32](), freq = [Double]()
        var dict = [Int: Int32]()
        let ymax = Int(design.counts.max() ?? 0)
        let dense = groups.count * (ymax + 1) <= 4 * n + 1024 && design.offset == nil
        var table = dense ? [Int32](repeating: -1, count: groups.count * (ymax + 1)) : []
        var offDict = [OffKey: Int32]()
        for i in 0..<n {
            let y = Int(design.counts[i])
            var v: Int32
            if dense {
                let kk = Int(groups.ids[i]) * (ymax + 1) + y
                v = table[kk]
                if v < 0 { v = Int32(rep.count); table[kk] = v; rep.append(Int32(i)); freq.append(0) }
            } else if let o = design.offset {
                let kk = OffKey(g: groups.ids[i], y: Int32(y), o: o[i].bitPattern)
                if let e = offDict[kk] { v = e } else { v = Int32(rep.count); offDict[kk] = v; rep.append(Int32(i)); freq.append(0) }
            } else {
                let kk = Int(groups.ids[i]) * (ymax + 1) + y
                if let e = dict[kk] { v = e } else { v = Int32(rep.count); dict[kk] = v; rep.append(Int32(i)); freq.append(0) }
            }
            key[i] = v
            freq[Int(v)] += 1
        }
        let ys = rep.map { design.counts[Int($0)] }
        let off = design.offset.map { o in rep.map { o[Int($0)] } }
        var c = 0.0
        for (g, y) in ys.enumerated() { c -= freq[g] * Dist.logFactorial(y) }
        return GLMRows(n: rep.count, k: columns.count + 1, y: ys, weight: freq, offset: off,
                       source: .dense(denseRows(design, columns, rep)), cellCount: n,
                       poissonConstant: c, names: columns.map { design.names[$0] },
                       binaryColumn: columns.map { design.columns[$0].isBinary })
    }

    private struct OffKey: Hashable { let g: Int32; let y: Int32; let o: UInt64 }
}
