import Foundation
import RasterCore

/// A London-scale SYNTHETIC study for benchmarks: a force-wide area the size of the Met's
/// (1,572 km² at `scale` 1; 0.25× and 4× for scaling runs), 20 factor layers with realistic
/// feature counts (thousands of licensed premises and bus stops, hundreds of stations and parks),
/// and 50,000 violence-and-sexual-offence events over the 12 months of 2024, drawn from a known
/// risk terrain model. Nothing in it is real: the boundary is a seeded London-like outline around
/// Charing Cross in British National Grid metres, and every feature and event is invented.
///
/// Feature and event counts scale with the area, so every scale has London's densities. The true
/// model is the peer benchmark's (shared/peers/make_london.py), stated in RTM's own terms: the
/// layers are operationalised exactly as `CandidateLayers` builds them (features binned on the
/// 25 m grid, distance between cell centres by the exact transform, Gaussian density above mean +
/// 2 SD over the study area), and the cell counts are a multinomial draw of the fixed event total
/// with probabilities ∝ exp(η)·g, g ~ Gamma(shape 2, mean 1) per cell (negative binomial, θ = 2):
///
///     η = ln 1.8·[licensed premises within 200 m] + ln 1.5·[bus stop within 100 m]
///       + ln 2.2·[fast-food density, σ 300 m, high] + ln 1.3·[station within 400 m]
///       + ln 1.7·[nightclub density, σ 500 m, high] + ln 1.4·[park within 300 m]
///
/// Cost: O(cells) for the truth and the draw (one distance transform or kernel density per true
/// term) plus O(features + events); about a second at scale 1 on one core.
public struct SyntheticLondon: Sendable {
    /// One factor layer: how many features (at scale 1) and how they are placed.
    public struct FactorPlan: Sendable {
        public let name: String
        public let about: String
        /// Feature count at scale 1.
        public let count: Int
        /// Share of the features clustered around town centres; the rest spread evenly.
        public let clustered: Double
        /// Standard deviation of a clustered feature around its centre, metres.
        public let spread: Double
        /// Parks are small polygons; every other factor is points.
        public let polygons: Bool
    }

    /// One term of the true model (`metres`: the proximity distance or the density bandwidth).
    public struct TrueTerm: Codable, Sendable, Equatable {
        public let factor: String
        public let influence: Influence
        public let metres: Double
        public let rrv: Double
    }

    public struct Event: Sendable {
        public let at: Point2
        public let month: String
        public let crimeType: String
    }

    public static let areaKm2 = 1572.0
    public static let cellSize = 25.0
    public static let blockLength = 100.0
    public static let maxBlocks = 6.0
    public static let eventsAtScale1 = 50_000
    public static let otherEventsAtScale1 = 8_000
    public static let frailtyShape = 2.0
    public static let year = 2024
    /// Charing Cross, British National Grid.
    static let centre = Point2(530_000, 180_500)

    public static let plans: [FactorPlan] = [
        FactorPlan(name: "licensed_premises", about: "pubs, bars, clubs and off-licences", count: 3_000, clustered: 0.8, spread: 500, polygons: false),
        FactorPlan(name: "bus_stops", about: "bus stops", count: 2_800, clustered: 0.5, spread: 1_500, polygons: false),
        FactorPlan(name: "stations", about: "rail, Underground and Overground stations", count: 420, clustered: 0.5, spread: 1_500, polygons: false),
        FactorPlan(name: "parks", about: "parks and open spaces (polygons)", count: 380, clustered: 0.3, spread: 2_000, polygons: true),
        FactorPlan(name: "fast_food", about: "fast-food takeaways", count: 2_000, clustered: 0.7, spread: 600, polygons: false),
        FactorPlan(name: "betting_shops", about: "betting shops", count: 800, clustered: 0.8, spread: 500, polygons: false),
        FactorPlan(name: "atms", about: "cash machines", count: 2_200, clustered: 0.7, spread: 700, polygons: false),
        FactorPlan(name: "convenience_stores", about: "convenience stores", count: 2_400, clustered: 0.5, spread: 1_000, polygons: false),
        FactorPlan(name: "nightclubs", about: "nightclubs and late-night venues", count: 300, clustered: 0.9, spread: 400, polygons: false),
        FactorPlan(name: "schools", about: "schools", count: 2_200, clustered: 0.2, spread: 2_000, polygons: false),
        FactorPlan(name: "hostels", about: "hostels and supported housing", count: 350, clustered: 0.7, spread: 800, polygons: false),
        FactorPlan(name: "hotels", about: "hotels", count: 1_100, clustered: 0.8, spread: 700, polygons: false),
        FactorPlan(name: "car_parks", about: "car parks", count: 1_300, clustered: 0.4, spread: 1_500, polygons: false),
        FactorPlan(name: "pawnbrokers", about: "pawnbrokers and cash converters", count: 250, clustered: 0.8, spread: 600, polygons: false),
        FactorPlan(name: "places_of_worship", about: "places of worship", count: 1_700, clustered: 0.3, spread: 1_500, polygons: false),
        FactorPlan(name: "gyms", about: "gyms and leisure centres", count: 900, clustered: 0.6, spread: 900, polygons: false),
        FactorPlan(name: "community_centres", about: "community centres", count: 700, clustered: 0.3, spread: 1_500, polygons: false),
        FactorPlan(name: "street_light_outages", about: "reported street-light outages", count: 1_500, clustered: 0, spread: 0, polygons: false),
        FactorPlan(name: "vacant_shops", about: "vacant shop units", count: 1_200, clustered: 0.6, spread: 800, polygons: false),
        FactorPlan(name: "hospitals", about: "hospitals and urgent-care centres", count: 110, clustered: 0.4, spread: 2_500, polygons: false),
    ]

    public static let trueTerms: [TrueTerm] = [
        TrueTerm(factor: "licensed_premises", influence: .proximity, metres: 200, rrv: 1.8),
        TrueTerm(factor: "bus_stops", influence: .proximity, metres: 100, rrv: 1.5),
        TrueTerm(factor: "fast_food", influence: .density, metres: 300, rrv: 2.2),
        TrueTerm(factor: "stations", influence: .proximity, metres: 400, rrv: 1.3),
        TrueTerm(factor: "nightclubs", influence: .density, metres: 500, rrv: 1.7),
        TrueTerm(factor: "parks", influence: .proximity, metres: 300, rrv: 1.4),
    ]

    public let seed: UInt64
    /// Area multiplier: 1 = London's 1,572 km².
    public let scale: Double
    public let boundary: Polygon
    /// One geometry list per plan, in `plans` order.
    public let layers: [[Geometry]]
    /// Outcome events (violence and sexual offences) followed by other crimes a `where` removes.
    public let events: [Event]
    /// Study-area cells on the 25 m grid, for the README.
    public let cells: Int

    public var violenceCount: Int { Self.scaled(Self.eventsAtScale1, scale) }

    static func scaled(_ n: Int, _ scale: Double) -> Int { max(1, Int((Double(n) * scale).rounded())) }

    /// - Precondition: `scale` in 0.001…16 (the CLI checks it first).
    public init(seed: UInt64, scale: Double = 1) throws {
        precondition(scale >= 0.001 && scale <= 16, "SyntheticLondon: scale \(scale) is outside 0.001…16")
        var rng = SplitMix64(seed: seed)
        self.seed = seed
        self.scale = scale
        boundary = Self.outline(areaM2: Self.areaKm2 * 1e6 * scale, &rng)
        let box = boundary.extent

        // Town centres: the West End plus smaller centres across the area, gamma-weighted.
        var centres = [Self.centre]
        var weights = [0.15]
        let others = max(4, Int((39 * scale).rounded()))
        var w: [Double] = []
        while centres.count < others + 1 {
            let p = Point2(box.minX + rng.uniform() * box.width, box.minY + rng.uniform() * box.height)
            guard boundary.contains(p) else { continue }
            centres.append(p)
            w.append(rng.gamma(shape: 1))
        }
        let sum = w.reduce(0, +)
        weights += w.map { 0.85 * $0 / sum }

        var layers: [[Geometry]] = []
        for plan in Self.plans {
            let n = Self.scaled(plan.count, scale)
            var g: [Geometry] = []
            g.reserveCapacity(n)
            for k in 0..<n {
                let p: Point2
                if Double(k) < plan.clustered * Double(n) {
                    let c = centres[rng.pick(weights)]
                    p = Point2(c.x + plan.spread * rng.normal(), c.y + plan.spread * rng.normal())
                } else {
                    p = Point2(box.minX - 500 + rng.uniform() * (box.width + 1_000), box.minY - 500 + rng.uniform() * (box.height + 1_000))
                }
                let at = Point2((p.x * 100).rounded() / 100, (p.y * 100).rounded() / 100)
                g.append(plan.polygons ? .polygon(Self.park(at, &rng)) : .point(at))
            }
            layers.append(g)
        }
        self.layers = layers

        // The truth on the analysis grid, then a multinomial draw of the event total.
        let grid = try AnalysisGrid(studyArea: [boundary], on: GridGeometry(covering: box, cellSize: Self.cellSize))
        var eta = [Double](repeating: 0, count: grid.geometry.cellCount)
        for term in Self.trueTerms {
            let k = Self.plans.firstIndex { $0.name == term.factor }!
            let bits = try Self.trueLayer(term, layers[k], grid: grid)
            let b = log(term.rrv)
            for i in bits.setIndices { eta[i] += b }
        }
        let inside = grid.mask.setIndices
        cells = inside.count
        var cumulative = [Double](repeating: 0, count: inside.count)
        var total = 0.0
        for (j, i) in inside.enumerated() {
            total += exp(eta[i]) * rng.gamma(shape: Self.frailtyShape) / Self.frailtyShape
            cumulative[j] = total
        }
        let months = (1...12).map { String(format: "%d-%02d", Self.year, $0) }
        let g = grid.geometry
        var events: [Event] = []
        let nv = Self.scaled(Self.eventsAtScale1, scale)
        events.reserveCapacity(nv + Self.scaled(Self.otherEventsAtScale1, scale))
        for _ in 0..<nv {
            let u = rng.uniform() * total
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] <= u { lo = mid + 1 } else { hi = mid }
            }
            let cell = inside[lo]
            // Inside the cell with a margin, so the WGS 84 round trip cannot move an event across
            // a cell edge.
            let x = g.originX + (Double(cell % g.width) + 0.02 + 0.96 * rng.uniform()) * g.cellSize
            let y = g.originY - (Double(cell / g.width) + 0.02 + 0.96 * rng.uniform()) * g.cellSize
            events.append(Event(at: Point2(x, y), month: months[Int(rng.uniform() * 12)], crimeType: "Violence and sexual offences"))
        }
        let kinds = ["Anti-social behaviour", "Burglary", "Vehicle crime", "Shoplifting"]
        var other = 0
        while other < Self.scaled(Self.otherEventsAtScale1, scale) {
            let p = Point2(box.minX + rng.uniform() * box.width, box.minY + rng.uniform() * box.height)
            guard boundary.contains(p) else { continue }
            events.append(Event(at: p, month: months[Int(rng.uniform() * 12)], crimeType: kinds[rng.pick([4, 2, 2, 1])]))
            other += 1
        }
        self.events = events
    }

    /// The true term's layer as `CandidateLayers` operationalises it.
    static func trueLayer(_ term: TrueTerm, _ features: [Geometry], grid: AnalysisGrid) throws -> BitMatrix {
        let spec = FactorSpec(name: term.factor, source: LayerSource(path: ""), influences: [term.influence],
                              maxBlocks: term.metres / blockLength, increment: .whole, bandwidth: nil, resampling: .bilinear, band: 1)
        let layers = try CandidateLayers.vectorLayers(spec, features, grid: grid, blockLength: blockLength)
        guard let layer = layers.last, case .binary(let bits) = layer.values else {
            preconditionFailure("SyntheticLondon: the true terms are binary proximity or density layers")
        }
        return bits
    }

    /// A London-like outline: an ellipse (wider east–west) with seeded low-frequency wobble,
    /// 96 vertices, scaled about Charing Cross so its area is `areaM2` (to rounding at 1 cm).
    static func outline(areaM2: Double, _ rng: inout SplitMix64) -> Polygon {
        let harmonics = (2...6).map { k in (k: Double(k), a: 0.015 + 0.035 * rng.uniform(), phase: 2 * Double.pi * rng.uniform()) }
        let n = 96
        var unit: [Point2] = (0..<n).map { i in
            let t = Double(i) / Double(n) * 2 * .pi
            let r = 1 + harmonics.reduce(0.0) { $0 + $1.a * cos($1.k * t + $1.phase) }
            return Point2(1.25 * r * cos(t), 0.9 * r * sin(t))
        }
        var twice = 0.0
        for i in 0..<n { let a = unit[i], b = unit[(i + 1) % n]; twice += a.x * b.y - b.x * a.y }
        let s = (areaM2 / (twice / 2)).squareRoot()
        unit = unit.map { Point2(((centre.x + s * $0.x) * 100).rounded() / 100, ((centre.y + s * $0.y) * 100).rounded() / 100) }
        return Polygon(exterior: unit)
    }

    /// A park: a 10-vertex blob of radius 60–600 m (log-normal, median 150 m).
    static func park(_ c: Point2, _ rng: inout SplitMix64) -> Polygon {
        let r = min(600, max(60, 150 * exp(0.6 * rng.normal())))
        return Polygon(exterior: (0..<10).map { k in
            let a = Double(k) / 10 * 2 * .pi, wobble = 0.8 + 0.4 * rng.uniform()
            return Point2(((c.x + r * wobble * cos(a)) * 100).rounded() / 100, ((c.y + r * wobble * sin(a)) * 100).rounded() / 100)
        })
    }
}
