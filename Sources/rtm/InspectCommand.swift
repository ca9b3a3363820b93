import ArgumentParser
import GeoIO
import RiskTerrain

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe geodata files: format, CRS, geometry, features, extent, fields; or raster size, cell size, bands, nodata.")

    @Argument(help: "Files to describe (any GDAL raster or OGR vector source, or a CSV of points).")
    var paths: [String]

    func run() throws {
        var failures = 0
        for (i, path) in paths.enumerated() {
            if i > 0 { print("") }
            do {
                print(InspectText.render(try Inspector.describe(path)))
            } catch {
                failures += 1
                CLIError.report(error)
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
