import Foundation
import Testing
import RasterCore
@testable import RiskTerrain

@Suite struct HotspotLandmarksTests {
    /// The rule of `HotspotLandmarks.label` as a scan of every named feature: the index must give
    /// the same labels.
    func scan(_ p: Point2, _ named: [HotspotLandmarks.Named]) -> String {
        var size: [String: Int] = [:]
        for n in named { size[n.layer, default: 0] += 1 }
        let near = named.map { ($0, Planar.distance(p, to: $0.geometry)) }.filter { $0.1 <= 400 }
        guard !near.isEmpty else { return String(format: "near E %.0f N %.0f", p.x, p.y) }
        func key(_ c: (HotspotLandmarks.Named, Double)) -> (Int, Double) { (c.1 <= 300 ? size[c.0.layer]! : Int.max, c.1) }
        let ranked = near.sorted { key($0) < key($1) }
        func text(_ n: HotspotLandmarks.Named) -> String { "\(n.name) (\(n.layer.replacingOccurrences(of: "_", with: " ")))" }
        var label = text(ranked[0].0)
        if let second = ranked.first(where: { $0.0.layer != ranked[0].0.layer }) { label += " / " + text(second.0) }
        return label
    }

    @Test func labelsEqualAScanOfEveryFeature() {
        var state: UInt64 = 99
        func u() -> Double {
            state &+= 0x9E3779B97F4A7C15
            var z = state; z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        func at() -> Point2 { Point2(530_000 + 6_000 * u(), 180_000 + 6_000 * u()) }
        var named: [HotspotLandmarks.Named] = []
        for i in 0..<400 { named.append(.init(name: "Venue \(i)", layer: "licensed_premises", geometry: .point(at()))) }
        for i in 0..<30 { named.append(.init(name: "Station \(i)", layer: "stations", geometry: .point(at()))) }
        for i in 0..<12 {
            let a = at()
            named.append(.init(name: "Road \(i)", layer: "high_streets",
                               geometry: .lineString([a, Point2(a.x + 1_500 * u() - 750, a.y + 1_500 * u() - 750)])))
        }
        for i in 0..<10 {
            let c = at(), r = 50 + 200 * u()
            named.append(.init(name: "Park \(i)", layer: "parks", geometry: .polygon(Polygon(exterior: [
                Point2(c.x - r, c.y - r), Point2(c.x + r, c.y - r), Point2(c.x + r, c.y + r), Point2(c.x - r, c.y + r), Point2(c.x - r, c.y - r)]))))
        }
        // One feature larger than the index's squares (checked for every place).
        named.append(.init(name: "River", layer: "rivers", geometry: .lineString([Point2(400_000, 183_000), Point2(700_000, 183_100)])))
        let landmarks = HotspotLandmarks(named)
        for _ in 0..<300 {
            let p = Point2(529_000 + 8_000 * u(), 179_000 + 8_000 * u())
            #expect(landmarks.label(p) == scan(p, named))
        }
        #expect(HotspotLandmarks([]).label(Point2(1, 2)) == "near E 1 N 2")
    }
}
