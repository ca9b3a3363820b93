import CGDAL
import Foundation
import RasterCore

/// How source pixels become analysis cells.
public enum Resampling: String, Sendable, Codable, CaseIterable {
    /// The source pixel under the cell centre: categories, classes.
    case nearest
    /// Bilinear between the four source pixel centres around the cell centre: continuous surfaces.
    case bilinear
    /// The mean of the source pixels that overlap the cell, weighted by overlap: downsampling.
    case average
}

/// Describes one band of a raster.
public struct BandInfo: Sendable, Equatable {
    public let index: Int
    public let dataType: String
    public let noData: Double?
    public let description: String
    /// Internal tiling: (width, height) of a block; equal to a row strip for untiled files.
    public let blockWidth: Int
    public let blockHeight: Int
    /// Number of overview levels (reduced-resolution copies GIS tools draw when zoomed out).
    public let overviewCount: Int
}

/// What `rtm inspect` and spec validation need to know about a raster file.
public struct RasterInfo: Sendable {
    public let path: String
    public let format: String
    public let width: Int
    public let height: Int
    /// GDAL geotransform; nil when the file has no georeferencing.
    public let geoTransform: [Double]?
    public let crs: CRS?
    public let bands: [BandInfo]

    /// (x, y) pixel size in CRS units; nil without georeferencing.
    public var pixelSize: (x: Double, y: Double)? {
        geoTransform.map { (abs($0[1]), abs($0[5])) }
    }

    /// Outer edges (for north-up rasters, which is what GIS exports); nil without georeferencing.
    public var extent: Extent? {
        guard let g = geoTransform else { return nil }
        let xs = [g[0], g[0] + Double(width) * g[1] + Double(height) * g[2]]
        let ys = [g[3], g[3] + Double(width) * g[4] + Double(height) * g[5]]
        return Extent(minX: xs.min()!, minY: ys.min()!, maxX: xs.max()!, maxY: ys.max()!)
    }
}

/// Reads GDAL rasters and resamples them onto an analysis grid.
public enum RasterReader {
    public static func info(_ path: String) throws -> RasterInfo {
        let ds = try GDALDatasetHandle.open(path, kind: .raster)
        return try info(ds)
    }

    static func info(_ ds: GDALDatasetHandle) throws -> RasterInfo {
        var gt = [Double](repeating: 0, count: 6)
        let hasTransform = GDALGetGeoTransform(ds.handle, &gt) == CE_None
        CPLErrorReset()
        var crs: CRS?
        if let srs = GDALGetSpatialRef(ds.handle) { crs = try CRS(srs: srs, label: ds.path) }
        let bands = (0..<ds.rasterCount).map { i -> BandInfo in
            let band = GDALGetRasterBand(ds.handle, Int32(i + 1))
            var has: Int32 = 0
            let nd = GDALGetRasterNoDataValue(band, &has)
            var bw: Int32 = 0, bh: Int32 = 0
            GDALGetBlockSize(band, &bw, &bh)
            return BandInfo(index: i + 1, dataType: String(cString: GDALGetDataTypeName(GDALGetRasterDataType(band))),
                            noData: has != 0 ? nd : nil,
                            description: String(cString: GDALGetDescription(band)),
                            blockWidth: Int(bw), blockHeight: Int(bh), overviewCount: Int(GDALGetOverviewCount(band)))
        }
        return RasterInfo(path: ds.path, format: ds.driver.long,
                          width: Int(GDALGetRasterXSize(ds.handle)), height: Int(GDALGetRasterYSize(ds.handle)),
                          geoTransform: hasTransform ? gt : nil, crs: crs, bands: bands)
    }

    /// One band resampled onto `grid` (in `gridCRS`) with GDAL's warper. Cells that fall outside
    /// the raster or on its nodata come back as NaN; the source nodata value is respected.
    ///
    /// - Parameter declaredCRS: the raster's CRS when the file has none (or to override it).
    public static func resample(_ path: String, band: Int = 1, onto grid: GridGeometry, gridCRS: CRS,
                                method: Resampling, declaredCRS: CRS? = nil) throws -> Raster<Double> {
        let src = try GDALDatasetHandle.open(path, kind: .raster)
        let meta = try info(src)
        guard meta.geoTransform != nil else { throw GeoDataError.rasterWithoutGeoreferencing(path: path) }
        guard let srcCRS = declaredCRS ?? meta.crs else { throw GeoDataError.missingCRS(path: path) }
        guard band >= 1, band <= meta.bands.count else {
            throw GeoDataError.noSuchLayer(path: path, layer: "band \(band)",
                                           available: meta.bands.map { "band \($0.index)" })
        }
        let e = grid.extent
        var args = ["-of", "MEM", "-s_srs", srcCRS.wkt, "-t_srs", gridCRS.wkt,
                    "-te", "\(e.minX)", "\(e.minY)", "\(e.maxX)", "\(e.maxY)",
                    "-ts", "\(grid.width)", "\(grid.height)",
                    "-r", method.rawValue, "-ot", "Float64", "-dstnodata", "nan", "-wo", "NUM_THREADS=2"]
        if let nd = meta.bands[band - 1].noData { args += ["-srcnodata", "\(nd)"] }
        let argv = CStringList(args)
        guard let options = GDALWarpAppOptionsNew(argv.pointer, nil) else {
            throw gdalError("set up resampling", path)
        }
        defer { GDALWarpAppOptionsFree(options) }
        var sources: [GDALDatasetH?] = [src.handle]
        var usageError: Int32 = 0
        CPLErrorReset()
        guard let out = GDALWarp("", nil, 1, &sources, options, &usageError) else {
            throw GeoDataError.unreadable(path: path, message: gdalError("resample onto the analysis grid", path).message)
        }
        let warped = GDALDatasetHandle.adopt(out, path: path)
        var values = [Double](repeating: .nan, count: grid.cellCount)
        let status = values.withUnsafeMutableBytes { buf in
            GDALRasterIO(GDALGetRasterBand(warped.handle, Int32(band)), GF_Read, 0, 0,
                         Int32(grid.width), Int32(grid.height), buf.baseAddress,
                         Int32(grid.width), Int32(grid.height), GDT_Float64, 0, 0)
        }
        guard status == CE_None else { throw GeoDataError.unreadable(path: path, message: gdalError("read the resampled raster", path).message) }
        return Raster(geometry: grid, values: values)
    }
}
