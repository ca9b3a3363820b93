import Testing
import RasterCore
@testable import Hotspots

@Suite struct HighRiskCellsTests {
    @Test func meanPlusTwoSDUsesPopulationSDOverStudyCells() {
        // Nine cells of 1 and one of 11 in the study area: mean 2, population SD √((9·1 + 81)/10) = 3,
        // threshold 2 + 2·3 = 8. The cell outside the study area (value 100) must not count.
        let r = raster([[1, 1, 1, 1, 1, 100], [1, 1, 1, 1, 11, 1]])
        let study = StudyCells(r, noData: 100)
        #expect(study.count == 11)
        let cells = StudyCells(geometry: r.geometry, indices: [0, 1, 2, 3, 4, 6, 7, 8, 9, 10])
        let (sel, t) = HighRiskCells.select(r, in: cells, rule: .rtmdxHighest)
        #expect(close(t, 8))
        #expect(sel == [10])
        // Strictly above: a threshold equal to a value does not take it.
        #expect(HighRiskCells.select(r, in: cells, rule: .above(11)).cells.isEmpty)
    }

    @Test func nodataAndMaskDefineTheStudyCells() {
        let r = raster([[1, -9999, 3], [4, .nan, 6]])
        var m = BitMatrix(geometry: r.geometry)
        for i in [0, 1, 2, 3, 4] { m[i] = true }
        #expect(StudyCells(r, noData: -9999).indices == [0, 2, 3, 5])
        #expect(StudyCells(r, noData: -9999, mask: m).indices == [0, 2, 3])
    }

    @Test func topShareTakesCeilingAndBreaksTiesByIndex() {
        // 40 cells, 5% → exactly 2 cells. Values: cell 7 = 9, cells 3, 20, 30 = 5 (tied): 7 then 3.
        var v = [Float](repeating: 1, count: 40)
        v[7] = 9; v[3] = 5; v[20] = 5; v[30] = 5
        let r = Raster(geometry: grid(8, 5), values: v)
        let (sel, t) = HighRiskCells.select(r, in: all(r.geometry), rule: .topShare(0.05))
        #expect(sel == [3, 7])
        #expect(t == 5)
        // 10% → 4 cells: 7, 3, 20, 30. 7.5% of 40 = 3 → 7, 3, 20.
        #expect(HighRiskCells.select(r, in: all(r.geometry), rule: .topShare(0.075)).cells == [3, 7, 20])
        #expect(HighRiskCells.cellCount(forShare: 0.05, of: 200) == 10)
        #expect(HighRiskCells.cellCount(forShare: 0.051, of: 200) == 11)
    }
}

@Suite struct ClusterLabellingTests {
    @Test func eightConnectivityJoinsDiagonals() {
        // x . . x .
        // . x . . .
        // . . . . .
        // x x . . x
        let g = grid(5, 4)
        let cells = [0, 3, 6, 15, 16, 19]
        let parts = ClusterLabelling.components(of: cells, geometry: g)
        #expect(parts == [[0, 6], [3], [15, 16], [19]])
    }

    @Test func mergeDistanceJoinsNearbyClusters() {
        // x . x . . x   (10 m cells: centres of 0 and 2 are 20 m apart, 2 and 5 are 30 m apart)
        let g = grid(6, 1)
        let cells = [0, 2, 5]
        #expect(ClusterLabelling.components(of: cells, geometry: g).count == 3)
        #expect(ClusterLabelling.components(of: cells, geometry: g, mergeDistance: 19.9) == [[0], [2], [5]])
        #expect(ClusterLabelling.components(of: cells, geometry: g, mergeDistance: 20) == [[0, 2], [5]])
        #expect(ClusterLabelling.components(of: cells, geometry: g, mergeDistance: 30) == [[0, 2, 5]])
        // Diagonal two apart: (0,0) and (2,2) are √8·10 ≈ 28.3 m apart.
        let g2 = grid(3, 3)
        #expect(ClusterLabelling.components(of: [0, 8], geometry: g2, mergeDistance: 28).count == 2)
        #expect(ClusterLabelling.components(of: [0, 8], geometry: g2, mergeDistance: 28.3).count == 1)
    }

    @Test func matchesBruteForceOnRandomSets() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let w = rng.int(1..<12), h = rng.int(1..<12)
            let g = grid(w, h)
            let cells = (0..<g.cellCount).filter { _ in rng.uniform(0, 1) < 0.35 }
            let d: Double? = rng.uniform(0, 1) < 0.5 ? nil : rng.uniform(0, 40)
            let parts = ClusterLabelling.components(of: cells, geometry: g, mergeDistance: d)
            // Brute force: flood fill over all pairs.
            func linked(_ a: Int, _ b: Int) -> Bool {
                let dr = abs(a / w - b / w), dc = abs(a % w - b % w)
                if max(dr, dc) <= 1 { return true }
                guard let d else { return false }
                return Double(dr * dr + dc * dc) * 100 <= d * d * (1 + 1e-9)
            }
            var label = [Int: Int]()
            var next = 0
            for c in cells where label[c] == nil {
                var stack = [c]; label[c] = next
                while let x = stack.popLast() {
                    for y in cells where label[y] == nil && linked(x, y) { label[y] = next; stack.append(y) }
                }
                next += 1
            }
            #expect(parts.count == next)
            for p in parts { #expect(Set(p.map { label[$0]! }).count == 1) }
            #expect(parts.flatMap { $0 }.sorted() == cells)
        }
    }
}

@Suite struct RiskClustersTests {
    // RRS (10 m cells), threshold `.above(1)`:
    //  row 0:  5 5 1 1 1 1
    //  row 1:  5 1 1 4 1 1
    //  row 2:  1 1 1 4 1 9
    //  row 3:  1 2 1 1 1 1
    // Clusters (8-connected): A = {0, 1, 6} sum 15 mean 5; B = {9, 15} sum 8 mean 4;
    // C = {17} sum 9 mean 9; D = {19} sum 2 mean 2.
    let rrs = raster([[5, 5, 1, 1, 1, 1], [5, 1, 1, 4, 1, 1], [1, 1, 1, 4, 1, 9], [1, 2, 1, 1, 1, 1]])

    @Test func ranksBySumByDefault() {
        let res = RiskClusters.find(in: rrs, cells: all(rrs.geometry), options: .init(rule: .above(1)))
        #expect(res.selectedCells == 7)
        #expect(res.clusters.map(\.cells) == [[0, 1, 6], [17], [9, 15], [19]])
        #expect(res.clusters.map(\.rank) == [1, 2, 3, 4])
        #expect(res.clusters.map(\.id) == [1, 3, 2, 4])   // raster order of the smallest cell
        let a = res.clusters[0]
        #expect(a.score == 15 && a.meanRRS == 5 && a.maxRRS == 5 && a.cellCount == 3 && a.area == 300)
        // Centres: (1005, 1995), (1015, 1995), (1005, 1985) → (1008.33…, 1991.66…).
        #expect(close(a.centroid.x, 3025.0 / 3) && close(a.centroid.y, 5975.0 / 3))
    }

    @Test func meanAndRecentEventsRankings() {
        let mean = RiskClusters.find(in: rrs, cells: all(rrs.geometry), options: .init(rule: .above(1), score: .meanRRS))
        #expect(mean.clusters.map(\.cells) == [[17], [0, 1, 6], [9, 15], [19]])
        var counts = Raster<Float>(geometry: rrs.geometry, repeating: 0)
        counts.values[19] = 3; counts.values[9] = 1; counts.values[15] = 2; counts.values[0] = 1
        // Recent events: D 3, B 3 (tie → B has the smaller first cell, 9 < 19), A 1, C 0.
        let recent = RiskClusters.find(in: rrs, cells: all(rrs.geometry), options: .init(rule: .above(1), score: .recentEvents(counts)))
        #expect(recent.clusters.map(\.cells) == [[9, 15], [19], [0, 1, 6], [17]])
        #expect(recent.clusters.map(\.score) == [3, 3, 1, 0])
    }

    @Test func tiesBrokenBySmallestCellIndex() {
        // Three single cells of equal RRS: ranked in raster order.
        let r = raster([[1, 3, 1, 1], [1, 1, 1, 3], [3, 1, 1, 1]])
        let res = RiskClusters.find(in: r, cells: all(r.geometry), options: .init(rule: .above(2)))
        #expect(res.clusters.map(\.cells) == [[1], [7], [8]])
    }

    @Test func minimumSizeAppliesAfterMerging() {
        let res = RiskClusters.find(in: rrs, cells: all(rrs.geometry), options: .init(rule: .above(1), minimumCells: 2))
        #expect(res.clusters.map(\.cells) == [[0, 1, 6], [9, 15]])
        // Merging within 20 m joins B {9, 15} with C {17}: 15 = (2, 3) and 17 = (2, 5) are 20 m
        // apart. D {19} = (3, 1) is √5·10 ≈ 22.4 m from 15, so it stays alone and is dropped.
        let merged = RiskClusters.find(in: rrs, cells: all(rrs.geometry),
                                       options: .init(rule: .above(1), minimumCells: 2, mergeDistance: 20))
        #expect(merged.clusters.map(\.cells) == [[9, 15, 17], [0, 1, 6]])
        #expect(merged.clusters[0].score == 17)
        #expect(merged.clusters[0].outline.count == 2)   // two separate parts
    }

    @Test func nodataCellsAreOutsideTheStudyArea() {
        // The −9999 cells would otherwise drag the mean down and make every 1 "high risk".
        let r = raster([[-9999, -9999, 1, 1], [1, 1, 1, 6], [1, 1, 1, 1]])
        let res = RiskClusters.find(in: r, noData: -9999)
        // 10 cells: mean 1.5, SD √((9·0.25 + 20.25)/10) = 1.5, threshold 4.5 → cell 7 only.
        #expect(res.clusters.map(\.cells) == [[7]] && close(res.threshold, 4.5))
        var mask = BitMatrix(geometry: r.geometry)
        for i in 2..<12 where i != 7 { mask[i] = true }
        #expect(RiskClusters.find(in: r, noData: -9999, mask: mask).clusters.isEmpty)
    }

    @Test func noStudyCellsNoClusters() {
        let res = RiskClusters.find(in: rrs, cells: StudyCells(geometry: rrs.geometry, indices: []))
        #expect(res.clusters.isEmpty && res.threshold.isNaN)
    }
}

@Suite struct CellOutlineTests {
    @Test func ringShapedClusterHasAHole() {
        // 3 × 3 block minus its centre, on a 5 × 5 grid of 10 m cells.
        let g = grid(5, 5)
        let cells = [6, 7, 8, 11, 13, 16, 17, 18]
        let polys = CellOutline.polygons(of: cells, geometry: g)
        #expect(polys.count == 1)
        #expect(polys[0].rings.count == 2)
        #expect(CellOutline.signedArea(polys[0].rings[0]) == 900)
        #expect(CellOutline.signedArea(polys[0].rings[1]) == -100)
        #expect(CellOutline.area(polys[0]) == 800)
        #expect(polys[0].rings[0].count == 4 && polys[0].rings[1].count == 4)   // collinear vertices dropped
        #expect(Set(polys[0].rings[1]) == Set([Point2(1020, 1980), Point2(1030, 1980), Point2(1020, 1970), Point2(1030, 1970)]))
    }

    @Test func cornerTouchingCellsGiveSeparateRings() {
        let g = grid(3, 3)
        let polys = CellOutline.polygons(of: [0, 4], geometry: g)
        #expect(polys.count == 2)
        #expect(polys.allSatisfy { $0.rings.count == 1 && $0.rings[0].count == 4 && CellOutline.area($0) == 100 })
        // A ring whose hole touches the outside at a corner: 3 × 3 block minus centre (4) and corner (0)
        // on a 3 × 3 grid. Cells 1 and 3 meet diagonally at the centre's corner.
        let p2 = CellOutline.polygons(of: [1, 2, 3, 5, 6, 7, 8], geometry: g)
        #expect(p2.reduce(0) { $0 + CellOutline.area($1) } == 700)
        #expect(p2.count == 1 && p2[0].rings.count == 2)   // shell and hole, touching at (1010, 1990)
        #expect(p2[0].rings[0].contains(Point2(1010, 1990)) && p2[0].rings[1].contains(Point2(1010, 1990)))
        for p in p2 { for ring in p.rings { #expect(Set(ring).count == ring.count) } }
    }

    /// Every member cell centre is inside the outline and every other centre outside (even-odd over
    /// all rings of all polygons), areas add up, exteriors run counter-clockwise and holes clockwise,
    /// and no ring visits a vertex twice.
    @Test func randomSetsRoundTrip() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let w = rng.int(1..<10), h = rng.int(1..<10)
            let g = grid(w, h, cs: 25)
            let cells = (0..<g.cellCount).filter { _ in rng.uniform(0, 1) < 0.5 }
            let polys = CellOutline.polygons(of: cells, geometry: g)
            #expect(polys.reduce(0) { $0 + CellOutline.area($1) } == Double(cells.count) * 625)
            let rings = polys.flatMap(\.rings)
            for p in polys {
                #expect(CellOutline.signedArea(p.rings[0]) > 0)
                for hole in p.rings.dropFirst() { #expect(CellOutline.signedArea(hole) < 0) }
            }
            for ring in rings { #expect(Set(ring).count == ring.count) }
            let member = Set(cells)
            for i in 0..<g.cellCount {
                let c = g.centre(row: i / w, col: i % w)
                let inside = rings.reduce(false) { $0 != Polygon.ringContains($1, Point2(c.x, c.y)) }
                #expect(inside == member.contains(i))
            }
        }
    }
}
