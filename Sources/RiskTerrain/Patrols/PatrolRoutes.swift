import Foundation

/// A route per team and shift for handhelds: GPX 1.1 (Garmin, OsmAnd, most police handheld
/// mapping) and KML 2.2 (Google Earth, ArcGIS Field Maps). Waypoints are the places of each visit
/// in walking order, named after the place ("The Goat (licensed premises)") with the visit's time
/// and hotspot as the description; a visit with no mapped places gets its hotspot's centre. The
/// route joins them in visit order. Text goes through XML escaping with control characters removed.
enum PatrolRoutes {
    struct Route { let name: String; let gpx: String; let kml: String }

    struct Stop { let name: String; let description: String; let lon: Double; let lat: Double }

    static func render(_ plan: PatrolPlan) -> [Route] {
        let all = plan.operations.flatMap(\.patrols)
        let shifts = Dictionary(grouping: all, by: { "\($0.team)|\($0.date)" })
        return shifts.keys.sorted().map { key in
            let patrols = shifts[key]!.sorted { $0.startUtc < $1.startUtc }
            let team = patrols[0].team, date = patrols[0].date
            let stops = patrols.flatMap { p -> [Stop] in
                let what = "\(p.start)–\(p.end) visit \(p.visit): hotspot #\(p.hotspotRank) \(p.hotspotLabel)"
                if p.places.isEmpty { return [Stop(name: "hotspot #\(p.hotspotRank) \(p.hotspotLabel)", description: what, lon: p.lon, lat: p.lat)] }
                return p.places.map { Stop(name: "\($0.name) (\(PatrolSites.singular($0.kind)))", description: what, lon: $0.lon, lat: $0.lat) }
            }.filter { $0.lon.isFinite && $0.lat.isFinite }
            let title = "\(patrols[0].operation) \(team), shift of \(date) (\(plan.week))"
            let name = "\(plan.week)-\(team)-\(date)"
            return Route(name: name, gpx: gpx(title, stops, marking: plan.marking), kml: kml(title, stops, marking: plan.marking))
        }
    }

    /// XML text: & < > " ' escaped, control characters other than TAB and LF removed (XML 1.0 forbids them).
    static func xml(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += " "
            default:
                if u.properties.generalCategory == .control && u != "\n" && u != "\t" { continue }
                if u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func gpx(_ title: String, _ stops: [Stop], marking: String) -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<gpx version=\"1.1\" creator=\"rtm patrols\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
        s += "<metadata><name>\(xml(title))</name><desc>\(xml(marking))</desc></metadata>\n"
        for p in stops {
            s += String(format: "<wpt lat=\"%.6f\" lon=\"%.6f\">", p.lat, p.lon) + "<name>\(xml(p.name))</name><desc>\(xml(p.description))</desc></wpt>\n"
        }
        s += "<rte><name>\(xml(title))</name>\n"
        for p in stops { s += String(format: "<rtept lat=\"%.6f\" lon=\"%.6f\">", p.lat, p.lon) + "<name>\(xml(p.name))</name></rtept>\n" }
        return s + "</rte>\n</gpx>\n"
    }

    static func kml(_ title: String, _ stops: [Stop], marking: String) -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>\n"
        s += "<name>\(xml(title))</name><description>\(xml(marking))</description>\n"
        for p in stops {
            s += "<Placemark><name>\(xml(p.name))</name><description>\(xml(p.description))</description>"
            s += String(format: "<Point><coordinates>%.6f,%.6f</coordinates></Point></Placemark>\n", p.lon, p.lat)
        }
        if stops.count > 1 {
            s += "<Placemark><name>\(xml(title))</name><LineString><coordinates>"
            s += stops.map { String(format: "%.6f,%.6f", $0.lon, $0.lat) }.joined(separator: " ")
            s += "</coordinates></LineString></Placemark>\n"
        }
        return s + "</Document></kml>\n"
    }
}
