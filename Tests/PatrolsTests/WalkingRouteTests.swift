import Testing
import Patrols
import RiskModel

@Suite struct WalkingRouteTests {
    /// Every order of the places after the first, for the exact shortest open path.
    static func shortest(_ pts: [(x: Double, y: Double)]) -> Double {
        var best = Double.infinity
        func permute(_ route: [Int], _ left: [Int]) {
            if left.isEmpty { best = min(best, WalkingRoute.length(pts, order: route)); return }
            for (i, p) in left.enumerated() { var l = left; l.remove(at: i); permute(route + [p], l) }
        }
        permute([0], Array(pts.indices.dropFirst()))
        return best
    }

    @Test func routesVisitEveryPlaceOnceAndAreNearlyShortest() {
        var rng = SplitMix64(seed: 7)
        var worst = 0.0
        for _ in 0..<60 {
            let pts = randomPoints(rng.int(1...7), &rng, extent: 400)
            let order = WalkingRoute.order(pts)
            #expect(order.first == 0 && order.sorted() == Array(pts.indices))
            if pts.count > 2 { worst = max(worst, WalkingRoute.length(pts, order: order) / Self.shortest(pts) - 1) }
        }
        #expect(worst < 0.15, "worst excess over the shortest path \(worst)")
    }
}
