import Testing
import Foundation
@testable import RasterCore

@Suite struct RasterizeTests {
    func shoelace(_ ring: [Point2]) -> Double {
        var s = 0.0
        for i in ring.indices { let a = ring[i], b = ring[(i + 1) % ring.count]; s += a.x * b.y - b.x * a.y }
        return abs(s) / 2
    }

    /// A random star-shaped ring around (cx, cy): simple, non-convex.
    func star(_ rng: inout SplitMix64, cx: Double, cy: Double, r: Double, n: Int) -> [Point2] {
        (0..<n).map { k in
            let t = 2 * Double.pi * Double(k) / Double(n), rr = r * rng.uniform(0.4, 1)
            return Point2(cx + rr * cos(t), cy + rr * sin(t))
        }
    }

    func randomPolygon(_ rng: inout SplitMix64, g: GridGeometry, holes: Bool) -> Polygon {
        let e = g.extent
        let cx = rng.uniform(e.minX, e.maxX), cy = rng.uniform(e.minY, e.maxY)
        let r = rng.uniform(2, 0.7 * max(e.width, e.height))
        var ext = star(&rng, cx: cx, cy: cy, r: r, n: rng.int(6..<40))
        if rng.next() & 1 == 0 { ext.reverse() }
        // A hole: a small square around the centre, inside the star (whose edges stay ≥ 0.4·r·cos 30° from it).
        let hs = 0.2 * r
        let hole = holes ? [[Point2(cx - hs, cy - hs), Point2(cx + hs, cy - hs), Point2(cx + hs, cy + hs), Point2(cx - hs, cy + hs)]] : []
        return Polygon(exterior: ext, holes: hole)
    }

    @Test func centreRuleMatchesPointInPolygonAndCoverageIsExact() throws {
        var rng = SplitMix64(seed: 7)
        for trial in 0..<150 {
            let grid = randomGrid(&rng)
            let p = randomPolygon(&rng, g: grid, holes: trial % 2 == 0)
            let centre = Rasterize.features([.polygon(p)], on: grid, polygonRule: .centre)
            let touched = Rasterize.features([.polygon(p)], on: grid, polygonRule: .allTouched)
            for r in 0..<grid.height {
                for c in 0..<grid.width {
                    let (x, y) = grid.centre(row: r, col: c)
                    #expect(centre[r, c] == inside(x, y, p), "trial \(trial) cell \(r),\(c)")
                    if centre[r, c] { #expect(touched[r, c]) }
                }
            }
            // Exact coverage on a grid that holds the whole polygon sums to the shoelace area.
            let big = try GridGeometry(covering: Geometry.polygon(p).extent!.expanded(by: 1), cellSize: grid.cellSize)
            let area = shoelace(p.rings[0]) - p.rings.dropFirst().reduce(0) { $0 + shoelace($1) }
            guard let ag = try? AnalysisGrid(studyArea: [p], on: big) else { continue }
            let covered = ag.coverage.reduce(0.0) { $0 + Double($1) } * big.cellSize * big.cellSize
            #expect(abs(covered - area) <= 1e-5 * area + 1e-6, "trial \(trial): \(covered) vs \(area)")
            // Centre-rule area is within one ring of cells (the all-touched boundary) of the truth.
            let allTouched = Rasterize.features([.polygon(p)], on: big, polygonRule: .allTouched)
            let cellArea = big.cellSize * big.cellSize
            let boundaryCells = Double(allTouched.popcount - ag.mask.popcount)
            #expect(abs(Double(ag.mask.popcount) * cellArea - area) <= boundaryCells * cellArea + 1e-9)
            #expect(Double(allTouched.popcount) * cellArea >= area - 1e-6)
            // Cells with area inside are touched; cells with none are not centre-inside.
            for i in 0..<big.cellCount {
                if ag.coverage[i] > 1e-5 { #expect(allTouched[i], "trial \(trial) cell \(i) has area but is not touched") }
                if ag.mask[i] { #expect(ag.coverage[i] > 0) }
            }
        }
    }

    @Test func holesAreExcluded() throws {
        let g = try GridGeometry(originX: 0, originY: 100, cellSize: 10, width: 10, height: 10)
        let outer = [Point2(0, 0), Point2(100, 0), Point2(100, 100), Point2(0, 100)]
        let hole = [Point2(30, 30), Point2(30, 70), Point2(70, 70), Point2(70, 30)]   // same winding as outer, on purpose
        let ag = try AnalysisGrid(studyArea: [Polygon(exterior: outer, holes: [hole])], on: g)
        #expect(ag.cellsInside == 100 - 16)
        #expect(!ag.mask[5, 5] && ag.mask[0, 0])
        #expect(ag.coverage[5 * 10 + 5] == 0 && ag.coverage[0] == 1)
        #expect(abs(ag.coveredArea - (10_000 - 1_600)) < 1e-6)
        // A hole edge through cell interiors: half cells.
        let hole2 = [Point2(35, 35), Point2(35, 65), Point2(65, 65), Point2(65, 35)]
        let ag2 = try AnalysisGrid(studyArea: [Polygon(exterior: outer, holes: [hole2])], on: g)
        #expect(ag2.coverage[3 * 10 + 3] == 0.75)
        #expect(ag2.coverage[4 * 10 + 3] == 0.5)
        #expect(ag2.coverage[4 * 10 + 4] == 0)
    }

    @Test func analysisGridFromStudyAreaAndErrors() throws {
        // Triangle: snapped outward to 25 m cells.
        let tri = Polygon(exterior: [Point2(530_010, 190_010), Point2(530_240, 190_010), Point2(530_010, 190_240)])
        let ag = try AnalysisGrid(studyArea: [Geometry.multiPolygon([tri])], cellSize: 25)
        #expect(ag.geometry.originX == 530_000 && ag.geometry.originY == 190_250)
        #expect(ag.geometry.width == 10 && ag.geometry.height == 10)
        #expect(abs(ag.coveredArea - 230 * 230 / 2) < 1e-6 * 230 * 230)   // Float coverage
        #expect(throws: RasterError.invalidCellSize(0)) { try AnalysisGrid(studyArea: [tri], cellSize: 0) }
        #expect(throws: RasterError.invalidCellSize(-1)) { try AnalysisGrid(studyArea: [tri], cellSize: -1) }
        #expect(throws: RasterError.emptyStudyArea) { try AnalysisGrid(studyArea: [Polygon](), cellSize: 25) }
        #expect(throws: RasterError.notPolygonal(featureIndex: 0, kind: .point)) {
            try AnalysisGrid(studyArea: [Geometry.point(Point2(0, 0))], cellSize: 25)
        }
        #expect(throws: RasterError.self) {   // a sliver holding no cell centre
            try AnalysisGrid(studyArea: [Polygon(exterior: [Point2(0, 0), Point2(1, 0), Point2(1, 1)])], cellSize: 25)
        }
        #expect(throws: RasterError.gridTooLarge(width: 1_000_000, height: 1_000_000, limit: GridGeometry.maximumCellCount)) {
            try AnalysisGrid(studyArea: [Polygon(exterior: [Point2(0, 0), Point2(1e6, 0), Point2(1e6, 1e6)])], cellSize: 1)
        }
    }

    @Test func pointsFollowHalfOpenRuleAndOutsideIsCounted() throws {
        let g = try GridGeometry(originX: 0, originY: 100, cellSize: 10, width: 10, height: 10)
        let pts = [Point2(0, 100), Point2(10, 90), Point2(9.999, 90.001), Point2(100, 50), Point2(50, 0),
                   Point2(55, 55), Point2(55, 55), Point2(.nan, 3)]
        let b = try Rasterize.countPoints(pts, on: g)
        #expect(b.inside == 5 && b.outside == 3 && b.outsideWeight == 3)
        #expect(b.counts[0, 0] == 2)   // (0,100) and (9.999, 90.001)
        #expect(b.counts[1, 1] == 1)   // a shared corner goes south-east
        #expect(b.counts[4, 5] == 2)
        #expect(b.counts.values.reduce(0, +) == 5)
        let w = try Rasterize.countPoints(pts, weights: [1, 2, 3, 4, 5, 6, 7, 8], on: g)
        #expect(w.counts[4, 5] == 13 && w.outsideWeight == 4 + 5 + 8)
        #expect(throws: RasterError.mismatchedWeights(points: 8, weights: 1)) { try Rasterize.countPoints(pts, weights: [1], on: g) }
    }

    /// GDAL's all-touched burns (rasterio `all_touched=True`, its GDAL 3.10.3) of degenerate segments on a
    /// 6×6 grid of unit cells, row 0 at the top: endpoints on corners and edges, diagonals through
    /// corners, lines along grid lines, a polygon on grid lines. Produced by
    /// Golden/gdal_all_touched.py; RiskTerrain must burn the same cells.
    @Test(arguments: [
        ("end at corner", [Point2(0.5, 5.5), Point2(2, 4)], "#.....|.#....|......|......|......|......", false),
        ("diagonal through corners", [Point2(0, 6), Point2(3, 3)], "#.....|.#....|..#...|......|......|......", false),
        ("along y = 4", [Point2(0.5, 4), Point2(4.5, 4)], "......|......|#####.|......|......|......", false),
        ("along x = 2", [Point2(2, 5.5), Point2(2, 1.5)], "..#...|..#...|..#...|..#...|..#...|......", false),
        ("interior", [Point2(0.3, 5.2), Point2(4.7, 1.6)], "#.....|##....|.##...|..###.|....#.|......", false),
        ("square on grid lines", [Point2(1, 1), Point2(4, 1), Point2(4, 4), Point2(1, 4)], "......|......|.###..|.###..|.###..|......", true),
        ("ends mid-edge", [Point2(0.5, 5.5), Point2(2, 5.5)], "##....|......|......|......|......|......", false),
    ])
    func allTouchedMatchesGDAL(_ name: String, _ vertices: [Point2], _ expected: String, _ polygon: Bool) throws {
        let g = try GridGeometry(originX: 0, originY: 6, cellSize: 1, width: 6, height: 6)
        let m = Rasterize.features([polygon ? .polygon(Polygon(exterior: vertices)) : .lineString(vertices)], on: g, polygonRule: .allTouched)
        let drawn = (0..<6).map { r in String((0..<6).map { m[r, $0] ? "#" : "." }) }.joined(separator: "|")
        #expect(drawn == expected, "\(name)")
    }

    @Test func linesAreAllTouched() throws {
        var rng = SplitMix64(seed: 99)
        for trial in 0..<200 {
            let g = randomGrid(&rng, maxSide: 40)
            let e = g.extent.expanded(by: 20)
            var line = (0..<rng.int(2..<6)).map { _ in Point2(rng.uniform(e.minX, e.maxX), rng.uniform(e.minY, e.maxY)) }
            if trial % 4 == 0 {   // segments along grid lines and through corners
                line = [Point2(g.originX + 20, g.originY - 20), Point2(g.originX + 60, g.originY - 60), Point2(g.originX + 60, g.originY - 10)]
            }
            let m = Rasterize.features([.lineString(line)], on: g)
            #expect(m == interiorCellsByBruteForce(line, g), "trial \(trial)")
        }
    }

    func segmentMeetsBox(_ a: Point2, _ b: Point2, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Bool {
        var t0 = 0.0, t1 = 1.0
        let dx = b.x - a.x, dy = b.y - a.y, eps = 1e-9
        for (p, q) in [(-dx, a.x - x0 + eps), (dx, x1 - a.x + eps), (-dy, a.y - y0 + eps), (dy, y1 - a.y + eps)] {
            if p == 0 { if q < 0 { return false } } else {
                let t = q / p
                if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
            }
        }
        return t0 <= t1
    }

    @Test func croppingAndPaddingRoundTrip() throws {
        let g = try GridGeometry(originX: 0, originY: 100, cellSize: 10, width: 10, height: 10)
        let p = try g.padded(by: 3)
        var r = Raster<Float>(geometry: p, repeating: 0)
        r[3, 3] = 7; r[12, 12] = 9
        let c = try r.cropped(to: g)
        #expect(c[0, 0] == 7 && c[9, 9] == 9 && c.values.reduce(0, +) == 16)
        #expect(throws: RasterError.mismatchedGrids) { try g.offset(of: p) }
        let shifted = try GridGeometry(originX: 5, originY: 100, cellSize: 10, width: 2, height: 2)
        #expect(throws: RasterError.mismatchedGrids) { try g.offset(of: shifted) }
    }
}

/// Cells whose open interior a polyline passes through (a piece of positive length strictly inside
/// the square), plus, for a segment lying along a grid line, the cells on the half-open side (east
/// of a vertical line, south of a horizontal one): GDAL's all-touched rule, by brute force over
/// every cell.
func interiorCellsByBruteForce(_ line: [Point2], _ g: GridGeometry) -> BitMatrix {
    var m = BitMatrix(geometry: g)
    for s in 0..<(line.count - 1) {
        let a = line[s], b = line[s + 1]
        for r in 0..<g.height {
            for c in 0..<g.width {
                let x0 = g.originX + Double(c) * g.cellSize, x1 = x0 + g.cellSize
                let y1 = g.originY - Double(r) * g.cellSize, y0 = y1 - g.cellSize
                var t0 = 0.0, t1 = 1.0
                let dx = b.x - a.x, dy = b.y - a.y
                var inside = true
                for (p, q) in [(-dx, a.x - x0), (dx, x1 - a.x), (-dy, a.y - y0), (dy, y1 - a.y)] {
                    if p == 0 { if q < 0 { inside = false } } else {
                        let t = q / p
                        if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
                    }
                }
                guard inside, t1 - t0 > 1e-12 else { continue }
                let mx = a.x + (t0 + t1) / 2 * dx, my = a.y + (t0 + t1) / 2 * dy
                if mx > x0, mx < x1, my > y0, my < y1 { m[r, c] = true; continue }
                if dx == 0, a.x == x0 { m[r, c] = true }          // along the cell's west edge: east side
                if dy == 0, a.y == y1 { m[r, c] = true }          // along the cell's north edge: south side
            }
        }
    }
    return m
}
