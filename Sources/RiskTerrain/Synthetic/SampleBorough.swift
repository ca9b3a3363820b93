import Foundation
import RasterCore

/// A small SYNTHETIC study area in north London (Wood Green N22, Bruce Grove N17, Fore Street
/// N18), in British National Grid metres, whose violence-against-women-and-girls events are drawn
/// from a known risk terrain model. Nothing in it is real data: the streets, premises and events
/// are invented around the real places' approximate positions, so a demo can show the true
/// relative risk values beside the ones a model recovers.
///
/// The true model, per 25 m cell and year (negative binomial: Poisson with gamma frailty of shape
/// `frailtyShape`, mean 1), with "within d" measured as RTM measures it (between the centres of
/// the cell and of the nearest cell holding a feature) and lux taken from the 20 m pixel under the
/// cell centre:
///
///     log E[count] = log(baseRate) + ln 2.0·[licensed premises within 200 m]
///                  + ln 1.8·[station within 300 m] + ln 1.5·[high street within 100 m]
///                  + ln 1.5·[park within 100 m] − 0.05·lux
public struct SampleBorough: Sendable {
    public struct NamedPoint: Sendable { public let name: String; public let kind: String; public let at: Point2 }
    public struct NamedLine: Sendable { public let name: String; public let vertices: [Point2] }
    public struct NamedArea: Sendable { public let name: String; public let polygon: Polygon }

    /// One term of the true model, as the demo reports it beside the fitted one.
    public struct TrueTerm: Codable, Sendable, Equatable {
        public let factor: String
        public let influence: String
        public let distanceM: Double?
        public let rrv: Double
    }

    /// An outcome event: a crime in data.police.uk form (month, type) or a StreetSafe report.
    public struct Event: Sendable {
        public let at: Point2
        public let month: String
        public let crimeType: String
        public let outcome: String
        public let location: String
    }

    public struct Report: Sendable {
        public let at: Point2
        public let reportedAt: String   // ISO 8601 local time
        public let reason: String
    }

    public static let cellSize = 25.0
    public static let baseRate = 0.08
    public static let frailtyShape = 2.0
    public static let luxCoefficient = -0.05
    public static let year = 2024
    public static let trueTerms: [TrueTerm] = [
        TrueTerm(factor: "licensed_premises", influence: "proximity", distanceM: 200, rrv: 2.0),
        TrueTerm(factor: "stations", influence: "proximity", distanceM: 300, rrv: 1.8),
        TrueTerm(factor: "high_streets", influence: "proximity", distanceM: 100, rrv: 1.5),
        TrueTerm(factor: "parks", influence: "proximity", distanceM: 100, rrv: 1.5),
        TrueTerm(factor: "lux", influence: "value", distanceM: nil, rrv: exp(luxCoefficient)),
    ]

    public let seed: UInt64
    public let boundary: Polygon
    public let stations: [NamedPoint]
    public let highStreets: [NamedLine]
    public let parks: [NamedArea]
    public let licensedPremises: [NamedPoint]
    public let busStops: [NamedPoint]
    public let schools: [NamedPoint]
    /// Street lights along the roads; `kind` is "working" or "out" (an outage reported in `outageReported`).
    public let streetLights: [NamedPoint]
    public let outageReported: [String?]
    /// Street lighting in lux on a 20 m raster covering the boundary with a margin.
    public let lux: Raster<Float>
    /// Outcome crimes (violence and sexual offences) plus other crime types a `where` filter removes.
    public let crimes: [Event]
    /// Crimes with no location (data.police.uk publishes some): counted and reported by readers.
    public let crimesWithoutLocation: Int
    public let streetSafe: [Report]

    public init(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        self.seed = seed
        boundary = Polygon(exterior: [
            Point2(529_800, 188_900), Point2(535_200, 188_900), Point2(535_500, 190_500), Point2(535_300, 193_300),
            Point2(532_800, 193_500), Point2(530_600, 192_600), Point2(529_800, 191_200),
        ])
        stations = [
            ("Wood Green", 530_990, 190_450), ("Turnpike Lane", 531_350, 189_200), ("Alexandra Palace", 530_350, 190_300),
            ("Bruce Grove", 533_950, 190_550), ("White Hart Lane", 533_850, 191_550), ("Silver Street", 534_050, 192_400),
            ("Seven Sisters", 533_600, 189_050), ("Edmonton Green", 534_450, 193_350),
        ].map { NamedPoint(name: $0.0, kind: "station", at: Point2($0.1, $0.2)) }
        // Surveyed coordinates are not round numbers: vertices sit off the 25 m cell lattice, as
        // real ones do (a line through an exact cell corner is burned differently by GIS tools).
        func surveyed(_ x: Double, _ y: Double) -> Point2 { Point2(x + 3.7, y - 2.9) }
        highStreets = [
            NamedLine(name: "High Road, Wood Green", vertices: [surveyed(531_300, 189_000), surveyed(531_150, 190_000),
                                                               surveyed(531_000, 190_800), surveyed(530_900, 191_600)]),
            NamedLine(name: "High Road, Tottenham", vertices: [surveyed(533_650, 189_000), surveyed(533_850, 190_000),
                                                               surveyed(534_000, 191_000), surveyed(534_050, 191_800)]),
            NamedLine(name: "Fore Street", vertices: [surveyed(534_050, 191_800), surveyed(534_150, 192_600), surveyed(534_250, 193_300)]),
            NamedLine(name: "Lordship Lane", vertices: [surveyed(531_150, 190_900), surveyed(532_500, 190_800), surveyed(533_900, 190_700)]),
        ]
        func blob(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, _ rng: inout SplitMix64) -> Polygon {
            Polygon(exterior: (0..<12).map { k in
                let a = Double(k) / 12 * 2 * .pi, wobble = 0.85 + 0.3 * rng.uniform()
                return Point2(((cx + rx * wobble * cos(a)) * 10).rounded() / 10 + 0.03, ((cy + ry * wobble * sin(a)) * 10).rounded() / 10 + 0.07)
            })
        }
        parks = [("Lordship Recreation Ground", 532_300, 190_250, 280.0, 220.0), ("Bruce Castle Park", 533_450, 190_950, 130.0, 120.0),
                 ("Downhills Park", 532_000, 189_550, 160.0, 130.0), ("Chapmans Green", 530_700, 191_050, 70.0, 60.0),
                 ("Tower Gardens", 532_750, 191_400, 90.0, 70.0), ("Pymmes Park", 533_700, 192_900, 200.0, 160.0)]
            .map { NamedArea(name: $0.0, polygon: blob($0.1, $0.2, $0.3, $0.4, &rng)) }

        // Licensed premises: most along the high streets, some scattered; bus stops along every road.
        let kinds = ["pub", "bar", "nightclub", "restaurant", "off-licence"]
        let streetsForVenues = Array(highStreets.prefix(3))
        var premises: [NamedPoint] = []
        for i in 0..<110 {
            let p: Point2
            if i < 80 {
                let line = streetsForVenues[rng.pick(streetsForVenues.map { Self.length($0.vertices) })]
                p = Self.jitter(Self.pointAlong(line.vertices, rng.uniform()), 60, &rng)
            } else {
                p = Self.randomPoint(in: boundary, &rng)
            }
            premises.append(NamedPoint(name: "Venue \(i + 1)", kind: kinds[rng.pick([4, 3, 1, 3, 2])], at: p))
        }
        licensedPremises = premises
        let roads = highStreets, area = boundary
        busStops = (0..<140).map { i in
            let line = roads[rng.pick(roads.map { Self.length($0.vertices) })]
            let p = i < 100 ? Self.jitter(Self.pointAlong(line.vertices, rng.uniform()), 15, &rng) : Self.randomPoint(in: area, &rng)
            return NamedPoint(name: "Stop \(i + 1)", kind: "bus stop", at: p)
        }

        // Schools, street lights and reported outages: real layers of a borough, but not in the true
        // model, so a good selection leaves them out.
        schools = (0..<14).map { i in
            NamedPoint(name: ["Park", "Grove", "Green", "Lane", "Hill", "Road", "Lordship", "Bruce", "Castle", "Tower", "Mount", "Vale", "Church", "Fore"][i]
                       + (i % 3 == 0 ? " Secondary School" : " Primary School"), kind: "school", at: Self.randomPoint(in: area, &rng))
        }
        var lights: [NamedPoint] = [], reported: [String?] = []
        for (l, line) in roads.enumerated() {
            let n = Int(Self.length(line.vertices) / 35)
            for k in 0..<n {
                let p = Self.pointAlong(line.vertices, (Double(k) + 0.5) / Double(n))
                let out = rng.uniform() < 0.08
                lights.append(NamedPoint(name: "SL-\(l + 1)-\(k + 1)", kind: out ? "out" : "working", at: Point2((p.x + 8).rounded(), p.y.rounded())))
                reported.append(out ? String(format: "%d-%02d-%02d", Self.year, 1 + Int(rng.uniform() * 12), 1 + Int(rng.uniform() * 28)) : nil)
            }
        }
        for _ in 0..<260 {
            let p = Self.randomPoint(in: area, &rng)
            let out = rng.uniform() < 0.08
            lights.append(NamedPoint(name: "SL-R-\(lights.count + 1)", kind: out ? "out" : "working", at: p))
            reported.append(out ? String(format: "%d-%02d-%02d", Self.year, 1 + Int(rng.uniform() * 12), 1 + Int(rng.uniform() * 28)) : nil)
        }
        streetLights = lights
        outageReported = reported

        // Street lighting: pools of light around lamp clusters (a smooth random field), a little
        // brighter on the high streets, dark in parks, with noise. Kept only loosely tied to the
        // high streets so that lighting and high streets are separately identifiable.
        let luxGrid = try! GridGeometry(covering: boundary.extent.expanded(by: 400), cellSize: 20)
        let lampClusters = (0..<60).map { _ in (Self.randomPoint(in: area, &rng), 6 + 10 * rng.uniform()) }
        var lux = Raster<Float>(geometry: luxGrid, repeating: 0)
        for row in 0..<luxGrid.height {
            for col in 0..<luxGrid.width {
                let c = luxGrid.centre(row: row, col: col)
                let p = Point2(c.x, c.y)
                let dStreet = highStreets.map { Planar.distance(p, toLine: $0.vertices) }.min()!
                let pools = lampClusters.reduce(0.0) { sum, lamp in
                    let d2 = (p.x - lamp.0.x) * (p.x - lamp.0.x) + (p.y - lamp.0.y) * (p.y - lamp.0.y)
                    return sum + lamp.1 * exp(-d2 / (2 * 180 * 180))
                }
                var v = 2 + pools + 4 * exp(-dStreet / 80) + 1.5 * rng.normal()
                if parks.contains(where: { $0.polygon.contains(p) }) { v = 0.5 + abs(rng.normal()) }
                lux[row, col] = Float(max(0.2, v).rounded(toPlaces: 1))
            }
        }
        self.lux = lux

        // Outcome events from the true model, cell by cell over the study area. The factors are
        // operationalised exactly as RTM measures them (features rasterised on the grid, distance
        // between cell centres by the exact transform), so the truth is stated in the model's terms.
        let analysis = try! AnalysisGrid(studyArea: [boundary], cellSize: Self.cellSize)
        let grid = analysis.geometry
        func within(_ features: [Geometry], _ d: Double) -> BitMatrix {
            let padded = try! grid.padded(by: Int((d / Self.cellSize).rounded(.up)) + 1)
            let cells = Rasterize.features(features, on: padded, polygonRule: .allTouched)
            let squared = try! EuclideanDistance.squaredCellDistances(to: cells)
            return try! InfluenceLayers.proximity(squaredDistances: squared, distances: [d], studyArea: analysis.mask)[0]
        }
        let nearPremises = within(licensedPremises.map { .point($0.at) }, 200)
        let nearStation = within(stations.map { .point($0.at) }, 300)
        let nearHighStreet = within(highStreets.map { .lineString($0.vertices) }, 100)
        let nearPark = within(parks.map { .polygon($0.polygon) }, 100)
        var crimes: [Event] = []
        let months = (1...12).map { String(format: "%d-%02d", Self.year, $0) }
        let outcomes = ["Under investigation", "Investigation complete; no suspect identified", "Unable to prosecute suspect",
                        "Awaiting court outcome", "Status update unavailable"]
        let streetsAll = highStreets
        for i in analysis.mask.setIndices {
            let c = grid.centre(row: i / grid.width, col: i % grid.width)
            var eta = log(Self.baseRate)
            if nearPremises[i] { eta += log(2.0) }
            if nearStation[i] { eta += log(1.8) }
            if nearHighStreet[i] { eta += log(1.5) }
            if nearPark[i] { eta += log(1.5) }
            if let cell = luxGrid.cell(containingX: c.x, y: c.y) { eta += Self.luxCoefficient * Double(lux[cell.row, cell.col]) }
            let frailty = rng.gamma(shape: Self.frailtyShape) / Self.frailtyShape
            let n = rng.poisson(exp(eta) * frailty)
            for _ in 0..<n {
                let at = Point2(c.x + (rng.uniform() - 0.5) * Self.cellSize, c.y + (rng.uniform() - 0.5) * Self.cellSize)
                crimes.append(Event(at: at, month: months[Int(rng.uniform() * 12)], crimeType: "Violence and sexual offences",
                                    outcome: outcomes[rng.pick([4, 3, 2, 1, 1])], location: Self.nearestPlaceName(at, stations, streetsAll)))
            }
        }
        // Other crime types, spread evenly: the spec's `where` filter must remove them.
        for _ in 0..<900 {
            let at = Self.randomPoint(in: boundary, &rng)
            crimes.append(Event(at: at, month: months[Int(rng.uniform() * 12)],
                                crimeType: ["Anti-social behaviour", "Burglary", "Vehicle crime", "Shoplifting"][rng.pick([4, 2, 2, 1])],
                                outcome: "Status update unavailable", location: Self.nearestPlaceName(at, stations, streetsAll)))
        }
        self.crimes = crimes
        crimesWithoutLocation = 12

        // StreetSafe reports: where people felt unsafe, and why. Dark places draw "lighting",
        // stations "being followed", licensed premises "verbal abuse"; evenings and nights dominate.
        var reports: [Report] = []
        let reasons = ["poor lighting", "being followed", "verbal abuse", "groups of men loitering", "isolated area", "other"]
        while reports.count < 420 {
            let p = Self.randomPoint(in: boundary, &rng)
            guard let cell = luxGrid.cell(containingX: p.x, y: p.y) else { continue }
            let dark = Double(lux[cell.row, cell.col]) < 6
            let nearStation = stations.contains { Planar.distance(p, $0.at) <= 300 }
            let nearVenue = licensedPremises.contains { Planar.distance(p, $0.at) <= 150 }
            let accept = 0.08 + (dark ? 0.35 : 0) + (nearStation ? 0.3 : 0) + (nearVenue ? 0.25 : 0)
            guard rng.uniform() < accept else { continue }
            let reason = reasons[rng.pick([dark ? 5 : 1, nearStation ? 4 : 1, nearVenue ? 4 : 1, 1.5, dark ? 2 : 0.5, 0.5])]
            let day = 1 + Int(rng.uniform() * 366)
            let hour = [17, 18, 19, 20, 21, 22, 23, 0, 1, 2, 7, 8, 12, 15][rng.pick([4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 2, 2, 1, 2])]
            let date = Calendar(identifier: .gregorian).date(from: DateComponents(year: Self.year, day: day))!
            let ymd = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: date)
            let stamp = String(format: "%04d-%02d-%02dT%02d:%02d:00", ymd.year!, ymd.month!, ymd.day!, hour, Int(rng.uniform() * 60))
            reports.append(Report(at: p, reportedAt: stamp, reason: reason))
        }
        streetSafe = reports
    }

    // MARK: Geometry helpers

    static func length(_ v: [Point2]) -> Double { zip(v, v.dropFirst()).map { Planar.distance($0, $1) }.reduce(0, +) }

    static func pointAlong(_ v: [Point2], _ fraction: Double) -> Point2 {
        var remaining = fraction * length(v)
        for (a, b) in zip(v, v.dropFirst()) {
            let d = Planar.distance(a, b)
            if remaining <= d { return Point2(a.x + (b.x - a.x) * remaining / d, a.y + (b.y - a.y) * remaining / d) }
            remaining -= d
        }
        return v.last!
    }

    static func jitter(_ p: Point2, _ sd: Double, _ rng: inout SplitMix64) -> Point2 {
        Point2((p.x + sd * rng.normal()).rounded(), (p.y + sd * rng.normal()).rounded())
    }

    static func randomPoint(in polygon: Polygon, _ rng: inout SplitMix64) -> Point2 {
        let e = polygon.extent
        while true {
            let p = Point2((e.minX + rng.uniform() * e.width).rounded(), (e.minY + rng.uniform() * e.height).rounded())
            if polygon.contains(p) { return p }
        }
    }

    static func nearestPlaceName(_ p: Point2, _ stations: [NamedPoint], _ streets: [NamedLine]) -> String {
        let s = stations.min { Planar.distance(p, $0.at) < Planar.distance(p, $1.at) }!
        if Planar.distance(p, s.at) < 150 { return "On or near \(s.name) station" }
        let l = streets.min { Planar.distance(p, toLine: $0.vertices) < Planar.distance(p, toLine: $1.vertices) }!
        return Planar.distance(p, toLine: l.vertices) < 100 ? "On or near \(l.name)" : "On or near Residential Street"
    }
}

extension Polygon {
    /// Bounding box of the rings.
    var extent: Extent { Geometry.polygon(self).extent! }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let f = pow(10, Double(places))
        return (self * f).rounded() / f
    }
}
