import Foundation

/// A north-up grid of square cells in a projected CRS whose unit is the metre.
///
/// Row 0 is the northernmost row. Cells are half-open: the cell at (row, col) covers
/// `[originX + col·cs, originX + (col+1)·cs) × (originY − (row+1)·cs, originY − row·cs]`,
/// so a point on a shared edge belongs to exactly one cell: the one to its east, or to its south
/// (the convention of the peer pipeline in shared/peers).
public struct GridGeometry: Hashable, Sendable, Codable {
    /// x of the grid's west edge.
    public let originX: Double
    /// y of the grid's north edge.
    public let originY: Double
    /// Side of a cell in CRS units (metres).
    public let cellSize: Double
    /// Number of columns.
    public let width: Int
    /// Number of rows.
    public let height: Int

    /// The largest grid this engine accepts: 4·10⁹ cells (a 63,000² grid), beyond which even a
    /// bit-packed mask no longer fits comfortably in memory. Bigger studies must be tiled.
    public static let maximumCellCount = 4_000_000_000

    /// Checks the arguments before anything is allocated.
    public init(originX: Double, originY: Double, cellSize: Double, width: Int, height: Int) throws(RasterError) {
        guard cellSize.isFinite, cellSize > 0 else { throw .invalidCellSize(cellSize) }
        guard originX.isFinite, originY.isFinite else { throw .invalidOrigin(x: originX, y: originY) }
        guard width > 0, height > 0 else { throw .emptyGrid(width: width, height: height) }
        let (cells, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, cells <= Self.maximumCellCount else {
            throw .gridTooLarge(width: width, height: height, limit: Self.maximumCellCount)
        }
        self.originX = originX
        self.originY = originY
        self.cellSize = cellSize
        self.width = width
        self.height = height
    }

    /// The grid that covers `extent`, its edges snapped outward to multiples of `cellSize`.
    public init(covering extent: Extent, cellSize: Double) throws(RasterError) {
        guard cellSize.isFinite, cellSize > 0 else { throw .invalidCellSize(cellSize) }
        guard !extent.isEmpty, extent.minX.isFinite, extent.maxX.isFinite,
              extent.minY.isFinite, extent.maxY.isFinite else { throw .emptyExtent(extent) }
        let x0 = (extent.minX / cellSize).rounded(.down) * cellSize
        let y1 = (extent.maxY / cellSize).rounded(.up) * cellSize
        let x1 = (extent.maxX / cellSize).rounded(.up) * cellSize
        let y0 = (extent.minY / cellSize).rounded(.down) * cellSize
        let columns = ((x1 - x0) / cellSize).rounded()
        let rows = ((y1 - y0) / cellSize).rounded()
        guard columns * rows <= Double(Self.maximumCellCount) else {
            throw .gridTooLarge(width: Int(min(columns, 1e12)), height: Int(min(rows, 1e12)),
                                limit: Self.maximumCellCount)
        }
        try self.init(originX: x0, originY: y1, cellSize: cellSize,
                      width: max(1, Int(columns)), height: max(1, Int(rows)))
    }

    /// Number of cells, `width × height`.
    public var cellCount: Int { width * height }

    /// The grid's outer edges.
    public var extent: Extent {
        Extent(minX: originX, minY: originY - Double(height) * cellSize,
               maxX: originX + Double(width) * cellSize, maxY: originY)
    }

    /// Row-major index of a cell.
    @inlinable public func index(row: Int, col: Int) -> Int { row * width + col }

    /// Centre of a cell in CRS coordinates.
    @inlinable public func centre(row: Int, col: Int) -> (x: Double, y: Double) {
        (originX + (Double(col) + 0.5) * cellSize, originY - (Double(row) + 0.5) * cellSize)
    }

    /// The cell that holds a point, under the half-open rule above; nil outside the grid.
    @inlinable public func cell(containingX x: Double, y: Double) -> (row: Int, col: Int)? {
        let c = ((x - originX) / cellSize).rounded(.down)
        let r = ((originY - y) / cellSize).rounded(.down)
        guard c >= 0, r >= 0, c < Double(width), r < Double(height) else { return nil }
        return (Int(r), Int(c))
    }

    /// GDAL's affine geotransform: `[originX, cellSize, 0, originY, 0, −cellSize]`.
    public var geoTransform: [Double] { [originX, cellSize, 0, originY, 0, -cellSize] }

    /// A grid with the same cells and `cells` more on every side.
    public func padded(by cells: Int) throws(RasterError) -> GridGeometry {
        precondition(cells >= 0, "padding must not be negative")
        return try GridGeometry(originX: originX - Double(cells) * cellSize,
                                originY: originY + Double(cells) * cellSize,
                                cellSize: cellSize, width: width + 2 * cells, height: height + 2 * cells)
    }
}
