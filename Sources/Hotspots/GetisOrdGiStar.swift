import RasterCore

/// Local Getis–Ord Gi* hot and cold spots of a per-cell count raster over the study cells.
///
/// Gi* of cell i with binary distance-band weights wᵢⱼ = 1 when the centres of study cells i
/// and j are at most `distance` metres apart (j = i included), n study cells, x̄ and
/// S = √(Σx²/n − x̄²) over them, Wᵢ = Σⱼ wᵢⱼ (Ord & Getis 1995, Geogr. Anal. 27:286, eq. 14;
/// Getis & Ord 1992):
///
///     zᵢ = (Σⱼ wᵢⱼ xⱼ − x̄ Wᵢ) / (S √((n Wᵢ − Wᵢ²) / (n − 1)))
///
/// This equals PySAL esda `G_Local(y, w, transform='B', star=True).Zs` (the golden test). The
/// two-sided p-value is erfc(|z|/√2) (esda's `p_norm` is the one-sided sf(|z|), half of it).
/// Cells are hot (+1) or cold (−1) when Benjamini–Hochberg at `q` over all the study cells'
/// p-values rejects, and the sign of z says which; else 0. Cells outside the study area are
/// neither observations nor neighbours: z and p are NaN and the class 0 there.
/// z is undefined (NaN, never significant) when S = 0 (all counts equal) or Wᵢ = n.
///
/// Window sums by the disc's row runs: for each row offset dr the disc covers columns
/// |dc| ≤ ⌊√(r² − dr²)⌋ (r = distance / cell size, 1e-9 relative slack, as `Kernel.uniform`), and
/// each run is one difference of per-row prefix sums of x·mask and mask. Cost
/// O(cells × (2r + 1)) time (one prefix sum per row offset instead of a cell per offset: a
/// 400-cell disc costs 23 lookups per cell), O(cells) memory, the cells split over the workers.
/// Sums in Double; matches esda to 1e-9 in z (golden test).
public enum GetisOrdGiStar {
    public struct Result: Sendable {
        /// z per grid cell (NaN outside the study cells or where undefined).
        public let z: Raster<Double>
        /// Two-sided normal p per grid cell (NaN where z is).
        public let p: Raster<Double>
        /// +1 hot spot, −1 cold spot, 0 not significant (or outside), after BH at `q`.
        public let classes: Raster<Int8>
        /// Neighbours including self, Wᵢ, per grid cell (0 outside).
        public let neighbours: Raster<Int32>
        /// The largest p-value judged significant; nil when none is.
        public let cutoff: Double?
        public var hotCount: Int { classes.values.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }
        public var coldCount: Int { classes.values.reduce(0) { $0 + ($1 < 0 ? 1 : 0) } }
    }

    /// Gi* of `counts` over `cells` with a distance band of `distance` metres, FDR level `q`.
    public static func compute(_ counts: Raster<Float>, cells: StudyCells, distance: Double, q: Double = 0.05) -> Result {
        precondition(cells.geometry == counts.geometry, "study cells and raster on different grids")
        precondition(distance.isFinite && distance >= 0, "a distance band is finite and not negative")
        let g = counts.geometry, w = g.width, h = g.height
        var x = [Double](repeating: 0, count: g.cellCount)
        var m = [Double](repeating: 0, count: g.cellCount)
        var sum = 0.0, sum2 = 0.0
        for i in cells.indices { let v = Double(counts.values[i]); x[i] = v; m[i] = 1; sum += v; sum2 += v * v }
        let n = Double(cells.count)
        let mean = sum / n
        let s = (max(0, sum2 / n - mean * mean)).squareRoot()
        // Row prefix sums: px[r·(w+1) + c] = Σ x over columns < c of row r.
        let stride = w + 1
        var px = [Double](repeating: 0, count: h * stride), pm = px
        for r in 0..<h {
            for c in 0..<w {
                px[r * stride + c + 1] = px[r * stride + c] + x[r * w + c]
                pm[r * stride + c + 1] = pm[r * stride + c] + m[r * w + c]
            }
        }
        let rr = distance / g.cellSize
        let r2 = rr * rr * (1 + 1e-9)
        let R = Int(r2.squareRoot())
        let halfWidth = (0...R).map { dr in Int((r2 - Double(dr * dr)).squareRoot()) }
        var z = [Double](repeating: .nan, count: g.cellCount), p = z
        var wCount = [Int32](repeating: 0, count: g.cellCount)
        // Each cell's sums, z and p on its own: cell chunks on the workers, disjoint writes.
        z.withUnsafeMutableBufferPointer { zB in p.withUnsafeMutableBufferPointer { pB in wCount.withUnsafeMutableBufferPointer { wB in
        px.withUnsafeBufferPointer { pxB in pm.withUnsafeBufferPointer { pmB in cells.indices.withUnsafeBufferPointer { idx in
            let zz = zB.baseAddress!, pp = pB.baseAddress!, wc = wB.baseAddress!, px = pxB.baseAddress!, pm = pmB.baseAddress!
            Parallel.forEachChunk(idx.count, minChunk: 4096) { chunk in
                for t in chunk {
                    let i = idx[t], r = i / w, c = i % w
                    var sx = 0.0, sw = 0.0
                    for dr in -R...R {
                        let row = r + dr
                        guard row >= 0, row < h else { continue }
                        let hw = halfWidth[abs(dr)]
                        let lo = max(0, c - hw), hi = min(w, c + hw + 1)
                        sx += px[row * stride + hi] - px[row * stride + lo]
                        sw += pm[row * stride + hi] - pm[row * stride + lo]
                    }
                    wc[i] = Int32(sw)
                    let denom = s * ((n * sw - sw * sw) / (n - 1)).squareRoot()
                    if denom > 0 {
                        zz[i] = (sx - mean * sw) / denom
                        pp[i] = NormalDistribution.twoSidedP(zz[i])
                    }
                }
            }
        } } } } } }
        let tested = cells.indices
        let bh = FalseDiscoveryRate.rejections(tested.map { p[$0] }, q: q)
        var cls = [Int8](repeating: 0, count: g.cellCount)
        for (k, i) in tested.enumerated() where bh.rejected[k] { cls[i] = z[i] > 0 ? 1 : -1 }
        return Result(z: Raster(geometry: g, values: z), p: Raster(geometry: g, values: p),
                      classes: Raster(geometry: g, values: cls), neighbours: Raster(geometry: g, values: wCount),
                      cutoff: bh.cutoff)
    }
}
