import Testing
@testable import RiskTerrain

@Test func versionNamesTheCLibraries() {
    #expect(RiskTerrainVersion.summary.contains("GDAL 3."))
    #expect(RiskTerrainVersion.summary.contains("PROJ "))
}
