/// Points binned to a grid: per-cell counts (or summed weights) and what fell outside.
public struct PointCounts: Sendable {
    /// Number (or total weight) of points in each cell.
    public var counts: Raster<Float>
    /// Points inside the grid.
    public var inside: Int
    /// Points outside the grid (or with non-finite coordinates): counted, not silently dropped.
    public var outside: Int
    /// Total weight of the points outside the grid (equals `outside` without weights).
    public var outsideWeight: Double
}

/// How a polygon is burned onto the grid.
public enum PolygonRule: Sendable, Hashable {
    /// Cells whose centre is inside (even-odd), GDAL's default rasterize rule.
    case centre
    /// Every cell that shares area with the polygon, GDAL's `ALL_TOUCHED`: the centre rule ∪ the
    /// cells a ring passes through the interior of.
    case allTouched
}

/// Rasterisation of features that are already in the grid's CRS.
///
/// Every operator works on any grid, in particular on an analysis grid padded beyond the study
/// area (`GridGeometry.padded(by:)`), so features outside the study area but within reach of it
/// still count.
public enum Rasterize {
    /// Counts points per cell under the half-open rule (`GridGeometry.cell(containingX:y:)`);
    /// with `weights`, sums them instead. O(points + cells). Counts are Float32: exact up to
    /// 2²⁴ points per cell.
    public static func countPoints(_ points: [Point2], weights: [Double]? = nil,
                                   on grid: GridGeometry) throws(RasterError) -> PointCounts {
        if let weights, weights.count != points.count {
            throw .mismatchedWeights(points: points.count, weights: weights.count)
        }
        var counts = Raster<Float>(geometry: grid, repeating: 0)
        var inside = 0, outside = 0, outsideWeight = 0.0
        counts.values.withUnsafeMutableBufferPointer { out in
            for (i, p) in points.enumerated() {
                let w = weights?[i] ?? 1
                if p.x.isFinite, p.y.isFinite, let cell = grid.cell(containingX: p.x, y: p.y) {
                    out[cell.row * grid.width + cell.col] += Float(w)
                    inside += 1
                } else {
                    outside += 1
                    outsideWeight += w
                }
            }
        }
        return PointCounts(counts: counts, inside: inside, outside: outside, outsideWeight: outsideWeight)
    }

    /// Burns `geometries` onto `grid` as a feature mask: points by the cell that holds them,
    /// lines all-touched (GDAL's rule, `SegmentInteriorCells`), polygons by `polygonRule`. Parts outside the grid are ignored.
    public static func features(_ geometries: [Geometry], on grid: GridGeometry,
                                polygonRule: PolygonRule = .allTouched) -> BitMatrix {
        var mask = BitMatrix(geometry: grid)
        for g in geometries { burn(g, polygonRule: polygonRule, into: &mask) }
        return mask
    }

    /// Burns one geometry into an existing mask (OR).
    public static func burn(_ geometry: Geometry, polygonRule: PolygonRule = .allTouched,
                            into mask: inout BitMatrix) {
        switch geometry {
        case .point(let p): burnPoint(p, into: &mask)
        case .multiPoint(let ps): for p in ps { burnPoint(p, into: &mask) }
        case .lineString(let l): burnLine(l, closed: false, into: &mask)
        case .multiLineString(let ls): for l in ls { burnLine(l, closed: false, into: &mask) }
        case .polygon(let p): burnPolygon(p, rule: polygonRule, into: &mask)
        case .multiPolygon(let ps): for p in ps { burnPolygon(p, rule: polygonRule, into: &mask) }
        }
    }

    static func burnPoint(_ p: Point2, into mask: inout BitMatrix) {
        if p.x.isFinite, p.y.isFinite, let c = mask.geometry.cell(containingX: p.x, y: p.y) { mask[c.row, c.col] = true }
    }

    /// All-touched line burn: every cell whose open interior a segment passes through, as GDAL
    /// burns it (see `SegmentInteriorCells`), O(vertices + cells crossed). A single vertex burns
    /// the cell that holds it.
    static func burnLine(_ line: [Point2], closed: Bool, onGridLine: SegmentInteriorCells.OnGridLine = .halfOpen,
                         into mask: inout BitMatrix) {
        let g = mask.geometry
        guard let first = line.first else { return }
        if line.count == 1 { burnPoint(first, into: &mask); return }
        let pts = line.map(g.gridPoint)
        let w = g.width
        mask.words.withUnsafeMutableBufferPointer { words in
            let n = closed ? pts.count : pts.count - 1
            for i in 0..<n {
                SegmentInteriorCells.traverse(pts[i], pts[(i + 1) % pts.count], width: g.width, height: g.height,
                                              onGridLine: onGridLine) { r, c in
                    let k = r * w + c
                    words[k >> 6] |= 1 << UInt64(k & 63)
                }
            }
        }
    }

    /// Centre-rule scanline fill (see `PolygonScan.fillCentres`), plus for `.allTouched` every
    /// cell a ring passes through the interior of: together, the cells that share area with the
    /// polygon (edges along grid lines add nothing, as in GDAL).
    static func burnPolygon(_ p: Polygon, rule: PolygonRule, into mask: inout BitMatrix) {
        PolygonScan.fillCentres(p, into: &mask)
        if rule == .allTouched {
            for ring in p.rings { burnLine(ring, closed: true, onGridLine: .skip, into: &mask) }
        }
    }
}
