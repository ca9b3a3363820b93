extension GridGeometry {
    /// The (row, col) of `sub`'s north-west cell in this grid, when `sub` lies on the same
    /// lattice (same cell size, origin offset by whole cells to within 10⁻⁶ cell) and inside it.
    public func offset(of sub: GridGeometry) throws(RasterError) -> (row: Int, col: Int) {
        guard abs(sub.cellSize - cellSize) <= 1e-9 * cellSize else { throw .mismatchedGrids }
        let dc = (sub.originX - originX) / cellSize, dr = (originY - sub.originY) / cellSize
        let c = dc.rounded(), r = dr.rounded()
        guard abs(dc - c) <= 1e-6, abs(dr - r) <= 1e-6, c >= 0, r >= 0,
              Int(c) + sub.width <= width, Int(r) + sub.height <= height else { throw .mismatchedGrids }
        return (Int(r), Int(c))
    }
}

extension Raster {
    /// The values of the cells of `sub`, a grid on the same lattice inside this one
    /// (e.g. the analysis grid inside the padded grid a layer was computed on).
    public func cropped(to sub: GridGeometry) throws(RasterError) -> Raster<Element> {
        let (r0, c0) = try geometry.offset(of: sub)
        var out: [Element] = []
        out.reserveCapacity(sub.cellCount)
        for r in 0..<sub.height {
            let start = (r0 + r) * geometry.width + c0
            out.append(contentsOf: values[start..<(start + sub.width)])
        }
        return Raster(geometry: sub, values: out)
    }
}

extension BitMatrix {
    /// The bits of the cells of `sub`, a grid on the same lattice inside this one.
    public func cropped(to sub: GridGeometry) throws(RasterError) -> BitMatrix {
        let (r0, c0) = try geometry.offset(of: sub)
        var out = BitMatrix(geometry: sub)
        for r in 0..<sub.height {
            for c in 0..<sub.width where self[r0 + r, c0 + c] { out[r, c] = true }
        }
        return out
    }
}
