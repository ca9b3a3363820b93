import Foundation
import Testing
import GeoIO
import RasterCore
import TestSupport
@testable import RiskTerrain

/// The committed extract of real data: data.police.uk's City of London files as downloaded (a
/// folder per month), with one month of the Metropolitan Police beside them (data/city-of-london).
let cityFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data/city-of-london").path
let citySpec = cityFolder + "/spec.yaml"

/// Point inputs read as users download them: a folder, a glob, a list; forces combined; repeated
/// Crime IDs; the months the data holds; crime types; and each way it can go wrong.
@Suite struct PointInputsTests {
    let scratch = Scratch()

    /// The extract's layers (not its police folder or spec) copied into `dir`.
    func copyCityLayers(to dir: String) throws {
        for f in try FileManager.default.contentsOfDirectory(atPath: cityFolder) where !["police", "spec.yaml"].contains(f) {
            try FileManager.default.copyItem(atPath: cityFolder + "/" + f, toPath: dir + "/" + f)
        }
    }

    func cityWith(_ edit: (String) -> String) throws -> ModelSpec {
        try SpecParser.parse(edit(try String(contentsOfFile: citySpec, encoding: .utf8)), path: citySpec)
    }

    @Test func readsTheDownloadFolderRecursively() throws {
        let spec = try SpecParser.load(citySpec)
        // 45 City months and one Met month, each in its own folder
        #expect(spec.outcome.files.count == 46)
        #expect(spec.outcome.files.allSatisfy { $0.hasSuffix("-street.csv") })
        let inputs = try StudyInputs.load(spec)
        let read = inputs.outcomeRead
        #expect(read.files.count == 46)
        #expect(read.files.reduce(0) { $0 + $1.rows } == inputs.outcome.report.featuresInLayer)
        #expect(read.monthsInData == PointInput.MonthSpan(first: "2018-01", last: "2024-01",
                                                          missing: (0..<27).map { EvaluationStage.monthText(2021 * 12 + 9 + $0) }, count: 46))
        #expect(read.monthsRead?.first == "2018-01" && read.monthsRead?.last == "2019-12" && read.monthsRead?.missing == [])
        // the published files list 27 crimes twice: each counts once
        #expect(read.duplicateIDs == 27)
        #expect(inputs.outcome.report.skipped[PointInput.duplicateReason] == 27)
        // every row is accounted for: kept, or skipped for a reason
        let r = inputs.outcome.report
        #expect(r.kept + r.skippedTotal == r.featuresInLayer)
        #expect(inputs.outcome.count == r.kept)
        let text = try ValidationText.render(inputs)
        #expect(text.contains("months in the data: 2018-01–2024-01 (46 months; none in 2021-10–2023-12)"))
        #expect(text.contains("2018-01-city-of-london-street.csv: 107 rows, 88 kept"))
        #expect(text.contains("27 repeated Crime IDs counted once"))
    }

    @Test func aGlobAListAndTheFolderReadTheSameEvents() throws {
        let folder = try StudyInputs.load(SpecParser.load(citySpec)).outcome
        let glob = try StudyInputs.load(cityWith { $0.replacingOccurrences(of: "  path: police ", with: "  path: police/*/*-street.csv ") }).outcome
        let list = try StudyInputs.load(cityWith {
            $0.replacingOccurrences(of: "  path: police ", with: "  path: [police/2018-*/*.csv, police/2019-*, police/2018-01/2018-01-city-of-london-street.csv] ")
        }).outcome
        #expect(glob.count == folder.count && list.count == folder.count)
        #expect(glob.geometries.map(\.vertices) == folder.geometries.map(\.vertices))
        #expect(Set(list.geometries.map { $0.vertices[0].x }) == Set(folder.geometries.map { $0.vertices[0].x }))
    }

    @Test func twoForcesCombine() throws {
        // no filters: every row of both forces that has coordinates
        let spec = try cityWith {
            $0.replacingOccurrences(of: "  crime_types: [Violence and sexual offences]\n", with: "")
              .replacingOccurrences(of: "  time: { field: Month, from: 2018-01, to: 2019-12 }\n", with: "")
        }
        let read = try StudyInputs.load(spec).outcomeRead
        let met = read.files.first { $0.path.contains("metropolitan") }!
        #expect(met.rows == 142 && met.kept == 142)
        #expect(read.features.count == read.files.reduce(0) { $0 + $1.kept } - read.duplicateIDs)
    }

    /// The issue's case: the sample's crimes split into a file per month at a folder's top level,
    /// beside a README — every month is read (not only the first file), the README is listed.
    @Test func aFolderOfMonthlyFilesReadsEveryFile() throws {
        let sample = (sampleSpec as NSString).deletingLastPathComponent
        let dir = try scratch.folder("rtm-months")
        for f in try FileManager.default.contentsOfDirectory(atPath: sample) where f != "crimes.csv" {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + f, withDestinationPath: sample + "/" + f)
        }
        let lines = try String(contentsOfFile: sample + "/crimes.csv", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines[0], rows = lines.dropFirst().filter { !$0.isEmpty }
        let monthColumn = header.split(separator: ",").firstIndex { $0.lowercased() == "month" }!
        let byMonth = Dictionary(grouping: rows) { String($0.split(separator: ",", omittingEmptySubsequences: false)[monthColumn]) }
        try FileManager.default.createDirectory(atPath: dir + "/crimes", withIntermediateDirectories: true)
        for (month, rs) in byMonth {
            try ([header] + rs).joined(separator: "\n").appending("\n").write(toFile: "\(dir)/crimes/\(month)-sample-street.csv", atomically: true, encoding: .utf8)
        }
        try "how these files were made\n".write(toFile: dir + "/crimes/README.txt", atomically: true, encoding: .utf8)
        let yaml = try String(contentsOfFile: sampleSpec, encoding: .utf8).replacingOccurrences(of: "path: crimes.csv", with: "path: crimes")
        let spec = try SpecParser.parse(yaml, path: dir + "/spec.yaml")
        #expect(spec.outcome.files.count == byMonth.count && byMonth.count == 12)
        #expect(spec.outcome.skippedFiles == [.init(path: dir + "/crimes/README.txt", reason: "not a CSV")])
        let inputs = try StudyInputs.load(spec)
        #expect(inputs.outcome.count == 3096)
        #expect(inputs.warnings.contains { $0.contains("1 file in") && $0.contains("not a CSV (README.txt)") })
    }

    @Test func aMonthDownloadedTwiceCountsOnce() throws {
        let dir = try scratch.folder("rtm-twice")
        try FileManager.default.copyItem(atPath: cityFolder + "/police", toPath: dir + "/police")
        try FileManager.default.copyItem(atPath: dir + "/police/2019-03", toPath: dir + "/police/2019-03 (copy)")
        try copyCityLayers(to: dir)
        let spec = try SpecParser.parse(try String(contentsOfFile: citySpec, encoding: .utf8), path: dir + "/spec.yaml")
        let once = try StudyInputs.load(SpecParser.load(citySpec)).outcomeRead
        let twice = try StudyInputs.load(spec).outcomeRead
        #expect(twice.files.count == 47)
        #expect(twice.features.count == once.features.count)
        // every violent crime of March 2019 has an ID: all 125 kept rows of the copy repeat one
        #expect(twice.duplicateIDs == once.duplicateIDs + 125)
        #expect(twice.monthsRead == once.monthsRead)
    }

    /// A month whose every row has no location (data.police.uk's "No location") is counted,
    /// and the other months are read.
    @Test func aMonthWithoutLocationsIsCountedNotFatal() throws {
        let dir = try scratch.folder("rtm-nolocation")
        try FileManager.default.copyItem(atPath: cityFolder + "/police", toPath: dir + "/police")
        try copyCityLayers(to: dir)
        let march = dir + "/police/2019-03/2019-03-city-of-london-street.csv"
        // data.police.uk ends its lines with CR LF, one Character in Swift: split on newlines
        let lines = try String(contentsOfFile: march, encoding: .utf8).split(whereSeparator: \.isNewline)
        let blanked = lines.dropFirst().map { line -> String in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[4] = ""; fields[5] = ""; fields[6] = "No location"
            return fields.joined(separator: ",")
        }
        try ([String(lines[0])] + blanked).joined(separator: "\n").appending("\n").write(toFile: march, atomically: true, encoding: .utf8)
        let spec = try SpecParser.parse(try String(contentsOfFile: citySpec, encoding: .utf8), path: dir + "/spec.yaml")
        let read = try StudyInputs.load(spec).outcomeRead
        let once = try StudyInputs.load(SpecParser.load(citySpec)).outcomeRead
        #expect(read.files.first { $0.path.hasSuffix("2019-03-city-of-london-street.csv") }?.kept == 0)
        #expect(read.features.count == once.features.count - 125)
        #expect((read.features.report.skipped["blank coordinates"] ?? 0) > (once.features.report.skipped["blank coordinates"] ?? 0))
    }

    // MARK: Errors, each one line naming the key and the fix

    @Test func aCrimeTypeNotInTheDataIsNamedWithDidYouMean() throws {
        let spec = try cityWith { $0.replacingOccurrences(of: "[Violence and sexual offences]", with: "[violence and sexual offence]") }
        let e = #expect(throws: SpecError.self) { try StudyInputs.load(spec) }
        let text = e?.description ?? ""
        #expect(text.contains("outcome.crime_types") && text.contains("did you mean 'Violence and sexual offences'?"))
        #expect(text.contains("Robbery (") && !text.contains("\n"))
        // one file as the outcome: the same did-you-mean, not "no features pass the filter"
        let one = try cityWith {
            $0.replacingOccurrences(of: "  path: police ", with: "  path: police/2019-03/2019-03-city-of-london-street.csv ")
              .replacingOccurrences(of: "[Violence and sexual offences]", with: "[Violence & sexual offences]")
              .replacingOccurrences(of: "from: 2018-01, to: 2019-12", with: "from: 2019-03, to: 2019-03").components(separatedBy: "evaluation:")[0]
        }
        let single = #expect(throws: SpecError.self) { try StudyInputs.load(one) }
        #expect(single?.description.contains("did you mean 'Violence and sexual offences'?") == true)
        // any case is the same type
        let upper = try cityWith { $0.replacingOccurrences(of: "[Violence and sexual offences]", with: "[VIOLENCE AND SEXUAL OFFENCES, robbery]") }
        #expect(try StudyInputs.load(upper).outcome.count > (try StudyInputs.load(SpecParser.load(citySpec)).outcome.count))
    }

    @Test func aTimeFilterBeyondTheDataNamesTheAbsentMonths() throws {
        let before = try cityWith { $0.replacingOccurrences(of: "from: 2018-01, to: 2019-12", with: "from: 2017-11, to: 2019-12") }
        let e1 = #expect(throws: SpecError.self) { try StudyInputs.load(before) }
        #expect(e1?.key == "outcome.time.from")
        #expect(e1?.description.contains("2017-11–2017-12 are absent — set from: 2018-01") == true)
        let after = try cityWith { $0.replacingOccurrences(of: "from: 2018-01, to: 2019-12", with: "from: 2024-01, to: 2024-03") }
        let e2 = #expect(throws: SpecError.self) { try StudyInputs.load(after) }
        #expect(e2?.key == "outcome.time.to")
        #expect(e2?.description.contains("2024-02–2024-03 are absent — set to: 2024-01") == true)
    }

    @Test func anEvaluationWindowOutsideTheDataIsRefused() throws {
        let spec = try cityWith { $0.replacingOccurrences(of: "test: { from: 2019-07, to: 2019-12 }", with: "test: { from: 2019-07, to: 2024-03 }") }
        let e = #expect(throws: SpecError.self) { try StudyInputs.load(spec) }
        #expect(e?.key == "evaluation.test")
        #expect(e?.description.contains("ends after the data's last month") == true)
        let gap = try cityWith { $0.replacingOccurrences(of: "test: { from: 2019-07, to: 2019-12 }", with: "test: { from: 2022-01, to: 2022-03 }") }
        let e2 = #expect(throws: SpecError.self) { try StudyInputs.load(gap) }
        #expect(e2?.description.contains("falls in months the data does not hold") == true)
        // beyond the outcome's time filter but inside the data: rtm evaluate reads those months
        let later = try cityWith { $0.replacingOccurrences(of: "test: { from: 2019-07, to: 2019-12 }", with: "test: { from: 2019-07, to: 2020-03 }") }
        _ = try StudyInputs.load(later)
    }

    @Test func datesAreCheckedOnTheCalendar() throws {
        for (bad, why) in [("2024-13", "month 13 is not 01–12"), ("2024-02-30", "day 30 is not 01–29"), ("2023-02-29", "day 29 is not 01–28"),
                           ("2024-01-31T24:00", "hour 24 is not 00–23"), ("2024-00", "month 0 is not 01–12")] {
            let e = #expect(throws: SpecError.self) { try cityWith { $0.replacingOccurrences(of: "to: 2019-12 }", with: "to: \(bad) }") } }
            #expect(e?.description.contains(why) == true, "\(bad)")
            #expect(e?.key == "outcome.time.to")
        }
        _ = try cityWith { $0.replacingOccurrences(of: "to: 2019-12 }", with: "to: 2019-12-31T23:59 }") }
    }

    @Test func anUnknownCRSGetsADidYouMean() throws {
        for (written, meant) in [("BNG", "EPSG:27700 (British National Grid)"), ("British National Grid", "EPSG:27700"),
                                 ("ESPG:27700", "EPSG:27700"), ("27700", "EPSG:27700"), ("web mercator", "EPSG:3857")] {
            let spec = try cityWith { $0.replacingOccurrences(of: "crs: EPSG:27700 ", with: "crs: \(written) ") }
            let e = #expect(throws: SpecError.self) { try StudyInputs.load(spec) }
            #expect(e?.key == "crs")
            #expect(e?.description.contains("did you mean \(meant)") == true, "\(written): \(e?.description ?? "")")
        }
    }

    @Test func aGlobThatMatchesNothingAndAnEmptyFolderAreNamed() throws {
        let e1 = #expect(throws: SpecError.self) { try cityWith { $0.replacingOccurrences(of: "  path: police ", with: "  path: police/*/*-durham-street.csv ") } }
        #expect(e1?.key == "outcome.path" && e1?.description.contains("matches no file") == true)
        let empty = try scratch.folder("rtm-empty")
        try "x".write(toFile: empty + "/notes.txt", atomically: true, encoding: .utf8)
        let e2 = #expect(throws: SpecError.self) { try cityWith { $0.replacingOccurrences(of: "  path: police ", with: "  path: \(empty) ") } }
        #expect(e2?.description.contains("holds no CSV file (1 other file)") == true)
        let e3 = #expect(throws: SpecError.self) { try cityWith { $0.replacingOccurrences(of: "  path: police ", with: "  path: [] ") } }
        #expect(e3?.description.contains("the list is empty") == true)
    }

    // MARK: Context layers

    @Test func contextLayersAreReadAndDrawnOnTheMaps() throws {
        let inputs = try StudyInputs.load(SpecParser.load(citySpec))
        #expect(inputs.context.map(\.name) == ["wards", "water"])
        // the wards and water that reach the study area, in British National Grid
        #expect(inputs.context.allSatisfy { !$0.lines.isEmpty })
        #expect(inputs.context.allSatisfy { $0.lines.contains { Geometry.multiPoint($0).extent!.intersects(inputs.studyExtent) } })
        // a line across the map is drawn in grey; nothing else changes
        let g = try GridGeometry(originX: 0, originY: 100, cellSize: 1, width: 100, height: 100)
        let white: QuickLookMap.RGB = (255, 255, 255)
        let plain = QuickLookMap.draw(g, hotspots: [], colour: { _, _ in white }, legend: { _, _, _ in })
        let drawn = QuickLookMap.draw(g, hotspots: [], context: [[Point2(0, 50.5), Point2(99.9, 50.5)]], colour: { _, _ in white }, legend: { _, _, _ in })
        let changed = (0..<(plain.rgba.count / 4)).filter { plain.rgba[$0 * 4] != drawn.rgba[$0 * 4] }
        #expect(!changed.isEmpty && changed.allSatisfy { drawn.rgba[$0 * 4] == 120 })
        #expect(Set(changed.map { $0 / drawn.width }).count == 1)      // one row of pixels
    }

    @Test func aContextLayerMustBeVector() throws {
        let e = #expect(throws: SpecError.self) { try cityWith { $0 + "  - { name: lux, path: lux.tif }\n" } }
        #expect(e?.key == "context[3].path" && e?.description.contains("is a raster") == true)
    }

    // MARK: Areas

    @Test func eachHotspotNamesTheAreasItLiesIn() throws {
        // a 10 × 10 grid of 1 m cells, split at x = 3 into two polygons; a hotspot of 10 cells,
        // 3 of them west of the line: 30 % west, 70 % east; a cell outside both is left out
        let g = try GridGeometry(originX: 0, originY: 10, cellSize: 1, width: 10, height: 10)
        func square(_ x0: Double, _ x1: Double) -> (String, Polygon, Extent) {
            let p = Polygon(exterior: [Point2(x0, 0), Point2(x1, 0), Point2(x1, 9), Point2(x0, 9), Point2(x0, 0)])
            return (x0 == 0 ? "West" : "East", p, Extent(minX: x0, minY: 0, maxX: x1, maxY: 9))
        }
        let layer = AreaLayer(level: "ward", polygons: [square(0, 3), square(3, 10)])
        let cells = (0..<10).map { g.index(row: 5, col: $0) } + [g.index(row: 0, col: 5)]    // row 0 lies above y = 9
        let a = HotspotAreas.areas(of: cells, grid: g, layers: [layer])
        #expect(a.count == 1 && a[0].level == "ward")
        #expect(a[0].names.map(\.name) == ["East", "West"])
        #expect(abs(a[0].names[0].share - 7.0 / 11) < 1e-12 && abs(a[0].names[1].share - 3.0 / 11) < 1e-12)
        #expect(a[0].text == "East 64%, West 27%")
        // the City's hotspots, each in one of its LSOAs and in the City's ward
        let out = try scratch.folder("rtm-areas")
        let r = try Pipeline.run(SpecParser.load(citySpec), options: .init(outFolder: out))
        #expect(!r.hotspots.isEmpty)
        for h in r.hotspots {
            #expect(h.areas.map(\.level) == ["lsoa", "ward"])
            #expect(h.areas[0].names.first?.name.hasPrefix("City of London 001") == true)
            #expect(h.areas[1].text == "City of London")
        }
        let report = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(report.contains("<h3>Hotspots by lsoa</h3>") && report.contains("<th>ward</th>"))
        // a column per level in every hotspot layer
        let csv = try String(contentsOfFile: out + "/hotspots.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv[0].hasSuffix(",lsoa,ward") && csv[1].hasSuffix(",\(r.hotspots[0].areas[0].text),City of London"))
        let gpkg = try VectorReader.read(out + "/hotspots.gpkg", query: VectorQuery(fields: ["lsoa", "ward"]))
        #expect(gpkg.attributes["ward"]! == Array(repeating: "City of London", count: r.hotspots.count))
    }

    @Test func areaErrorsNameTheKey() throws {
        let noName = try? cityWith { $0.replacingOccurrences(of: "{ name: lsoa, path", with: "{ path") }
        #expect(noName == nil)
        let e = #expect(throws: SpecError.self) { try cityWith { $0.replacingOccurrences(of: "{ name: lsoa, path", with: "{ path") } }
        #expect(e?.key == "areas[1].name")
        let badField = try cityWith { $0.replacingOccurrences(of: "field: LSOA11NM", with: "field: LSOA_NAME") }
        let f = #expect(throws: SpecError.self) { try StudyInputs.load(badField) }
        #expect(f?.key == "areas[1].field" && f?.description.contains("LSOA11NM") == true)
        let points = try cityWith { $0.replacingOccurrences(of: "path: lsoas.geojson, crs: EPSG:27700, field: LSOA11NM", with: "path: transport.gpkg, field: name") }
        let p = #expect(throws: SpecError.self) { try StudyInputs.load(points) }
        #expect(p?.description.contains("holds no polygons") == true)
    }

    // MARK: OpenStreetMap

    @Test func anOSMFactorIsSelectedByTags() throws {
        let osm = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GeoIOTests/Fixtures/pubs.osm").path
        let yaml = try String(contentsOfFile: sampleSpec, encoding: .utf8).replacingOccurrences(of: "factors:\n", with: """
            factors:
              - name: osm_pubs
                path: \(osm)
                tags: { amenity: [pub, bar, nightclub] }
                influence: proximity

            """)
        let spec = try SpecParser.parse(yaml, path: sampleSpec)
        #expect(spec.factors[0].source.tags == ["amenity": ["pub", "bar", "nightclub"]])
        let inputs = try StudyInputs.load(spec)
        #expect(inputs.factors[0].features?.count == 4)
        #expect(Set(inputs.factors[0].features!.geometries.map(\.kind)) == [.point, .line, .polygon])
        let wrong = yaml.replacingOccurrences(of: "path: \(osm)", with: "path: licensed_premises.gpkg")
        let e = #expect(throws: SpecError.self) { try SpecParser.parse(wrong, path: sampleSpec) }
        #expect(e?.key == "factors[1].tags" && e?.description.contains("use where: for other layers") == true)
    }

    // MARK: GDAL virtual paths

    @Test func pathsThatFetchAreRefusedUnlessAllowed() throws {
        for url in ["/vsicurl/https://data.police.uk/x.csv", "https://data.police.uk/x.csv", "/vsis3/bucket/x.csv",
                    "/vsizip//vsicurl/https://example.org/a.zip/x.csv"] {
            let e = #expect(throws: SpecError.self) { try cityWith { $0.replacingOccurrences(of: "  path: police ", with: "  path: \"\(url)\" ") } }
            #expect(e?.description.contains("allow_virtual_paths: true") == true, "\(url)")
            #expect(e?.key == "outcome.path")
        }
        // allowed, the parser takes it as written (nothing is fetched here)
        let allowed = try cityWith { "allow_virtual_paths: true\n" + $0.replacingOccurrences(of: "  path: police ", with: "  path: \"/vsicurl/https://data.police.uk/x.csv\" ") }
        #expect(allowed.allowVirtualPaths && allowed.outcome.files == ["/vsicurl/https://data.police.uk/x.csv"])
    }

    @Test func anArchiveIsReadLocallyAndFingerprinted() throws {
        let dir = try scratch.folder("rtm-zip")
        try copyCityLayers(to: dir)
        try ZipFixture.write(dir + "/police.zip", entries: [
            ("2019-03-city-of-london-street.csv", try Data(contentsOf: URL(fileURLWithPath: cityFolder + "/police/2019-03/2019-03-city-of-london-street.csv"))),
        ])
        let yaml = try String(contentsOfFile: citySpec, encoding: .utf8)
            .replacingOccurrences(of: "  path: police ", with: "  path: /vsizip/police.zip/2019-03-city-of-london-street.csv ")
            .replacingOccurrences(of: "from: 2018-01, to: 2019-12", with: "from: 2019-03, to: 2019-03")
            .components(separatedBy: "evaluation:")[0]
        let spec = try SpecParser.parse(yaml, path: dir + "/spec.yaml")
        #expect(spec.outcome.path == "/vsizip/\(dir)/police.zip/2019-03-city-of-london-street.csv")
        let inputs = try StudyInputs.load(spec)
        #expect(inputs.outcome.count == 125)
        let files = try InputFiles(spec, previousManifestIn: dir)
        #expect(files.hashes.contains { $0.path == dir + "/police.zip" })
    }
}

/// A stored (uncompressed) zip archive, written by hand: the tests need one and Foundation on
/// Linux has no zip writer. PKWARE APPNOTE 6.3.9, sections 4.3.7 (local header), 4.3.12 (central
/// directory) and 4.3.16 (end record); CRC-32 as in ISO 3309.
enum ZipFixture {
    static func write(_ path: String, entries: [(String, Data)]) throws {
        var out = Data(), central = Data()
        func u16(_ v: Int, _ d: inout Data) { d.append(contentsOf: [UInt8(v & 0xff), UInt8(v >> 8 & 0xff)]) }
        func u32(_ v: UInt32, _ d: inout Data) { for s in [0, 8, 16, 24] { d.append(UInt8(v >> UInt32(s) & 0xff)) } }
        for (name, data) in entries {
            let offset = UInt32(out.count), crc = crc32(data), n = Array(name.utf8)
            u32(0x04034b50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0x21, &out)
            u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out); u16(n.count, &out); u16(0, &out)
            out.append(contentsOf: n); out.append(data)
            u32(0x02014b50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central); u16(0, &central)
            u16(0x21, &central); u32(crc, &central); u32(UInt32(data.count), &central); u32(UInt32(data.count), &central)
            u16(n.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central); u32(0, &central)
            u32(offset, &central); central.append(contentsOf: n)
        }
        let start = UInt32(out.count)
        out.append(central)
        u32(0x06054b50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt32(central.count), &out); u32(start, &out); u16(0, &out)
        try out.write(to: URL(fileURLWithPath: path))
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for b in data {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
