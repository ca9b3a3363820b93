import Foundation
import Testing
import RasterCore
@testable import Hotspots

@Suite struct FalseDiscoveryRateTests {
    /// m = 6, q = 0.05: thresholds i·q/m = .00833, .01667, .025, .03333, .04167, .05.
    /// Sorted p: .001 (≤ .00833 ✓), .008 (≤ .01667 ✓), .039 (> .025), .041 (> .03333),
    /// .042 (> .04167, just), .06 (> .05). The largest i with p₍ᵢ₎ ≤ i·q/m is 2: reject .001, .008.
    /// With .024 in place of .039, i = 3 passes (.024 ≤ .025) and nothing above it does: reject three.
    @Test func handExample() {
        let p = [0.041, 0.001, 0.06, 0.008, 0.039, 0.042]
        let r = FalseDiscoveryRate.benjaminiHochberg(p, q: 0.05)
        #expect(r.rejected == [false, true, false, true, false, false])
        #expect(r.cutoff == 0.008)
        // Adjusted: sorted m·p/i = .006, .024, .078, .0615, .0504, .06 → running min from the top:
        // .06, .0504, .0504, .0504, .024, .006.
        let adj = [0.0504, 0.006, 0.06, 0.024, 0.0504, 0.0504]
        for (a, b) in zip(r.adjusted, adj) { #expect(close(a, b, 1e-12)) }
        let r2 = FalseDiscoveryRate.benjaminiHochberg([0.041, 0.001, 0.06, 0.008, 0.024, 0.042], q: 0.05)
        #expect(r2.rejected == [false, true, false, true, true, false])
        // Step-up, not step-down: p₍₁₎ = .02 fails .0125 but p₍₄₎ = .05 ≤ .05 rejects all four.
        let r3 = FalseDiscoveryRate.benjaminiHochberg([0.02, 0.03, 0.04, 0.05], q: 0.05)
        #expect(r3.rejected == [true, true, true, true])
        // NaN is not tested and does not count in m.
        let r4 = FalseDiscoveryRate.benjaminiHochberg([0.02, .nan, 0.03], q: 0.05)
        #expect(r4.rejected == [true, false, true])
        #expect(r4.adjusted[1].isNaN)
    }

    /// `rejections` (sorting only the p-values ≤ q) against the full procedure: seeded inputs with
    /// ties, NaNs, p exactly q, many tiny p-values (all rejected) and none small (none rejected).
    @Test func rejectionsMatchTheFullProcedure() {
        var rng = SplitMix64(seed: 11)
        for trial in 0..<200 {
            let m = 1 + rng.int(0..<400)
            let tiny = trial % 4 == 0 ? 1e-4 : 1.0, lo = trial % 7 == 0 ? 0.2 : 0.0
            let p: [Double] = (0..<m).map { _ in
                switch rng.int(0..<10) {
                case 0: return .nan
                case 1: return 0.05
                case 2: return 0.01        // ties
                default: return rng.uniform(lo, 1) * tiny
                }
            }
            for q in [0.05, 0.1] {
                let full = FalseDiscoveryRate.benjaminiHochberg(p, q: q), fast = FalseDiscoveryRate.rejections(p, q: q)
                #expect(fast.rejected == full.rejected)
                #expect(fast.cutoff == full.cutoff)
            }
        }
    }

    @Test func normalTails() {
        #expect(close(NormalDistribution.twoSidedP(1.959963984540054), 0.05, 1e-14))
        #expect(close(NormalDistribution.twoSidedP(-1.959963984540054), 0.05, 1e-14))
        #expect(NormalDistribution.twoSidedP(0) == 1)
        #expect(close(NormalDistribution.upperTail(3), 0.0013498980316300946, 1e-13))
    }
}

@Suite struct GetisOrdGiStarTests {
    struct Golden: Decodable {
        let width, height: Int
        let cellSize, originX, originY, distance: Double
        let counts: [Float]
        let cells: [Int]
        let z: [Double]
        let pOneSided: [Double]
        let bhClass: [Int]
        let versions: [String: String]
    }

    /// PySAL esda 2.9.0 / libpysal 4.14.1 (versions in the file), made by Golden/make_gistar.py.
    /// Tolerance: 1e-9 absolute in z (both are Double; the sums differ only in order), 1e-9 relative
    /// in p; the hot/cold classes must agree exactly.
    @Test func matchesPySALesda() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/gistar.json")
        let gold = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        #expect(gold.versions["esda"] != nil)
        let g = try GridGeometry(originX: gold.originX, originY: gold.originY, cellSize: gold.cellSize,
                                 width: gold.width, height: gold.height)
        let counts = Raster(geometry: g, values: gold.counts)
        let cells = StudyCells(geometry: g, indices: gold.cells)
        let res = GetisOrdGiStar.compute(counts, cells: cells, distance: gold.distance, q: 0.05)
        var worst = 0.0
        for (k, i) in gold.cells.enumerated() {
            worst = max(worst, abs(res.z.values[i] - gold.z[k]))
            #expect(close(res.p.values[i], min(1, 2 * gold.pOneSided[k]), 1e-9))
            #expect(Int(res.classes.values[i]) == gold.bhClass[k])
        }
        #expect(worst < 1e-9)
        #expect(res.hotCount == gold.bhClass.filter { $0 > 0 }.count && res.hotCount > 0)
        // Outside the study area: nothing.
        let outside = Set(0..<g.cellCount).subtracting(gold.cells)
        #expect(!outside.isEmpty)
        for i in outside { #expect(res.z.values[i].isNaN && res.classes.values[i] == 0 && res.neighbours.values[i] == 0) }
    }

    /// Brute force over all pairs of study cells on random grids and masks.
    @Test func matchesBruteForce() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<20 {
            let w = rng.int(2..<14), h = rng.int(2..<14)
            let g = grid(w, h, cs: 25)
            let counts = Raster(geometry: g, values: (0..<g.cellCount).map { _ in Float(rng.int(0..<6)) })
            let cells = StudyCells(geometry: g, indices: (0..<g.cellCount).filter { _ in rng.uniform(0, 1) < 0.8 })
            guard cells.count > 2 else { continue }
            let d = rng.uniform(0, 100)
            let res = GetisOrdGiStar.compute(counts, cells: cells, distance: d)
            let n = Double(cells.count)
            let xs = cells.indices.map { Double(counts.values[$0]) }
            let mean = xs.reduce(0, +) / n
            let s = (xs.reduce(0) { $0 + $1 * $1 } / n - mean * mean).squareRoot()
            for i in cells.indices {
                var sx = 0.0, sw = 0.0
                for j in cells.indices {
                    let dr = Double(i / w - j / w) * 25, dc = Double(i % w - j % w) * 25
                    if dr * dr + dc * dc <= d * d { sx += Double(counts.values[j]); sw += 1 }
                }
                #expect(res.neighbours.values[i] == Int32(sw))
                let den = s * ((n * sw - sw * sw) / (n - 1)).squareRoot()
                if den > 0 { #expect(abs(res.z.values[i] - (sx - mean * sw) / den) < 1e-9) } else { #expect(res.z.values[i].isNaN) }
            }
        }
    }

    @Test func constantCountsAreNeverSignificant() {
        let g = grid(5, 5)
        let res = GetisOrdGiStar.compute(Raster(geometry: g, repeating: 2), cells: all(g), distance: 15)
        #expect(res.z.values.allSatisfy(\.isNaN) && res.hotCount == 0 && res.cutoff == nil)
    }
}
