import Testing
@testable import GeoIO

@Test func linksGDALAndPROJ() {
    #expect(GeoLibraries.gdal.hasPrefix("3."))
    #expect(!GeoLibraries.proj.isEmpty)
}
