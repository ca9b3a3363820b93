import Foundation
import GeoIO

/// A risk terrain model as the user wrote it in YAML (see docs/spec.md), with paths resolved
/// against the spec's folder and every default filled in.
public struct ModelSpec: Sendable {
    /// The spec file, for messages and the manifest.
    public var path: String
    /// Analysis CRS as written ("EPSG:27700", WKT, …); nil: the study area's own CRS.
    public var crs: String?
    /// Cell side in metres.
    public var cellSize: Double
    /// Block length in metres: influence distances and bandwidths are multiples of it.
    public var blockLength: Double
    public var studyArea: LayerSource
    public var outcome: LayerSource
    public var factors: [FactorSpec]
    public var model: ModelOptions
    /// How hotspots are found and ranked (defaults: RTMDx's highest class, at least 4 cells).
    public var hotspots = HotspotOptions()
    /// StreetSafe reports, counted per hotspot as a second lens on risk (optional).
    public var streetSafe: LayerSource?
    /// A temporal split for `rtm evaluate` (optional).
    public var evaluation: EvaluationOptions?
    /// How weekly patrol plans are made (`rtm patrols`); nil: the defaults.
    public var patrols: PatrolOptions?
    /// Polygon layers that name where each hotspot lies (ward, borough), in this order.
    public var areas: [AreaLevel] = []
    /// Layers drawn under the maps for orientation (roads, boundaries, water): never modelled.
    public var context: [ContextLayer] = []
    /// Whether inputs may be GDAL virtual paths that fetch (`/vsicurl/`, `http://`, cloud
    /// stores). Off by default: a run reads local files only (`/vsizip/` of a local archive is local).
    public var allowVirtualPaths = false
}

/// A layer drawn on the maps for orientation only (`context:`): its lines and polygon outlines.
public struct ContextLayer: Sendable, Equatable {
    public var name: String
    public var source: LayerSource
}

/// A polygon layer naming the places hotspots lie in (`areas:`): wards, boroughs, BCUs.
public struct AreaLevel: Sendable, Equatable {
    /// The level (`ward`): names the hotspots' column.
    public var name: String
    public var source: LayerSource
    /// The field holding each polygon's name; default `name` (any case).
    public var field: String
}

/// Where a layer comes from, and how to read it.
public struct LayerSource: Sendable, Equatable {
    /// A file found in a point input's folder or glob and not read, and why.
    public struct SkippedFile: Sendable, Equatable, Codable {
        public var path: String
        public var reason: String
    }

    /// Absolute path; for a point input written as a list, its first entry.
    public var path: String
    /// Point inputs (outcome, streetsafe): the paths as written, made absolute — files, folders
    /// (read recursively) and globs; `[path]` for every other layer.
    public var written: [String]
    /// Every file read, in order: `written` with its folders and globs resolved (`PointFiles`).
    public var files: [String]
    /// Files in a folder that are not read (not a CSV, another header), listed for the user.
    public var skippedFiles: [SkippedFile] = []
    /// data.police.uk `Crime type` values to keep (any case); nil keeps every type.
    public var crimeTypes: [String]?
    /// OpenStreetMap tags to select from an `.osm.pbf` or `.osm` file (`amenity: [pub, bar]`).
    public var tags: [String: [String]]?
    public var layer: String?
    public var whereClause: String?
    /// The layer's CRS when the file has none (or to override it).
    public var crs: String?
    /// CSV coordinate columns.
    public var x: String?
    public var y: String?
    public var time: TimeFilter?

    public init(path: String, layer: String? = nil, whereClause: String? = nil, crs: String? = nil,
                x: String? = nil, y: String? = nil, time: TimeFilter? = nil) {
        self.path = path
        self.written = [path]
        self.files = [path]
        self.layer = layer
        self.whereClause = whereClause
        self.crs = crs
        self.x = x
        self.y = y
        self.time = time
    }

    /// The input as the user wrote it, for messages: the path, or the list's entries.
    public var label: String { written.count == 1 ? written[0] : written.joined(separator: ", ") }

    /// Whether the input is read from several files (a folder, glob or list).
    public var isMultiFile: Bool { files.count > 1 || files != [path] }

    /// Whether the path names a raster (by its extension, as GDAL users name them).
    public var isRaster: Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        return ["tif", "tiff", "img", "vrt", "asc", "nc", "jp2", "bil", "dem", "hgt", "grd", "sdat", "rst", "adf"].contains(ext)
    }
}

/// How a factor's features act on the cells around them (Caplan & Kennedy's "spatial influence").
public enum Influence: String, Sendable, CaseIterable, Codable {
    /// 1 if the cell centre is within d of a feature, for d = block length × 1, 2, … max_blocks.
    case proximity
    /// 1 where the kernel density (Gaussian, σ = d) exceeds mean + 2 SD over the study area.
    case density
    /// Continuous distance to the nearest feature, metres.
    case distance
    /// Continuous kernel density, features per km², at `bandwidth`.
    case densityValue = "density_value"
    /// 1 if the cell centre is inside the factor's polygons.
    case inside
    /// A raster's value at the cell centre (bilinear by default).
    case value

    /// The spellings a spec may use, `auto` (RTMDx's "Both": proximity and density) included.
    static let specNames = ["proximity", "density", "auto", "distance", "density_value", "inside", "value"]
}

/// A risk factor: a layer and the influences to test for it.
public struct FactorSpec: Sendable, Equatable {
    public enum Increment: String, Sendable { case whole, half }

    public var name: String
    public var source: LayerSource
    public var influences: [Influence]
    /// Largest distance (or bandwidth) in blocks; default 3.
    public var maxBlocks: Double
    public var increment: Increment
    /// For `density_value`; default block length × max_blocks.
    public var bandwidth: Double?
    /// For raster factors; default bilinear.
    public var resampling: Resampling
    /// For raster factors; default 1.
    public var band: Int

    /// The distances (or bandwidths) tried: block length × 1, 2, … max_blocks, or in half blocks.
    public func increments(blockLength: Double) -> [Double] {
        let step = increment == .half ? 0.5 : 1
        return stride(from: step, through: maxBlocks + 1e-9, by: step).map { $0 * blockLength }
    }

    /// Candidate layers this factor adds: one per increment for proximity and density, one for
    /// each other influence; and how many of them hold a value per cell rather than a bit.
    public func candidateCount(blockLength: Double) -> (total: Int, continuous: Int) {
        let steps = increments(blockLength: blockLength).count
        var total = 0, continuous = 0
        for i in influences {
            switch i {
            case .proximity, .density: total += steps
            case .inside: total += 1
            case .distance, .densityValue, .value: total += 1; continuous += 1
            }
        }
        return (total, continuous)
    }
}

/// How the model is chosen and fitted.
public struct ModelOptions: Sendable, Equatable {
    public enum Selection: String, Sendable, CaseIterable {
        /// RTMDx: cross-validated elastic net shortlist, then stepwise BIC for Poisson and NB.
        case rtm
        /// Fit exactly the listed influences, unpenalised (to replicate a published model).
        case none
        /// Cross-validated lasso, then an unpenalised refit of the terms it keeps.
        case lasso
    }
    public enum Family: String, Sendable, CaseIterable { case poisson, negbin, auto }

    public var selection: Selection = .rtm
    public var family: Family = .auto
    public var folds: Int = 10
    /// Stop the CV elastic-net paths once the CV deviance has gone this many λ without a new
    /// minimum; 0 fits every path to the end of its λ sequence (as cv.glmnet).
    public var cvPatience: Int = 10
    public var seed: UInt64 = 1
    /// Elastic-net mixing: 1 = lasso, 0 = ridge; default 0.5 as the peer pipeline.
    public var alpha: Double = 0.5
    /// Shortlist at this λ on the full-data elastic-net path instead of choosing λ by
    /// cross-validation (`folds` unused): a quick rerun with the λ.min of an earlier run
    /// (`rtm run --lambda-from`), whose λ is not re-chosen for the new layers. nil: cross-validate.
    public var lambda: Double? = nil

    public init() {}
}
