import Foundation
import GeoIO
import RasterCore

/// The places of the meeting's words a hotspot lies in — its ward(s), its borough — from the
/// spec's `areas:` layers: each hotspot cell's centre is placed in the polygon holding it
/// (even–odd point in polygon, after a bounding-box test), and a level names its areas by their
/// share of the hotspot's cells, largest first.
public struct HotspotArea: Sendable, Equatable {
    /// The level's name (`ward`, `borough`): the column in hotspots.csv and the GeoPackage.
    public let level: String
    /// Area names and their shares of the hotspot's cells (shares of 1 % or more; cells in no
    /// polygon are left out).
    public let names: [(name: String, share: Double)]

    /// "Bishopsgate", or "Bishopsgate 70%, Aldgate 30%".
    public var text: String {
        names.count == 1 ? names[0].name : names.map { "\($0.name) \(Int(($0.share * 100).rounded()))%" }.joined(separator: ", ")
    }

    public static func == (a: HotspotArea, b: HotspotArea) -> Bool {
        a.level == b.level && a.names.map(\.name) == b.names.map(\.name) && a.names.map(\.share) == b.names.map(\.share)
    }
}

/// An `areas:` layer read: its polygons, each with its name.
public struct AreaLayer: Sendable {
    public let level: String
    public let polygons: [(name: String, polygon: Polygon, extent: Extent)]

    /// The name of the polygon whose inside holds `p`; nil outside them all.
    func name(at p: Point2) -> String? {
        polygons.first { e in
            p.x >= e.extent.minX && p.x <= e.extent.maxX && p.y >= e.extent.minY && p.y <= e.extent.maxY && e.polygon.contains(p)
        }?.name
    }
}

enum HotspotAreas {
    /// Each hotspot's areas at every level, in the order the spec lists the levels.
    static func areas(of cells: [Int], grid g: GridGeometry, layers: [AreaLayer]) -> [HotspotArea] {
        layers.map { layer in
            var counts: [String: Int] = [:]
            for cell in cells {
                let c = g.centre(row: cell / g.width, col: cell % g.width)
                if let name = layer.name(at: Point2(c.x, c.y)) { counts[name, default: 0] += 1 }
            }
            let n = Double(cells.count)
            var names: [(name: String, share: Double)] = []
            for (name, count) in counts where Double(count) / n >= 0.01 { names.append((name, Double(count) / n)) }
            names.sort { a, b in a.share != b.share ? a.share > b.share : a.name < b.name }
            return HotspotArea(level: layer.level, names: names)
        }
    }

    /// The `areas:` layers read into the analysis CRS, with each polygon's name from `field`.
    static func read(_ spec: ModelSpec, crs: CRS) throws -> [AreaLayer] {
        try spec.areas.enumerated().map { i, a in
            let key = "areas[\(i + 1)]"
            var q = StudyInputs.query(a.source, declared: try StudyInputs.crs(a.source.crs, key: "\(key).crs", spec: spec))
            q.fields = [a.field]
            let set: FeatureSet
            do { set = try VectorReader.read(a.source.path, query: q, into: crs) } catch let e as GeoDataError {
                if case .noSuchField = e { throw SpecError(file: spec.path, line: nil, key: "\(key).field", message: e.description) }
                throw e
            }
            let names = set.attributes[a.field] ?? []
            var polygons: [(name: String, polygon: Polygon, extent: Extent)] = []
            for (g, name) in zip(set.geometries, names) {
                let parts: [Polygon]
                switch g {
                case .polygon(let p): parts = [p]
                case .multiPolygon(let ps): parts = ps
                default: parts = []
                }
                for p in parts {
                    guard let e = Geometry.polygon(p).extent else { continue }
                    polygons.append((name?.trimmingCharacters(in: .whitespaces) ?? "unnamed", p, e))
                }
            }
            guard !polygons.isEmpty else {
                throw SpecError(file: spec.path, line: nil, key: key,
                                message: "\(a.source.path) holds no polygons (it holds \(set.geometries.first?.kind.rawValue ?? "nothing")s) — areas are polygon layers such as wards or boroughs")
            }
            return AreaLayer(level: a.name, polygons: polygons)
        }
    }
}
