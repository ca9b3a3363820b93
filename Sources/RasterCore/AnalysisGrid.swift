/// The analysis grid of a study: the grid covering the study area, the cells that belong to it,
/// and how much of each cell lies inside.
///
/// A cell belongs to the study area when its **centre** is inside the study polygons (even-odd
/// rule within a polygon, union across the polygons of a multi-polygon) — GDAL's default
/// rasterize rule and the peer pipeline's. `coverage` is the exact fraction of each cell's
/// square inside the polygons (Green's theorem, see `PolygonScan.accumulateArea`; error ~1e-12),
/// clamped to [0, 1] where parts overlap; it can serve as exposure where whole-cell exposure
/// is not wanted.
public struct AnalysisGrid: Sendable {
    /// The grid covering the study area's extent, snapped outward to multiples of the cell size.
    public let geometry: GridGeometry
    /// Cells whose centre is inside the study area.
    public let mask: BitMatrix
    /// Fraction of each cell's area inside the study area, row-major, in [0, 1].
    public let coverage: [Float]
    /// Number of cells in `mask`.
    public let cellsInside: Int

    /// Builds the grid for `studyArea` at `cellSize` metres.
    ///
    /// Cost O(cells + vertices + boundary cells). Throws `RasterError` for a bad cell size, an
    /// empty or non-finite extent, a grid too large, or a study area that holds no cell centre,
    /// the first three before anything is allocated.
    public init(studyArea: [Polygon], cellSize: Double) throws(RasterError) {
        guard cellSize.isFinite, cellSize > 0 else { throw .invalidCellSize(cellSize) }
        var extent: Extent?
        for p in studyArea {
            guard let e = Geometry.polygon(p).extent else { continue }
            extent = extent.map { $0.union(e) } ?? e
        }
        guard let extent else { throw .emptyStudyArea }
        let geometry = try GridGeometry(covering: extent, cellSize: cellSize)
        try self.init(studyArea: studyArea, on: geometry)
    }

    /// Builds the study-area mask and coverage on a given grid (e.g. one shared with other
    /// layers). Throws `.emptyStudyArea` when no cell centre is inside.
    public init(studyArea: [Polygon], on geometry: GridGeometry) throws(RasterError) {
        var mask = BitMatrix(geometry: geometry)
        for p in studyArea { PolygonScan.fillCentres(p, into: &mask) }
        let inside = mask.popcount
        guard inside > 0 else { throw .emptyStudyArea }
        let w = geometry.width, stride = w + 1
        var diff = [Double](repeating: 0, count: geometry.height * stride)
        for p in studyArea { PolygonScan.accumulateArea(p, geometry: geometry, diff: &diff) }
        var coverage = [Float](repeating: 0, count: geometry.cellCount)
        for r in 0..<geometry.height {
            var acc = 0.0
            for c in 0..<w {
                acc += diff[r * stride + c]
                coverage[r * w + c] = Float(min(1, max(0, acc)))
            }
        }
        self.geometry = geometry
        self.mask = mask
        self.coverage = coverage
        self.cellsInside = inside
    }

    /// Builds the grid from study-area geometries, which must be polygons or multi-polygons.
    public init(studyArea: [Geometry], cellSize: Double) throws(RasterError) {
        var polygons: [Polygon] = []
        for (i, g) in studyArea.enumerated() {
            switch g {
            case .polygon(let p): polygons.append(p)
            case .multiPolygon(let ps): polygons.append(contentsOf: ps)
            default: throw .notPolygonal(featureIndex: i, kind: g.kind)
            }
        }
        try self.init(studyArea: polygons, cellSize: cellSize)
    }

    /// Total area of the study area covered by the grid, in square metres (Σ coverage × cell area).
    public var coveredArea: Double {
        coverage.reduce(0) { $0 + Double($1) } * geometry.cellSize * geometry.cellSize
    }
}
