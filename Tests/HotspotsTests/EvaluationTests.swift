import Testing
import RasterCore
@testable import Hotspots

/// The 4 × 4 example worked by hand (row-major cell indices 0…15).
///
///     score          test events      training events
///     9 8 1 1        3 0 1 0          4 2 0 0
///     7 6 1 1        2 1 0 0          2 0 0 0
///     1 1 5 1        0 0 0 0          0 0 1 0
///     1 1 1 4        1 0 0 2          0 1 0 0
///
/// Ranking: 0 (9), 1 (8), 4 (7), 5 (6), 10 (5), 15 (4), then the ten cells scored 1, tied:
/// by cell index 2, 3, 6, 7, 8, 9, 11, 12, 13, 14. Test events in that order:
/// 3 0 2 1 0 2 | 1 0 0 0 0 0 0 1 0 0, total 10, so captured[k], k = 0…16, by cell index:
/// 0 3 3 5 6 6 8 9 9 9 9 9 9 9 10 10 10 (cell 12, the 14th, holds the last event).
/// Tie-averaged: the tied ten cells hold 2 events, 0.2 each: captured[6 + j] = 8 + 0.2 j.
///
/// At 25% (n = 4 cells: 0, 1, 4, 5): captured 6, hit rate 0.6, PAI 0.6 / 0.25 = 2.4.
/// Best 4 cells hold 3 + 2 + 2 + 1 = 8: PAI* = 3.2, PEI = 2.4 / 3.2 = 0.75.
/// Training: 10 events, 4 + 2 + 2 + 0 = 8 in the hotspot: H₁ = 0.8, RRI = 0.6 / 0.8 = 0.75.
/// Score ratio: mean in (9 + 8 + 7 + 6) / 4 = 7.5, elsewhere (5 + 4 + 10·1) / 12 = 19/12 → 90/19.
/// At 50% (n = 8): by index captured 9 → H 0.9, PAI 1.8; averaged 8.4 → H 0.84, PAI 1.68.
/// Best 8 cells hold 3+2+2+1+1+1+0+0 = 10: PEI 0.9 by index, 0.84 averaged.
/// AUC = (Σₖ captured[k] − (captured[0] + captured[16]) / 2) / (16 · 10):
/// by index (124 − 5) / 160 = 0.74375; averaged (23 + 99 − 5) / 160 = 0.73125.
@Suite struct EvaluationTests {
    let score = raster([[9, 8, 1, 1], [7, 6, 1, 1], [1, 1, 5, 1], [1, 1, 1, 4]])
    let test = raster([[3, 0, 1, 0], [2, 1, 0, 0], [0, 0, 0, 0], [1, 0, 0, 2]])
    let train = raster([[4, 2, 0, 0], [2, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]])

    @Test func studyCellsAreSortedAndUnique() throws {
        let g = try GridGeometry(originX: 0, originY: 4, cellSize: 1, width: 4, height: 4)
        #expect(StudyCells(geometry: g, indices: [9, 3, 5, 3]).indices == [3, 5, 9])
        #expect(StudyCells(geometry: g, indices: [1, 2, 2, 7]).indices == [1, 2, 7])
        #expect(StudyCells(geometry: g, indices: [0, 4, 15]).indices == [0, 4, 15])
        #expect(StudyCells(geometry: g, indices: []).indices.isEmpty)
    }

    @Test func hitRateCurveByCellIndexAndAveraged() {
        let byIndex = HitRateCurve(score: score, events: test, cells: all(score.geometry), ties: .byCellIndex)
        #expect(byIndex.order == [0, 1, 4, 5, 10, 15, 2, 3, 6, 7, 8, 9, 11, 12, 13, 14])
        #expect(byIndex.captured == [0, 3, 3, 5, 6, 6, 8, 9, 9, 9, 9, 9, 9, 9, 10, 10, 10])
        #expect(close(byIndex.auc, 0.74375))
        let averaged = HitRateCurve(score: score, events: test, cells: all(score.geometry))
        let want = [0, 3, 3, 5, 6, 6] + (0...10).map { 8 + 0.2 * Double($0) }
        for (a, b) in zip(averaged.captured, want) { #expect(close(a, b)) }
        #expect(close(averaged.auc, 0.73125))
        #expect(averaged.points[4].area == 0.25 && close(averaged.points[4].hitRate, 0.6))
    }

    @Test func paiPeiRriAtAQuarter() {
        for ties in [HitRateCurve.Ties.byCellIndex, .averaged] {
            let m = PredictiveAccuracy.evaluate(score: score, testEvents: test, cells: all(score.geometry),
                                                areaShare: 0.25, trainingEvents: train, ties: ties)
            #expect(m.hotspotCells == 4 && m.hotspotAreaShare == 0.25)
            #expect(close(m.hitRate, 0.6) && close(m.pai, 2.4) && close(m.pei, 0.75))
            #expect(close(m.rri!, 0.75))
            #expect(close(m.scoreRatio, 90.0 / 19))
            #expect(m.testEvents == 10)
        }
    }

    @Test func tiesMatterAtHalf() {
        let idx = PredictiveAccuracy.evaluate(score: score, testEvents: test, cells: all(score.geometry),
                                              areaShare: 0.5, ties: .byCellIndex)
        #expect(close(idx.hitRate, 0.9) && close(idx.pai, 1.8) && close(idx.pei, 0.9) && idx.rri == nil)
        let avg = PredictiveAccuracy.evaluate(score: score, testEvents: test, cells: all(score.geometry), areaShare: 0.5)
        #expect(close(avg.hitRate, 0.84) && close(avg.pai, 1.68) && close(avg.pei, 0.84))
        // A perfect prediction (the test counts themselves) has PEI 1.
        let best = PredictiveAccuracy.evaluate(score: test, testEvents: test, cells: all(score.geometry), areaShare: 0.5)
        #expect(close(best.pei, 1))
    }

    @Test func studyCellsRestrictTheArea() {
        // Only the top two rows are study cells: N = 8, 25% → 2 cells (0, 1) holding 3 of 7 events.
        let cells = StudyCells(geometry: score.geometry, indices: Array(0..<8))
        let m = PredictiveAccuracy.evaluate(score: score, testEvents: test, cells: cells, areaShare: 0.25)
        #expect(m.hotspotCells == 2 && m.testEvents == 7)
        #expect(close(m.hitRate, 3.0 / 7) && close(m.pai, 12.0 / 7))
    }

    @Test func uniformBaselineIsTheDiagonal() throws {
        var rng = SplitMix64(seed: 5)
        let g = grid(13, 9)
        let events = Raster(geometry: g, values: (0..<g.cellCount).map { _ in Float(rng.int(0..<4)) })
        let u = try Baseline.uniform.score(training: events, cells: all(g))
        let curve = HitRateCurve(score: u, events: events, cells: all(g))
        #expect(close(curve.auc, 0.5))
        for (a, h) in curve.points { #expect(abs(a - h) < 1e-12) }
        let m = PredictiveAccuracy.evaluate(score: u, testEvents: events, cells: all(g), areaShare: 0.1)
        #expect(close(m.pai, 1))
        // By cell index the same flat score is not the diagonal in general.
        #expect(!close(HitRateCurve(score: u, events: events, cells: all(g), ties: .byCellIndex).auc, 0.5, 1e-6))
    }

    @Test func previousCountsAndKDEBaselines() throws {
        let cells = StudyCells(geometry: train.geometry, indices: Array(0..<12))
        let prev = try Baseline.previousCounts.score(training: train, cells: cells)
        #expect(prev.values == Array(train.values[0..<12]) + [0, 0, 0, 0])
        // σ = 1 m on 10 m cells: kernel radius 0, density = counts × 10⁶ / 100 per km².
        let narrow = try Baseline.kde(sigma: 1).score(training: train, cells: cells)
        #expect(narrow.values == prev.values.map { $0 * 10_000 })
        // σ = 10 m: smoothing moves mass off cell 0 onto its neighbours; cells outside are 0;
        // cell 0 (4 events) still ranks first; cell 3 (no events, two cells from any) gets little.
        let wide = try Baseline.kde(sigma: 10).score(training: train, cells: cells)
        #expect(wide.values[12...].allSatisfy { $0 == 0 })
        #expect(wide.values[0] == wide.values.max() && wide.values[0] < 40_000)
        #expect(wide.values[3] > 0 && wide.values[3] < wide.values[2])
    }

    @Test func rollingOriginSplitsAndSummaries() {
        var rng = SplitMix64(seed: 9)
        let g = grid(6, 5)
        let periods = (0..<6).map { _ in Raster(geometry: g, values: (0..<g.cellCount).map { _ in Float(rng.int(0..<3)) }) }
        var seen: [Range<Int>] = []
        let res = RollingOrigin.evaluate(periods: periods, cells: all(g), trainingLength: 3, areaShare: 0.2) { w in
            seen.append(w.training)
            return w.trainingCounts
        }
        #expect(seen == [0..<3, 1..<4, 2..<5])
        #expect(res.splits.map(\.test) == [3..<4, 4..<5, 5..<6])
        // Each split equals a direct evaluation on the summed windows.
        for s in res.splits {
            var tr = Raster<Float>(geometry: g, repeating: 0)
            for p in s.training { for i in tr.values.indices { tr.values[i] += periods[p].values[i] } }
            let direct = PredictiveAccuracy.evaluate(score: tr, testEvents: periods[s.test.lowerBound], cells: all(g),
                                                     areaShare: 0.2, trainingEvents: tr)
            #expect(direct == s.metrics)
        }
        let pais = res.splits.map(\.metrics.pai)
        let mean = pais.reduce(0, +) / 3
        #expect(close(res.pai.mean, mean) && res.pai.count == 3)
        #expect(close(res.pai.sd, (pais.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 2).squareRoot()))
        let expanding = RollingOrigin.evaluate(periods: periods, cells: all(g), trainingLength: 2, testLength: 2, step: 2,
                                               expanding: true, areaShare: 0.2) { $0.trainingCounts }
        #expect(expanding.splits.map(\.training) == [0..<2, 0..<4] && expanding.splits.map(\.test) == [2..<4, 4..<6])
    }

    /// The tie-averaged curve is the mean of the curves over every order of every tie group
    /// (brute force: all permutations of small groups, exact).
    @Test func averagedCurveIsTheMeanOverTieOrders() {
        var rng = SplitMix64(seed: 21)
        for _ in 0..<20 {
            let g = grid(4, 2)
            let score = Raster(geometry: g, values: (0..<8).map { _ in Float(rng.int(0..<3)) })
            let events = Raster(geometry: g, values: (0..<8).map { _ in Float(rng.int(0..<4)) })
            let base = HitRateCurve(score: score, events: events, cells: all(g), ties: .byCellIndex).order
            // Groups of equal score along `base`, then every combination of their permutations.
            var groups: [[Int]] = []
            for c in base {
                if let last = groups.last?.last, score.values[last] == score.values[c] { groups[groups.count - 1].append(c) } else { groups.append([c]) }
            }
            func permutations(_ a: [Int]) -> [[Int]] {
                a.count <= 1 ? [a] : a.indices.flatMap { i in permutations(Array(a[..<i] + a[(i + 1)...])).map { [a[i]] + $0 } }
            }
            var orders: [[Int]] = [[]]
            for grp in groups { orders = orders.flatMap { o in permutations(grp).map { o + $0 } } }
            var mean = [Double](repeating: 0, count: 9)
            for o in orders {
                let c = HitRateCurve(order: o, groupEnds: nil, events: events.values, ties: .byCellIndex).captured
                for k in 0...8 { mean[k] += c[k] / Double(orders.count) }
            }
            let averaged = HitRateCurve(score: score, events: events, cells: all(g)).captured
            for k in 0...8 { #expect(abs(averaged[k] - mean[k]) < 1e-9) }
        }
    }

    @Test func rollingOriginWithBaselines() throws {
        var rng = SplitMix64(seed: 13)
        let g = grid(8, 8)
        // A persistent hotspot (cells 0…7 of row 0, three times the rate) under noise.
        let periods = (0..<8).map { _ in
            Raster(geometry: g, values: (0..<g.cellCount).map { i in Float(rng.int(0..<(i < 8 ? 6 : 2))) })
        }
        let cells = all(g)
        let uniform = try RollingOrigin.evaluate(periods: periods, cells: cells, trainingLength: 3, areaShare: 0.125) {
            try Baseline.uniform.score(training: $0.trainingCounts, cells: cells)
        }
        #expect(uniform.splits.count == 5)
        #expect(close(uniform.auc.mean, 0.5) && uniform.auc.sd < 1e-12 && close(uniform.pai.mean, 1))
        let previous = try RollingOrigin.evaluate(periods: periods, cells: cells, trainingLength: 3, areaShare: 0.125) {
            try Baseline.previousCounts.score(training: $0.trainingCounts, cells: cells)
        }
        #expect(previous.pai.mean > 1.5 && previous.auc.mean > 0.55)
    }

    @Test func summarySkipsNaN() {
        let s = RollingOrigin.Summary([1, 2, .nan, 3])
        #expect(s.mean == 2 && s.sd == 1 && s.count == 3)
        #expect(RollingOrigin.Summary([4]).sd.isNaN)
    }
}
