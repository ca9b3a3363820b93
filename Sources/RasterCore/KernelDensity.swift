#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kernel density of binned features (points counted per cell, or burned line/polygon cells),
/// in features per km².
///
/// The discrete kernel (see `Kernel`) sums to 1 over its cells, so the density is
/// `Σ counts × weight × 10⁶ / cs²` and mass is conserved: Σ density × cs² / 10⁶ = Σ counts,
/// as long as the kernel stays on the grid. Mass falling off the grid is lost (zero boundary,
/// like scipy `mode="constant"` and OpenCV `BORDER_CONSTANT`): compute on a grid padded by
/// `Kernel.radius(cellSize:) + 1` cells beyond the study area, so every feature that can reach
/// the study area is on the grid and no mass leaves it from study-area cells.
///
/// Algorithm, chosen by `Method.automatic` from the measured costs on 2 cores
/// (docs/benchmarks-raster.md):
/// - Gaussian: `SeparableFilter`, two 1-D passes, exact to the truncated kernel, O(cells × R) —
///   faster than the FFT up to R ≈ `separableMaxRadius` cells, FFT beyond.
/// - Quartic / uniform (radially symmetric, not separable): `SparseSplat` when the features are
///   few (cost non-zero cells × (2R+1)²), else `FFTConvolution` (cost O(P log P), independent
///   of the bandwidth).
///
/// Edge correction (optional): each study-area cell is divided by the kernel mass that falls on
/// study-area cells, `(K ∗ mask)(c)`, the spatstat `density.ppp(edge = TRUE)` correction
/// (Diggle 1985); cells outside the mask are left uncorrected. The corrected surface no longer
/// conserves mass: it compensates for the unobserved area beyond the boundary.
public enum KernelDensity {
    /// Which convolution to use; `.automatic` picks by cost.
    public enum Method: Sendable, Hashable { case automatic, separable, fft, splat }

    /// Gaussian kernels with a radius up to this many cells use separable passes, larger ones FFT.
    public static let separableMaxRadius = 48
    /// Splat when (non-zero cells) × (2R+1)² ≤ this × (padded cells) × log₂(padded cells).
    public static let splatCostFactor = 0.5

    /// The largest kernel accepted, (2R+1)² weights; beyond this the bandwidth is not sensible
    /// for a cell size (e.g. σ = 100 km at 1 m cells).
    public static let maximumKernelCells = 100_000_000

    /// Density of `counts` in features per km² under `kernel`, on the same grid.
    /// - Parameters:
    ///   - edgeCorrection: the study-area mask on `counts`' grid; divides by the kernel mass
    ///     inside it (see above). Must be on the same grid.
    /// - Throws: `.invalidBandwidth` for a non-positive or non-finite bandwidth or a kernel over
    ///   `maximumKernelCells`, `.mismatchedGrids` for a mask on another grid — before allocating.
    public static func density(of counts: Raster<Float>, kernel: Kernel, method: Method = .automatic,
                               edgeCorrection mask: BitMatrix? = nil) throws(RasterError) -> Raster<Float> {
        try kernel.validate()
        let g = counts.geometry
        let r = kernel.radius(cellSize: g.cellSize)
        guard (2 * r + 1) * (2 * r + 1) <= maximumKernelCells else { throw .invalidBandwidth(kernel.bandwidth) }
        if let mask, mask.geometry != g { throw .mismatchedGrids }
        let chosen = choose(method, kernel: kernel, radius: r, geometry: g, nonZero: { counts.values.reduce(0) { $1 != 0 ? $0 + 1 : $0 } })
        var values = convolve(counts.values, geometry: g, kernel: kernel, radius: r, method: chosen)
        if let mask {
            let maskValues = mask.raster(of: Float.self).values
            let mass = convolve(maskValues, geometry: g, kernel: kernel, radius: r,
                                method: chosen == .splat ? choose(.automatic, kernel: kernel, radius: r, geometry: g, nonZero: { mask.popcount }) : chosen)
            for i in mask.setIndices where mass[i] > 0 { values[i] /= mass[i] }
        }
        let perKm2 = Float(1e6 / (g.cellSize * g.cellSize))
        for i in values.indices { values[i] *= perKm2 }
        return Raster(geometry: g, values: values)
    }

    /// The method `.automatic` picks for `kernel` on `geometry` with `nonZeroCells` non-zero inputs.
    public static func automaticMethod(for kernel: Kernel, on geometry: GridGeometry, nonZeroCells: Int) -> Method {
        choose(.automatic, kernel: kernel, radius: kernel.radius(cellSize: geometry.cellSize), geometry: geometry, nonZero: { nonZeroCells })
    }

    /// The method `.automatic` resolves to.
    static func choose(_ method: Method, kernel: Kernel, radius r: Int, geometry g: GridGeometry,
                       nonZero: () -> Int) -> Method {
        if method != .automatic { return method == .separable && !kernel.isSeparable ? .fft : method }
        if kernel.isSeparable { return r <= separableMaxRadius ? .separable : .fft }
        let padded = Double(FFTConvolution.smoothSize(g.height + r) * FFTConvolution.smoothSize(g.width + r))
        let splatCost = Double(nonZero()) * Double((2 * r + 1) * (2 * r + 1))
        return splatCost <= splatCostFactor * padded * log2(padded) ? .splat : .fft
    }

    static func convolve(_ values: [Float], geometry g: GridGeometry, kernel: Kernel, radius r: Int, method: Method) -> [Float] {
        switch method {
        case .separable:
            return SeparableFilter.apply(values, width: g.width, height: g.height, weights: kernel.separableWeights(cellSize: g.cellSize))
        case .fft, .automatic:
            let k = kernel.weights(cellSize: g.cellSize)
            return FFTConvolution.apply(values, width: g.width, height: g.height, kernel: k.values, radius: k.radius)
        case .splat:
            let k = kernel.weights(cellSize: g.cellSize)
            return SparseSplat.apply(values, width: g.width, height: g.height, kernel: k.values, radius: k.radius)
        }
    }
}
