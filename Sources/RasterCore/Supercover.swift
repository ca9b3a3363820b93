/// All-touched traversal of line segments over the grid.
enum Supercover {
    /// Calls `visit(row, col)` for every grid cell that holds a point of the segment `a`–`b`
    /// (grid units, see `GridPoint`), under the half-open cell rule.
    ///
    /// Amanatides & Woo, "A fast voxel traversal algorithm for ray tracing", Eurographics 1987:
    /// walk from cell to cell, stepping across whichever grid line the segment meets first.
    /// When it passes exactly through a grid corner the corner's own (half-open) cell is visited
    /// as well as the diagonal neighbour. The segment is first clipped to the grid
    /// (Liang & Barsky 1984), so cost is O(cells visited) inside the grid and O(1) outside it.
    /// Cells can be visited twice (at shared vertices); callers burn idempotently.
    static func traverse(_ a: GridPoint, _ b: GridPoint, width: Int, height: Int,
                         _ visit: (Int, Int) -> Void) {
        guard let (t0, t1) = clip(a, b, width: width, height: height) else { return }
        let du = b.u - a.u, dv = b.v - a.v
        let u0 = a.u + t0 * du, v0 = a.v + t0 * dv
        let u1 = a.u + t1 * du, v1 = a.v + t1 * dv
        @inline(__always) func mark(_ r: Int, _ c: Int) {
            if r >= 0, r < height, c >= 0, c < width { visit(r, c) }
        }
        var c = Int(u0.rounded(.down)), r = Int(v0.rounded(.down))
        let cEnd = Int(u1.rounded(.down)), rEnd = Int(v1.rounded(.down))
        let su = du > 0 ? 1 : -1, sv = dv > 0 ? 1 : -1
        let ddu = u1 - u0, ddv = v1 - v0
        var tMaxU = ddu > 0 ? (Double(c + 1) - u0) / ddu : (ddu < 0 ? (Double(c) - u0) / ddu : .infinity)
        var tMaxV = ddv > 0 ? (Double(r + 1) - v0) / ddv : (ddv < 0 ? (Double(r) - v0) / ddv : .infinity)
        let tDeltaU = ddu != 0 ? abs(1 / ddu) : .infinity
        let tDeltaV = ddv != 0 ? abs(1 / ddv) : .infinity
        mark(r, c)
        var remaining = abs(cEnd - c) + abs(rEnd - r)
        while remaining > 0 {
            if tMaxU < tMaxV {
                c += su; tMaxU += tDeltaU; remaining -= 1
            } else if tMaxV < tMaxU {
                r += sv; tMaxV += tDeltaV; remaining -= 1
            } else {
                // Through a corner: the corner point itself lies in the cell to its south-east.
                let cr = sv > 0 ? r + 1 : r, cc = su > 0 ? c + 1 : c
                if cr != r + sv || cc != c + su { mark(cr, cc) }
                c += su; r += sv; tMaxU += tDeltaU; tMaxV += tDeltaV; remaining -= 2
            }
            mark(r, c)
        }
        mark(rEnd, cEnd)
    }

    /// Liang & Barsky (1984) clip of segment `a`–`b` to the closed grid [0, W] × [0, H]: the
    /// parameter interval inside, or nil when the segment misses the grid (or has a non-finite end).
    static func clip(_ a: GridPoint, _ b: GridPoint, width: Int, height: Int) -> (Double, Double)? {
        guard a.u.isFinite, a.v.isFinite, b.u.isFinite, b.v.isFinite else { return nil }
        var t0 = 0.0, t1 = 1.0
        let du = b.u - a.u, dv = b.v - a.v
        for (p, q) in [(-du, a.u), (du, Double(width) - a.u), (-dv, a.v), (dv, Double(height) - a.v)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let t = q / p
                if p < 0 { if t > t1 { return nil }; if t > t0 { t0 = t } } else { if t < t0 { return nil }; if t < t1 { t1 = t } }
            }
        }
        return (t0, t1)
    }
}
