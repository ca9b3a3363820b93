import Foundation
import Hotspots

/// What `rtm run` prints when it finishes: the model in a few lines and where the files are.
public enum RunSummaryText {
    public static func render(_ r: Pipeline.Result, folder: String) -> String {
        let m = r.model.selection.model
        var lines = [
            "model: \(r.model.family)\(m.theta.map { String(format: " (θ = %.3f)", $0) } ?? ""), BIC \(String(format: "%.2f", m.bic)), "
                + "\(r.design.events) events in \(r.design.cells.count) cells, \(r.design.columns.count) candidates",
        ]
        if let e = r.model.selection.elasticNet, !e.crossValidated {
            lines.append(String(format: "  shortlist at the given λ = %.4g (model.lambda), not cross-validated for these layers: a quick rerun", e.lambda))
        }
        if r.model.terms.isEmpty { lines.append("  no factor was selected: the risk is flat (RRS = 1 everywhere)") }
        for t in r.model.terms.sorted(by: { $0.rrv > $1.rrv }) {
            let at = t.distanceM.map { " \(InspectText.number($0)) m" } ?? t.bandwidthM.map { " σ \(InspectText.number($0)) m" } ?? ""
            lines.append("  " + DemoText.pad("\(t.factor) \(t.influence)\(at)", 34)
                + String(format: " RRV %6.3f  (95%% CI %.3f–%.3f)  p %.2g", t.rrv, t.rrvCiLow, t.rrvCiHigh, t.p))
        }
        let highest = r.surface.classCounts[.highest] ?? 0
        lines.append(String(format: "risk: RRS %.2f–%.2f, mean %.2f; %d cells in the highest class", r.surface.min, r.surface.max, r.surface.mean, highest))
        if !r.hotspots.isEmpty {
            lines.append("hotspots: \(r.hotspots.count); the first \(min(5, r.hotspots.count)):")
            for h in r.hotspots.prefix(5) {
                let areas = h.areas.isEmpty ? "" : "  [" + h.areas.map(\.text).joined(separator: "; ") + "]"
                lines.append(String(format: "  %2d. ", h.cluster.rank) + DemoText.pad(h.label, 58) + String(format: " %5.1f ha  ", h.cluster.area / 10_000) + h.narrative + areas)
            }
        }
        let g = r.giStar
        lines.append(String(format: "Gi* (%@ m band, FDR %@%%): %d hot cells holding %.0f%%%% of the events; %.0f%%%% of the hotspots' cells are Gi* hot",
                            InspectText.number(g.distance), InspectText.number(g.falseDiscoveryRate * 100), g.result.hotCount,
                            100 * g.eventShareInHot, 100 * g.rtmInHot).replacingOccurrences(of: "%%", with: "%"))
        let verdicts = r.hotspots.compactMap { $0.lens?.verdict }
        if !verdicts.isEmpty {
            let counts = ConcernLens.Verdict.allCases.compactMap { v -> String? in
                let n = verdicts.filter { $0 == v }.count
                return n == 0 ? nil : "\(n) \(v.rawValue)"
            }
            lines.append("StreetSafe lens over the hotspots: " + counts.joined(separator: ", "))
        }
        if !r.changedSinceLastRun.isEmpty {
            lines.append("inputs changed since the last run in this folder: \(r.changedSinceLastRun.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")) (see manifest.json)")
        }
        if let c = r.cache {
            lines.append("layers: \(c.layersFromCache) from cache, \(c.layersComputed) computed"
                + (c.entriesRejected > 0 ? " (\(c.entriesRejected) damaged cache entries recomputed)" : "") + " — cache \(c.folder)")
        } else {
            lines.append("layers: \(r.layerCount) computed (no cache)")
        }
        lines.append("wrote \(r.outputs.sorted().joined(separator: ", ")) to \(folder)")
        return lines.joined(separator: "\n")
    }
}
