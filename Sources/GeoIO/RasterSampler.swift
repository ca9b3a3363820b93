import CGDAL
import Foundation
import RasterCore

/// Samples a raster at the centres of an analysis grid's cells: the value "at the cell".
///
/// - `nearest`: the pixel that holds the centre.
/// - `bilinear`: bilinear interpolation between the four pixel centres around the centre
///   (scipy `map_coordinates(order=1, mode="nearest")`: edges extend the last pixel). Where one of
///   the four is nodata, the nearest pixel is used instead; if that is nodata too, the cell has none.
/// Centres outside the raster (beyond its outer pixel edges) have no value (NaN). Unlike GDAL's
/// warper, whose bilinear kernel widens when a fine raster is downsampled, this is a point
/// sample, as the peer pipeline defines `value`; use `RasterReader.resample(…, .average)` for the
/// mean of the pixels under a cell.
///
/// Cost: one PROJ call per cell when the CRSs differ, then O(cells); reads only the window of
/// pixels the centres fall in.
public enum RasterSampler {
    /// The most pixels a window may hold (≈ 1.6 GB as Double); beyond it, average instead.
    public static let maximumWindowPixels = 200_000_000

    public static func sample(_ path: String, band: Int = 1, at grid: GridGeometry, gridCRS: CRS,
                              method: Resampling, declaredCRS: CRS? = nil) throws -> Raster<Double> {
        precondition(method != .average, "average is an area operation: use RasterReader.resample")
        let ds = try GDALDatasetHandle.open(path, kind: .raster)
        let meta = try RasterReader.info(ds)
        guard var gt = meta.geoTransform else { throw GeoDataError.rasterWithoutGeoreferencing(path: path) }
        guard let rasterCRS = declaredCRS ?? meta.crs else { throw GeoDataError.missingCRS(path: path) }
        guard band >= 1, band <= meta.bands.count else {
            throw GeoDataError.noSuchLayer(path: path, layer: "band \(band)", available: meta.bands.map { "band \($0.index)" })
        }
        var inv = [Double](repeating: 0, count: 6)
        guard GDALInvGeoTransform(&gt, &inv) != 0 else { throw GeoDataError.rasterWithoutGeoreferencing(path: path) }

        // Cell centres in the raster's CRS, then in pixel-centre coordinates (0,0 = first pixel's centre).
        var centres = [Point2]()
        centres.reserveCapacity(grid.cellCount)
        for r in 0..<grid.height { for c in 0..<grid.width { let p = grid.centre(row: r, col: c); centres.append(Point2(p.x, p.y)) } }
        if rasterCRS != gridCRS { try CoordinateTransformer(from: gridCRS, to: rasterCRS).transform(&centres) }
        var cols = [Double](repeating: .nan, count: centres.count), rows = cols
        var lo = (r: Int.max, c: Int.max), hi = (r: Int.min, c: Int.min)
        let h = meta.height, w = meta.width
        for (i, p) in centres.enumerated() where p.x.isFinite {
            let col = inv[0] + inv[1] * p.x + inv[2] * p.y - 0.5
            let row = inv[3] + inv[4] * p.x + inv[5] * p.y - 0.5
            guard row >= -0.5, row <= Double(h) - 0.5, col >= -0.5, col <= Double(w) - 0.5 else { continue }
            cols[i] = col
            rows[i] = row
            lo = (min(lo.r, max(0, Int(row.rounded(.down)))), min(lo.c, max(0, Int(col.rounded(.down)))))
            hi = (max(hi.r, min(h - 1, Int(row.rounded(.down)) + 1)), max(hi.c, min(w - 1, Int(col.rounded(.down)) + 1)))
        }
        var out = [Double](repeating: .nan, count: centres.count)
        guard lo.r <= hi.r, lo.c <= hi.c else { return Raster(geometry: grid, values: out) }   // no centre on the raster

        // The window of pixels the centres need, nodata as NaN.
        let wh = hi.r - lo.r + 1, ww = hi.c - lo.c + 1
        guard wh * ww <= maximumWindowPixels else {
            throw GeoDataError.rasterTooFine(path: path, pixels: wh * ww, limit: maximumWindowPixels)
        }
        var window = [Double](repeating: .nan, count: wh * ww)
        let status = window.withUnsafeMutableBytes { buf in
            GDALRasterIO(GDALGetRasterBand(ds.handle, Int32(band)), GF_Read, Int32(lo.c), Int32(lo.r), Int32(ww), Int32(wh),
                         buf.baseAddress, Int32(ww), Int32(wh), GDT_Float64, 0, 0)
        }
        guard status == CE_None else { throw GeoDataError.unreadable(path: path, message: gdalError("read pixels", path).message) }
        if let nd = meta.bands[band - 1].noData {
            for i in window.indices where window[i] == nd || (nd.isNaN && window[i].isNaN) { window[i] = .nan }
        }
        func pixel(_ r: Int, _ c: Int) -> Double {
            window[(min(max(r, 0), h - 1) - lo.r) * ww + (min(max(c, 0), w - 1) - lo.c)]
        }
        for i in out.indices where cols[i].isFinite {
            let row = rows[i], col = cols[i]
            let nearest = pixel(Int((row + 0.5).rounded(.down)), Int((col + 0.5).rounded(.down)))
            guard method == .bilinear else { out[i] = nearest; continue }
            let r0 = Int(row.rounded(.down)), c0 = Int(col.rounded(.down))
            let fr = row - Double(r0), fc = col - Double(c0)
            let v00 = pixel(r0, c0), v01 = pixel(r0, c0 + 1), v10 = pixel(r0 + 1, c0), v11 = pixel(r0 + 1, c0 + 1)
            let v = (v00 * (1 - fc) + v01 * fc) * (1 - fr) + (v10 * (1 - fc) + v11 * fc) * fr
            out[i] = v.isFinite ? v : nearest
        }
        return Raster(geometry: grid, values: out)
    }
}
