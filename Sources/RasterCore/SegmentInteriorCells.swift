/// The cells whose open interior a segment passes through: GDAL's "all touched" rule for lines
/// and polygon rings (`gdal_rasterize -at`, rasterio `all_touched=True`), so that layers burned
/// here match what a GIS burns.
///
/// The segment is cut at every grid line it crosses (parameters t where u or v is a whole number);
/// each piece between consecutive cuts lies inside exactly one cell's interior, found from the
/// piece's midpoint. Consequences, all as GDAL: an endpoint on a cell edge or corner adds no
/// cell, and a diagonal through a corner burns only the cells it passes through, not the two it
/// grazes. A segment lying along a grid line touches no interior; `onGridLine` decides it:
/// `.halfOpen` burns the cell the half-open rule gives the line (east of a vertical, south of a
/// horizontal — GDAL's choice for lines), `.skip` burns nothing (polygon rings: the fill already
/// holds the inside cells, and the outside ones share only an edge with the polygon).
///
/// Cost O(cells crossed) per segment after a Liang–Barsky clip to the grid.
enum SegmentInteriorCells {
    enum OnGridLine { case halfOpen, skip }

    static func traverse(_ a: GridPoint, _ b: GridPoint, width: Int, height: Int, onGridLine: OnGridLine,
                         _ visit: (Int, Int) -> Void) {
        guard let (t0, t1) = Supercover.clip(a, b, width: width, height: height) else { return }
        let du = b.u - a.u, dv = b.v - a.v
        guard t1 > t0 else { return }
        // Cuts at whole u and whole v, each list increasing in t, merged on the fly.
        func cuts(_ start: Double, _ delta: Double) -> [Double] {
            guard delta != 0 else { return [] }
            let lo = min(start + t0 * delta, start + t1 * delta), hi = max(start + t0 * delta, start + t1 * delta)
            var k = lo.rounded(.up), ts: [Double] = []
            while k <= hi { ts.append((k - start) / delta); k += 1 }
            return delta > 0 ? ts : ts.reversed()
        }
        let cu = cuts(a.u, du), cv = cuts(a.v, dv)
        var i = 0, j = 0, previous = t0
        func piece(upTo t: Double) {
            defer { previous = t }
            guard t - previous > 1e-12 else { return }
            let tm = (previous + t) / 2
            let u = a.u + tm * du, v = a.v + tm * dv
            let onVertical = du == 0 && u == u.rounded(), onHorizontal = dv == 0 && v == v.rounded()
            if (onVertical || onHorizontal) && onGridLine == .skip { return }
            let c = Int(u.rounded(.down)), r = Int(v.rounded(.down))
            if r >= 0, r < height, c >= 0, c < width { visit(r, c) }
        }
        while i < cu.count || j < cv.count {
            let t = j >= cv.count || (i < cu.count && cu[i] <= cv[j]) ? cu[i] : cv[j]
            if j >= cv.count || (i < cu.count && cu[i] <= cv[j]) { i += 1 } else { j += 1 }
            guard t > t0, t < t1 else { continue }
            piece(upTo: t)
        }
        piece(upTo: t1)
    }
}
