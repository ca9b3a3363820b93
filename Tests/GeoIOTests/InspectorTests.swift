import Testing
@testable import GeoIO

@Suite struct InspectorTests {
    @Test func describesAVectorLayer() throws {
        guard case .vector(_, let format, let layers) = try Inspector.describe(fixture("features.gpkg")) else {
            Issue.record("expected a vector description"); return
        }
        #expect(format == "GeoPackage")
        #expect(layers.count == 1)
        #expect(layers[0].featureCount == 3)
        #expect(layers[0].geometryType == "Point")
        #expect(layers[0].crs?.authorityCode == "EPSG:27700")
        #expect(layers[0].fields.map(\.name) == ["name", "kind"])
        #expect(layers[0].extent != nil)
    }

    @Test func describesACSVWithItsSkippedRows() throws {
        guard case .vector(_, _, let layers) = try Inspector.describe(fixture("police_street.csv")) else {
            Issue.record("expected a vector description"); return
        }
        let read = try #require(layers[0].pointRead)
        #expect(read.kept == 10 && read.skipped["blank coordinates"] == 2)
        #expect(layers[0].crs?.authorityCode == "EPSG:4326")
    }

    @Test func describesARaster() throws {
        guard case .raster(let info) = try Inspector.describe(fixture("lux_small.tif")) else {
            Issue.record("expected a raster description"); return
        }
        #expect(info.width == 4 && info.height == 3)
        #expect(info.pixelSize! == (50, 50))
        #expect(info.bands[0].noData == -1)
        #expect(info.extent == .init(minX: 531_000, minY: 190_000, maxX: 531_200, maxY: 190_150))
    }
}
