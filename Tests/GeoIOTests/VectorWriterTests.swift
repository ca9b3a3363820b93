import Foundation
import Testing
@testable import GeoIO
import RasterCore
import TestSupport

@Suite struct VectorWriterTests {
    let scratch = Scratch()
    let square = Polygon(exterior: [Point2(531_000, 190_000), Point2(531_100, 190_000), Point2(531_100, 190_100), Point2(531_000, 190_100)],
                         holes: [[Point2(531_040, 190_040), Point2(531_060, 190_040), Point2(531_060, 190_060), Point2(531_040, 190_060)]])
    let fields = [OutputField("rank", .integer), OutputField("label", .string), OutputField("mean_rrs", .real)]

    @Test func geoPackageRoundTripKeepsCRSGeometryAndAttributes() throws {
        let dir = try scratch.folder("rtm-test")
        let path = dir + "/hotspots.gpkg"
        let features = [OutputFeature(geometry: .polygon(square), values: [.integer(1), .string("Wood Green / High Road"), .real(3.25)]),
                        OutputFeature(geometry: .polygon(square), values: [.integer(2), .null, .real(2.5)])]
        try VectorWriter.write(features, fields: fields, layerName: "hotspots", crs: CRS("EPSG:27700"), to: path, format: .geoPackage)
        let set = try VectorReader.read(path, query: VectorQuery(fields: ["rank", "label", "mean_rrs"]))
        #expect(set.crs.authorityCode == "EPSG:27700")
        #expect(set.count == 2)
        #expect(set.geometries[0] == .polygon(square))         // all single polygons: a Polygon layer
        #expect(set.attributes["rank"]! == ["1", "2"])
        #expect(set.attributes["label"]! == ["Wood Green / High Road", nil])
        #expect(set.attributes["mean_rrs"]!.map { Double($0!)! } == [3.25, 2.5])
    }

    @Test func geoJSONIsRFC7946InWGS84() throws {
        let dir = try scratch.folder("rtm-test")
        let path = dir + "/hotspots.geojson"
        try VectorWriter.write([OutputFeature(geometry: .polygon(square), values: [.integer(1), .string("A"), .real(1.5)])],
                               fields: fields, layerName: "hotspots", crs: CRS("EPSG:27700"), to: path, format: .geoJSON)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("\"crs\""))                     // RFC 7946: no crs member, WGS 84 implied
        #expect(text.contains("\"bbox\""))
        let set = try VectorReader.read(path)
        #expect(set.crs.authorityCode == "EPSG:4326")
        let e = try #require(set.extent)
        #expect(e.minX > -0.12 && e.maxX < -0.09 && e.minY > 51.58 && e.maxY < 51.60)   // Wood Green, in degrees
        // back in BNG, the corner is where it was, to the 7 decimals (≈1 cm) RFC 7946 output keeps
        let bng = try VectorReader.read(path, into: CRS("EPSG:27700"))
        let corners = bng.geometries[0].vertices
        #expect(corners.contains { abs($0.x - 531_000) < 0.05 && abs($0.y - 190_000) < 0.05 })
    }

    @Test func unwritableFolderIsAClearErrorAndLeavesNothing() throws {
        let error = #expect(throws: GeoDataError.self) {
            try VectorWriter.write([], fields: fields, layerName: "x", crs: CRS("EPSG:27700"), to: "/no/such/folder/x.gpkg", format: .geoPackage)
        }
        #expect(error?.description.contains("--out") == true)
    }
}
