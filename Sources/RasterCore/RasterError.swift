/// Invalid arguments to the raster core, caught before anything is allocated.
public enum RasterError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidCellSize(Double)
    case invalidOrigin(x: Double, y: Double)
    case emptyGrid(width: Int, height: Int)
    case emptyExtent(Extent)
    case gridTooLarge(width: Int, height: Int, limit: Int)
    case invalidBandwidth(Double)
    case mismatchedGrids
    case emptyStudyArea
    case notPolygonal(featureIndex: Int, kind: Geometry.Kind)
    case invalidDistance(Double)
    case mismatchedWeights(points: Int, weights: Int)

    public var description: String {
        switch self {
        case .invalidCellSize(let s):
            return "cell size \(s) is not a positive number of metres — use e.g. cell_size: 25"
        case .invalidOrigin(let x, let y):
            return "grid origin (\(x), \(y)) is not finite — check the study area's coordinates"
        case .emptyGrid(let w, let h):
            return "grid of \(w) × \(h) cells is empty — the study area has no extent at this cell size"
        case .emptyExtent(let e):
            return "extent \(e) is empty or not finite — check that the study area has polygons with area"
        case .gridTooLarge(let w, let h, let limit):
            return "grid of \(w) × \(h) cells is larger than the \(limit) cells one run can hold — use a larger cell_size or a smaller study area, or tile the area"
        case .invalidBandwidth(let b):
            return "bandwidth \(b) is not a positive number of metres — use a bandwidth of at least one cell"
        case .mismatchedGrids:
            return "the rasters are on different grids — resample them onto the analysis grid first"
        case .emptyStudyArea:
            return "the study area holds no cell centre — check that it has polygons with area, or use a smaller cell_size"
        case .notPolygonal(let i, let kind):
            return "study-area feature \(i) is a \(kind), not a polygon — give a polygon layer as study_area"
        case .invalidDistance(let d):
            return "distance \(d) is not a non-negative number of metres — use whole or half multiples of block_length"
        case .mismatchedWeights(let p, let w):
            return "\(p) points but \(w) weights — give one weight per point, or none"
        }
    }
}
