import Foundation
import GeoIO
import Patrols
import Yams

/// The `patrols:` section (docs/spec.md, "Patrols").
extension SpecReader {
    func patrols(_ node: Node, factors: [FactorSpec]) throws -> PatrolOptions {
        var o = PatrolOptions()
        if case .scalar(let s) = node, ["", "~", "null", "{}"].contains(s.string) { return o }
        let m = try mapping(node, "patrols", allowed: ["verona", "vigilant", "walk_and_talk", "places", "place_distance", "max_places",
                                                       "roads", "walking_speed_kmh", "circuity", "random_share", "seed", "smoothing_hours",
                                                       "prior_weight", "streetsafe_time", "max_weeks_ahead", "time_zone", "marking"])
        if let n = m["place_distance"] { o.placeDistance = try number(n, "patrols.place_distance", positive: false) }
        if let n = m["max_places"] { o.maxPlaces = try integer(n, "patrols.max_places", range: 1...20) }
        if let n = m["roads"] { o.roads = try source(n, "patrols.roads", extra: []).source }
        if let n = m["walking_speed_kmh"] { o.walkingSpeedKmh = try number(n, "patrols.walking_speed_kmh") }
        if let n = m["circuity"] {
            o.circuity = try number(n, "patrols.circuity")
            guard o.circuity >= 1 else { throw fail(n, "patrols.circuity", "a walk is at least as long as the straight line: give 1 or more (1.3 is usual)") }
        }
        if let n = m["random_share"] {
            o.randomShare = try number(n, "patrols.random_share", positive: false)
            guard o.randomShare <= 1 else { throw fail(n, "patrols.random_share", "is a share between 0 and 1, e.g. 0.2") }
        }
        if let n = m["seed"] { o.seed = UInt64(try integer(n, "patrols.seed", range: 0...Int.max)) }
        if let n = m["smoothing_hours"] { o.smoothingHours = try number(n, "patrols.smoothing_hours", positive: false) }
        if let n = m["prior_weight"] { o.priorWeight = try number(n, "patrols.prior_weight", positive: false) }
        if let n = m["streetsafe_time"] { o.streetSafeTime = try string(n, "patrols.streetsafe_time") }
        if let n = m["max_weeks_ahead"] { o.maxWeeksAhead = try integer(n, "patrols.max_weeks_ahead", range: 0...520) }
        if let n = m["time_zone"] {
            o.timeZone = try string(n, "patrols.time_zone")
            guard TimeZone(identifier: o.timeZone) != nil else { throw fail(n, "patrols.time_zone", "'\(o.timeZone)' is not a time zone — write e.g. Europe/London") }
        }
        if let n = m["marking"] {
            o.marking = try string(n, "patrols.marking").trimmingCharacters(in: .whitespaces)
            guard !o.marking.isEmpty, o.marking.count <= 60, !o.marking.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw fail(n, "patrols.marking", "give the protective marking to print on every briefing page in one short line, e.g. OFFICIAL-SENSITIVE")
            }
        }
        if let n = m["places"] {
            let kinds = Array(PatrolOptions.defaultPlaces.keys).sorted()
            let pm = try mapping(n, "patrols.places", allowed: kinds)
            for (kind, v) in pm {
                let name = try string(v, "patrols.places.\(kind)")
                guard name == "none" || factors.contains(where: { $0.name == name }) else {
                    let hint = NameMatching.closest(to: name, in: factors.map(\.name)).map { " — did you mean '\($0)'?" } ?? ""
                    throw fail(v, "patrols.places.\(kind)", "'\(name)' is not a factor\(hint) (or write none)")
                }
                o.places[kind] = name == "none" ? nil : name
            }
        }
        o.operations = try PatrolOptions.Kind.allCases.map { kind in try operation(m[kind.rawValue], kind) }
        return o
    }

    private func operation(_ node: Node?, _ kind: PatrolOptions.Kind) throws -> PatrolOptions.Operation {
        var op = PatrolOptions.Operation.defaults(kind)
        guard let node else { return op }
        let key = "patrols.\(kind.rawValue)"
        if case .scalar(let s) = node, ["false", "off", "no"].contains(s.string.lowercased()) { op.enabled = false; return op }
        var allowed = ["enabled", "teams", "window", "days", "dwell_minutes", "spacing_minutes", "max_visits_per_hotspot",
                       "visits_per_team", "repeat_decay", "step_minutes"]
        switch kind {
        case .verona: allowed += ["per_week"]
        case .vigilant: allowed += ["per_week", "min_licensed_premises"]
        case .walkAndTalk: allowed += ["per_month"]
        }
        let m = try mapping(node, key, allowed: allowed)
        if let n = m["enabled"] { op.enabled = try boolean(n, "\(key).enabled") }
        var r = op.rules
        if let n = m["teams"] { r.teamsPerDay = try integer(n, "\(key).teams", range: Int.min...Int.max) }
        if let n = m["window"] { r.window = try window(n, "\(key).window") }
        if let n = m["days"] { r.days = try days(n, "\(key).days") }
        if let n = m["dwell_minutes"] { r.dwell = try integer(n, "\(key).dwell_minutes", range: 1...1440) }
        if let n = m["spacing_minutes"] { r.spacing = try integer(n, "\(key).spacing_minutes", range: 0...10_080) }
        if let n = m["max_visits_per_hotspot"] { r.capPerPlace = try integer(n, "\(key).max_visits_per_hotspot", range: Int.min...Int.max) }
        if let n = m["visits_per_team"] { r.visitsPerTeamDay = try integer(n, "\(key).visits_per_team", range: Int.min...Int.max) }
        if let n = m["repeat_decay"] { r.returns = .geometric(try number(n, "\(key).repeat_decay", positive: false)) }
        if let n = m["step_minutes"] { r.step = try integer(n, "\(key).step_minutes", range: Int.min...Int.max) }
        if let n = m["per_week"] { r.teamDaysPerWeek = try integer(n, "\(key).per_week", range: Int.min...Int.max) }
        if let n = m["per_month"] {
            op.perMonth = try integer(n, "\(key).per_month", range: Int.min...Int.max)
            if op.perMonth! < 1 { throw fail(n, "\(key).per_month", "a quota of \(op.perMonth!) walks a month plans nothing — give at least 1, or enabled: false") }
        }
        if let n = m["min_licensed_premises"] { op.minLicensedPremises = try integer(n, "\(key).min_licensed_premises", range: 0...1000) }
        if op.enabled, let p = r.problem {
            let at: Node = m[p.field] ?? (p.field == "window" ? m["dwell_minutes"] ?? node : node)
            throw fail(at, "\(key).\(p.field)", p.message)
        }
        op.rules = r
        return op
    }

    func boolean(_ node: Node, _ key: String) throws -> Bool {
        let s = try string(node, key).lowercased()
        if ["true", "yes", "on"].contains(s) { return true }
        if ["false", "no", "off"].contains(s) { return false }
        throw fail(node, key, "expected true or false, not '\(s)'")
    }

    /// "14:00-24:00" or "20:00–03:00" (across midnight).
    func window(_ node: Node, _ key: String) throws -> OperationRules.Window {
        let s = try string(node, key)
        let parts = s.replacingOccurrences(of: "–", with: "-").split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        func minutes(_ t: String) -> Int? {
            let hm = t.split(separator: ":")
            guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else { return nil }
            return h * 60 + m
        }
        guard parts.count == 2, let a = minutes(parts[0]), let b = minutes(parts[1]), a < 1440, b > 0 || a > 0 else {
            throw fail(node, key, "'\(s)' is not a window — write HH:MM-HH:MM, e.g. 14:00-24:00 or 20:00-03:00 (across midnight)")
        }
        if a == b % 1440 && b != 1440 { throw fail(node, key, "'\(s)' opens and closes at the same time — for all day write 00:00-24:00") }
        return OperationRules.Window(start: a, end: b == 0 ? 1440 : b)
    }

    /// `all`, `weekdays`, `weekends` or a list of mon … sun.
    func days(_ node: Node, _ key: String) throws -> [Int] {
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        if case .scalar(let s) = node {
            switch s.string.lowercased() {
            case "all", "every day", "daily": return Array(0..<7)
            case "weekdays": return Array(0..<5)
            case "weekends", "weekend": return [5, 6]
            default: break
            }
        }
        guard case .sequence(let items) = node else { throw fail(node, key, "expected all, weekdays, weekends or a list such as [thu, fri, sat]") }
        let days = try items.map { n -> Int in
            let s = try string(n, key).lowercased()
            guard let d = names.firstIndex(where: { s.hasPrefix($0) }) else {
                throw fail(n, key, "'\(s)' is not a day — write mon, tue, wed, thu, fri, sat or sun")
            }
            return d
        }
        return Array(Set(days)).sorted()
    }
}
