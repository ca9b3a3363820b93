import Foundation
import RasterCore
import Testing
@testable import GeoIO

/// OpenStreetMap files read through GDAL's OSM driver, selected by tags across points, lines and
/// multipolygons (`pubs.osm`, hand-written: see Fixtures/README.md).
@Suite struct OSMReaderTests {
    let path = fixture("pubs.osm")

    @Test func tagsSelectAcrossPointsLinesAndPolygons() throws {
        var q = VectorQuery(fields: [])
        q.optionalFields = ["name"]
        q.tags = ["amenity": ["pub", "bar"]]
        let set = try VectorReader.read(path, query: q)
        // the pub and the bar nodes, the bar footway and the pub building; not the café
        #expect(Set(set.attributes["name"]!.compactMap { $0 }) == ["The Nag's Head", "Bar \"Ten\"", "Bar Walk", "The Goose"])
        #expect(set.geometries.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.line, .point, .point, .polygon])
        #expect(set.crs.authorityCode == "EPSG:4326")
        #expect(set.report.notes.contains("OpenStreetMap: 2 from points, 1 from lines, 1 from multipolygons"))
        // into British National Grid like any layer
        let bng = try VectorReader.read(path, query: q, into: try CRS("EPSG:27700"))
        #expect(bng.geometries.allSatisfy { $0.vertices.allSatisfy { (529_000...533_000).contains($0.x) && (189_000...192_000).contains($0.y) } })
    }

    @Test func oneValueAndNothingMatchingAreNamed() throws {
        var q = VectorQuery()
        q.tags = ["amenity": ["pub"]]
        #expect(try VectorReader.read(path, query: q).count == 2)
        q.tags = ["amenity": ["nightclub"]]
        let e = #expect(throws: GeoDataError.self) { try VectorReader.read(path, query: q) }
        #expect(e?.description.contains("values seen for those keys: amenity: bar, cafe, pub") == true)
    }

    @Test func tagsOnAnotherFormatAndWhereOnOSMAreRefused() throws {
        var q = VectorQuery()
        q.tags = ["amenity": ["pub"]]
        let e = #expect(throws: GeoDataError.self) { try VectorReader.read(fixture("features.geojson"), query: q) }
        #expect(e?.description.contains("use where: instead") == true)
        let w = #expect(throws: GeoDataError.self) { try VectorReader.read(path, query: VectorQuery(whereClause: "amenity = 'pub'")) }
        #expect(w?.description.contains("selected with tags:") == true)
    }

    @Test func hstoreTextIsParsed() {
        #expect(OSMReader.hstore(#""amenity"=>"pub","name:en"=>"The \"Bell\"","x"=>"a\\b""#) == ["amenity": "pub", "name:en": "The \"Bell\"", "x": "a\\b"])
        #expect(OSMReader.hstore("") == [:])
        #expect(OSMReader.hstore(#""broken"=>"#) == [:])
    }
}
