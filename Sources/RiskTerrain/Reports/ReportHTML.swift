import Foundation
import GeoIO
import Hotspots
import RiskModel

/// `report.html`: one self-contained file for a tasking meeting or a paper's appendix — the map,
/// the relative risk values with their confidence intervals in plain words, how the model was
/// chosen (the cross-validation curve, the stepwise path), and what was read and skipped.
/// No scripts, no external files; the map is an embedded PNG, the curve inline SVG.
public enum ReportHTML {
    public static func render(_ f: Pipeline.Fitted, mapPNG: Data, hotspots: [Hotspot] = [],
                              giStar: (summary: GiStarSummary, mapPNG: Data)? = nil, evaluation: EvaluationStage.Result? = nil,
                              includesEvents: Bool = false) -> String {
        let spec = f.inputs.spec
        let m = f.model.selection.model
        let title = "Risk terrain model: " + ((spec.path as NSString).lastPathComponent as String)
        var h = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(esc(title))</title>
        <style>\(style)</style></head><body>
        <h1>\(esc(title))</h1>
        <p class="muted">\(esc(spec.outcome.path)) · \(f.design.events) events in \(f.design.cells.count) cells of \(num(spec.cellSize)) m · analysis CRS \(esc(f.inputs.crs.description))</p>

        """
        if includesEvents {
            h += "<div class=\"warn\">This folder holds the events' and reports' locations (events.gpkg, streetsafe_reports.gpkg; "
            h += "written because of --include-events). They describe victims: keep them inside the force and share this report without them.</div>\n"
        }
        for w in f.inputs.warnings { h += "<div class=\"warn\">\(esc(w))</div>\n" }

        h += "<h2>Relative risk</h2>\n<img class=\"map\" alt=\"relative risk score map\" src=\"data:image/png;base64,\(mapPNG.base64EncodedString())\">\n"
        h += "<p>Relative risk score (RRS) per cell: the product of the relative risk values of the factors present "
        h += "(1 where none is; continuous factors such as a raster's value count from zero). "
        h += String(format: "Range %.2f–%.2f, mean %.2f.</p>\n", f.surface.min, f.surface.max, f.surface.mean)
        let cellKm2 = spec.cellSize * spec.cellSize / 1e6
        h += "<table><tr><th>class (RTMDx)</th><th>cells</th><th>km²</th></tr>\n"
        for c in RiskSurface.RiskClass.allCases.reversed() {
            let n = f.surface.classCounts[c] ?? 0
            h += "<tr><td>\(esc(c.label))</td><td class=n>\(n)</td><td class=n>\(String(format: "%.2f", Double(n) * cellKm2))</td></tr>\n"
        }
        h += "</table>\n"

        h += hotspotSection(hotspots, spec: spec)
        if let giStar { h += giStarSection(giStar.summary, mapPNG: giStar.mapPNG, hotspotCount: hotspots.count, spec: spec) }
        if let evaluation { h += EvaluationHTML.section(evaluation) }
        h += "<h2>Risk factors</h2>\n"
        if f.model.terms.isEmpty {
            h += "<p>No factor was selected: none improved the model enough to pass the BIC test.</p>\n"
        } else {
            h += "<table><tr><th>factor</th><th>influence</th><th>RRV</th><th>95% CI</th><th>p</th><th>meaning</th></tr>\n"
            for t in f.model.terms.sorted(by: { $0.rrv > $1.rrv }) {
                h += "<tr><td>\(esc(t.factor))</td><td>\(esc(influenceText(t)))</td><td class=n>\(String(format: "%.3f", t.rrv))</td>"
                h += "<td class=n>\(String(format: "%.3f–%.3f", t.rrvCiLow, t.rrvCiHigh))</td><td class=n>\(String(format: "%.2g", t.p))</td>"
                h += "<td>\(esc(sentence(t)))</td></tr>\n"
            }
            h += "</table>\n"
        }

        h += "<h2>Model</h2>\n<table>\n"
        h += row("family", f.model.family == "negbin" ? "negative binomial (θ = \(String(format: "%.3f", m.theta ?? .nan)))" : "Poisson")
        h += row("selection", "\(spec.model.selection.rawValue), family \(spec.model.family.rawValue), \(spec.model.lambda.map { "λ given (\(String(format: "%.4g", $0))), no cross-validation" } ?? "\(spec.model.folds)-fold cross-validation"), seed \(spec.model.seed)")
        h += row("BIC / AIC", String(format: "%.2f / %.2f", m.bic, m.aic))
        h += row("log-likelihood", String(format: "%.3f", m.logLikelihood))
        h += row("intercept", String(format: "%.4f (SE %.4f): %.4f events per cell where no factor is present", m.intercept.coefficient, m.intercept.standardError, exp(m.intercept.coefficient)))
        if let o = m.overdispersion { h += row("overdispersion", String(format: "likelihood-ratio test against Poisson: %.2f, p = %.2g", o.statistic, o.p)) }
        for (family, r) in f.model.selection.byFamily.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            h += row("BIC, \(FittedModel.name(family))", String(format: "%.2f with %d terms", r.model.bic, r.model.terms.count))
        }
        h += row("candidates", "\(f.design.columns.count) tested, \(f.design.dropped.count) dropped as constant or duplicate")
        h += "</table>\n"
        if let cv = f.model.selection.crossValidation {
            h += "<h3>Elastic-net cross-validation</h3>\n" + cvCurveSVG(cv)
            if let e = f.model.selection.elasticNet, let lmin = e.lambdaMin, let l1se = e.lambda1se {
                h += "<p>λ.min = \(String(format: "%.4g", lmin)), λ.1se = \(String(format: "%.4g", l1se)); "
                h += "\(e.shortlist.count) candidates shortlisted for the stepwise search: \(esc(e.shortlistNames.joined(separator: ", "))).</p>\n"
            }
        } else if let e = f.model.selection.elasticNet {
            h += "<h3>Elastic-net shortlist at a given λ</h3>\n"
            h += "<p>λ = \(String(format: "%.4g", e.lambda)) from the spec (<code>model.lambda</code>), not chosen by cross-validation "
            h += "for these layers — a quick rerun; run without it for the model to report. "
            h += "\(e.shortlist.count) candidates shortlisted for the stepwise search: \(esc(e.shortlistNames.joined(separator: ", "))).</p>\n"
        }
        if let e = f.model.selection.elasticNet, let note = nonConvergence(e) { h += "<p class=warn>\(esc(note))</p>\n" }
        let path = f.model.selection.stepwisePath
        if !path.isEmpty {
            h += "<h3>Stepwise path (\(esc(f.model.family)))</h3>\n<table><tr><th>step</th><th>move</th><th>term</th><th>BIC</th></tr>\n"
            for s in path {
                h += "<tr><td class=n>\(s.step)</td><td>\(esc(s.move.rawValue))</td><td>\(esc(s.name ?? "—"))</td><td class=n>\(String(format: "%.2f", s.bic))</td></tr>\n"
            }
            h += "</table>\n"
        }

        h += "<h2>Data</h2>\n<table><tr><th>layer</th><th>file</th><th>kept</th><th>skipped</th></tr>\n"
        h += dataRow("outcome", f.inputs.outcome.report)
        for l in f.inputs.factors {
            if let set = l.features { h += dataRow(l.spec.name, set.report) } else if let r = l.raster {
                h += "<tr><td>\(esc(l.spec.name))</td><td>\(esc(r.path))</td><td class=n>raster \(r.width)×\(r.height)</td><td></td></tr>\n"
            }
        }
        h += "</table>\n"
        h += "<p>\(f.design.eventsRead - f.design.events) events fell outside the study-area cells; \(f.design.cellsDroppedNoData) cells had no raster value and were left out.</p>\n"
        if !f.design.dropped.isEmpty {
            h += "<p>Candidates dropped: " + esc(f.design.dropped.map { "\($0.name) (\($0.reason))" }.joined(separator: "; ")) + ".</p>\n"
        }
        h += "<p class=\"muted\">rtm \(RiskTerrainVersion.rtm), GDAL \(GeoLibraries.gdal), PROJ \(GeoLibraries.proj). Inputs' SHA-256 and timings are in manifest.json. "
        h += "Event locations are not shown: the map and tables aggregate them to cells.</p>\n</body></html>\n"
        return h
    }

    /// The reports' shared style sheet.
    static let style = """
    body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
    h1{font-size:1.5em;margin-bottom:.2em} h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ddd}
    table{border-collapse:collapse;margin:.5em 0} td,th{padding:.25em .7em;border-bottom:1px solid #eee;text-align:left}
    th{background:#f6f6f6} td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .muted{color:#666} .warn{background:#fff4e5;border-left:4px solid #f0a020;padding:.4em .8em;margin:.3em 0}
    img.map{max-width:100%;border:1px solid #ddd}
    """

    static func hotspotSection(_ hotspots: [Hotspot], spec: ModelSpec) -> String {
        let d = Disclosure(threshold: spec.hotspots.disclosureThreshold)
        var h = "<h2>Hotspots</h2>\n"
        guard !hotspots.isEmpty else { return h + "<p>No cluster of highest-risk cells reached the minimum size.</p>\n" }
        let rule: String = switch spec.hotspots.rule {
        case .standardDeviations(let k): "cells above mean + \(num(k)) SD of the relative risk score"
        case .topShare(let s): "the top \(num(s * 100))% of cells by relative risk score"
        }
        h += "<p>\(hotspots.count) hotspots: \(esc(rule)), joined where they touch (8 neighbours), at least \(spec.hotspots.minimumCells) cells, "
        h += "ranked by \(spec.hotspots.score == .sum ? "the sum of relative risk over their cells" : spec.hotspots.score == .mean ? "mean relative risk" : "outcome events inside"). "
        h += "Counts below \(spec.hotspots.disclosureThreshold) are shown as &lt;\(spec.hotspots.disclosureThreshold). The map numbers the first nine.</p>\n"
        let levels = hotspots.first?.areas.map(\.level) ?? []
        h += "<table><tr><th>rank</th><th>place</th>" + levels.map { "<th>\(esc($0))</th>" }.joined() + "<th>area (ha)</th><th>mean RRS</th><th>events</th>"
        let lens = hotspots.first?.reports != nil
        h += lens ? "<th>StreetSafe</th>" : ""
        h += "<th>why</th>" + (lens ? "<th>StreetSafe lens</th>" : "") + "</tr>\n"
        for s in hotspots.prefix(20) {
            h += "<tr><td class=n>\(s.cluster.rank)</td><td>\(esc(s.label))</td>" + s.areas.map { "<td>\(esc($0.text))</td>" }.joined()
            h += "<td class=n>\(String(format: "%.1f", s.cluster.area / 10_000))</td>"
            h += "<td class=n>\(String(format: "%.2f", s.cluster.meanRRS))</td><td class=n>\(esc(d.render(s.events)))</td>"
            if let r = s.reports { h += "<td class=n>\(esc(d.render(r)))</td>" }
            h += "<td>\(esc(s.narrative))</td>" + (lens ? "<td>\(esc(s.lensText ?? ""))</td>" : "") + "</tr>\n"
        }
        if hotspots.count > 20 { h += "<tr><td colspan=\(8 + levels.count) class=muted>… \(hotspots.count - 20) more in hotspots.csv</td></tr>\n" }
        h += "</table>\n"
        for (i, level) in levels.enumerated() { h += areaTable(hotspots, level: i, name: level) }
        if lens {
            h += "<p class=muted>StreetSafe lens: whether a hotspot's share of StreetSafe reports among its reports and events differs from the "
            h += "study area's (exact binomial test, Benjamini–Hochberg 5% over the hotspots; at least 10 reports and events). "
            h += "More concern than recorded crime points to the environment (lighting, sightlines) and Walk &amp; Talk; "
            h += "more recorded crime than concern, to patrols. The reason shown is the commonest one given in the reports inside.</p>\n"
        }
        return h
    }

    /// The hotspots grouped by the area of one level that holds most of each (a ward's count,
    /// hectares and share of the hotspots' summed risk), largest share first.
    static func areaTable(_ hotspots: [Hotspot], level: Int, name: String) -> String {
        var groups: [String: (count: Int, hectares: Double, risk: Double, ranks: [Int])] = [:]
        for s in hotspots {
            let area = s.areas[level].names.first?.name ?? "outside every \(name)"
            let riskSum = s.cluster.meanRRS * Double(s.cluster.cellCount)
            groups[area, default: (0, 0, 0, [])].count += 1
            groups[area]!.hectares += s.cluster.area / 10_000
            groups[area]!.risk += riskSum
            groups[area]!.ranks.append(s.cluster.rank)
        }
        let total = groups.values.reduce(0) { $0 + $1.risk }
        var h = "<h3>Hotspots by \(esc(name))</h3>\n<table><tr><th>\(esc(name))</th><th>hotspots</th><th>ranks</th><th>area (ha)</th><th>share of hotspot risk</th></tr>\n"
        for (area, g) in groups.sorted(by: { $0.value.risk != $1.value.risk ? $0.value.risk > $1.value.risk : $0.key < $1.key }) {
            let ranks = g.ranks.prefix(8).map(String.init).joined(separator: ", ") + (g.ranks.count > 8 ? ", …" : "")
            h += "<tr><td>\(esc(area))</td><td class=n>\(g.count)</td><td>\(ranks)</td><td class=n>\(String(format: "%.1f", g.hectares))</td>"
            h += "<td class=n>\(String(format: "%.0f%%", total > 0 ? 100 * g.risk / total : 0))</td></tr>\n"
        }
        return h + "</table>\n"
    }

    /// Getis–Ord Gi* beside the RTM hotspots: where events cluster, against where the environment predicts risk.
    static func giStarSection(_ s: GiStarSummary, mapPNG: Data, hotspotCount: Int, spec: ModelSpec) -> String {
        let km2 = spec.cellSize * spec.cellSize / 1e6
        var h = "<h2>Another method: Getis–Ord Gi* hot spots</h2>\n"
        h += "<p>Gi* looks only at where the events were recorded: a cell is hot when the events within \(num(s.distance)) m of it "
        h += "are significantly more than the study area's average (z-score; Benjamini–Hochberg false-discovery rate \(num(s.falseDiscoveryRate * 100))%). "
        h += "RTM instead asks where the environment makes events likely. Outlined on the map: the RTM hotspots.</p>\n"
        h += "<img class=\"map\" alt=\"Getis-Ord Gi* hot and cold spots with the RTM hotspots outlined\" src=\"data:image/png;base64,\(mapPNG.base64EncodedString())\">\n"
        h += "<table>\n"
        h += row("Gi* hot cells", String(format: "%d (%.2f km², %.1f%% of the study area), holding %.1f%% of the events",
                                          s.result.hotCount, Double(s.result.hotCount) * km2, 100 * Double(s.result.hotCount) / Double(max(s.studyCells, 1)),
                                          100 * s.eventShareInHot))
        h += row("Gi* cold cells", "\(s.result.coldCount)")
        if hotspotCount > 0 {
            h += row("agreement", String(format: "%.0f%% of the Gi* hot cells lie in an RTM hotspot; %.0f%% of the RTM hotspots' cells are Gi* hot",
                                         100 * s.hotInRTM, 100 * s.rtmInHot))
        }
        h += "</table>\n<p class=muted>Hot in both: the surest places. Gi* only: recorded crime the model's factors do not explain — "
        h += "look for a missing factor. RTM only: an environment that predicts risk where few events have been recorded yet.</p>\n"
        return h
    }

    static func influenceText(_ t: FittedModel.TermRow) -> String {
        switch t.influence {
        case "proximity": "within \(num(t.distanceM ?? 0)) m"
        case "density": "high density (σ \(num(t.bandwidthM ?? 0)) m)"
        case "distance": "per metre of distance"
        case "density_value": "per feature/km² (σ \(num(t.bandwidthM ?? 0)) m)"
        case "inside": "inside"
        default: "per unit"
        }
    }

    /// The RRV in a sentence a tasking meeting can repeat.
    static func sentence(_ t: FittedModel.TermRow) -> String {
        let name = t.factor.replacingOccurrences(of: "_", with: " ")
        let times = String(format: "%.2f", t.rrv)
        switch t.influence {
        case "proximity": return "Places within \(num(t.distanceM ?? 0)) m of \(name) have \(times)× the risk of places that are not, other factors equal."
        case "density": return "Places with a high concentration of \(name) have \(times)× the risk."
        case "inside": return "Places inside \(name) have \(times)× the risk."
        case "distance": return String(format: "Each 100 m further from %@ multiplies the risk by %.3f.", name, exp(100 * t.coefficient))
        case "density_value": return "Each additional \(name) per km² multiplies the risk by \(String(format: "%.3f", t.rrv))."
        default: return String(format: "Each unit of %@ multiplies the risk by %.3f; 10 units by %.3f.", name, t.rrv, exp(10 * t.coefficient))
        }
    }

    /// The report's words for λ at which the elastic net's coordinate descent stopped at its pass
    /// limit (nil when every λ converged): which path, how many λ, and whether the shortlist's is one.
    static func nonConvergence(_ e: ElasticNetSummary) -> String? {
        let folds = e.foldsNotConverged.enumerated().filter { !$0.element.isEmpty }
        guard !e.notConverged.isEmpty || !folds.isEmpty else { return nil }
        var parts: [String] = []
        if !e.notConverged.isEmpty {
            let shown = e.notConverged.prefix(5).map { String(format: "%.4g", $0) }.joined(separator: ", ")
            parts.append("the full-data path at \(e.notConverged.count) λ (\(shown)\(e.notConverged.count > 5 ? ", …" : ""))")
        }
        if !folds.isEmpty {
            parts.append("\(folds.count) of the \(e.foldsNotConverged.count) cross-validation fold paths (folds \(folds.map { String($0.offset + 1) }.joined(separator: ", ")))")
        }
        let atShortlist = e.notConverged.contains(e.lambda)
        return "Not converged: coordinate descent stopped at its pass limit before converging on \(parts.joined(separator: " and ")); "
            + "their coefficients are the last iterate. " + (atShortlist
                ? "The shortlist's λ is one of them: treat the shortlist as approximate (model.json: glmnet.not_converged)."
                : "The shortlist's λ is not one of them (model.json: glmnet.not_converged).")
    }

    static func cvCurveSVG(_ cv: CrossValidatedPath) -> String {
        let xs = cv.path.lambdas.map { log($0) }, ys = cv.meanDeviance, se = cv.standardError
        guard xs.count > 1, let x0 = xs.min(), let x1 = xs.max() else { return "" }
        let y0 = zip(ys, se).map { $0 - $1 }.min()!, y1 = zip(ys, se).map { $0 + $1 }.max()!
        let w = 640.0, hgt = 260.0, pad = 48.0
        func X(_ v: Double) -> Double { pad + (v - x0) / max(x1 - x0, 1e-12) * (w - 2 * pad) }
        func Y(_ v: Double) -> Double { hgt - pad + (v - y0) / max(y1 - y0, 1e-12) * (2 * pad - hgt) }
        var s = "<svg width=\"\(Int(w))\" height=\"\(Int(hgt))\" role=\"img\" aria-label=\"cross-validated deviance against log lambda\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">\n"
        s += "<rect x=\"\(pad)\" y=\"\(pad / 2)\" width=\"\(w - 2 * pad)\" height=\"\(hgt - 1.5 * pad)\" fill=\"none\" stroke=\"#ccc\"/>\n"
        for i in xs.indices {
            s += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\"/>", X(xs[i]), X(xs[i]), Y(ys[i] - se[i]), Y(ys[i] + se[i]))
            s += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"#c0392b\"/>\n", X(xs[i]), Y(ys[i]))
        }
        for (label, i) in [("λ.min", cv.lambdaMinIndex), ("λ.1se", cv.lambda1seIndex)] {
            s += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>", X(xs[i]), X(xs[i]), pad / 2, hgt - pad)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\">%@</text>\n", X(xs[i]) + 3, pad / 2 + 12, label)
        }
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">log λ (%.2f … %.2f)</text>", w / 2, hgt - 12, x0, x1)
        s += String(format: "<text x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" text-anchor=\"middle\">mean deviance ± SE</text>\n", hgt / 2, hgt / 2)
        return s + "</svg>\n"
    }

    static func dataRow(_ name: String, _ r: ReadReport) -> String {
        let skipped = r.skipped.sorted { $0.key < $1.key }.map { "\($0.value) with \($0.key)" }
            + r.repaired.sorted { $0.key < $1.key }.map { "repaired \($0.value): \($0.key)" }
        let removed = r.featuresInLayer - r.passedWhere
        var text = skipped.joined(separator: "; ")
        if removed > 0 { text = "\(removed) by the where filter" + (text.isEmpty ? "" : "; " + text) }
        return "<tr><td>\(esc(name))</td><td>\(esc(r.path))</td><td class=n>\(r.kept) of \(r.featuresInLayer)</td><td>\(esc(text))</td></tr>\n"
    }

    static func row(_ k: String, _ v: String) -> String { "<tr><th>\(esc(k))</th><td>\(esc(v))</td></tr>\n" }

    static func num(_ v: Double) -> String { InspectText.number(v) }

    static func esc(_ s: String) -> String {
        var o = ""
        for ch in s {
            switch ch {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: o.append(ch)
            }
        }
        return o
    }
}
