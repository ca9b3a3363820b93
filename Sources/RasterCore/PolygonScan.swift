/// Polygon scan conversion shared by the analysis grid and the rasteriser.
///
/// Coordinates are taken to grid units first: `u = (x − originX)/cs` grows east, `v = (originY − y)/cs`
/// grows south, so the cell at (row, col) is the half-open square `[col, col+1) × [row, row+1)`.

struct GridPoint { var u: Double; var v: Double }

extension GridGeometry {
    @inline(__always) func gridPoint(_ p: Point2) -> GridPoint {
        GridPoint(u: (p.x - originX) / cellSize, v: (originY - p.y) / cellSize)
    }
}

enum PolygonScan {
    /// Sets the cells whose centre is inside `polygon` (even-odd rule over all its rings).
    ///
    /// Scanline fill (Foley & van Dam, *Computer Graphics*, §3.6): every edge is visited once and
    /// drops its crossing with each row's centre line `v = row + ½` into that row's bucket
    /// (edges count a crossing when `min v ≤ row + ½ < max v`, so vertices on the line are not
    /// counted twice); each row's crossings are sorted and cells with centre `u = col + ½` in
    /// `[u₂ₖ, u₂ₖ₊₁)` are set. A centre exactly on a west-facing boundary is inside, on an
    /// east-facing one outside, matching the half-open cells. Cost O(E + C log C + R) for E edges,
    /// C crossings and R rows, a word at a time along each run.
    static func fillCentres(_ polygon: Polygon, into mask: inout BitMatrix) {
        let g = mask.geometry
        let h = g.height
        // Count crossings per row, then fill a CSR layout.
        var counts = [Int](repeating: 0, count: h + 1)
        func rowRange(_ a: GridPoint, _ b: GridPoint) -> ClosedRange<Int>? {
            let lo = min(a.v, b.v), hi = max(a.v, b.v)
            let r0 = max(0, Int((lo - 0.5).rounded(.up)))
            let r1 = min(h - 1, Int((hi - 0.5).rounded(.up)) - 1)
            return r0 <= r1 ? r0...r1 : nil
        }
        let rings = polygon.rings.filter { $0.count >= 3 }.map { $0.map(g.gridPoint) }
        for ring in rings {
            for i in ring.indices {
                let a = ring[i], b = ring[i == ring.count - 1 ? 0 : i + 1]
                guard a.v.isFinite, b.v.isFinite, a.u.isFinite, b.u.isFinite, let rr = rowRange(a, b) else { continue }
                for r in rr { counts[r + 1] += 1 }
            }
        }
        for r in 0..<h { counts[r + 1] += counts[r] }
        guard counts[h] > 0 else { return }
        var fill = counts
        var xs = [Double](repeating: 0, count: counts[h])
        for ring in rings {
            for i in ring.indices {
                let a = ring[i], b = ring[i == ring.count - 1 ? 0 : i + 1]
                guard a.v.isFinite, b.v.isFinite, a.u.isFinite, b.u.isFinite, let rr = rowRange(a, b) else { continue }
                let slope = (b.u - a.u) / (b.v - a.v)
                for r in rr {
                    xs[fill[r]] = a.u + (Double(r) + 0.5 - a.v) * slope
                    fill[r] += 1
                }
            }
        }
        let w = g.width
        for r in 0..<h where counts[r + 1] - counts[r] >= 2 {
            xs[counts[r]..<counts[r + 1]].sort()
            var k = counts[r]
            while k + 1 < counts[r + 1] {
                // cells with centre c + ½ in [x0, x1)
                let c0 = max(0, Int(min(Double(w), max(-1, (xs[k] - 0.5).rounded(.up)))))
                let c1 = min(w, Int(max(0, min(Double(w) + 1, (xs[k + 1] - 0.5).rounded(.up)))))
                if c0 < c1 { mask.setRun(row: r, from: c0, to: c1) }
                k += 2
            }
        }
    }

    /// Adds to `area` (row-major, cells of `geometry`) the area of `polygon` inside each cell, in
    /// cell units (1 = the whole cell), exactly up to rounding.
    ///
    /// Green's theorem with `Q(u, v) = G_c(u)·1_row(v)`, `G_c(u) = clamp(u, c, c+1) − c`:
    /// area(P ∩ cell) = ∮_∂P G_c(u) dv, a sum over edges of the integral of a clamped linear
    /// function, done in closed form per (edge, row) piece. Columns wholly west of a piece get
    /// its full Δv, which is added to a per-row difference array, so the cost is
    /// O(cells + Σ over edges of the cells the edge crosses) — no clipping of polygons to cells.
    /// Rings are oriented so the exterior counts positive and holes negative whatever their
    /// stored direction (non-zero = even-odd for valid polygons whose holes lie inside the
    /// exterior and do not overlap). `diff` has `height × (width + 1)` entries.
    static func accumulateArea(_ polygon: Polygon, geometry g: GridGeometry, diff: inout [Double]) {
        let w = g.width, h = g.height, stride = w + 1
        for (ringIndex, ring) in polygon.rings.enumerated() where ring.count >= 3 {
            let pts = ring.map(g.gridPoint)
            // Signed area in (u, v) to orient the ring.
            var twice = 0.0
            for i in pts.indices {
                let a = pts[i], b = pts[i == pts.count - 1 ? 0 : i + 1]
                twice += (a.u - pts[0].u) * (b.v - pts[0].v) - (b.u - pts[0].u) * (a.v - pts[0].v)
            }
            guard twice != 0, twice.isFinite else { continue }
            let sign: Double = (ringIndex == 0 ? 1 : -1) * (twice > 0 ? 1 : -1)
            for i in pts.indices {
                let a = pts[i], b = pts[i == pts.count - 1 ? 0 : i + 1]
                guard a.v != b.v, a.u.isFinite, b.u.isFinite, a.v.isFinite, b.v.isFinite else { continue }   // horizontal edges add nothing to ∮ G dv
                let vlo = max(0, min(a.v, b.v)), vhi = min(Double(h), max(a.v, b.v))
                guard vlo < vhi else { continue }
                let slope = (b.u - a.u) / (b.v - a.v)
                let dir: Double = b.v > a.v ? 1 : -1
                var r = Int(vlo.rounded(.down))
                while r < h, Double(r) < vhi {
                    let s0 = max(vlo, Double(r)), s1 = min(vhi, Double(r + 1))
                    r += 1
                    guard s1 > s0 else { continue }
                    let u0 = a.u + (s0 - a.v) * slope, u1 = a.u + (s1 - a.v) * slope
                    let dv = (s1 - s0) * dir * sign
                    let row = (r - 1) * stride
                    let umin = min(u0, u1), umax = max(u0, u1)
                    // Columns wholly west of the piece: G = 1.
                    let cFull = Int(max(0, min(Double(w), umin.rounded(.down))))
                    if cFull > 0 { diff[row] += dv; diff[row + cFull] -= dv }
                    // Columns the piece crosses: closed form.
                    let cEnd = Int(max(0, min(Double(w), umax.rounded(.up))))
                    if cFull < cEnd {
                        for c in cFull..<cEnd {
                            let v = dv * meanClamped(u0, u1, Double(c))
                            diff[row + c] += v; diff[row + c + 1] -= v
                        }
                    }
                }
            }
        }
    }

    /// Mean of `clamp(u, c, c+1) − c` over u running linearly from u0 to u1.
    @inline(__always) static func meanClamped(_ u0: Double, _ u1: Double, _ c: Double) -> Double {
        @inline(__always) func G(_ u: Double) -> Double { min(max(u - c, 0), 1) }
        @inline(__always) func H(_ u: Double) -> Double {   // antiderivative of G
            let t = u - c
            return t <= 0 ? 0 : (t < 1 ? 0.5 * t * t : t - 0.5)
        }
        let du = u1 - u0
        if abs(du) < 1e-12 { return 0.5 * (G(u0) + G(u1)) }
        return (H(u1) - H(u0)) / du
    }
}
