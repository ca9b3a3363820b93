import Foundation
import Testing
import RasterCore
@testable import RiskTerrain

@Suite struct AnalysisDesignTests {
    /// The word-level gather against a bit-by-bit one, on grids whose rows straddle words and on
    /// masks with full, empty and partial words.
    @Test func compressMatchesABitByBitGather() throws {
        var rng = SplitMix64(seed: 99)
        for trial in 0..<40 {
            let width = 1 + Int(rng.uniform() * 300), height = 1 + Int(rng.uniform() * 40)
            let g = try GridGeometry(covering: Extent(minX: 0, minY: 0, maxX: Double(width) * 25, maxY: Double(height) * 25), cellSize: 25)
            var rows = BitMatrix(geometry: g), layer = BitMatrix(geometry: g)
            let density = [0.0, 0.5, 0.97, 1.0][trial % 4]
            for r in 0..<g.height {     // a disc-like area: full interior runs, ragged edges
                let from = Int(rng.uniform() * Double(g.width) * 0.3), to = g.width - Int(rng.uniform() * Double(g.width) * 0.3)
                if from < to { rows.setRun(row: r, from: from, to: to) }
            }
            for i in 0..<g.cellCount where rng.uniform() < density { layer[i] = true }
            let cells = rows.setIndices
            var expected = [UInt64](repeating: 0, count: (cells.count + 63) >> 6)
            for (k, i) in cells.enumerated() where layer[i] { expected[k >> 6] |= 1 << UInt64(k & 63) }
            #expect(AnalysisDesign.compress(layer, rows: rows) == expected, "trial \(trial): \(width)×\(height)")
        }
    }
}
