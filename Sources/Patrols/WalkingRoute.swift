/// A short walk through a few places: nearest neighbour from the first place, then 2-opt
/// (Croes 1958) — reverse any stretch of the path that shortens it, until none does. An open
/// path, not a tour: the team walks on to its next hotspot. O(n³) per improving pass; for the
/// handful of places in one hotspot this is exact or nearly so (n ≤ 8: compared with brute force
/// in `WalkingRouteTests`).
public enum WalkingRoute {
    /// The visiting order of `points` (indices), starting at index 0.
    public static func order(_ points: [(x: Double, y: Double)]) -> [Int] {
        guard points.count > 2 else { return Array(points.indices) }
        func d(_ i: Int, _ j: Int) -> Double {
            ((points[i].x - points[j].x) * (points[i].x - points[j].x) + (points[i].y - points[j].y) * (points[i].y - points[j].y)).squareRoot()
        }
        var route = [0], left = Set(points.indices.dropFirst())
        while let next = left.min(by: { (d(route.last!, $0), $0) < (d(route.last!, $1), $1) }) {
            route.append(next)
            left.remove(next)
        }
        var improved = true
        while improved {
            improved = false
            for i in 1..<(route.count - 1) {
                for j in (i + 1)..<route.count {
                    // reverse route[i...j]: edges (i−1, i) and (j, j+1) become (i−1, j) and (i, j+1)
                    let before = d(route[i - 1], route[i]) + (j + 1 < route.count ? d(route[j], route[j + 1]) : 0)
                    let after = d(route[i - 1], route[j]) + (j + 1 < route.count ? d(route[i], route[j + 1]) : 0)
                    if after < before - 1e-9 {
                        route[i...j].reverse()
                        improved = true
                    }
                }
            }
        }
        return route
    }

    /// Length of the path through `points` in this order.
    public static func length(_ points: [(x: Double, y: Double)], order: [Int]) -> Double {
        zip(order, order.dropFirst()).reduce(0) { s, p in
            let a = points[p.0], b = points[p.1]
            return s + ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
        }
    }
}
