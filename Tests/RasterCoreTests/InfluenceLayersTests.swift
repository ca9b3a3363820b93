import Testing
@testable import RasterCore

@Suite struct InfluenceLayersTests {
    @Test func proximityLayersEqualThresholdedDistances() throws {
        var rng = SplitMix64(seed: 314)
        for trial in 0..<40 {
            let inner = randomGrid(&rng, maxSide: 40)
            let distances = [25.0, 10, 50, 0, 37.5, 20 * 2.0.squareRoot()]   // unsorted; one exactly on √8 cells
            let g = try inner.padded(by: 6)
            let f = randomFeatures(&rng, on: g, density: [0, 0.003, 0.02, 0.3][trial % 4])
            var study = BitMatrix(geometry: inner)
            for i in 0..<inner.cellCount where rng.uniform(0, 1) < 0.8 { study[i] = true }
            let layers = try InfluenceLayers.proximity(squaredDistances: EuclideanDistance.squaredCellDistances(to: f),
                                                       distances: distances, studyArea: study)
            let cont = try EuclideanDistance.distances(to: f).cropped(to: inner)
            #expect(layers.count == distances.count)
            for (j, d) in distances.enumerated() {
                for i in 0..<inner.cellCount {
                    let want = study[i] && Double(cont.values[i]) <= d + 1e-6 * inner.cellSize
                    #expect(layers[j][i] == want, "trial \(trial) d \(d) cell \(i): distance \(cont.values[i])")
                }
            }
            // nested: a smaller distance's layer is inside a larger one's
            #expect(layers[3].popcount <= layers[1].popcount && layers[1].popcount <= layers[5].popcount)
        }
        let g = try GridGeometry(originX: 0, originY: 10, cellSize: 1, width: 3, height: 3)
        #expect(throws: RasterError.invalidDistance(-1)) {
            try InfluenceLayers.proximity(squaredDistances: EuclideanDistance.squaredCellDistances(to: BitMatrix(geometry: g)),
                                          distances: [-1], studyArea: BitMatrix(geometry: g))
        }
    }

    @Test func densityLayerEqualsThresholdOverStudyCells() throws {
        var rng = SplitMix64(seed: 2718)
        for trial in 0..<30 {
            let inner = randomGrid(&rng, maxSide: 48)
            let kernel = Kernel.gaussian(sigma: inner.cellSize * rng.uniform(0.5, 3))
            let g = try inner.padded(by: kernel.radius(cellSize: inner.cellSize) + 1)
            var counts = Raster<Float>(geometry: g, repeating: 0)
            for i in 0..<g.cellCount where rng.uniform(0, 1) < 0.05 { counts.values[i] = 1 }
            let density = try KernelDensity.density(of: counts, kernel: kernel)
            var study = BitMatrix(geometry: inner)
            for i in 0..<inner.cellCount where rng.uniform(0, 1) < 0.7 { study[i] = true }
            guard study.popcount > 0 else { continue }
            let k = [2.0, 1, 0][trial % 3]
            let result = try InfluenceLayers.densityAbove(density, studyArea: study, sd: k)
            // Brute force: statistics over study cells, strict threshold.
            let local = try density.cropped(to: inner)
            let vals = study.setIndices.map { Double(local.values[$0]) }
            let mean = vals.reduce(0, +) / Double(vals.count)
            let sd = (vals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(vals.count)).squareRoot()
            #expect(abs(result.mean - mean) <= 1e-9 * max(1, abs(mean)))
            #expect(abs(result.standardDeviation - sd) <= 1e-9 * max(1, sd))
            for i in 0..<inner.cellCount {
                #expect(result.layer[i] == (study[i] && Double(local.values[i]) > mean + k * sd), "trial \(trial) cell \(i)")
            }
        }
    }

    @Test func bitMatrixBasics() throws {
        let g = try GridGeometry(originX: 0, originY: 10, cellSize: 1, width: 13, height: 11)
        var m = BitMatrix(geometry: g)
        #expect(m.words.count == (143 + 63) / 64)
        m.setRun(row: 3, from: 2, to: 13)
        m[10, 12] = true
        m[0, 0] = true; m[0, 0] = false
        #expect(m.popcount == 12)
        #expect(m[3, 2] && m[3, 12] && !m[3, 1] && m[10, 12])
        #expect(m.setIndices.first == 3 * 13 + 2)
        var all = BitMatrix(geometry: g)
        for r in 0..<11 { all.setRun(row: r, from: 0, to: 13) }
        #expect(all.popcount == 143)
        #expect(all.raster(of: Float.self).values.reduce(0, +) == 143)
        let e = try m.embedded(in: g.padded(by: 2))
        #expect(e.popcount == 12 && e[5, 4])
        #expect(try e.cropped(to: g) == m)
    }
}
