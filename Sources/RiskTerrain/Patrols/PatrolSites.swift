import Foundation
import GeoIO
import Patrols
import RasterCore

/// What the planner knows about each hotspot: when its events and StreetSafe reports happen
/// (time-of-week profiles), the places a team visits there in walking order, and how many
/// licensed premises it has (Project Vigilant's night-time economy).
struct PatrolSites {
    struct Site {
        let hotspot: Hotspot
        /// In walking order.
        let places: [PatrolPlan.Place]
        let licensedPremises: Int
        let crimeProfile: TimeOfWeekProfile
        let streetSafeProfile: TimeOfWeekProfile
        /// StreetSafe reports inside (training window).
        let reports: Int
        /// Hours of the week (0 = Monday 00:00) of its own timed outcome events and StreetSafe
        /// reports: what its published (coarse) profiles and busiest hours are made from.
        let crimeHours: [Int]
        let reportHours: [Int]
        /// Its share of the study area's forecast risk (sum of RRS over its cells ÷ over the study cells).
        let riskShare: Double
    }

    let sites: [Site]
    /// Whether the outcome events carry a time of day.
    let crimeTimed: Bool
    /// StreetSafe reports with a time of day, area-wide (0: none or no StreetSafe layer).
    let timedReports: Int
    let notes: [String]
    /// Hours of the week of every timed outcome event and StreetSafe report in the study data.
    let crimeHours: [Int]
    let reportHours: [Int]

    /// Event times as read: one value per event (nil or month-only when there is no time of day).
    struct Events {
        let points: [Point2]
        let times: [String?]
    }

    static func build(_ f: Pipeline.Fitted, hotspots: [Hotspot], options o: PatrolOptions, outcome: Events,
                      streetSafe: Events?) throws -> PatrolSites {
        let site = locator(f, hotspots: hotspots)
        /// Minutes of the week of the timed events, per hotspot and area-wide.
        func minutes(_ e: Events) -> (bySite: [[Int]], all: [Int]) {
            var bySite = [[Int]](repeating: [], count: hotspots.count), all: [Int] = []
            for (p, t) in zip(e.points, e.times) {
                guard let t, let m = PlanWeek.minuteOfWeek(t) else { continue }
                all.append(m)
                if let s = site(p).hotspot { bySite[s].append(m) }
            }
            return (bySite, all)
        }
        var notes: [String] = []
        let crime = minutes(outcome)
        let reports: (bySite: [[Int]], all: [Int]) = streetSafe.map(minutes) ?? (Array(repeating: [], count: hotspots.count), [])
        let reportCounts: [Int] = streetSafe.map { e in
            var n = [Int](repeating: 0, count: hotspots.count)
            for p in e.points { if let s = site(p).hotspot { n[s] += 1 } }
            return n
        } ?? Array(repeating: 0, count: hotspots.count)
        let σ = o.smoothingHours, k = o.priorWeight
        let ssArea = TimeOfWeekProfile.areaWide(reports.all.map { $0 / 60 }, bandwidth: σ)
        let crimeTimed = !crime.all.isEmpty
        let crimeArea: TimeOfWeekProfile
        if crimeTimed {
            crimeArea = .areaWide(crime.all.map { $0 / 60 }, bandwidth: σ)
            if crime.all.count < outcome.times.count {
                notes.append("\(outcome.times.count - crime.all.count) of \(outcome.times.count) outcome events have no time of day and do not shape the profiles")
            }
        } else if !reports.all.isEmpty {
            crimeArea = ssArea
            notes.append("outcome events have no time of day (month only, as data.police.uk publishes them): Op Verona and Project Vigilant use the StreetSafe area-wide time-of-week profile (\(reports.all.count) reports) for every hotspot")
        } else {
            crimeArea = .uniform
            notes.append("outcome events have no time of day and there are no timed StreetSafe reports: every hour of each operation's window counts alike")
        }
        if streetSafe != nil, reports.all.isEmpty { notes.append("StreetSafe reports have no time of day in '\(o.streetSafeTime)': Walk & Talk timing is flat") }

        let toLonLat = try CoordinateTransformer(from: f.inputs.crs, to: CRS.wgs84)
        let layers = Dictionary(f.inputs.factors.map { ($0.spec.name, $0) }, uniquingKeysWith: { a, _ in a })
        let kinds = o.places.keys.sorted()
        // each feature's bounding box, to skip the exact distance for features nowhere near a hotspot
        let boxes = Dictionary(uniqueKeysWithValues: kinds.compactMap { kind -> (String, [Extent?])? in
            guard let set = layers[o.places[kind]!]?.features else { return nil }
            return (kind, set.geometries.map(\.extent))
        })
        var studyRisk = 0.0
        for c in f.design.cells { studyRisk += Double(f.surface.rrs.values[c]) }
        var built: [Site] = []
        for (i, h) in hotspots.enumerated() {
            let c = h.cluster.centroid
            let outline = Geometry.multiPolygon(h.cluster.outline)
            let reach = (outline.extent ?? Extent(minX: c.x, minY: c.y, maxX: c.x, maxY: c.y)).expanded(by: o.placeDistance)
            var candidates: [(kind: String, name: String, point: Point2, distance: Double)] = []
            var premises = 0
            for kind in kinds {
                guard let layer = layers[o.places[kind]!], let set = layer.features else { continue }
                let names = set.attributes["name"]
                for (j, geometry) in set.geometries.enumerated() where boxes[kind]![j]?.intersects(reach) ?? false {
                    let p = Planar.nearestPoint(to: c, on: geometry)
                    guard Planar.distance(p, to: outline) <= o.placeDistance else { continue }
                    if kind == "licensed_premises" { premises += 1 }
                    let name = names?[j].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
                        ?? "unnamed \(Self.singular(kind))"
                    candidates.append((kind, name, p, Planar.distance(c, p)))
                }
            }
            // nearest of each kind in turn, so a visit takes in a premises, a stop, a park, … before a second of any
            var byKind = Dictionary(grouping: candidates, by: \.kind).mapValues { $0.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) } }
            var chosen: [(kind: String, name: String, point: Point2, distance: Double)] = []
            while chosen.count < o.maxPlaces, !byKind.isEmpty {
                let order = byKind.keys.sorted { (byKind[$0]![0].distance, $0) < (byKind[$1]![0].distance, $1) }
                for kind in order where chosen.count < o.maxPlaces {
                    chosen.append(byKind[kind]!.removeFirst())
                    if byKind[kind]!.isEmpty { byKind[kind] = nil }
                }
            }
            chosen.sort { ($0.distance, $0.name) < ($1.distance, $1.name) }
            let route = WalkingRoute.order(chosen.map { ($0.point.x, $0.point.y) })
            let places = route.map { j -> PatrolPlan.Place in
                let p = chosen[j], ll = toLonLat.transform(p.point) ?? Point2(.nan, .nan)
                return PatrolPlan.Place(name: p.name, kind: p.kind, x: p.point.x, y: p.point.y, lon: ll.x, lat: ll.y)
            }
            let crimeProfile = crimeTimed ? TimeOfWeekProfile.shrunk(crime.bySite[i].map { $0 / 60 }, toward: crimeArea, priorWeight: k, bandwidth: σ) : crimeArea
            let ssProfile = TimeOfWeekProfile.shrunk(reports.bySite[i].map { $0 / 60 }, toward: ssArea, priorWeight: k, bandwidth: σ)
            let risk = h.cluster.cells.reduce(0.0) { $0 + Double(f.surface.rrs.values[$1]) }
            built.append(Site(hotspot: h, places: places, licensedPremises: premises, crimeProfile: crimeProfile,
                              streetSafeProfile: ssProfile, reports: reportCounts[i], crimeHours: crime.bySite[i].map { $0 / 60 },
                              reportHours: reports.bySite[i].map { $0 / 60 }, riskShare: studyRisk > 0 ? risk / studyRisk : 0))
        }
        if crimeTimed {
            notes.append(String(format: "time-of-week profiles: each hotspot's own events smoothed (σ %.1f h) and shrunk toward the area-wide profile of %d events with a prior weight of %.0f events", σ, crime.all.count, k))
        }
        return PatrolSites(sites: built, crimeTimed: crimeTimed, timedReports: reports.all.count, notes: notes,
                           crimeHours: crime.all.map { $0 / 60 }, reportHours: reports.all.map { $0 / 60 })
    }

    /// Where a point falls: in a study-area cell or not, and in which hotspot (index), if any.
    static func locator(_ f: Pipeline.Fitted, hotspots: [Hotspot]) -> (Point2) -> (inStudy: Bool, hotspot: Int?) {
        let g = f.surface.rrs.geometry
        var cellSite = [Int32](repeating: -2, count: g.cellCount)      // −2 outside the study area, −1 no hotspot
        for c in f.design.cells { cellSite[c] = -1 }
        for (i, h) in hotspots.enumerated() { for c in h.cluster.cells { cellSite[c] = Int32(i) } }
        return { p in
            guard let (r, c) = g.cell(containingX: p.x, y: p.y) else { return (false, nil) }
            let s = cellSite[g.index(row: r, col: c)]
            return (s >= -1, s >= 0 ? Int(s) : nil)
        }
    }

    static func singular(_ kind: String) -> String {
        ["licensed_premises": "licensed premises", "parks": "park", "high_streets": "high street", "bus_stops": "bus stop",
         "stations": "station"][kind] ?? kind.replacingOccurrences(of: "_", with: " ")
    }
}
