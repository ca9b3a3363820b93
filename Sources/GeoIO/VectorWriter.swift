import CGDAL
import Foundation
import RasterCore

/// An attribute value in an output feature.
public enum AttributeValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case real(Double)
    case null
}

/// A column of an output layer.
public struct OutputField: Sendable, Equatable {
    public enum FieldType: Sendable { case string, integer, real }
    public let name: String
    public let type: FieldType
    public init(_ name: String, _ type: FieldType) { self.name = name; self.type = type }
}

/// A feature to write: its geometry (in the CRS given to the writer) and one value per field.
public struct OutputFeature: Sendable {
    public var geometry: Geometry
    public var values: [AttributeValue]
    public init(geometry: Geometry, values: [AttributeValue]) { self.geometry = geometry; self.values = values }
}

/// Writes vector layers: GeoJSON as RFC 7946 requires (WGS 84 longitude/latitude, right-hand
/// rings, 7 decimals ≈ 1 cm) and GeoPackage in the analysis CRS. Written atomically.
public enum VectorWriter {
    public enum Format: Sendable {
        case geoJSON, geoPackage
        var driver: String { self == .geoJSON ? "GeoJSON" : "GPKG" }
    }

    public static func write(_ features: [OutputFeature], fields: [OutputField], layerName: String,
                             crs: CRS, to path: String, format: Format) throws {
        GDALRuntime.ensureRegistered()
        precondition(features.allSatisfy { $0.values.count == fields.count }, "one value per field")
        var features = features
        var outputCRS = crs
        if format == .geoJSON {
            let wgs84 = try CRS.wgs84
            if crs != wgs84 {
                let t = try CoordinateTransformer(from: crs, to: wgs84)
                for i in features.indices {
                    features[i].geometry = try features[i].geometry.mapVertices { p in
                        guard let q = t.transform(p) else {
                            throw GeoDataError.transformFailed(path: path, feature: i, x: p.x, y: p.y)
                        }
                        return q
                    }
                }
                outputCRS = wgs84
            }
        }
        guard let driver = GDALGetDriverByName(format.driver) else { throw gdalError("find the \(format.driver) driver", path) }
        // GeoPackage stamps "last_change" with the clock; a fixed stamp keeps outputs reproducible
        // (the same inputs and seed give the same bytes). Thread-local, so other writers are unaffected.
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z")
        defer { CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nil) }
        try AtomicOutput.write(to: path) { temporary in
            CPLErrorReset()
            guard let raw = GDALCreate(driver, temporary, 0, 0, 0, GDT_Unknown, nil) else {
                throw gdalError("create \(format.driver)", path)
            }
            // The dataset must stay open until every feature is written; it closes (and flushes)
            // when this closure ends, before AtomicOutput renames the file.
            let ds = GDALDatasetHandle.adopt(raw, path: path)
            try withExtendedLifetime(ds) {
                let layerOptions = CStringList(options: format == .geoJSON
                    ? [("RFC7946", "YES"), ("COORDINATE_PRECISION", "7"), ("WRITE_NAME", "NO"), ("WRITE_BBOX", "YES")]
                    : [("SPATIAL_INDEX", "YES")])
                // One geometry type per layer keeps GIS tools happy: the single type when every
                // feature is single, else the multi type with singles promoted.
                let kind = features.first?.geometry.kind ?? .polygon
                let multi = features.contains { $0.geometry.isMulti || $0.geometry.kind != kind }
                let type: OGRwkbGeometryType = switch kind {
                case .point: multi ? wkbMultiPoint : wkbPoint
                case .line: multi ? wkbMultiLineString : wkbLineString
                case .polygon: multi ? wkbMultiPolygon : wkbPolygon
                }
                let layer = try outputCRS.withSpatialReference { srs in
                    GDALDatasetCreateLayer(ds.handle, layerName, srs, type, layerOptions.pointer)
                }
                guard let layer else { throw gdalError("create layer \(layerName)", path) }
                for field in fields {
                    let defn = OGR_Fld_Create(field.name, field.type == .string ? OFTString : field.type == .integer ? OFTInteger64 : OFTReal)
                    defer { OGR_Fld_Destroy(defn) }
                    guard OGR_L_CreateField(layer, defn, 1) == OGRERR_NONE else { throw gdalError("create field \(field.name)", path) }
                }
                guard OGR_L_StartTransaction(layer) == OGRERR_NONE || format == .geoJSON else {
                    throw gdalError("start a transaction", path)
                }
                for feature in features {
                    let f = OGR_F_Create(OGR_L_GetLayerDefn(layer))
                    defer { OGR_F_Destroy(f) }
                    for (i, value) in feature.values.enumerated() {
                        switch value {
                        case .string(let s): OGR_F_SetFieldString(f, Int32(i), s)
                        case .integer(let v): OGR_F_SetFieldInteger64(f, Int32(i), Int64(v))
                        case .real(let v): OGR_F_SetFieldDouble(f, Int32(i), v)
                        case .null: OGR_F_SetFieldNull(f, Int32(i))
                        }
                    }
                    OGR_F_SetGeometryDirectly(f, ogrGeometry(feature.geometry, multi: multi))
                    guard OGR_L_CreateFeature(layer, f) == OGRERR_NONE else { throw gdalError("write a feature", path) }
                }
                if format != .geoJSON, OGR_L_CommitTransaction(layer) != OGRERR_NONE {
                    throw gdalError("commit the features", path)
                }
                if CPLGetLastErrorType() == CE_Failure { throw gdalError("write \(format.driver)", path) }
            }
        }
    }

    /// Builds the OGR geometry for a feature; with `multi`, singles become one-part multi-geometries.
    static func ogrGeometry(_ g: Geometry, multi: Bool) -> OGRGeometryH {
        func point(_ p: Point2) -> OGRGeometryH {
            let h = OGR_G_CreateGeometry(wkbPoint)!
            OGR_G_SetPoint_2D(h, 0, p.x, p.y)
            return h
        }
        func curve(_ ps: [Point2], _ type: OGRwkbGeometryType, close: Bool) -> OGRGeometryH {
            let h = OGR_G_CreateGeometry(type)!
            for p in ps { OGR_G_AddPoint_2D(h, p.x, p.y) }
            if close, let first = ps.first, ps.last != first { OGR_G_AddPoint_2D(h, first.x, first.y) }
            return h
        }
        func polygon(_ p: Polygon) -> OGRGeometryH {
            let h = OGR_G_CreateGeometry(wkbPolygon)!
            for ring in p.rings { OGR_G_AddGeometryDirectly(h, curve(ring, wkbLinearRing, close: true)) }
            return h
        }
        func collect(_ type: OGRwkbGeometryType, _ parts: [OGRGeometryH]) -> OGRGeometryH {
            let h = OGR_G_CreateGeometry(type)!
            for part in parts { OGR_G_AddGeometryDirectly(h, part) }
            return h
        }
        switch g {
        case .point(let p) where !multi: return point(p)
        case .lineString(let l) where !multi: return curve(l, wkbLineString, close: false)
        case .polygon(let p) where !multi: return polygon(p)
        case .point(let p): return collect(wkbMultiPoint, [point(p)])
        case .multiPoint(let ps): return collect(wkbMultiPoint, ps.map(point))
        case .lineString(let l): return collect(wkbMultiLineString, [curve(l, wkbLineString, close: false)])
        case .multiLineString(let ls): return collect(wkbMultiLineString, ls.map { curve($0, wkbLineString, close: false) })
        case .polygon(let p): return collect(wkbMultiPolygon, [polygon(p)])
        case .multiPolygon(let ps): return collect(wkbMultiPolygon, ps.map(polygon))
        }
    }
}
