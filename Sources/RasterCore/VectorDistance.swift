/// Exact Euclidean distance from every cell centre to the nearest point of a set of geometries
/// (points, lines, polygon boundaries), 0 where the centre is inside a polygon — the peers'
/// `--distance exact`, as opposed to `EuclideanDistance.distances(to:on:)`, which measures to
/// the nearest burned cell's centre (within a cell's half-diagonal of this).
///
/// Method: every point, line segment and polygon edge becomes a segment (points are zero-length),
/// filed in a uniform bucket grid of B × B cells (B = 16) under the buckets crossed by its
/// projection onto the grid's rectangle (Amanatides & Woo traversal per linear piece), so that
/// features off the grid are filed at the border, and a bucket's distance from a cell is a lower
/// bound for every segment filed in it (projection onto a convex set does not increase
/// distances). Each cell starts from the upper bound D + cs·√2/2, D being the cell-centre EDT to
/// the all-touched burn (the nearest burned cell holds a geometry point within its half-diagonal),
/// and searches rings of buckets outwards until the ring's lower bound exceeds the best distance
/// found (the classical cell-list nearest-neighbour search; Bentley, Weide & Yao 1980). Point–
/// segment distances in Double in grid units. Cost O(cells × buckets within the nearest
/// distance + segments × buckets crossed); memory O(segments) per worker. Parallel over row
/// chunks. Result in metres, Float32 (relative error ≤ 1e-7). Measured: 2,000 points on a
/// 1600² grid, 0.33 s (against 0.02 s for the cell-centre EDT).
public enum VectorDistance {
    /// Bucket side in cells.
    static let bucket = 16

    /// Exact distance in metres from each cell centre of `grid` to the nearest point of
    /// `geometries`; 0 inside polygons (centre rule, even-odd); `+infinity` with no geometry.
    public static func distances(to geometries: [Geometry], on grid: GridGeometry) -> Raster<Float> {
        // Segments in grid units (u east, v south), points as zero-length segments.
        var seg: [(GridPoint, GridPoint)] = []
        var inside = BitMatrix(geometry: grid)
        func addLine(_ line: [Point2], closed: Bool) {
            let p = line.map(grid.gridPoint).filter { $0.u.isFinite && $0.v.isFinite }
            guard let first = p.first else { return }
            if p.count == 1 { seg.append((first, first)); return }
            for i in 0..<(closed ? p.count : p.count - 1) { seg.append((p[i], p[(i + 1) % p.count])) }
        }
        for g in geometries {
            switch g {
            case .point(let p): addLine([p], closed: false)
            case .multiPoint(let ps): for p in ps { addLine([p], closed: false) }
            case .lineString(let l): addLine(l, closed: false)
            case .multiLineString(let ls): for l in ls { addLine(l, closed: false) }
            case .polygon(let p):
                PolygonScan.fillCentres(p, into: &inside)
                for ring in p.rings { addLine(ring, closed: true) }
            case .multiPolygon(let ps):
                for p in ps {
                    PolygonScan.fillCentres(p, into: &inside)
                    for ring in p.rings { addLine(ring, closed: true) }
                }
            }
        }
        let w = grid.width, h = grid.height, cs = grid.cellSize
        var out = [Float](repeating: .infinity, count: grid.cellCount)
        guard !seg.isEmpty else { return Raster(geometry: grid, values: out) }

        // Bucket index (CSR) of the segments' projections onto the grid rectangle.
        let b = bucket, nbu = (w + b - 1) / b, nbv = (h + b - 1) / b
        var lists = [[Int32]](repeating: [], count: nbu * nbv)
        let W = Double(w), H = Double(h)
        for (k, (a, e)) in seg.enumerated() {
            // Breakpoints where a coordinate crosses the rectangle's sides: between them the
            // clamped segment is linear.
            var ts: [Double] = [0, 1]
            for (p0, p1, lim) in [(a.u, e.u, 0.0), (a.u, e.u, W), (a.v, e.v, 0.0), (a.v, e.v, H)] where p0 != p1 {
                let t = (lim - p0) / (p1 - p0)
                if t > 0, t < 1 { ts.append(t) }
            }
            ts.sort()
            var last = -1
            for i in 0..<(ts.count - 1) {
                func clamped(_ t: Double) -> GridPoint {
                    // Into [0, W) × [0, H) in bucket units (just inside the far edges).
                    let u = min(max(a.u + t * (e.u - a.u), 0), W * (1 - 1e-12)) / Double(b)
                    let v = min(max(a.v + t * (e.v - a.v), 0), H * (1 - 1e-12)) / Double(b)
                    return GridPoint(u: u, v: v)
                }
                Supercover.traverse(clamped(ts[i]), clamped(ts[i + 1]), width: nbu, height: nbv) { r, c in
                    let cell = r * nbu + c
                    if cell != last { lists[cell].append(Int32(k)); last = cell }
                }
            }
        }
        // Upper bounds from the cell-centre EDT of the burned features.
        let burned = Rasterize.features(geometries, on: grid, polygonRule: .allTouched)
        let centreEDT = EuclideanDistance.distances(to: burned)
        let halfDiagonal = 0.5 * 2.0.squareRoot()

        let segBox = UncheckedBox(seg), listBox = UncheckedBox(lists), insideBox = UncheckedBox(inside)
        let edtBox = UncheckedBox(centreEDT.values)
        out.withUnsafeMutableBufferPointer { buf in
            let dst = UncheckedBox(buf.baseAddress!)
            Parallel.forEachChunk(h, minChunk: 8) { rows in
                let seg = segBox.value, lists = listBox.value, inside = insideBox.value, edt = edtBox.value
                var stamp = [Int32](repeating: -1, count: seg.count)
                var stampValue: Int32 = 0
                for r in rows {
                    for c in 0..<w {
                        let i = r * w + c
                        if inside[i] { dst.value[i] = 0; continue }
                        let pu = Double(c) + 0.5, pv = Double(r) + 0.5
                        var best = Double(edt[i]) / cs + halfDiagonal   // grid units; ∞ without burned cells
                        var best2 = best.isFinite ? best * best * (1 + 1e-9) : .infinity
                        stampValue &+= 1
                        if stampValue == Int32.max { stamp = [Int32](repeating: -1, count: seg.count); stampValue = 0 }
                        let bu = c / b, bv = r / b
                        var ring = 0
                        while true {
                            // Buckets in this ring are at least (ring − 1)·B cells away.
                            let lower = Double(max(0, ring - 1) * b)
                            if lower * lower > best2 { break }
                            let u0 = bu - ring, u1 = bu + ring, v0 = bv - ring, v1 = bv + ring
                            for vv in max(0, v0)...min(nbv - 1, v1) {
                                let onEdgeRow = vv == v0 || vv == v1
                                var uu = onEdgeRow ? max(0, u0) : (u0 >= 0 ? u0 : min(nbu - 1, u1))
                                while uu <= min(nbu - 1, u1) {
                                    for k32 in lists[vv * nbu + uu] {
                                        let k = Int(k32)
                                        if stamp[k] == stampValue { continue }
                                        stamp[k] = stampValue
                                        let d2 = pointSegment2(pu, pv, seg[k].0, seg[k].1)
                                        if d2 < best2 { best2 = d2 }
                                    }
                                    // Interior rows of the ring: only the two end buckets.
                                    uu = (onEdgeRow || uu >= u1) ? uu + 1 : u1
                                }
                            }
                            if u0 <= 0, v0 <= 0, u1 >= nbu - 1, v1 >= nbv - 1 { break }   // every bucket seen
                            ring += 1
                        }
                        best = best2.squareRoot()
                        dst.value[i] = Float(best * cs)
                    }
                }
            }
        }
        return Raster(geometry: grid, values: out)
    }

    /// Squared distance from (pu, pv) to the segment a–b.
    @inline(__always)
    static func pointSegment2(_ pu: Double, _ pv: Double, _ a: GridPoint, _ b: GridPoint) -> Double {
        let du = b.u - a.u, dv = b.v - a.v
        let len2 = du * du + dv * dv
        var t = len2 > 0 ? ((pu - a.u) * du + (pv - a.v) * dv) / len2 : 0
        t = min(1, max(0, t))
        let x = a.u + t * du - pu, y = a.v + t * dv - pv
        return x * x + y * y
    }
}
