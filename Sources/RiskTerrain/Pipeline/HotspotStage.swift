import Foundation
import GeoIO
import Hotspots
import RasterCore

/// A ranked place of highest risk, with what a tasking meeting needs to act on it.
public struct Hotspot: Sendable {
    public let cluster: RiskClusters.Cluster
    /// Readable name from nearby named features, e.g. "Bruce Grove (stations) / High Road, Tottenham (high streets)".
    public let label: String
    /// Centroid in WGS 84 longitude/latitude.
    public let lonLat: Point2
    public let shares: FactorShare.Result
    /// The factors behind the risk and their shares, in words.
    public let narrative: String
    /// Outcome events and StreetSafe reports inside (exact; exports suppress small counts).
    public let events: Int
    public let reports: Int?
    /// Whether StreetSafe reports and recorded crime agree here (nil without StreetSafe reports).
    public let lens: ConcernLens.Comparison?
    /// The commonest reason given in the reports inside, with its share; nil when the reports
    /// inside are fewer than the disclosure threshold or give no reason.
    public let topConcern: (reason: String, share: Double)?
    /// Share of its cells that Getis–Ord Gi* finds hot (set by the pipeline after Gi*).
    public internal(set) var giStarHotShare: Double?
    /// The ward(s), borough, … it lies in, one per `areas:` level.
    public internal(set) var areas: [HotspotArea] = []

    /// "more concern than recorded crime (poor lighting 42%): environmental fixes …".
    public var lensText: String? {
        guard let lens else { return nil }
        let reason = topConcern.map { " (\($0.reason) \(Int(($0.share * 100).rounded()))%)" } ?? ""
        switch lens.verdict {
        case .moreConcern, .moreCrime: return lens.verdict.rawValue + reason + ": " + lens.verdict.action
        case .inLine, .tooFew: return lens.verdict.rawValue + reason
        }
    }
}

/// How hotspots are found (spec key `hotspots`).
public struct HotspotOptions: Sendable, Equatable {
    public enum Rule: Sendable, Equatable { case standardDeviations(Double), topShare(Double) }
    public enum Score: String, Sendable, Equatable, CaseIterable { case sum, mean, events }
    public var rule: Rule = .standardDeviations(2)
    public var minimumCells = 4
    public var mergeDistance: Double?
    public var score: Score = .sum
    public var disclosureThreshold = 5
    /// Getis–Ord Gi* beside RTM (`hotspots.gi_star`).
    public var giStar = GiStarOptions()
    public init() {}
}

/// Finds, ranks, names and explains the hotspots of a fitted model (issue 6; `Hotspots` holds
/// the algorithms and cites them).
enum HotspotStage {
    static func find(_ f: Pipeline.Fitted, options: HotspotOptions, streetSafe: FeatureSet?) throws -> [Hotspot] {
        let g = f.surface.rrs.geometry
        let cells = StudyCells(geometry: g, indices: f.design.cells)
        var o = RiskClusters.Options()
        o.rule = switch options.rule {
        // the surface's own Double statistics, so hotspots are exactly the "highest" class
        case .standardDeviations(let k): .above(f.surface.mean + k * f.surface.standardDeviation)
        case .topShare(let s): .topShare(s)
        }
        o.minimumCells = options.minimumCells
        o.mergeDistance = options.mergeDistance
        o.score = switch options.score {
        case .sum: .sumRRS
        case .mean: .meanRRS
        case .events: .recentEvents(f.design.countsPerCell)
        }
        let result = RiskClusters.find(in: f.surface.rrs, cells: cells, options: o)
        let terms = termRasters(f)
        let landmarks = HotspotLandmarks(f.inputs)
        let reportCounts = try streetSafe.map { try Rasterize.countPoints($0.geometries.flatMap(\.vertices), on: g).counts }
        let toLonLat = try CoordinateTransformer(from: f.inputs.crs, to: CRS.wgs84)
        let events = result.clusters.map { c in c.cells.reduce(0) { $0 + Int(f.design.countsPerCell.values[$1]) } }
        let reports = result.clusters.map { c in reportCounts.map { r in c.cells.reduce(0) { $0 + Int(r.values[$1]) } } }
        // The lens compares each hotspot with the study-area cells' totals.
        let lens = reportCounts.map { r in
            ConcernLens.compare(zip(events, reports).map { ConcernLens.Place(events: $0, reports: $1 ?? 0) },
                                totalEvents: f.design.events, totalReports: cells.indices.reduce(0) { $0 + Int(r.values[$1]) })
        }
        let reasons = streetSafe.map { reasonsByCell($0, geometry: g) } ?? [:]
        let labels = uniqueLabels(result.clusters.map { landmarks.label($0.centroid) }, centroids: result.clusters.map(\.centroid))
        return result.clusters.indices.map { i in
            let c = result.clusters[i]
            let shares = FactorShare.shares(cells: c.cells, terms: terms)
            return Hotspot(cluster: c, label: labels[i], lonLat: toLonLat.transform(c.centroid) ?? Point2(.nan, .nan),
                           shares: shares, narrative: narrative(shares, f.model), events: events[i], reports: reports[i],
                           lens: lens?[i], topConcern: topReason(c.cells, reasons, threshold: options.disclosureThreshold),
                           giStarHotShare: nil,
                           areas: HotspotAreas.areas(of: c.cells, grid: g, layers: f.inputs.areas))
        }
    }

    /// Labels made unique: hotspots that share a label (two ends of one high street) get where
    /// they lie relative to each other ("north", "south-west", from the bearing of each from the
    /// group's mean centre), and an ordinal in rank order when that still repeats ("(2)").
    static func uniqueLabels(_ labels: [String], centroids: [Point2]) -> [String] {
        var out = labels
        for (label, group) in Dictionary(grouping: labels.indices, by: { labels[$0] }) where group.count > 1 {
            let mx = group.reduce(0.0) { $0 + centroids[$1].x } / Double(group.count)
            let my = group.reduce(0.0) { $0 + centroids[$1].y } / Double(group.count)
            let names = ["east", "north-east", "north", "north-west", "west", "south-west", "south", "south-east"]
            for i in group {
                let a = atan2(centroids[i].y - my, centroids[i].x - mx)
                let k = (Int((a / (.pi / 4)).rounded()) % 8 + 8) % 8
                out[i] = "\(label), \(names[k])"
            }
        }
        var seen: [String: Int] = [:]
        for i in out.indices {
            let n = (seen[out[i]] ?? 0) + 1
            seen[out[i]] = n
            if n > 1 { out[i] += " (\(n))" }
        }
        // an ordinal could itself repeat a label ("X (2)" named so already): add until unique
        var all = Set<String>()
        for i in out.indices {
            var l = out[i], k = 2
            while all.contains(l) { l = "\(out[i]) (\(k))"; k += 1 }
            out[i] = l
            all.insert(l)
        }
        return out
    }

    /// The reasons of the StreetSafe reports in each grid cell (reports without one are left out).
    static func reasonsByCell(_ reports: FeatureSet, geometry g: GridGeometry) -> [Int: [String]] {
        guard let reasons = reports.attributes["reason"] else { return [:] }
        var out: [Int: [String]] = [:]
        for (geometry, reason) in zip(reports.geometries, reasons) {
            guard let reason = reason?.trimmingCharacters(in: .whitespaces), !reason.isEmpty else { continue }
            for p in geometry.vertices {
                if let rc = g.cell(containingX: p.x, y: p.y) { out[g.index(row: rc.row, col: rc.col), default: []].append(reason) }
            }
        }
        return out
    }

    /// The commonest reason among `cells`' reports that says something ("other" does not; ties:
    /// alphabetical) and its share of the reports with a reason — only when that reason's own
    /// count reaches the disclosure threshold, so no small count can be read back from the share.
    static func topReason(_ cells: [Int], _ reasons: [Int: [String]], threshold: Int) -> (reason: String, share: Double)? {
        var counts: [String: Int] = [:]
        var n = 0
        for cell in cells { for r in reasons[cell] ?? [] { counts[r.lowercased(), default: 0] += 1; n += 1 } }
        guard let top = counts.filter({ $0.key != "other" }).max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
              top.value >= threshold else { return nil }
        return (top.key, Double(top.value) / Double(n))
    }

    /// Each selected term's values on the grid (binary 0/1 or continuous), for factor shares:
    /// the candidate layers already hold them.
    static func termRasters(_ f: Pipeline.Fitted) -> [(name: String, coefficient: Double, values: Raster<Float>)] {
        zip(f.model.columns, f.model.terms).map { column, t in
            switch f.design.columns[column].values {
            case .binary(let bits): (t.name, t.coefficient, bits.raster(of: Float.self))
            case .continuous(let r): (t.name, t.coefficient, r)
            }
        }
    }

    /// "stations within 300 m 46%, licensed premises within 200 m 37%; lux lowers it".
    static func narrative(_ shares: FactorShare.Result, _ model: FittedModel) -> String {
        let rows = Dictionary(uniqueKeysWithValues: model.terms.map { ($0.name, $0) })
        func words(_ name: String) -> String {
            guard let t = rows[name] else { return name }
            let factor = t.factor.replacingOccurrences(of: "_", with: " ")
            return ["proximity", "density", "inside"].contains(t.influence) ? "\(factor) \(ReportHTML.influenceText(t))" : factor
        }
        let drivers = shares.drivers.sorted { $0.share > $1.share }.map { "\(words($0.name)) \(Int(($0.share * 100).rounded()))%" }
        let protective = shares.protective.map { words($0.name) }
        var s = drivers.isEmpty ? "no risk factor present" : drivers.joined(separator: ", ")
        if !protective.isEmpty { s += "; " + protective.joined(separator: ", ") + " lower\(protective.count == 1 ? "s" : "") it" }
        return s
    }
}
