import Foundation
import Testing
@testable import RasterCore

@Suite struct VectorDistanceTests {
    func segmentDistance(_ p: Point2, _ a: Point2, _ b: Point2) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy
        let t = len2 > 0 ? min(1, max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0
        return hypot(a.x + t * dx - p.x, a.y + t * dy - p.y)
    }

    /// Brute force: min over every segment, 0 inside a polygon.
    func bruteForce(_ geoms: [Geometry], _ g: GridGeometry) -> [Double] {
        var segs: [(Point2, Point2)] = [], polys: [Polygon] = []
        for geom in geoms {
            switch geom {
            case .point(let p): segs.append((p, p))
            case .multiPoint(let ps): for p in ps { segs.append((p, p)) }
            case .lineString(let l): for i in 0..<(l.count - 1) { segs.append((l[i], l[i + 1])) }
            case .multiLineString(let ls): for l in ls { for i in 0..<(l.count - 1) { segs.append((l[i], l[i + 1])) } }
            case .polygon(let p):
                polys.append(p)
                for r in p.rings { for i in r.indices { segs.append((r[i], r[(i + 1) % r.count])) } }
            case .multiPolygon(let ps):
                for p in ps { polys.append(p); for r in p.rings { for i in r.indices { segs.append((r[i], r[(i + 1) % r.count])) } } }
            }
        }
        return (0..<g.cellCount).map { i in
            let (x, y) = g.centre(row: i / g.width, col: i % g.width)
            if polys.contains(where: { inside(x, y, $0) }) { return 0 }
            return segs.map { segmentDistance(Point2(x, y), $0.0, $0.1) }.min() ?? .infinity
        }
    }

    @Test func equalsBruteForceOnRandomFeatures() {
        var rng = SplitMix64(seed: 99_001)
        for trial in 0..<60 {
            let g = randomGrid(&rng)
            // Features may lie well outside the grid: they must still count.
            let e = g.extent.expanded(by: trial % 3 == 0 ? 400 : 30)
            func pt() -> Point2 { Point2(rng.uniform(e.minX, e.maxX), rng.uniform(e.minY, e.maxY)) }
            var geoms: [Geometry] = []
            for _ in 0..<rng.int(0..<4) { geoms.append(.point(pt())) }
            if trial % 2 == 0 { geoms.append(.lineString((0..<rng.int(2..<6)).map { _ in pt() })) }
            if trial % 3 == 1 {
                let c = pt(), r = rng.uniform(5, 100)
                geoms.append(.polygon(Polygon(exterior: [Point2(c.x - r, c.y - r), Point2(c.x + r, c.y - r), Point2(c.x, c.y + r)])))
            }
            let got = VectorDistance.distances(to: geoms, on: g)
            let want = bruteForce(geoms, g)
            for i in 0..<g.cellCount {
                if want[i].isInfinite { #expect(got.values[i].isInfinite); continue }
                #expect(abs(Double(got.values[i]) - want[i]) <= 1e-6 * max(1, want[i]), "trial \(trial) cell \(i): \(got.values[i]) vs \(want[i])")
            }
            // Never farther than the cell-centre EDT plus half a diagonal, never nearer than it minus.
            let centre = EuclideanDistance.distances(to: geoms, on: g)
            for i in 0..<g.cellCount where centre.values[i].isFinite {
                #expect(Double(got.values[i]) <= Double(centre.values[i]) + g.cellSize * 0.7072)
            }
        }
    }

    @Test func insidePolygonIsZeroAndEmptyIsInfinite() throws {
        let g = try GridGeometry(originX: 0, originY: 100, cellSize: 10, width: 10, height: 10)
        let square = Polygon(exterior: [Point2(20, 20), Point2(80, 20), Point2(80, 80), Point2(20, 80)])
        let d = VectorDistance.distances(to: [.polygon(square)], on: g)
        #expect(d[5, 5] == 0)
        #expect(d[0, 0] == Float((15.0 * 15 * 2).squareRoot()))   // centre (5, 95) to corner (20, 80)
        #expect(d[5, 0] == 15)                                      // centre (5, 45) to the west edge
        #expect(VectorDistance.distances(to: [], on: g).values.allSatisfy { $0 == .infinity })
    }
}
