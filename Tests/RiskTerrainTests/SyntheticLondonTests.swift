import Foundation
import Testing
import GeoIO
import RasterCore
@testable import RiskTerrain
import TestSupport

/// The London-scale generator at a small scale (1/100 of London: 15.7 km², 500 events).
@Suite struct SyntheticLondonTests {
    static let scale = 0.01
    let scratch = Scratch()

    @Test func sameSeedSameBytesAndTheSpecReadsBack() throws {
        let a = scratch.path("rtm-london-a"), b = scratch.path("rtm-london-b")
        let files = try SyntheticLondon(seed: 3, scale: Self.scale).write(to: a)
        try SyntheticLondon(seed: 3, scale: Self.scale).write(to: b)
        #expect(files.count == 1 + 20 + 4)
        for f in files {
            let x = FileManager.default.contents(atPath: a + "/" + f), y = FileManager.default.contents(atPath: b + "/" + f)
            #expect(x != nil && x == y, "\(f) differs between two runs with the same seed")
        }
        let c = scratch.path("rtm-london-c")
        try SyntheticLondon(seed: 4, scale: Self.scale).write(to: c)
        #expect(FileManager.default.contents(atPath: a + "/crimes.csv") != FileManager.default.contents(atPath: c + "/crimes.csv"))

        // The spec is the benchmark's: every factor auto at 6 blocks, 240 candidates, and the inputs read.
        let spec = try SpecParser.load(a + "/spec.yaml")
        #expect(spec.factors.count == 20)
        #expect(spec.factors.reduce(0) { $0 + $1.influences.count * $1.increments(blockLength: spec.blockLength).count } == 240)
        let inputs = try StudyInputs.load(spec)
        #expect(inputs.outcome.count == 500)                    // the where filter removes the 80 other crimes
        #expect(inputs.factors.map { $0.features?.count ?? 0 } == SyntheticLondon.plans.map { max(1, Int((Double($0.count) * Self.scale).rounded())) })
        let area = inputs.studyArea.reduce(0.0) { $0 + Self.area($1) }
        #expect(abs(area - SyntheticLondon.areaKm2 * 1e6 * Self.scale) < 1e3)
    }

    @Test func countsScaleWithTheArea() throws {
        let small = try SyntheticLondon(seed: 1, scale: 0.005), large = try SyntheticLondon(seed: 1, scale: 0.02)
        #expect(small.violenceCount == 250 && large.violenceCount == 1000)
        let ratio = Double(large.cells) / Double(small.cells)
        #expect(ratio > 3.8 && ratio < 4.2, "cells \(small.cells) → \(large.cells)")
        #expect(large.layers[0].count == 60 && small.layers[0].count == 15)
        #expect(large.layers[3].allSatisfy { $0.kind == .polygon })      // parks
    }

    @Test func eventsConcentrateWhereTheTruthSaysRiskIsHigh() throws {
        // Events per cell within 200 m of licensed premises against the rest: the true RRV is 1.8
        // (and premises sit with other risky factors), so the ratio must be well above 1.3.
        let s = try SyntheticLondon(seed: 2, scale: 0.05)
        let grid = try AnalysisGrid(studyArea: [s.boundary], on: GridGeometry(covering: s.boundary.extent, cellSize: 25))
        let near = try SyntheticLondon.trueLayer(SyntheticLondon.trueTerms[0], s.layers[0], grid: grid)
        let vso = s.events.prefix(s.violenceCount)
        let g = grid.geometry
        let inNear = vso.filter { e in g.cell(containingX: e.at.x, y: e.at.y).map { near[$0.row, $0.col] } ?? false }.count
        let nearCells = near.popcount
        let ratio = (Double(inNear) / Double(nearCells)) / (Double(vso.count - inNear) / Double(s.cells - nearCells))
        #expect(ratio > 1.3, "event density ratio \(ratio)")
        #expect(vso.allSatisfy { g.cell(containingX: $0.at.x, y: $0.at.y).map { grid.mask[$0.row, $0.col] } ?? false })
    }

    static func area(_ p: Polygon) -> Double {
        let v = p.rings[0]
        var twice = 0.0
        for i in v.indices { let a = v[i], b = v[(i + 1) % v.count]; twice += a.x * b.y - b.x * a.y }
        return abs(twice) / 2
    }
}
