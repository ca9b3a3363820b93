import RasterCore

/// Exact planar distances and containment for single features, by brute force over their
/// vertices and segments: for the synthetic sample and for naming hotspots after the features
/// nearest them (a few hundred features at most; the raster core handles whole layers).
enum Planar {
    static func distance(_ a: Point2, _ b: Point2) -> Double { ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() }

    static func distance(_ p: Point2, toLine v: [Point2]) -> Double {
        if v.count == 1 { return distance(p, v[0]) }
        return zip(v, v.dropFirst()).map { a, b -> Double in
            let dx = b.x - a.x, dy = b.y - a.y
            let len2 = dx * dx + dy * dy
            let t = len2 > 0 ? max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0
            return distance(p, Point2(a.x + t * dx, a.y + t * dy))
        }.min() ?? .infinity
    }

    static func distance(_ p: Point2, toArea polygon: Polygon) -> Double {
        polygon.contains(p) ? 0 : polygon.rings.map { distance(p, toLine: $0 + [$0[0]]) }.min() ?? .infinity
    }

    /// Distance to any geometry: 0 inside a polygon.
    static func distance(_ p: Point2, to g: Geometry) -> Double {
        switch g {
        case .point(let q): distance(p, q)
        case .multiPoint(let qs): qs.map { distance(p, $0) }.min() ?? .infinity
        case .lineString(let l): distance(p, toLine: l)
        case .multiLineString(let ls): ls.map { distance(p, toLine: $0) }.min() ?? .infinity
        case .polygon(let poly): distance(p, toArea: poly)
        case .multiPolygon(let ps): ps.map { distance(p, toArea: $0) }.min() ?? .infinity
        }
    }
}

extension Planar {
    /// The point of a geometry nearest to `p` (p itself inside a polygon): exact, O(vertices).
    static func nearestPoint(to p: Point2, on g: Geometry) -> Point2 {
        func onLine(_ v: [Point2]) -> Point2 {
            if v.count == 1 { return v[0] }
            var best = v[0], bestD = Double.infinity
            for (a, b) in zip(v, v.dropFirst()) {
                let dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy
                let t = len2 > 0 ? max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0
                let q = Point2(a.x + t * dx, a.y + t * dy), d = distance(p, q)
                if d < bestD { best = q; bestD = d }
            }
            return best
        }
        let candidates: [Point2]
        switch g {
        case .point(let q): return q
        case .multiPoint(let qs): candidates = qs
        case .lineString(let l): return onLine(l)
        case .multiLineString(let ls): candidates = ls.map(onLine)
        case .polygon(let poly): return poly.contains(p) ? p : onLine(poly.rings.flatMap { $0 + [$0[0]] })
        case .multiPolygon(let ps):
            if ps.contains(where: { $0.contains(p) }) { return p }
            candidates = ps.map { onLine($0.rings.flatMap { $0 + [$0[0]] }) }
        }
        return candidates.min { distance(p, $0) < distance(p, $1) } ?? p
    }
}
