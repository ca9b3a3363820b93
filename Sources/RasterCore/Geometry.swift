/// A point in a projected CRS (metres).
public struct Point2: Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// A polygon: the first ring is the exterior, the others are holes. Rings are stored open
/// (the closing vertex equal to the first is dropped by readers) and may run either way round;
/// point-in-polygon uses the even-odd rule over all rings.
public struct Polygon: Hashable, Sendable, Codable {
    public var rings: [[Point2]]
    public init(rings: [[Point2]]) { self.rings = rings }
    public init(exterior: [Point2], holes: [[Point2]] = []) { self.rings = [exterior] + holes }

    /// Even-odd point-in-polygon over all rings (ray casting), so a point in a hole is outside.
    public func contains(_ p: Point2) -> Bool { rings.reduce(false) { $0 != Self.ringContains($1, p) } }

    /// Even-odd point-in-ring test (ray casting to +x).
    public static func ringContains(_ ring: [Point2], _ p: Point2) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in ring.indices {
            let a = ring[i], b = ring[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
            j = i
        }
        return inside
    }
}

/// A vector feature's geometry, already in the analysis CRS. Multi-part geometries keep their parts.
public enum Geometry: Hashable, Sendable, Codable {
    case point(Point2)
    case multiPoint([Point2])
    case lineString([Point2])
    case multiLineString([[Point2]])
    case polygon(Polygon)
    case multiPolygon([Polygon])

    /// The broad kind, for choosing how a layer is rasterised and for messages.
    public enum Kind: String, Sendable, Codable { case point, line, polygon }

    public var kind: Kind {
        switch self {
        case .point, .multiPoint: .point
        case .lineString, .multiLineString: .line
        case .polygon, .multiPolygon: .polygon
        }
    }

    /// Whether this is a multi-part type (even with one part).
    public var isMulti: Bool {
        switch self {
        case .multiPoint, .multiLineString, .multiPolygon: true
        case .point, .lineString, .polygon: false
        }
    }

    /// Every vertex, in order: for extents and point-wise transforms.
    public var vertices: [Point2] {
        switch self {
        case .point(let p): [p]
        case .multiPoint(let ps), .lineString(let ps): ps
        case .multiLineString(let ls): ls.flatMap { $0 }
        case .polygon(let p): p.rings.flatMap { $0 }
        case .multiPolygon(let ps): ps.flatMap { $0.rings.flatMap { $0 } }
        }
    }

    /// The bounding box of the vertices; nil for a geometry with none.
    public var extent: Extent? {
        var it = vertices.makeIterator()
        guard let first = it.next() else { return nil }
        var e = Extent(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        while let p = it.next() {
            e.minX = min(e.minX, p.x); e.maxX = max(e.maxX, p.x)
            e.minY = min(e.minY, p.y); e.maxY = max(e.maxY, p.y)
        }
        return e
    }

    /// The same geometry with every vertex mapped by `transform` (e.g. a reprojection).
    public func mapVertices(_ transform: (Point2) throws -> Point2) rethrows -> Geometry {
        switch self {
        case .point(let p): return .point(try transform(p))
        case .multiPoint(let ps): return .multiPoint(try ps.map(transform))
        case .lineString(let ps): return .lineString(try ps.map(transform))
        case .multiLineString(let ls): return .multiLineString(try ls.map { try $0.map(transform) })
        case .polygon(let p): return .polygon(Polygon(rings: try p.rings.map { try $0.map(transform) }))
        case .multiPolygon(let ps):
            return .multiPolygon(try ps.map { Polygon(rings: try $0.rings.map { try $0.map(transform) }) })
        }
    }
}
