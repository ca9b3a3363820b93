import RasterCore
@testable import Hotspots

/// A `width × height` grid of `cs` m cells with its north-west corner at (1000, 2000).
func grid(_ width: Int, _ height: Int, cs: Double = 10) -> GridGeometry {
    try! GridGeometry(originX: 1000, originY: 2000, cellSize: cs, width: width, height: height)
}

/// A raster from rows written north to south.
func raster(_ rows: [[Float]], cs: Double = 10) -> Raster<Float> {
    Raster(geometry: grid(rows[0].count, rows.count, cs: cs), values: rows.flatMap { $0 })
}

func all(_ g: GridGeometry) -> StudyCells { StudyCells(geometry: g, indices: Array(0..<g.cellCount)) }

func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool { abs(a - b) <= tol * max(1, abs(a), abs(b)) }
