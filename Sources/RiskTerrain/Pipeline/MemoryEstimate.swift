import Foundation
import GeoIO
import RasterCore

/// How much memory a spec's grid and candidate layers will take, worked out from the study
/// area's extent before anything is allocated, so a spec the machine cannot hold is refused up
/// front with the estimate and what to change.
///
/// Per cell of the grid covering the study area: a bit per binary candidate layer (bit-packed),
/// 4 bytes per continuous one (Float32), and `bytesPerCellFixed` for the rest — the mask, event
/// counts, the distance transform and kernel density of the factor being built (on a padded
/// grid), the linear predictor and the risk and class rasters written at the end. The fixed part
/// is the sum of those buffers' sizes with a margin (about 45 bytes, rounded up to 64), so the
/// estimate errs high; the design's distinct rows are far fewer than the cells and not counted.
public struct MemoryEstimate: Sendable, Equatable {
    public let cells: Double
    public let binaryLayers: Int
    public let continuousLayers: Int
    public let bytes: Double

    static let bytesPerCellFixed = 64.0

    public init(cells: Double, binaryLayers: Int, continuousLayers: Int) {
        self.cells = cells
        self.binaryLayers = binaryLayers
        self.continuousLayers = continuousLayers
        bytes = cells * (Self.bytesPerCellFixed + Double(binaryLayers) / 8 + 4 * Double(continuousLayers))
    }

    /// The estimate for `spec` on the grid covering `extent`.
    public init(spec: ModelSpec, extent: Extent) {
        let cs = spec.cellSize
        let columns = ((extent.maxX / cs).rounded(.up) - (extent.minX / cs).rounded(.down))
        let rows = ((extent.maxY / cs).rounded(.up) - (extent.minY / cs).rounded(.down))
        let counts = spec.factors.map { $0.candidateCount(blockLength: spec.blockLength) }
        let total = counts.reduce(0) { $0 + $1.total }, continuous = counts.reduce(0) { $0 + $1.continuous }
        self.init(cells: max(1, columns) * max(1, rows), binaryLayers: total - continuous, continuousLayers: continuous)
    }

    /// The memory a run may use: `RTM_MEMORY_LIMIT_MB` when set, else 80% of physical memory.
    public static var defaultLimit: Double {
        if let mb = ProcessInfo.processInfo.environment["RTM_MEMORY_LIMIT_MB"].flatMap(Double.init), mb > 0 { return mb * 1_048_576 }
        return Double(ProcessInfo.processInfo.physicalMemory) * 0.8
    }

    /// The smallest cell size, a multiple of 5 m, at which the same study fits in `limit`.
    func suggestedCellSize(current: Double, limit: Double) -> Double {
        // cells scale with 1 / cell size²; the layer count does not depend on it
        let factor = (bytes / limit).squareRoot()
        return max(current + 5, (current * factor / 5).rounded(.up) * 5)
    }

    /// Throws when the estimate exceeds `limit`, naming the estimate and the fix.
    func require(within limit: Double, spec: ModelSpec) throws {
        guard bytes > limit else { return }
        let cs = suggestedCellSize(current: spec.cellSize, limit: limit)
        let layers = binaryLayers + continuousLayers
        throw SpecError(file: spec.path, line: nil, key: "cell_size",
                        message: "the grid of \(Self.count(cells)) cells × \(layers) candidate layer\(layers == 1 ? "" : "s") needs about \(Self.size(bytes)) of memory, more than the \(Self.size(limit)) available — use cell_size: \(InspectText.number(cs)) or larger, a smaller study area, or fewer factors, increments or max_blocks")
    }

    static func size(_ bytes: Double) -> String {
        bytes >= 1_073_741_824 ? String(format: "%.1f GB", bytes / 1_073_741_824) : String(format: "%.0f MB", bytes / 1_048_576)
    }

    static func count(_ n: Double) -> String {
        n >= 1e9 ? String(format: "%.1f billion", n / 1e9) : n >= 1e6 ? String(format: "%.1f million", n / 1e6) : String(Int(n))
    }
}
