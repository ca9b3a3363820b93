import Foundation

/// The rows an IRLS fit sees: either the design's cells (column values read from the bit-packed
/// or dense design columns, tile by tile) or exactly grouped rows (dense, small), with
/// frequency weights, an offset and the constant that turns the kernel log-likelihood into
/// the cell-level one.
struct GLMRows: @unchecked Sendable {
    enum Source {
        /// Cells of the design, columns selected by index.
        case design(DesignMatrix, [Int])
        /// Row-major `n × (k − 1)` values (the intercept is implicit).
        case dense([Double])
    }
    let n: Int
    /// Parameters including the intercept.
    let k: Int
    let y: [Double]
    let weight: [Double]?
    let offset: [Double]?
    let source: Source
    /// Number of cells the rows stand for (for BIC's ln n).
    let cellCount: Int
    /// Poisson: added to Σ w(yη − μ) to give the cell-level log-likelihood (−Σ log y! etc.).
    let poissonConstant: Double
    /// Column names (without the intercept).
    let names: [String]
    let binaryColumn: [Bool]

    static let tile = 256

    /// Fill `tile` (column-major, stride `tile`) with rows lo..<hi; column 0 is the intercept.
    @inline(__always)
    func fill(_ t: UnsafeMutablePointer<Double>, _ lo: Int, _ hi: Int) {
        let B = GLMRows.tile, m = hi - lo
        for r in 0..<m { t[r] = 1 }
        switch source {
        case .dense(let x):
            let p = k - 1
            x.withUnsafeBufferPointer { xp in
                for r in 0..<m {
                    let base = (lo + r) * p
                    for j in 0..<p { t[(j + 1) * B + r] = xp[base + j] }
                }
            }
        case .design(let d, let cols):
            for (jj, c) in cols.enumerated() {
                let dst = t + (jj + 1) * B
                switch d.columns[c] {
                case .binary(let b):
                    b.words.withUnsafeBufferPointer { w in
                        var r = 0
                        while r < m {
                            let row = lo + r
                            let word = w[row >> 6] >> UInt64(row & 63)
                            let take = min(64 - (row & 63), m - r)
                            for q in 0..<take { dst[r + q] = Double((word >> UInt64(q)) & 1) }
                            r += take
                        }
                    }
                case .continuous(let v):
                    v.withUnsafeBufferPointer { vp in for r in 0..<m { dst[r] = vp[lo + r] } }
                }
            }
        }
    }

    /// Cell-level rows of `columns` of `design` (no grouping).
    static func cells(_ design: DesignMatrix, _ columns: [Int]) -> GLMRows {
        GLMRows(n: design.rowCount, k: columns.count + 1, y: design.counts, weight: nil, offset: design.offset,
                source: .design(design, columns), cellCount: design.rowCount,
                poissonConstant: -Dist.sumLogFactorial(design.counts),
                names: columns.map { design.names[$0] }, binaryColumn: columns.map { design.columns[$0].isBinary })
    }

    var workers: Int { n < 16384 ? 1 : 2 }

    /// Σ w y: the events the rows stand for.
    var eventCount: Double {
        var s = 0.0
        for i in 0..<n { s += (weight?[i] ?? 1) * y[i] }
        return s
    }

    /// Runs `body(lo, hi, tile)` over all rows in tiles, split across `workers` contiguous ranges;
    /// returns each worker's partial result for the caller to reduce in order.
    func forEachTile<R>(workers requested: Int, initial: R, _ body: (inout R, Int, Int, UnsafeMutablePointer<Double>) -> Void) -> [R] {
        let w = max(1, min(requested, workers))
        var parts = [R](repeating: initial, count: w)
        let B = GLMRows.tile
        parts.withUnsafeMutableBufferPointer { pp in
            let base = pp.baseAddress!
            parallelWorkers(w) { worker in
                let range = rowRange(worker, of: w, n: n)
                let t = UnsafeMutablePointer<Double>.allocate(capacity: B * k)
                defer { t.deallocate() }
                var acc = initial
                var lo = range.lowerBound
                while lo < range.upperBound {
                    let hi = min(lo + B, range.upperBound)
                    fill(t, lo, hi)
                    body(&acc, lo, hi, t)
                    lo = hi
                }
                base[worker] = acc
            }
        }
        return parts
    }

    /// Linear predictor η = Xβ + offset for every row.
    func linearPredictor(_ beta: [Double], workers: Int) -> [Double] {
        var eta = [Double](repeating: 0, count: n)
        let B = GLMRows.tile
        eta.withUnsafeMutableBufferPointer { ep in
            let e = ep.baseAddress!
            _ = forEachTile(workers: workers, initial: 0) { _, lo, hi, t in
                let m = hi - lo
                for r in 0..<m { e[lo + r] = offset?[lo + r] ?? 0 }
                for j in 0..<k {
                    let b = beta[j], col = t + j * B
                    for r in 0..<m { e[lo + r] += b * col[r] }
                }
            }
        }
        return eta
    }
}
