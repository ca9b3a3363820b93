import Foundation
import RasterCore

/// Names a place after landmarks (`HotspotStage` labels each hotspot with it): among the named
/// features within 300 m, those of the layers with the fewest features first (a station or a
/// street says more than one of a hundred venues), then the nearest; two from different layers.
/// The nearest named feature within 400 m otherwise, and a grid reference when nothing named is
/// near.
///
/// The features are bucketed once into 400 m squares by their extents, so a label looks only at
/// the features whose extent comes within 400 m of the place (every hotspot against every named
/// feature took 2.1 s at 4× London: 4× the hotspots × 4× the features). The candidates are
/// ranked in input order, so the labels are those of the full scan.
struct HotspotLandmarks {
    struct Named { let name: String; let layer: String; let geometry: Geometry }

    static let reach = 400.0, preferred = 300.0
    private let named: [Named]
    private let layerSize: [String: Int]
    private var buckets: [SIMD2<Int>: [Int]] = [:]
    /// Features whose extent spans more than `largeBuckets` squares (a long river, a borough
    /// polygon): checked for every place instead of filling thousands of squares.
    private var large: [Int] = []
    static let largeBuckets = 4096

    init(_ named: [Named]) {
        self.named = named
        var sizes: [String: Int] = [:]
        for n in named { sizes[n.layer, default: 0] += 1 }
        layerSize = sizes
        for (i, n) in named.enumerated() {
            guard let e = n.geometry.extent else { continue }
            let lo = Self.bucket(e.minX, e.minY), hi = Self.bucket(e.maxX, e.maxY)
            if (hi.x - lo.x + 1) * (hi.y - lo.y + 1) > Self.largeBuckets { large.append(i); continue }
            for bx in lo.x...hi.x { for by in lo.y...hi.y { buckets[SIMD2(bx, by), default: []].append(i) } }
        }
    }

    /// The features with a non-blank `name` attribute in the study's factor layers.
    init(_ inputs: StudyInputs) {
        self.init(inputs.factors.flatMap { l -> [Named] in
            guard let set = l.features, let names = set.attributes["name"] else { return [] }
            return zip(names, set.geometries).compactMap { n, g in
                guard let n, !n.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
                return Named(name: n, layer: l.spec.name, geometry: g)
            }
        })
    }

    private static func bucket(_ x: Double, _ y: Double) -> SIMD2<Int> {
        SIMD2(Int((x / reach).rounded(.down)), Int((y / reach).rounded(.down)))
    }

    /// The label of a place at `p` (see the type).
    func label(_ p: Point2) -> String {
        // Features with a point within 400 m of p have an extent within 400 m: the buckets around.
        let c = Self.bucket(p.x, p.y)
        var candidates = large
        for bx in (c.x - 1)...(c.x + 1) { for by in (c.y - 1)...(c.y + 1) { candidates += buckets[SIMD2(bx, by)] ?? [] } }
        let near = Array(Set(candidates)).sorted().compactMap { i -> (Named, Double)? in
            let d = Planar.distance(p, to: named[i].geometry)
            return d <= Self.reach ? (named[i], d) : nil
        }
        guard !near.isEmpty else { return String(format: "near E %.0f N %.0f", p.x, p.y) }
        func key(_ c: (Named, Double)) -> (Int, Double) { (c.1 <= Self.preferred ? layerSize[c.0.layer]! : Int.max, c.1) }
        let ranked = near.sorted { key($0) < key($1) }
        func text(_ n: Named) -> String { "\(n.name) (\(n.layer.replacingOccurrences(of: "_", with: " ")))" }
        var label = text(ranked[0].0)
        if let second = ranked.first(where: { $0.0.layer != ranked[0].0.layer }) { label += " / " + text(second.0) }
        return label
    }
}
