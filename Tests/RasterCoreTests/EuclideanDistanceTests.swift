import Testing
@testable import RasterCore

@Suite struct EuclideanDistanceTests {
    /// Brute force: min over feature cells of the distance between centres, in metres.
    func bruteForce(_ f: BitMatrix) -> [Double] {
        let g = f.geometry, feats = f.setIndices
        return (0..<g.cellCount).map { i in
            let r = i / g.width, c = i % g.width
            var best = Double.infinity
            for j in feats {
                let dr = Double(r - j / g.width), dc = Double(c - j % g.width)
                best = min(best, (dr * dr + dc * dc).squareRoot())
            }
            return best * g.cellSize
        }
    }

    @Test func equalsBruteForceOnRandomGrids() throws {
        var rng = SplitMix64(seed: 20261121)
        for trial in 0..<120 {
            let g = randomGrid(&rng)
            let density = [0, 1, 0.001, 0.01, 0.05, 0.2, 0.5, 0.9][trial % 8]
            let f = randomFeatures(&rng, on: g, density: density)
            let d = EuclideanDistance.distances(to: f)
            let d2 = try EuclideanDistance.squaredCellDistances(to: f)
            let bf = bruteForce(f)
            for i in 0..<g.cellCount {
                if bf[i].isInfinite {
                    #expect(d.values[i] == .infinity)
                    #expect(d2.values[i] == .max)
                } else {
                    #expect(abs(Double(d.values[i]) - bf[i]) <= 1e-6 * max(1, bf[i]), "trial \(trial) cell \(i)")
                    let cells = bf[i] / g.cellSize
                    #expect(Double(d2.values[i]) == (cells * cells).rounded(), "trial \(trial) cell \(i)")
                }
            }
            if density == 1 { #expect(d.values.allSatisfy { $0 == 0 }) }
        }
    }

    @Test func singleFeatureInCorner() {
        let g = try! GridGeometry(originX: 0, originY: 30, cellSize: 10, width: 4, height: 3)
        var f = BitMatrix(geometry: g)
        f[0, 0] = true
        let d = EuclideanDistance.distances(to: f)
        #expect(d[2, 3] == Float((4.0 + 9.0).squareRoot() * 10))
        #expect(d[0, 3] == 30)
    }
}
