import Testing
@testable import RasterCore

@Suite struct GridGeometryTests {
    @Test func snapsExtentOutwardToCellMultiples() throws {
        let g = try GridGeometry(covering: Extent(minX: 530_012, minY: 189_990, maxX: 530_101, maxY: 190_049), cellSize: 25)
        #expect(g.originX == 530_000)
        #expect(g.originY == 190_050)
        #expect(g.width == 5)       // 530000 … 530125
        #expect(g.height == 3)      // 189975 … 190050
        #expect(g.geoTransform == [530_000, 25, 0, 190_050, 0, -25])
    }

    @Test func cellsAreHalfOpen() throws {
        let g = try GridGeometry(originX: 0, originY: 100, cellSize: 10, width: 10, height: 10)
        #expect(g.cell(containingX: 0, y: 100)! == (0, 0))      // north-west corner belongs to the first cell
        #expect(g.cell(containingX: 10, y: 90)! == (1, 1))      // a shared corner belongs to the cell to its south-east
        #expect(g.cell(containingX: 9.999, y: 90.001)! == (0, 0))
        #expect(g.cell(containingX: 100, y: 50) == nil)         // east edge is open
        #expect(g.cell(containingX: 50, y: 0) == nil)           // south edge is open
        #expect(g.cell(containingX: -0.001, y: 50) == nil)
        let c = g.centre(row: 2, col: 3)
        #expect(c.x == 35 && c.y == 75)
    }

    @Test func refusesBadArgumentsBeforeAllocating() {
        #expect(throws: RasterError.invalidCellSize(0)) { try GridGeometry(originX: 0, originY: 0, cellSize: 0, width: 1, height: 1) }
        #expect(throws: RasterError.invalidCellSize(-5)) { try GridGeometry(covering: Extent(minX: 0, minY: 0, maxX: 1, maxY: 1), cellSize: -5) }
        #expect(throws: RasterError.emptyGrid(width: 0, height: 4)) { try GridGeometry(originX: 0, originY: 0, cellSize: 1, width: 0, height: 4) }
        #expect(throws: RasterError.gridTooLarge(width: 100_000, height: 100_000, limit: GridGeometry.maximumCellCount)) {
            try GridGeometry(originX: 0, originY: 0, cellSize: 1, width: 100_000, height: 100_000)
        }
        #expect(throws: RasterError.self) { try GridGeometry(covering: Extent(minX: 0, minY: 0, maxX: 0, maxY: 5), cellSize: 1) }
    }
}
