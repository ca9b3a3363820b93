import Foundation
import Hotspots
import RasterCore

/// Getis–Ord Gi* (spec key `hotspots.gi_star`): where the outcome's events cluster, found from
/// the counts alone — the method an analyst would put beside RTM, which finds where the
/// environment predicts risk. Places hot in both are the surest; hot in Gi* only: crime the
/// model's factors do not explain; RTM only: a risky environment with few recorded events yet.
public struct GiStarOptions: Sendable, Equatable {
    /// Distance band, metres (default: 2 blocks).
    public var distance: Double?
    /// Benjamini–Hochberg false-discovery rate.
    public var falseDiscoveryRate = 0.05
    public init() {}
}

public struct GiStarSummary: Sendable {
    public let distance: Double
    public let falseDiscoveryRate: Double
    public let result: GetisOrdGiStar.Result
    public let studyCells: Int
    /// Share of the outcome events that lie in Gi* hot cells.
    public let eventShareInHot: Double
    /// Share of the Gi* hot cells that lie in an RTM hotspot, and of the RTM hotspot cells that are Gi* hot.
    public let hotInRTM: Double
    public let rtmInHot: Double
    /// Per RTM hotspot id, the share of its cells that are Gi* hot.
    public let hotShareByHotspot: [Int: Double]
}

enum GiStarStage {
    static func run(_ f: Pipeline.Fitted, hotspots: [Hotspot], options: GiStarOptions) -> GiStarSummary {
        let g = f.surface.rrs.geometry
        let cells = StudyCells(geometry: g, indices: f.design.cells)
        let distance = options.distance ?? 2 * f.inputs.spec.blockLength
        let r = GetisOrdGiStar.compute(f.design.countsPerCell, cells: cells, distance: distance, q: options.falseDiscoveryRate)
        let hot = cells.indices.filter { r.classes.values[$0] > 0 }
        let inHotspot = Set(hotspots.flatMap(\.cluster.cells))
        let events = cells.indices.reduce(0.0) { $0 + Double(f.design.countsPerCell.values[$1]) }
        let hotEvents = hot.reduce(0.0) { $0 + Double(f.design.countsPerCell.values[$1]) }
        func share(_ n: Int, _ d: Int) -> Double { d == 0 ? 0 : Double(n) / Double(d) }
        var byHotspot: [Int: Double] = [:]
        for h in hotspots {
            byHotspot[h.cluster.id] = share(h.cluster.cells.filter { r.classes.values[$0] > 0 }.count, h.cluster.cells.count)
        }
        return GiStarSummary(distance: distance, falseDiscoveryRate: options.falseDiscoveryRate, result: r, studyCells: cells.count,
                             eventShareInHot: events > 0 ? hotEvents / events : 0,
                             hotInRTM: share(hot.filter(inHotspot.contains).count, hot.count),
                             rtmInHot: share(inHotspot.filter { r.classes.values[$0] > 0 }.count, inHotspot.count),
                             hotShareByHotspot: byHotspot)
    }
}
