import Foundation
import Testing
import GeoIO
import RasterCore
@testable import RiskTerrain

@Suite struct SampleBoroughTests {
    /// Built once: generating it brute-forces distances for every cell (seconds in a debug build).
    static let shared = SampleBorough(seed: 1)
    var sample: SampleBorough { Self.shared }

    @Test func eventsFollowTheTrueModel() {
        // Event density within 200 m of licensed premises against the rest of the area: the true
        // RRV is 2.0 (and premises sit on high streets, which add their own 1.5), so the raw
        // density ratio must be well above 1.5.
        let vso = sample.crimes.filter { $0.crimeType == "Violence and sexual offences" }
        #expect(vso.count > 2500 && vso.count < 4000)
        func nearPremises(_ p: Point2) -> Bool { sample.licensedPremises.contains { Planar.distance(p, $0.at) <= 200 } }
        let nearEvents = Double(vso.filter { nearPremises($0.at) }.count)
        let e = sample.boundary.extent
        var nearArea = 0.0, area = 0.0
        for x in stride(from: e.minX + 25, to: e.maxX, by: 50) {
            for y in stride(from: e.minY + 25, to: e.maxY, by: 50) where sample.boundary.contains(Point2(x, y)) {
                area += 1
                if nearPremises(Point2(x, y)) { nearArea += 1 }
            }
        }
        let ratio = (nearEvents / nearArea) / ((Double(vso.count) - nearEvents) / (area - nearArea))
        #expect(ratio > 1.5, "density ratio \(ratio)")
        #expect(sample.crimes.count - vso.count == 900)
    }

    @Test func everythingLiesInTheStudyArea() {
        for e in sample.crimes { #expect(sample.boundary.extent.expanded(by: 13).intersects(Extent(minX: e.at.x, minY: e.at.y, maxX: e.at.x, maxY: e.at.y))) }
        for r in sample.streetSafe { #expect(sample.boundary.contains(r.at)) }
        #expect(Set(sample.streetSafe.map(\.reason)).count >= 5)
    }

    @Test func evenOddContainmentHonoursHoles() {
        let p = Polygon(exterior: [Point2(0, 0), Point2(10, 0), Point2(10, 10), Point2(0, 10)],
                        holes: [[Point2(4, 4), Point2(6, 4), Point2(6, 6), Point2(4, 6)]])
        #expect(p.contains(Point2(2, 2)))
        #expect(!p.contains(Point2(5, 5)))
        #expect(!p.contains(Point2(11, 5)))
        #expect(abs(Planar.distance(Point2(5, 13), toArea: p) - 3) < 1e-12)
    }
}
