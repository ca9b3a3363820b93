/// Values on a grid, one per cell, row-major with row 0 in the north.
public struct Raster<Element>: Sendable where Element: Sendable {
    public let geometry: GridGeometry
    public var values: [Element]

    /// A raster with every cell set to `value`.
    public init(geometry: GridGeometry, repeating value: Element) {
        self.geometry = geometry
        self.values = Array(repeating: value, count: geometry.cellCount)
    }

    /// A raster over existing values; `values.count` must equal the grid's cell count.
    public init(geometry: GridGeometry, values: [Element]) {
        precondition(values.count == geometry.cellCount,
                     "raster has \(values.count) values for \(geometry.cellCount) cells")
        self.geometry = geometry
        self.values = values
    }

    public var width: Int { geometry.width }
    public var height: Int { geometry.height }

    @inlinable public subscript(row: Int, col: Int) -> Element {
        get { values[row * geometry.width + col] }
        set { values[row * geometry.width + col] = newValue }
    }
}

extension Raster: Equatable where Element: Equatable {}
