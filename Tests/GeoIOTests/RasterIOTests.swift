import Foundation
import Testing
@testable import GeoIO
import RasterCore
import TestSupport

@Suite struct RasterIOTests {
    let scratch = Scratch()

    @Test func geoTIFFRoundTripKeepsGeoreferencingNodataAndValues() throws {
        let dir = try scratch.folder("rtm-test")
        let grid = try GridGeometry(originX: 530_000, originY: 191_000, cellSize: 25, width: 300, height: 280)
        var r = Raster<Float>(geometry: grid, repeating: -9999)
        for row in 0..<grid.height { for col in 0..<grid.width where (row + col) % 7 != 0 {
            r[row, col] = Float(row) * 0.5 + Float(col) * 0.25
        } }
        let path = dir + "/risk.tif"
        let bng = try CRS("EPSG:27700")
        try GeoTIFFWriter.write(r, crs: bng, to: path,
                                options: .init(noData: -9999, bandDescription: "relative risk score", metadata: ["RTM_LAYER": "risk"]))
        let back = try GeoTIFFWriter.read(path)
        #expect(back.raster.geometry == grid)
        #expect(back.crs?.authorityCode == "EPSG:27700")
        #expect(back.noData == -9999)
        for i in grid.cellCount.indices(stride: 97) {
            let v = r.values[i]
            if v == -9999 { #expect(back.raster.values[i].isNaN) } else { #expect(back.raster.values[i] == Double(v)) }
        }
        let info = try RasterReader.info(path)
        #expect(info.format.contains("GeoTIFF"))
        #expect(info.bands[0].dataType == "Float32")
        #expect(info.bands[0].description == "relative risk score")
        // no partial file is left behind
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["risk.tif"])
    }

    @Test func writesACloudOptimisedTiledCompressedGeoTIFFWithOverviews() throws {
        let dir = try scratch.folder("rtm-test")
        let grid = try GridGeometry(originX: 500_000, originY: 200_000, cellSize: 25, width: 1200, height: 1100)
        let r = Raster<UInt8>(geometry: grid, values: (0..<grid.cellCount).map { UInt8($0 % 5) })
        let path = dir + "/classes.tif"
        try GeoTIFFWriter.write(r, crs: CRS("EPSG:27700"), to: path, options: .init(noData: 255, overviewResampling: "NEAREST"))
        let text = try String(contentsOfFile: path, encoding: .isoLatin1)
        #expect(text.contains("LAYOUT=IFDS_BEFORE_DATA"))        // GDAL's COG ghost header
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(size < grid.cellCount / 4)                       // DEFLATE did its work
        let band = try RasterReader.info(path).bands[0]
        #expect(band.overviewCount >= 2)
        #expect(band.blockWidth == 256 && band.blockHeight == 256)
    }

    @Test(arguments: Resampling.allCases)
    func resamplesOntoTheAnalysisGridRespectingNodata(_ method: Resampling) throws {
        // lux_small.tif: 4×3 pixels of 50 m from (531000, 190150), values 10..120 row by row, nodata at (1, 1)
        let grid = try GridGeometry(originX: 531_000, originY: 190_150, cellSize: 25, width: 10, height: 6)
        let r = try RasterReader.resample(fixture("lux_small.tif"), onto: grid, gridCRS: CRS("EPSG:27700"), method: method)
        #expect(r.geometry == grid)
        // the cells under the source nodata pixel (rows 2–3, columns 2–3) have no value
        for (row, col) in [(2, 2), (2, 3), (3, 2), (3, 3)] { #expect(r[row, col].isNaN, "\(method) (\(row), \(col))") }
        // cells beyond the raster's east edge (x ≥ 531200) have no value
        #expect(r[0, 8].isNaN && r[5, 9].isNaN)
        // a corner cell well inside pixel (0, 0) keeps its value under nearest and average
        if method != .bilinear { #expect(r[0, 0] == 10) }
        #expect(r[5, 7] >= 110 && r[5, 7] <= 120)
    }

    @Test func rasterWithoutGeoreferencingIsRefused() throws {
        let grid = try GridGeometry(originX: 0, originY: 3, cellSize: 1, width: 4, height: 3)
        #expect(throws: GeoDataError.rasterWithoutGeoreferencing(path: fixture("no_georef.tif"))) {
            try RasterReader.resample(fixture("no_georef.tif"), onto: grid, gridCRS: CRS("EPSG:27700"), method: .nearest)
        }
    }
}

private extension Int {
    func indices(stride step: Int) -> StrideTo<Int> { Swift.stride(from: 0, to: self, by: step) }
}
