import CGDAL
import Foundation
import RasterCore

/// One layer of a vector source, as `rtm inspect` shows it.
public struct LayerDescription: Sendable {
    public let name: String
    public let geometryType: String
    public let featureCount: Int
    /// In the layer's own CRS; nil when the layer is empty or has no geometry.
    public let extent: Extent?
    public let crs: CRS?
    public let fields: [(name: String, type: String)]
    /// For CSV points: the read report (coordinate columns found, rows skipped and why).
    public let pointRead: ReadReport?
    /// Why the CSV's points could not be read, when they could not.
    public let pointProblem: String?
}

/// What a file holds, for `rtm inspect`.
public enum DatasetDescription: Sendable {
    case vector(path: String, format: String, layers: [LayerDescription])
    case raster(RasterInfo)
}

/// Describes any file GDAL/OGR can open: the first thing a user runs on new data.
public enum Inspector {
    public static func describe(_ path: String) throws -> DatasetDescription {
        // A CSV of numbers is also an XYZ grid to GDAL: read CSVs as the points they are.
        let isCSV = (path as NSString).pathExtension.lowercased() == "csv"
        let ds = try GDALDatasetHandle.open(path, kind: isCSV ? .vector : .any)
        if ds.rasterCount > 0 { return .raster(try RasterReader.info(ds)) }
        var layers: [LayerDescription] = []
        for i in 0..<ds.layerCount {
            guard let h = GDALDatasetGetLayer(ds.handle, Int32(i)) else { continue }
            let name = String(cString: OGR_L_GetName(h))
            let layer = try VectorLayerHandle(dataset: ds, name: name)
            let defn = OGR_L_GetLayerDefn(h)
            let fields = (0..<OGR_FD_GetFieldCount(defn)).map { j -> (String, String) in
                let f = OGR_FD_GetFieldDefn(defn, j)
                return (String(cString: OGR_Fld_GetNameRef(f)), String(cString: OGR_GetFieldTypeName(OGR_Fld_GetType(f))))
            }
            var envelope = OGREnvelope()
            let hasExtent = OGR_L_GetGeomType(h) != wkbNone && OGR_L_GetExtent(h, &envelope, 1) == OGRERR_NONE
            var extent = hasExtent ? Extent(minX: envelope.MinX, minY: envelope.MinY, maxX: envelope.MaxX, maxY: envelope.MaxY) : nil
            var crs = try layer.crs()
            var geometryType = String(cString: OGRGeometryTypeToName(OGR_L_GetGeomType(h)))
            var pointRead: ReadReport?, problem: String?
            if layer.driverIsCSV {
                do {
                    let set = try VectorReader.read(path, query: VectorQuery(layer: name))
                    pointRead = set.report
                    extent = set.extent
                    crs = set.crs
                    geometryType = "Point (from coordinate columns)"
                } catch let error as GeoDataError {
                    problem = error.description
                }
            }
            layers.append(LayerDescription(name: name, geometryType: geometryType, featureCount: layer.featureCount,
                                           extent: extent, crs: crs, fields: fields, pointRead: pointRead, pointProblem: problem))
        }
        return .vector(path: path, format: ds.driver.long, layers: layers)
    }
}
