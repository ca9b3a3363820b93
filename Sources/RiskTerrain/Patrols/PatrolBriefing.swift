import Foundation

/// One printable HTML page per day with patrols: each operation's patrols in time order (team,
/// hotspot, places in walking order, why) and a small map of the day's hotspots and routes
/// (inline SVG in the analysis CRS, north up, with a scale bar: hotspot outlines numbered by rank,
/// each visit's walk through its places dashed, each team's way from hotspot to hotspot faint, in
/// its operation's colour). No scripts, no external files.
enum PatrolBriefing {
    /// (local date, page) for each day with patrols, in date order.
    static func render(_ plan: PatrolPlan) -> [(String, String)] {
        let all = plan.operations.flatMap(\.patrols)
        return Dictionary(grouping: all, by: \.date).sorted { $0.key < $1.key }.map { date, patrols in (date, page(plan, date: date, patrols: patrols)) }
    }

    static func html(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func page(_ plan: PatrolPlan, date: String, patrols: [PatrolPlan.Patrol]) -> String {
        var s = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Patrol briefing \(date)</title>
        <style>
        body{font:13px/1.35 system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.2em 0 .3em}
        table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
        th{background:#f2f2f2}.small{color:#555;font-size:.9em}svg{border:1px solid #ccc;background:#fbfbf8}
        @media print{body{margin:0}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
        </style></head><body>
        <h1>Patrol briefing — \(date)</h1>
        <p class="small">Week \(plan.week), times in \(plan.timeZone) local time. Plan from the risk terrain model of \(html((plan.spec as NSString).lastPathComponent)) (data \(plan.dataFrom)–\(plan.dataTo)). Places are public features near each hotspot; no victim locations are shown.</p>

        """
        s += map(plan, patrols: patrols)
        for op in plan.operations {
            let mine = patrols.filter { $0.operation == op.name }.sorted { ($0.startUtc, $0.team) < ($1.startUtc, $1.team) }
            guard !mine.isEmpty else { continue }
            s += "<h2>\(html(op.name)) — \(html(mine[0].teamMakeUp)), window \(op.window)</h2>\n"
            s += "<table><tr><th>time</th><th>team</th><th>hotspot</th><th>places, in order</th><th>why</th></tr>\n"
            for p in mine {
                let places = p.places.isEmpty ? "patrol the hotspot (no mapped places near it)" : p.places.map { "\(html($0.name)) <span class=\"small\">(\(PatrolSites.singular($0.kind)))</span>" }.joined(separator: " → ")
                s += "<tr><td>\(p.start)–\(p.end)</td><td>\(html(p.team))</td><td>#\(p.hotspotRank) \(html(p.hotspotLabel))</td><td>\(places)</td>"
                s += "<td>\(html(p.factors))<br><span class=\"small\">busiest: \(html(p.peakHours.joined(separator: ", "))); covers \(InspectText.percent(p.expectedCoverage))% of the week's risk\(p.allocation == "random" ? " (random rotation)" : "")</span></td></tr>\n"
            }
            s += "</table>\n"
        }
        return s + "</body></html>\n"
    }

    /// The day's hotspots (outlines, numbered by rank) and each visit's walking route.
    static func map(_ plan: PatrolPlan, patrols: [PatrolPlan.Patrol]) -> String {
        let ids = Set(patrols.map(\.hotspotId))
        let rings = ids.sorted().flatMap { plan.outlines[$0] ?? [] }
        var xs = rings.flatMap { r in stride(from: 0, to: r.count, by: 2).map { r[$0] } }
        var ys = rings.flatMap { r in stride(from: 1, to: r.count, by: 2).map { r[$0] } }
        xs += patrols.flatMap { $0.places.map(\.x) }
        ys += patrols.flatMap { $0.places.map(\.y) }
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return "" }
        let w = 560.0, h = 380.0, pad = 24.0
        let span = max(x1 - x0, (y1 - y0) * w / h, 200) * 1.08
        let scale = (w - 2 * pad) / span
        let cx = (x0 + x1) / 2, cy = (y0 + y1) / 2
        func X(_ x: Double) -> Double { w / 2 + (x - cx) * scale }
        func Y(_ y: Double) -> Double { h / 2 - (y - cy) * scale }
        var s = "<svg width=\"\(Int(w))\" height=\"\(Int(h))\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\" role=\"img\" aria-label=\"map of the day's hotspots and routes\">\n"
        for id in ids.sorted() {
            for r in plan.outlines[id] ?? [] {
                let pts = stride(from: 0, to: r.count - 1, by: 2).map { String(format: "%.1f,%.1f", X(r[$0]), Y(r[$0 + 1])) }.joined(separator: " ")
                s += "<polygon points=\"\(pts)\" fill=\"#e74c3c\" fill-opacity=\"0.25\" stroke=\"#c0392b\" stroke-width=\"1\"/>\n"
            }
        }
        // each team's day: its hotspots in visiting order, centre to centre
        func centre(_ id: Int) -> (Double, Double)? {
            guard let r = plan.outlines[id]?.first, r.count >= 2 else { return nil }
            let n = Double(r.count / 2)
            return (stride(from: 0, to: r.count - 1, by: 2).map { r[$0] }.reduce(0, +) / n, stride(from: 1, to: r.count, by: 2).map { r[$0] }.reduce(0, +) / n)
        }
        let colours = ["Op Verona": "#1a5276", "Project Vigilant": "#6c3483", "Walk & Talk": "#117a65"]
        for (key, mine) in Dictionary(grouping: patrols, by: { "\($0.operation)|\($0.team)" }).sorted(by: { $0.key < $1.key }) {
            let stops = mine.sorted { $0.startUtc < $1.startUtc }.compactMap { centre($0.hotspotId) }
            guard stops.count > 1 else { continue }
            let pts = stops.map { String(format: "%.1f,%.1f", X($0.0), Y($0.1)) }.joined(separator: " ")
            let colour = colours[String(key.split(separator: "|")[0])] ?? "#555"
            s += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(colour)\" stroke-opacity=\"0.35\" stroke-width=\"1\"/>\n"
        }
        var seen = Set<Int>()
        for p in patrols where seen.insert(p.hotspotId).inserted {
            if p.places.count > 1 {
                let pts = p.places.map { String(format: "%.1f,%.1f", X($0.x), Y($0.y)) }.joined(separator: " ")
                s += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/>\n"
            }
            for (i, q) in p.places.enumerated() {
                s += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%@\"/>\n", X(q.x), Y(q.y), i == 0 ? 3.5 : 2.5, i == 0 ? "#1f4e79" : "#2e86c1")
            }
            if let (mx, my) = centre(p.hotspotId) {
                s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\" fill=\"#7b241c\">#%d</text>\n", X(mx) + 6, Y(my) - 6, p.hotspotRank)
            }
        }
        // scale bar: a round number of metres about a fifth of the width
        let target = span / 5
        let bar = [50.0, 100, 200, 250, 500, 1000, 2000, 5000].last { $0 <= target } ?? 50
        s += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" stroke-width=\"2\"/><text x=\"%.1f\" y=\"%.1f\">%.0f m</text>\n",
                    pad, h - pad, pad + bar * scale, h - pad, pad, h - pad - 5, bar)
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\">N ↑</text>\n", w - pad - 20, pad)
        return s + "</svg>\n"
    }
}
