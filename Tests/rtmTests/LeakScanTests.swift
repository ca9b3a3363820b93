import Foundation
import GeoIO
import RasterCore
import Testing
import TestSupport

/// Disclosure control over every export (DESIGN.md, "Sensitive data"): the demo's outputs are
/// scanned for the coordinates of every input event — crimes and StreetSafe reports, as the CSVs
/// write them and projected to British National Grid metres — and hotspot counts below the
/// threshold must be suppressed.
@Suite struct LeakScanTests {
    let scratch = Scratch()

    struct Event { let lon: String; let lat: String; let easting: Int; let northing: Int; let source: String }

    /// Every event with coordinates in crimes.csv and streetsafe.csv (all rows, not only those
    /// the spec's filter keeps: the scan is stricter than the model).
    static func events() throws -> [Event] {
        var raw: [(String, String, String)] = []
        for (name, lonColumn, latColumn) in [("crimes.csv", "Longitude", "Latitude"), ("streetsafe.csv", "longitude", "latitude")] {
            let lines = try String(contentsOfFile: dataFile(name), encoding: .utf8).split(separator: "\n").map(String.init)
            let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let x = try #require(header.firstIndex(of: lonColumn)), y = try #require(header.firstIndex(of: latColumn))
            for (i, line) in lines.dropFirst().enumerated() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard cells.count > max(x, y), !cells[x].isEmpty, !cells[y].isEmpty else { continue }
                raw.append((cells[x], cells[y], "\(name) line \(i + 2)"))
            }
        }
        var points = raw.map { Point2(x: Double($0.0)!, y: Double($0.1)!) }
        let failed = try CoordinateTransformer(from: try CRS.wgs84, to: CRS("EPSG:27700")).transform(&points)
        #expect(failed == 0)
        return zip(raw, points).map { r, p in Event(lon: r.0, lat: r.1, easting: Int(p.x.rounded()), northing: Int(p.y.rounded()), source: r.2) }
    }

    /// Numeric tokens of a text (or of the ASCII runs in a binary file) and where they are.
    struct Tokens {
        var exact: [String: [Int]] = [:]
        var metres: [Int: [Int]] = [:]

        init(_ bytes: [UInt8]) {
            var i = 0
            func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
            while i < bytes.count {
                let c = bytes[i]
                let startsNumber = isDigit(c) || (c == UInt8(ascii: "-") && i + 1 < bytes.count && isDigit(bytes[i + 1]))
                // a token starts at a boundary: not in the middle of a longer number or a word
                if startsNumber, i == 0 || !(isDigit(bytes[i - 1]) || bytes[i - 1] == UInt8(ascii: ".")) {
                    var j = i + 1
                    while j < bytes.count, isDigit(bytes[j]) || (bytes[j] == UInt8(ascii: ".") && j + 1 < bytes.count && isDigit(bytes[j + 1])) { j += 1 }
                    let token = String(decoding: bytes[i..<j], as: UTF8.self)
                    exact[token, default: []].append(i)
                    if let v = Double(token), abs(v) >= 100_000, abs(v) < 1_000_000 { metres[Int(v.rounded()), default: []].append(i) }
                    i = j
                } else {
                    i += 1
                }
            }
        }

        static func near(_ a: [Int]?, _ b: [Int]?, within: Int = 120) -> Bool {
            guard let a, let b else { return false }
            return a.contains { p in b.contains { abs($0 - p) <= within } }
        }

        /// The first event whose two coordinates sit side by side here, as written or in metres.
        func leak(of events: [Event]) -> Event? {
            events.first { e in Self.near(exact[e.lon], exact[e.lat]) || Self.near(metres[e.easting], metres[e.northing]) }
        }
    }

    /// What a GIS reads from a vector output: every attribute value and vertex, as text.
    static func vectorText(_ path: String) throws -> (text: String, vertices: [Point2], crs: CRS?) {
        guard case .vector(_, _, let layers) = try Inspector.describe(path) else { return ("", [], nil) }
        var text = "", vertices: [Point2] = [], crs: CRS?
        for layer in layers {
            var q = VectorQuery(layer: layer.name, fields: layer.fields.map(\.name))
            q.optionalFields = []
            let set = try VectorReader.read(path, query: q)
            crs = set.crs
            for (name, values) in set.attributes { text += name + ": " + values.map { $0 ?? "" }.joined(separator: " | ") + "\n" }
            vertices += set.geometries.flatMap(\.vertices)
        }
        return (text, vertices, crs)
    }

    @Test func noExportOfTheDemoHoldsAnEventCoordinate() throws {
        let out = scratch.path("rtm-leak-scan")
        let r = try RTMBinary.run(["demo", "--data", packageRoot.appendingPathComponent("data").path, "--out", out])
        try #require(r.status == 0, "\(r.stderr)")
        let events = try Self.events()
        #expect(events.count > 4000)
        let toBNG = try CoordinateTransformer(from: try CRS.wgs84, to: CRS("EPSG:27700"))
        var scanned: [String] = []
        for name in try FileManager.default.subpathsOfDirectory(atPath: out).sorted() {
            let path = out + "/" + name
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            scanned.append(name)
            // every file as bytes: text outputs, and the ASCII inside binaries (TIFF tags and
            // metadata, GeoPackage text columns, PNG chunks)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            if let e = Tokens(bytes).leak(of: events) { Issue.record("\(name) holds the coordinates of \(e.source) (\(e.lon), \(e.lat))") }
            // vector outputs as a GIS reads them: numbers stored as binary, and the geometry,
            // which must be cell outlines on the 25 m grid and nothing finer
            let ext = (name as NSString).pathExtension.lowercased()
            guard ["gpkg", "geojson", "fgb", "shp", "kml"].contains(ext) else { continue }
            let (text, vertices, crs) = try Self.vectorText(path)
            if let e = Tokens(Array(text.utf8)).leak(of: events) { Issue.record("\(name)'s attributes hold the coordinates of \(e.source)") }
            var bng = vertices
            if crs?.isGeographic == true { _ = toBNG.transform(&bng) }
            if name.hasPrefix("patrols/routes/") {
                // a route's waypoints are public places (premises, stops, parks, streets) or a
                // hotspot's centre, not cell corners: none may sit on an event (to the metre)
                let at = Set(events.map { [$0.easting, $0.northing] })
                let onEvent = bng.filter { at.contains([Int($0.x.rounded()), Int($0.y.rounded())]) }
                #expect(onEvent.isEmpty, "\(name): \(onEvent.count) waypoints sit on an event, e.g. \(onEvent.prefix(3))")
                continue
            }
            let offLattice = bng.filter { p in
                let dx = (p.x - 529_800) / 25, dy = (p.y - 193_500) / 25
                return abs(dx - dx.rounded()) > 1e-3 || abs(dy - dy.rounded()) > 1e-3
            }
            #expect(offLattice.isEmpty, "\(name): \(offLattice.count) vertices are not cell corners, e.g. \(offLattice.prefix(3))")
        }
        #expect(scanned.contains("model/hotspots.gpkg") && scanned.contains("model/report.html") && scanned.contains("model/evaluation.json") && scanned.contains("model/gistar.tif"),
                "\(scanned)")

        // the scan finds a planted leak: one event's coordinates, as a GeoJSON point would hold them
        let planted = events[events.count / 2]
        #expect(Tokens(Array("{\"coordinates\": [\(planted.lon), \(planted.lat)]}".utf8)).leak(of: events) != nil)
        #expect(Tokens(Array("x=\(planted.easting).4 y=\(planted.northing).1".utf8)).leak(of: events) != nil)
        #expect(Tokens(Array("[\(planted.lon)1, \(planted.lat)9]".utf8)).leak(of: events) == nil)   // longer numbers are other numbers

        // small counts are suppressed in every table of hotspots
        let table = try String(contentsOfFile: out + "/model/hotspots.csv", encoding: .utf8)
        try Self.expectSuppressed(table, below: 5)
    }

    /// Each `events` and `streetsafe_reports` value of hotspots.csv is "<threshold", 0, or at least the threshold.
    static func expectSuppressed(_ csv: String, below threshold: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let rows = csv.split(separator: "\n").map { row -> [String] in
            // split on commas outside quotes
            var cells: [String] = [], cell = "", quoted = false
            for ch in row {
                if ch == "\"" { quoted.toggle() } else if ch == ",", !quoted { cells.append(cell); cell = "" } else { cell.append(ch) }
            }
            return cells + [cell]
        }
        let header = rows[0]
        let columns = ["events", "streetsafe_reports"].compactMap { header.firstIndex(of: $0) }
        #expect(columns.count == 2, sourceLocation: sourceLocation)
        var suppressed = 0
        for row in rows.dropFirst() {
            for c in columns {
                if row[c] == "<\(threshold)" { suppressed += 1; continue }
                let n = try #require(Int(row[c]), "\(header[c]) '\(row[c])'", sourceLocation: sourceLocation)
                #expect(n == 0 || n >= threshold, "\(header[c]) \(n) is below \(threshold) and shown", sourceLocation: sourceLocation)
            }
        }
        #expect(rows.count > 1, sourceLocation: sourceLocation)
    }

    @Test func theDisclosureThresholdIsTheSpecs() throws {
        let dir = scratch.path("rtm-threshold")
        try FileManager.default.copyItem(atPath: packageRoot.appendingPathComponent("data").path, toPath: dir)
        let spec = try String(contentsOfFile: dir + "/spec.yaml", encoding: .utf8)
            .replacingOccurrences(of: "  min_cells: 4", with: "  min_cells: 4\n  disclosure_threshold: 100")
        try spec.write(toFile: dir + "/spec.yaml", atomically: true, encoding: .utf8)
        let r = try RTMBinary.run(["run", dir + "/spec.yaml", "--out", dir + "/out", "--quiet"])
        try #require(r.status == 0, "\(r.stderr)")
        let table = try String(contentsOfFile: dir + "/out/hotspots.csv", encoding: .utf8)
        try Self.expectSuppressed(table, below: 100)
        #expect(table.contains(",<100,"), "nothing was suppressed at 100: \(table)")
        let report = try String(contentsOfFile: dir + "/out/report.html", encoding: .utf8)
        #expect(report.contains("Counts below 100 are shown as &lt;100"))
    }
}
