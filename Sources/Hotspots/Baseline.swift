import RasterCore

/// Naive predictions a risk model must beat, made from the training-period event counts.
///
/// - `.kde(sigma:)`: Gaussian kernel density of the training counts (`RasterCore.KernelDensity`,
///   σ in metres, kernel truncated at 4σ), the usual hotspot-mapping benchmark (Chainey et al.
///   2008). With `edgeCorrection` the density is divided by the kernel mass inside the study
///   area (Diggle 1985), so cells near the boundary are not penalised. Mass falling off the grid
///   is lost, which only lowers the scores of cells near the grid's edge; pass counts on a grid
///   padded by `Kernel.radius + 1` cells where that matters. Cost O(cells × 4σ/cs) (separable).
/// - `.previousCounts`: the training counts themselves ("last period's places").
/// - `.uniform`: the same score everywhere: with tie-averaged curves the diagonal, AUC 0.5,
///   PAI 1 — the no-information line.
public enum Baseline: Sendable, Hashable {
    case kde(sigma: Double, edgeCorrection: Bool = false)
    case previousCounts
    case uniform

    /// The baseline's score on the grid of `training`; cells outside `cells` are 0.
    public func score(training: Raster<Float>, cells: StudyCells) throws(RasterError) -> Raster<Float> {
        precondition(training.geometry == cells.geometry, "training counts on another grid")
        var counts = Raster<Float>(geometry: training.geometry, repeating: 0)
        for i in cells.indices { counts.values[i] = training.values[i] }
        switch self {
        case .previousCounts:
            return counts
        case .uniform:
            var r = Raster<Float>(geometry: training.geometry, repeating: 0)
            for i in cells.indices { r.values[i] = 1 }
            return r
        case .kde(let sigma, let edge):
            let mask = cells.mask
            let d = try KernelDensity.density(of: counts, kernel: .gaussian(sigma: sigma),
                                              edgeCorrection: edge ? mask : nil)
            var out = Raster<Float>(geometry: training.geometry, repeating: 0)
            for i in cells.indices { out.values[i] = d.values[i] }
            return out
        }
    }
}
