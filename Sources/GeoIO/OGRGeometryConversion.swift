import CGDAL
import RasterCore

/// Converts OGR geometries to `Geometry` values, dropping Z/M.
///
/// Curves are linearised by OGR (`OGR_G_GetLinearGeometry`, default tolerance); a geometry
/// collection whose members are all of one kind is flattened into the multi-geometry of that kind.
/// Returns nil for what RiskTerrain cannot use (empty, TIN, mixed collections), with the reason.
enum OGRGeometryConversion {
    enum Outcome { case geometry(Geometry), skipped(reason: String) }

    static func convert(_ h: OGRGeometryH) -> Outcome {
        if OGR_G_IsEmpty(h) != 0 { return .skipped(reason: "an empty geometry") }
        let type = OGR_GT_Flatten(OGR_G_GetGeometryType(h))
        switch type {
        case wkbPoint:
            return .geometry(.point(Point2(OGR_G_GetX(h, 0), OGR_G_GetY(h, 0))))
        case wkbLineString, wkbLinearRing:
            return .geometry(.lineString(points(h)))
        case wkbPolygon:
            return .geometry(.polygon(polygon(h)))
        case wkbMultiPoint:
            return .geometry(.multiPoint(parts(h).map { Point2(OGR_G_GetX($0, 0), OGR_G_GetY($0, 0)) }))
        case wkbMultiLineString:
            return .geometry(.multiLineString(parts(h).map(points)))
        case wkbMultiPolygon:
            return .geometry(.multiPolygon(parts(h).map(polygon)))
        case wkbCircularString, wkbCompoundCurve, wkbCurvePolygon, wkbMultiCurve, wkbMultiSurface:
            guard let linear = OGR_G_GetLinearGeometry(h, 0, nil) else {
                return .skipped(reason: "a curve geometry OGR could not linearise")
            }
            defer { OGR_G_DestroyGeometry(linear) }
            return convert(linear)
        case wkbGeometryCollection:
            var members: [Geometry] = []
            for part in parts(h) {
                guard case .geometry(let g) = convert(part) else { continue }
                members.append(g)
            }
            return flatten(members)
        default:
            let name = String(cString: OGRGeometryTypeToName(type))
            return .skipped(reason: "an unsupported geometry type (\(name))")
        }
    }

    /// An invalid (e.g. self-intersecting) polygon repaired with GEOS through `OGR_G_MakeValid`:
    /// the polygonal parts of the result, as a multi-polygon. Parts that collapsed to lines or
    /// points are dropped (they have no area); a polygon that collapses entirely is skipped.
    static func madeValid(_ h: OGRGeometryH) -> Outcome {
        CPLErrorReset()
        guard let valid = OGR_G_MakeValid(h) else {
            CPLErrorReset()
            return .skipped(reason: "an invalid polygon GEOS could not repair")
        }
        defer { OGR_G_DestroyGeometry(valid) }
        var polygons: [Polygon] = []
        func collect(_ g: OGRGeometryH) {
            switch OGR_GT_Flatten(OGR_G_GetGeometryType(g)) {
            case wkbPolygon: polygons.append(polygon(g))
            case wkbMultiPolygon, wkbGeometryCollection: parts(g).forEach(collect)
            default: break
            }
        }
        collect(valid)
        polygons = polygons.filter { !$0.rings.isEmpty }
        guard !polygons.isEmpty else { return .skipped(reason: "an invalid polygon with no area") }
        return .geometry(polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons))
    }

    private static func parts(_ h: OGRGeometryH) -> [OGRGeometryH] {
        (0..<OGR_G_GetGeometryCount(h)).compactMap { OGR_G_GetGeometryRef(h, $0) }
    }

    /// A curve's vertices in one bulk call.
    private static func points(_ h: OGRGeometryH) -> [Point2] {
        let n = Int(OGR_G_GetPointCount(h))
        guard n > 0 else { return [] }
        var xs = [Double](repeating: 0, count: n), ys = [Double](repeating: 0, count: n)
        xs.withUnsafeMutableBytes { xb in
            ys.withUnsafeMutableBytes { yb in
                _ = OGR_G_GetPoints(h, xb.baseAddress, Int32(MemoryLayout<Double>.stride),
                                    yb.baseAddress, Int32(MemoryLayout<Double>.stride), nil, 0)
            }
        }
        return (0..<n).map { Point2(xs[$0], ys[$0]) }
    }

    /// Rings, stored open (a closing vertex equal to the first is dropped).
    private static func polygon(_ h: OGRGeometryH) -> Polygon {
        Polygon(rings: parts(h).map { ring in
            var ps = points(ring)
            if ps.count > 1, ps.first == ps.last { ps.removeLast() }
            return ps
        }.filter { !$0.isEmpty })
    }

    private static func flatten(_ members: [Geometry]) -> Outcome {
        guard let kind = members.first?.kind else { return .skipped(reason: "an empty geometry collection") }
        guard members.allSatisfy({ $0.kind == kind }) else {
            return .skipped(reason: "a geometry collection mixing points, lines and polygons")
        }
        switch kind {
        case .point:
            return .geometry(.multiPoint(members.flatMap(\.vertices)))
        case .line:
            return .geometry(.multiLineString(members.flatMap { g -> [[Point2]] in
                switch g {
                case .lineString(let l): [l]
                case .multiLineString(let ls): ls
                default: []
                }
            }))
        case .polygon:
            return .geometry(.multiPolygon(members.flatMap { g -> [Polygon] in
                switch g {
                case .polygon(let p): [p]
                case .multiPolygon(let ps): ps
                default: []
                }
            }))
        }
    }
}
