import Testing
import RasterCore
@testable import Hotspots

@Suite struct FactorShareTests {
    /// Three cells. Contributions Σβx: licensed premises 0.45·2 = 0.9, station 0.3·2 = 0.6,
    /// high street 0.25·2 = 0.5, lighting −0.2·2 = −0.4, park 1.2·0 = 0. Positive total 2.0:
    /// shares 45%, 30%, 25%; lighting offsets 0.4 / 2.0 = 20%; total log-risk 1.6.
    @Test func sharesOfPositiveLogRisk() {
        let r = FactorShare.shares([
            .init(name: "park", coefficient: 1.2, values: [0, 0, 0]),
            .init(name: "station", coefficient: 0.3, values: [1, 1, 0]),
            .init(name: "lighting", coefficient: -0.2, values: [1, 0, 1]),
            .init(name: "licensed premises", coefficient: 0.45, values: [1, 0, 1]),
            .init(name: "high street", coefficient: 0.25, values: [0, 1, 1]),
        ])
        #expect(r.shares.map(\.name) == ["licensed premises", "station", "high street", "lighting", "park"])
        #expect(r.drivers.map(\.name) == ["licensed premises", "station", "high street"])
        for (s, want) in zip(r.shares.map(\.share), [0.45, 0.30, 0.25, 0, 0]) { #expect(close(s, want)) }
        #expect(close(r.drivers.reduce(0) { $0 + $1.share }, 1))
        #expect(r.protective.map(\.name) == ["lighting"])
        #expect(close(r.protective[0].offset, 0.2) && r.protective[0].share == 0)
        #expect(close(r.total, 1.6) && close(r.positiveTotal, 2.0))
    }

    @Test func continuousValuesTiesAndNoDrivers() {
        // A distance term (β per metre < 0, x in metres) is protective where x > 0.
        let r = FactorShare.shares([
            .init(name: "a", coefficient: 0.5, values: [2]),
            .init(name: "b", coefficient: 1, values: [1]),
            .init(name: "distance", coefficient: -0.01, values: [50]),
        ])
        #expect(r.shares.map(\.name) == ["a", "b", "distance"])   // tie 1.0 = 1.0: input order
        #expect(r.shares[0].share == 0.5 && r.shares[1].share == 0.5 && close(r.shares[2].offset, 0.25))
        let none = FactorShare.shares([.init(name: "lighting", coefficient: -0.3, values: [1, 1])])
        #expect(none.drivers.isEmpty && none.shares[0].share == 0 && none.shares[0].offset == 0 && close(none.total, -0.6))
    }

    @Test func fromRastersOverClusterCells() {
        // Cluster cells 1 and 2 of a 2 × 2 grid: premises present in both (0.5·2 = 1.0), station
        // in cell 2 only (0.25·1), cell 0's station is outside the cluster and must not count.
        let premises = raster([[0, 1], [1, 0]]), station = raster([[1, 0], [1, 0]])
        let r = FactorShare.shares(cells: [1, 2], terms: [("station", 0.25, station), ("premises", 0.5, premises)])
        #expect(r.shares.map(\.name) == ["premises", "station"])
        #expect(close(r.shares[0].share, 0.8) && close(r.shares[1].share, 0.2) && close(r.total, 1.25))
    }
}
