import Foundation

/// One printable HTML file per shift date, one A4 page in it per team on duty (`@page { size: A4 }`,
/// a page break after each): the protective marking at the top and foot, the team, its shift,
/// a map of its hotspots and walking routes (inline SVG in the analysis CRS, north up, scale bar,
/// every hotspot labelled by rank with labels placed so none overlaps another or a hotspot's
/// number leaves the map — `LabelPlacer`), and its visits in time order with places and reasons.
/// A shift across midnight is on the page of the date it opens. No scripts, no external files.
enum PatrolBriefing {
    /// (shift date, page) for each date with patrols, in date order.
    static func render(_ plan: PatrolPlan) -> [(String, String)] {
        let all = plan.operations.flatMap(\.patrols)
        return Dictionary(grouping: all, by: \.date).sorted { $0.key < $1.key }.map { date, patrols in (date, page(plan, date: date, patrols: patrols)) }
    }

    /// HTML text: & < > " escaped, control characters removed.
    static func html(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r", "\n", "\t": out += " "
            default:
                if u.properties.generalCategory == .control { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func page(_ plan: PatrolPlan, date: String, patrols: [PatrolPlan.Patrol]) -> String {
        let marking = html(plan.marking)
        var s = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(marking) — Patrol briefing, shifts of \(date)</title>
        <style>
        @page{size:A4 portrait;margin:10mm}
        body{font:9.5pt/1.3 system-ui,sans-serif;margin:0;color:#222}
        .page{width:190mm;min-height:262mm;box-sizing:border-box;padding:2mm 0;display:flex;flex-direction:column;break-after:page;page-break-after:always}
        .page:last-child{break-after:auto;page-break-after:auto}
        .marking{text-align:center;font-weight:bold;letter-spacing:.08em;font-size:10pt}
        .foot{margin-top:auto}
        h1{font-size:13pt;margin:1mm 0}.small{color:#555;font-size:8pt}
        table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:7.5pt;line-height:1.15}th,td{border:1px solid #bbb;padding:0 3px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
        th{background:#eee}svg{border:1px solid #ccc;background:#fbfbf8;width:190mm;height:60mm}ul.why{margin:1mm 0;padding-left:4mm;font-size:7pt;line-height:1.15}
        @media screen{body{background:#ddd}.page{background:#fff;margin:8mm auto;padding:8mm;width:210mm;height:297mm;box-shadow:0 0 4px #999}}
        </style></head><body>

        """
        let shifts = Dictionary(grouping: patrols, by: \.team)
        let order = plan.operations.flatMap { op in shifts.keys.filter { shifts[$0]![0].operation == op.name }.sorted() }
        for team in order {
            let mine = shifts[team]!.sorted { $0.startUtc < $1.startUtc }
            let op = plan.operations.first { $0.name == mine[0].operation }!
            s += "<section class=\"page\">\n<div class=\"marking\">\(marking)</div>\n"
            s += "<h1>\(html(op.name)) \(html(team)) — shift of \(date), window \(op.window)</h1>\n"
            s += "<p class=\"small\">\(html(mine[0].teamMakeUp)). Week \(plan.week), times in \(plan.timeZone) local time. Plan from the risk terrain model of \(html((plan.spec as NSString).lastPathComponent)) (data \(plan.dataFrom)–\(plan.dataTo)). Places are public features near each hotspot; no victim locations are shown.</p>\n"
            if let c = op.coverage, let reached = c.eventsReached, let all = c.eventsAtHotspots {
                s += String(format: "<p class=\"small\">%@ this week: the plan's %d visits reach %.2f of the %.1f outcome events the model expects at its %d hotspots (the same visits at fixed times to the top %d: %.2f).</p>\n",
                            html(op.name), op.patrols.count, reached, all, op.hotspots, c.naiveHotspots, c.naiveEventsReached ?? 0)
            }
            s += map(plan, patrols: mine)
            // a row per visit; what is the same for every visit to a hotspot (why, its busiest
            // hours, where it lies) once under the table, so a team's shift fits one A4 page
            s += "<table><colgroup><col style=\"width:13%\"><col style=\"width:27%\"><col style=\"width:48%\"><col style=\"width:12%\"></colgroup>\n"
            s += "<tr><th>time</th><th>hotspot</th><th>places, in order</th><th>expected events</th></tr>\n"
            for p in mine {
                let places = p.places.isEmpty ? "patrol the hotspot (no mapped places near it)" : p.places.map { "\(html($0.name)) <span class=\"small\">(\(PatrolSites.singular($0.kind)))</span>" }.joined(separator: " → ")
                let day = p.startLocal.prefix(10) == date ? "" : " <span class=\"small\">(\(html(String(p.startLocal.prefix(10)))))</span>"
                s += "<tr><td>\(p.start)–\(p.end)\(day)</td><td>#\(p.hotspotRank) \(html(p.hotspotLabel))</td><td>\(places)</td>"
                let expected = p.expectedEvents.map { String(format: "%.3f", $0) } ?? "—"
                s += "<td class=\"small\">\(expected)\(p.allocation == "random" ? "; random rotation" : "")</td></tr>\n"
            }
            s += "</table>\n<p class=\"small\" style=\"margin:1mm 0 0\">Why these hotspots, and their busiest hours in the window:</p><ul class=\"why\">\n"
            var listed = Set<Int>()
            for p in mine where listed.insert(p.hotspotId).inserted {
                let areas = p.hotspotAreas.isEmpty ? "" : " (" + html(p.hotspotAreas.joined(separator: "; ")) + ")"
                let busiest = p.peakHours.isEmpty ? "" : "; busiest \(html(p.peakHours.joined(separator: ", "))) (\(html(p.peakHoursFrom)))"
                s += "<li>#\(p.hotspotRank) \(html(p.hotspotLabel))\(areas): \(html(p.factors))\(busiest)</li>\n"
            }
            s += "</ul>\n"
            s += "<div class=\"marking foot\">\(marking)</div>\n</section>\n"
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
        let w = 700.0, h = 368.0, pad = 24.0
        let span = max(x1 - x0, (y1 - y0) * w / h, 200) * 1.08
        let scale = (w - 2 * pad) / span
        let cx = (x0 + x1) / 2, cy = (y0 + y1) / 2
        func X(_ x: Double) -> Double { w / 2 + (x - cx) * scale }
        func Y(_ y: Double) -> Double { h / 2 - (y - cy) * scale }
        var s = "<svg viewBox=\"0 0 \(Int(w)) \(Int(h))\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\" role=\"img\" aria-label=\"map of the day's hotspots and routes\">\n"
        // context (roads, boundaries, water) under everything, clipped to the frame
        let viewX = (cx - w / 2 / scale)...(cx + w / 2 / scale), viewY = (cy - h / 2 / scale)...(cy + h / 2 / scale)
        if !plan.context.isEmpty { s += "<clipPath id=\"frame\"><rect width=\"\(Int(w))\" height=\"\(Int(h))\"/></clipPath><g clip-path=\"url(#frame)\" fill=\"none\" stroke=\"#9a9a9a\" stroke-width=\"0.8\">\n" }
        for line in plan.context {
            let pairs = stride(from: 0, to: line.count - 1, by: 2).map { (line[$0], line[$0 + 1]) }
            guard pairs.contains(where: { viewX.contains($0.0) && viewY.contains($0.1) }) else { continue }
            s += "<polyline points=\"" + pairs.map { String(format: "%.1f,%.1f", X($0.0), Y($0.1)) }.joined(separator: " ") + "\"/>\n"
        }
        if !plan.context.isEmpty { s += "</g>\n" }
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
        var placer = LabelPlacer(width: w, height: h)
        for p in patrols where seen.insert(p.hotspotId).inserted {
            if p.places.count > 1 {
                let pts = p.places.map { String(format: "%.1f,%.1f", X($0.x), Y($0.y)) }.joined(separator: " ")
                s += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/>\n"
            }
            for (i, q) in p.places.enumerated() {
                s += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%@\"/>\n", X(q.x), Y(q.y), i == 0 ? 3.5 : 2.5, i == 0 ? "#1f4e79" : "#2e86c1")
            }
        }
        // labels last, each where it overlaps no label placed before it, with a leader line when moved off
        for id in ids.sorted(by: { a, b in (patrols.first { $0.hotspotId == a }!.hotspotRank) < (patrols.first { $0.hotspotId == b }!.hotspotRank) }) {
            guard let (mx, my) = centre(id), let p = patrols.first(where: { $0.hotspotId == id }) else { continue }
            let text = "#\(p.hotspotRank)"
            let box = placer.place(text, at: (X(mx), Y(my)))
            if box.moved { s += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#7b241c\" stroke-width=\"0.6\"/>\n", X(mx), Y(my), box.x + box.width / 2, box.y + box.height / 2) }
            s += String(format: "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\" fill=\"#7b241c\" data-box=\"%.1f %.1f %.1f %.1f\">%@</text>\n",
                        box.x, box.y + box.height - 2, box.x, box.y, box.width, box.height, text)
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

/// Places map labels so that none overlaps another: each label tries positions around its anchor
/// (right, above, left, below, the diagonals), then the same at 2×, 3× … the distance, and takes
/// the first whose box lies inside the map and clear of every box placed before. Greedy
/// candidate-position placement (Christensen, Marks & Shieber 1995 review it); with the ring
/// growing until a free spot is found, every label is placed.
struct LabelPlacer {
    struct Box { let x: Double; let y: Double; let width: Double; let height: Double; let moved: Bool }
    let width: Double, height: Double
    private(set) var boxes: [Box] = []

    init(width: Double, height: Double) { self.width = width; self.height = height }

    static func overlap(_ a: Box, _ b: Box) -> Bool {
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    }

    mutating func place(_ text: String, at anchor: (Double, Double)) -> Box {
        let bw = Double(text.count) * 7 + 4, bh = 13.0
        let directions: [(Double, Double)] = [(1, -1), (1, 0), (-1, -1), (-1, 0), (0, -1), (0, 1), (1, 1), (-1, 1)]
        for ring in 1...60 {
            let d = 5.0 * Double(ring)
            for (dx, dy) in directions {
                let x = dx > 0 ? anchor.0 + d : dx < 0 ? anchor.0 - d - bw : anchor.0 - bw / 2
                let y = dy < 0 ? anchor.1 - d - bh : dy > 0 ? anchor.1 + d : anchor.1 - bh / 2
                let b = Box(x: x, y: y, width: bw, height: bh, moved: ring > 2)
                guard b.x >= 0, b.y >= 0, b.x + bw <= width, b.y + bh <= height, !boxes.contains(where: { Self.overlap($0, b) }) else { continue }
                boxes.append(b)
                return b
            }
        }
        // the map is full: stack along the top edge (still clear of every other box)
        var y = 0.0
        while boxes.contains(where: { Self.overlap($0, Box(x: 0, y: y, width: bw, height: bh, moved: true)) }) { y += bh }
        let b = Box(x: 0, y: y, width: bw, height: bh, moved: true)
        boxes.append(b)
        return b
    }
}
