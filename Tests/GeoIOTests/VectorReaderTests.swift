import Testing
@testable import GeoIO
import RasterCore
import TestSupport

@Suite struct VectorReaderTests {
    let scratch = Scratch()

    @Test func policeCSVNeedsNoConfiguration() throws {
        let set = try VectorReader.read(fixture("police_street.csv"), query: VectorQuery(fields: ["Month", "Crime type"]))
        #expect(set.count == 10)
        #expect(set.crs.authorityCode == "EPSG:4326")
        #expect(set.report.featuresInLayer == 12)
        #expect(set.report.skipped == ["blank coordinates": 2])
        #expect(set.report.skippedExamples["blank coordinates"] == ["line 5", "line 12"])
        #expect(set.report.notes.contains("recognised as a data.police.uk street-level crime CSV"))
        #expect(Set(set.attributes["Month"]!.compactMap { $0 }) == ["2024-01", "2024-02", "2024-03"])
        let types = Set(set.attributes["Crime type"]!.compactMap { $0 })
        #expect(types == ["Violence and sexual offences", "Anti-social behaviour", "Robbery", "Public order"])
        #expect(set.report.summary.contains("skipped 2 with blank coordinates (line 5, line 12)"))
    }

    @Test func whereFilterAcceptsSnakeCaseColumnNames() throws {
        let q = VectorQuery(whereClause: "crime_type = 'Violence and sexual offences'", fields: ["crime_type"])
        let set = try VectorReader.read(fixture("police_street.csv"), query: q)
        #expect(set.report.passedWhere == 8)
        #expect(set.count == 6)                  // 8 pass the filter, 2 of them have no location
        #expect(set.attributes["crime_type"]!.allSatisfy { $0 == "Violence and sexual offences" })
    }

    @Test func timeFilterOnMonth() throws {
        let q = VectorQuery(time: TimeFilter(field: "month", from: "2024-02", to: "2024-03"), fields: ["Month"])
        let set = try VectorReader.read(fixture("police_street.csv"), query: q)
        #expect(set.count == 7)
        #expect(set.report.skipped["a time outside 2024-02–2024-03"] == 4)
        #expect(!set.attributes["Month"]!.contains("2024-01"))
    }

    /// A field asked for as required and again as optional is carried once, one value per feature.
    @Test func aFieldAskedForTwiceIsCarriedOnce() throws {
        var q = VectorQuery(fields: ["Month", "month"])
        q.optionalFields = ["Month", "name"]
        let set = try VectorReader.read(fixture("police_street.csv"), query: q)
        #expect(set.attributes["Month"]?.count == set.count)
        #expect(set.attributes["month"]?.count == set.count)      // another spelling is its own key, still one value each
    }

    @Test func reprojectsIntoTheAnalysisCRS() throws {
        let set = try VectorReader.read(fixture("police_street.csv"), into: CRS("EPSG:27700"))
        #expect(set.crs.authorityCode == "EPSG:27700")
        let e = try #require(set.extent)
        #expect(e.minX > 529_000 && e.maxX < 536_000 && e.minY > 189_000 && e.maxY < 194_000)
    }

    @Test(arguments: ["features.geojson", "features.shp", "features.fgb", "features.kml", "features.gpkg"])
    func readsEveryVectorFormat(_ name: String) throws {
        let set = try VectorReader.read(fixture(name), query: VectorQuery(fields: ["name"]), into: CRS("EPSG:27700"))
        #expect(set.count == 3)
        #expect(Set(set.attributes["name"]!.compactMap { $0 }) == ["Wood Green", "Bruce Grove", "Silver Street"])
        // Wood Green station is at about E 530,990 N 190,450 whichever file it came from
        // (FlatGeobuf's spatial index may reorder features, so find it by name)
        let i = try #require(set.attributes["name"]!.firstIndex(of: "Wood Green"))
        guard case .point(let p) = set.geometries[i] else { Issue.record("not a point"); return }
        #expect(abs(p.x - 530_990) < 150 && abs(p.y - 190_450) < 150, "\(p)")
    }

    @Test func csvWithoutCoordinateColumnsSaysWhatToDo() {
        let error = #expect(throws: GeoDataError.self) { try VectorReader.read(fixture("no_coordinates.csv")) }
        #expect(error?.description.contains("x: and y:") == true)
        #expect(error?.description.contains("no_coordinates.csv") == true)
    }

    @Test func outOfRangeLatitudeIsNamedWithItsLine() {
        let range = #expect(throws: GeoDataError.self) { try VectorReader.read(fixture("out_of_range.csv")) }
        #expect(range?.description.contains("line 3: latitude 151.2 is outside -90..90") == true)
        #expect(range?.description.contains("swapped") == true)
    }

    @Test func eastingNorthingCSVNeedsADeclaredCRS() throws {
        let error = #expect(throws: GeoDataError.self) { try VectorReader.read(fixture("bng_points.csv")) }
        #expect(error?.description.contains("crs:") == true)
        let set = try VectorReader.read(fixture("bng_points.csv"), query: VectorQuery(declaredCRS: CRS("EPSG:27700")))
        #expect(set.count == 3)
        #expect(set.geometries[0] == .point(Point2(531_000, 190_500)))
    }

    @Test func layerWithoutCRSNeedsADeclaredOne() throws {
        #expect(throws: GeoDataError.missingCRS(path: fixture("no_crs.shp"))) { try VectorReader.read(fixture("no_crs.shp")) }
        let set = try VectorReader.read(fixture("no_crs.shp"), query: VectorQuery(declaredCRS: CRS("EPSG:27700")))
        #expect(set.count == 3)
    }

    @Test func emptyLayerAndEmptyFilterAreErrors() {
        let empty = #expect(throws: GeoDataError.self) { try VectorReader.read(fixture("empty.geojson")) }
        #expect(empty?.description.contains("has no features") == true)
        let filtered = #expect(throws: GeoDataError.self) {
            try VectorReader.read(fixture("police_street.csv"), query: VectorQuery(whereClause: "\"Crime type\" = 'Arson'"))
        }
        #expect(filtered?.description.contains("no features pass the where/time filter") == true)
    }

    @Test func missingFileUnknownFormatAndBadFilter() throws {
        #expect(throws: GeoDataError.fileNotFound(path: "/no/such/file.gpkg")) { try VectorReader.read("/no/such/file.gpkg") }
        let dir = try scratch.folder("rtm-test")
        let junk = dir + "/junk.gpkg"
        try "not a geopackage".write(toFile: junk, atomically: true, encoding: .utf8)
        #expect(throws: GeoDataError.unknownFormat(path: junk)) { try VectorReader.read(junk) }
        let bad = #expect(throws: GeoDataError.self) {
            try VectorReader.read(fixture("police_street.csv"), query: VectorQuery(whereClause: "Month = = 'x'"))
        }
        #expect(bad?.description.contains("not valid OGR SQL") == true)
        let field = #expect(throws: GeoDataError.self) {
            try VectorReader.read(fixture("police_street.csv"), query: VectorQuery(time: TimeFilter(field: "mnth", from: "2024-01")))
        }
        #expect(field?.description.contains("did you mean 'Month'") == true)
    }

    @Test func rasterGivenForAVectorIsNamed() {
        #expect(throws: GeoDataError.notAVector(path: fixture("lux_small.tif"))) { try VectorReader.read(fixture("lux_small.tif")) }
    }
}
