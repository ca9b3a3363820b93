import CGDAL
import Foundation
import RasterCore

/// Pixel types a GeoTIFF can hold.
public protocol GeoTIFFSample: Sendable {
    static var gdalTypeName: String { get }
}
extension UInt8: GeoTIFFSample { public static var gdalTypeName: String { "Byte" } }
extension Int16: GeoTIFFSample { public static var gdalTypeName: String { "Int16" } }
extension Int32: GeoTIFFSample { public static var gdalTypeName: String { "Int32" } }
extension Float: GeoTIFFSample { public static var gdalTypeName: String { "Float32" } }
extension Double: GeoTIFFSample { public static var gdalTypeName: String { "Float64" } }

/// Writes rasters as Cloud-Optimized GeoTIFFs that QGIS, ArcGIS and `gdalinfo` read as they are:
/// CRS, geotransform, nodata, 256-pixel tiles, DEFLATE with the predictor that suits the type, and
/// overviews (GDAL's COG driver; overviews only where the raster is larger than a tile).
public enum GeoTIFFWriter {
    public struct Options: Sendable {
        /// Value written where there is no data (outside the study area); nil for none.
        public var noData: Double?
        /// Overview resampling: "AVERAGE" for continuous surfaces, "NEAREST" for classes and ranks.
        public var overviewResampling: String
        /// Band description, shown by GIS layer panels (e.g. "relative risk score").
        public var bandDescription: String?
        /// Dataset metadata items (TIFF tags), e.g. ["RTM_LAYER": "risk"].
        public var metadata: [String: String]

        public init(noData: Double? = nil, overviewResampling: String = "AVERAGE",
                    bandDescription: String? = nil, metadata: [String: String] = [:]) {
            self.noData = noData
            self.overviewResampling = overviewResampling
            self.bandDescription = bandDescription
            self.metadata = metadata
        }
    }

    public static func write<T: GeoTIFFSample>(_ raster: Raster<T>, crs: CRS, to path: String,
                                                options: Options = Options()) throws {
        GDALRuntime.ensureRegistered()
        let g = raster.geometry
        let type = GDALGetDataTypeByName(T.gdalTypeName)
        guard let mem = GDALGetDriverByName("MEM"), let cog = GDALGetDriverByName("COG") else {
            throw gdalError("find the MEM and COG drivers", path)
        }
        CPLErrorReset()
        guard let raw = GDALCreate(mem, "", Int32(g.width), Int32(g.height), 1, type, nil) else {
            throw gdalError("allocate a \(g.width)×\(g.height) raster", path)
        }
        let ds = GDALDatasetHandle.adopt(raw, path: path)
        var gt = g.geoTransform
        GDALSetGeoTransform(ds.handle, &gt)
        GDALSetProjection(ds.handle, crs.wkt)
        for (key, value) in options.metadata.sorted(by: { $0.key < $1.key }) {
            GDALSetMetadataItem(ds.handle, key, value, nil)
        }
        let band = GDALGetRasterBand(ds.handle, 1)
        if let nd = options.noData { GDALSetRasterNoDataValue(band, nd) }
        if let d = options.bandDescription { GDALSetDescription(band, d) }
        let status = raster.values.withUnsafeBytes { buf in
            GDALRasterIO(band, GF_Write, 0, 0, Int32(g.width), Int32(g.height),
                         UnsafeMutableRawPointer(mutating: buf.baseAddress), Int32(g.width), Int32(g.height), type, 0, 0)
        }
        guard status == CE_None else { throw gdalError("fill the raster", path) }

        let isFloat = T.self == Float.self || T.self == Double.self
        let creation = CStringList(options: [
            ("COMPRESS", "DEFLATE"), ("PREDICTOR", isFloat ? "FLOATING_POINT" : "STANDARD"),
            ("BLOCKSIZE", "256"), ("OVERVIEWS", "AUTO"), ("OVERVIEW_RESAMPLING", options.overviewResampling),
            ("NUM_THREADS", "2"),
        ])
        try AtomicOutput.write(to: path) { temporary in
            CPLErrorReset()
            guard let out = GDALCreateCopy(cog, temporary, ds.handle, 0, creation.pointer, nil, nil) else {
                throw gdalError("write GeoTIFF", path)
            }
            GDALClose(out)
            if CPLGetLastErrorType() == CE_Failure { throw gdalError("write GeoTIFF", path) }
        }
    }

    /// Reads band 1 back as Doubles with its grid and CRS (for round trips and `rtm inspect`);
    /// nodata cells come back as NaN.
    public static func read(_ path: String) throws -> (raster: Raster<Double>, crs: CRS?, noData: Double?) {
        let ds = try GDALDatasetHandle.open(path, kind: .raster)
        let meta = try RasterReader.info(ds)
        guard let gt = meta.geoTransform, gt[2] == 0, gt[4] == 0, gt[1] == -gt[5] else {
            throw GeoDataError.rasterWithoutGeoreferencing(path: path)
        }
        let grid = try GridGeometry(originX: gt[0], originY: gt[3], cellSize: gt[1], width: meta.width, height: meta.height)
        var values = [Double](repeating: .nan, count: grid.cellCount)
        let status = values.withUnsafeMutableBytes { buf in
            GDALRasterIO(GDALGetRasterBand(ds.handle, 1), GF_Read, 0, 0, Int32(grid.width), Int32(grid.height),
                         buf.baseAddress, Int32(grid.width), Int32(grid.height), GDT_Float64, 0, 0)
        }
        guard status == CE_None else { throw gdalError("read", path) }
        let nd = meta.bands.first?.noData
        if let nd { for i in values.indices where values[i] == nd { values[i] = .nan } }
        return (Raster(geometry: grid, values: values), meta.crs, nd)
    }
}
