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
/// Algorithm, chosen by `Method.automatic` from costs measured on this 2-core VM
/// (docs/benchmarks-raster.md); every method computes the same discrete convolution:
/// - Gaussian: `SeparableFilter`, two 1-D passes, exact to the truncated kernel, O(cells × R),
///   or the tiled FFT with the spectrum from two 1-D DFTs, whichever the calibrated cost model
///   (`FilterKernelSet.nanosecondsPerTap`, `fftNanosecondsPerUnit`) says is cheaper, unless only
///   one of them keeps its working memory within the output's size (then that one). At 1600² on 1M
///   binned points (measured CPU): separable at R = 40 (σ = 250 m), 24 against 28 ms; FFT at
///   R = 80, 43 against 53 ms, and at R = 160 (one threaded window), 51 against 106 ms. On grids
///   so wide that 2R+1 rows leave L2 the separable cost per tap doubles (10000², R = 40).
/// - Quartic / uniform (radially symmetric, not separable): `SparseSplat` when the features are
///   few (cost non-zero cells × (2R+1)², e.g. 2,000 bars), else the tiled `FFTConvolver`
///   (O(cells × log T), independent of the kernel's area). A per-row "scanline" decomposition
///   would still cost O(cells × R); exact O(1)-per-cell running sums of the quartic's polynomial
///   moments lose Float precision, so were not used.
///
/// Edge correction (optional): each study-area cell is divided by the kernel mass that falls on
/// study-area cells, `(K ∗ mask)(c)`, the spatstat `density.ppp(edge = TRUE)` correction
/// (Diggle 1985); cells outside the mask are left uncorrected. The corrected surface no longer
/// conserves mass: it compensates for the unobserved area beyond the boundary.
public enum KernelDensity {
    /// Which convolution to use; `.automatic` picks by cost.
    public enum Method: Sendable, Hashable { case automatic, separable, fft, splat }

    /// Tiled-FFT cost per `FFTConvolution.cost` unit, CPU ns, measured at 1600² (0.215 at R = 39,
    /// 0.24 at R = 9, 0.28 at R = 80 in two 1024² windows).
    static let fftNanosecondsPerUnit = 0.25
    /// L2 per core on the target VMs.
    static let l2Bytes = 2 << 20
    /// Splat when (non-zero cells) × (2R+1)² ≤ this × `FFTConvolution.cost` (measured at 1600²:
    /// 1.45 ns per splat multiply-add, 0.19 ns per FFT cost unit, so ≈ 1/7.6).
    public static let splatCostFactor = 0.12

    /// The largest kernel accepted, (2R+1)² weights; beyond this the bandwidth is not sensible
    /// for a cell size (e.g. σ = 100 km at 1 m cells).
    public static let maximumKernelCells = 100_000_000

    /// Density of `counts` in features per km² under `kernel`, on the same grid.
    /// One-shot form of `KernelSmoother`; prefer a smoother when several layers share a kernel.
    /// - Parameters:
    ///   - edgeCorrection: the study-area mask on `counts`' grid; divides by the kernel mass
    ///     inside it (see above). Must be on the same grid.
    /// - Throws: `.invalidBandwidth` for a non-positive or non-finite bandwidth or a kernel over
    ///   `maximumKernelCells`, `.mismatchedGrids` for a mask on another grid — before allocating.
    public static func density(of counts: Raster<Float>, kernel: Kernel, method: Method = .automatic,
                               edgeCorrection mask: BitMatrix? = nil) throws(RasterError) -> Raster<Float> {
        try KernelSmoother(kernel: kernel, geometry: counts.geometry, method: method)
            .density(of: counts, edgeCorrection: mask)
    }

    /// Density at the cells of `mask` (see `KernelSmoother.density(of:at:)`).
    public static func density(of counts: Raster<Float>, kernel: Kernel, method: Method = .automatic,
                               at mask: BitMatrix) throws(RasterError) -> Raster<Float> {
        try KernelSmoother(kernel: kernel, geometry: counts.geometry, method: method).density(of: counts, at: mask)
    }

    /// Number of non-zero cells.
    static func nonZeroCount(_ values: [Float]) -> Int {
        values.withUnsafeBufferPointer { nonZeroCount($0.baseAddress!, values.count) }
    }

    /// Number of non-zero values in p[0..<n], eight lanes at a time: a compare and a subtract
    /// per block (the scalar `v != 0 ? 1 : 0` loop compiles to a branch per cell, 13× slower on
    /// a 20 % dense grid).
    static func nonZeroCount(_ p: UnsafePointer<Float>, _ n: Int) -> Int {
        var lanes = SIMD8<Int32>(repeating: 0), c = 0
        while c + 8 <= n {
            // A true lane is all ones (−1): subtracting it counts one.
            lanes &-= unsafeBitCast(UnsafeRawPointer(p + c).loadUnaligned(as: SIMD8<Float>.self) .!= 0, to: SIMD8<Int32>.self)
            c += 8
        }
        var count = Int(lanes.wrappedSum())
        while c < n { if p[c] != 0 { count += 1 }; c += 1 }
        return count
    }

    /// The method `.automatic` picks for `kernel` on `geometry` with `nonZeroCells` non-zero inputs.
    public static func automaticMethod(for kernel: Kernel, on geometry: GridGeometry, nonZeroCells: Int) -> Method {
        choose(.automatic, kernel: kernel, radius: kernel.radius(cellSize: geometry.cellSize), geometry: geometry, nonZero: { nonZeroCells })
    }

    /// The method `.automatic` resolves to.
    static func choose(_ method: Method, kernel: Kernel, radius r: Int, geometry g: GridGeometry,
                       nonZero: () -> Int) -> Method {
        if method != .automatic { return method == .separable && !kernel.isSeparable ? .fft : method }
        if kernel.isSeparable {
            let rowsFit = (2 * r + 1) * g.width * MemoryLayout<Float>.size <= l2Bytes
            // Wall clock: the separable passes split rows over every worker; the FFT's windows
            // may not (see `FFTConvolution.wallCost`). The row pass scatters sparse rows
            // (`SeparableFilter.rowPassShare`): half the dense cost is the column pass.
            func separable(share: Double) -> Double {
                FilterKernelSet.current.nanosecondsPerTap * Double(r + 1) * (0.5 + 0.5 * share) * (rowsFit ? 1 : 2)
                    * Double(g.cellCount) / Double(Parallel.workers)
            }
            let fft = fftNanosecondsPerUnit * FFTConvolution.wallCost(height: g.height, width: g.width, radius: r)
            // Memory first: keep the working buffers within the output's size (peak ≤ 2× the
            // output) when one method can. At 1600², σ = 1000 m, the FFT's single 1920² window
            // (14.8 MB) would take the peak to 2.7× the output; the separable rings stay at 1.6×.
            let budget = g.cellCount * MemoryLayout<Float>.size
            let fftFits = FFTConvolution.workingBytes(height: g.height, width: g.width, radius: r, separable: true) <= budget
            let separableFits = SeparableFilter.workingBytes(width: g.width, radius: r) <= budget
            if fftFits != separableFits { return separableFits ? .separable : .fft }
            // Count the non-zero cells (a pass over the grid) only when the share decides.
            if separable(share: 1) <= fft { return .separable }
            if separable(share: 0) > fft { return .fft }
            return separable(share: SeparableFilter.rowPassShare(nonZero: nonZero(), cells: g.cellCount, radius: r)) <= fft
                ? .separable : .fft
        }
        let splatCost = Double(nonZero()) * Double((2 * r + 1) * (2 * r + 1))
        return splatCost <= splatCostFactor * FFTConvolution.cost(height: g.height, width: g.width, radius: r) ? .splat : .fft
    }

    /// `values` convolved with the kernel times `scale` (folded into the weights: no extra pass).
    /// With a `window`, only its cells (see `SeparableFilter.Window`): the separable filter
    /// computes just those; the other methods compute the grid and keep them.
    static func convolve(_ values: [Float], geometry g: GridGeometry, kernel: Kernel, radius r: Int, method: Method,
                         scale: Double = 1, window: SeparableFilter.Window? = nil) -> [Float] {
        switch method {
        case .separable:
            let root = scale.squareRoot()
            return SeparableFilter.apply(values, width: g.width, height: g.height,
                                         weights: kernel.separableWeights(cellSize: g.cellSize).map { $0 * root }, window: window)
        case .fft, .automatic:
            let k = kernel.weights(cellSize: g.cellSize)
            let root = scale.squareRoot()
            let all = FFTConvolution.apply(values, width: g.width, height: g.height, kernel: k.values.map { $0 * scale }, radius: k.radius,
                                           separable: kernel.isSeparable ? kernel.separableWeights(cellSize: g.cellSize).map { $0 * root } : nil)
            return window.map { $0.cut(all, gridWidth: g.width) } ?? all
        case .splat:
            let k = kernel.weights(cellSize: g.cellSize)
            let all = SparseSplat.apply(values, width: g.width, height: g.height, kernel: k.values.map { $0 * scale }, radius: k.radius)
            return window.map { $0.cut(all, gridWidth: g.width) } ?? all
        }
    }
}

/// A kernel prepared for one grid, to smooth many layers with the same bandwidth (in an RTM run
/// every factor is smoothed at the same increments). It keeps the kernel's weights, its FFT
/// spectrum once computed, and the edge-correction mass of the last study-area mask, so the
/// second and later layers skip the kernel transform and the mass convolution. Not thread-safe:
/// use one smoother per thread.
public final class KernelSmoother {
    public let kernel: Kernel
    public let geometry: GridGeometry
    public let method: KernelDensity.Method
    let radius: Int
    private var fft: FFTConvolver?
    private var massCache: (mask: BitMatrix, mass: [Float])?

    /// Checks the kernel and the grid before anything is allocated (see `KernelDensity.density`).
    public init(kernel: Kernel, geometry: GridGeometry, method: KernelDensity.Method = .automatic) throws(RasterError) {
        try kernel.validate()
        let r = kernel.radius(cellSize: geometry.cellSize)
        guard (2 * r + 1) * (2 * r + 1) <= KernelDensity.maximumKernelCells else { throw .invalidBandwidth(kernel.bandwidth) }
        self.kernel = kernel
        self.geometry = geometry
        self.method = method
        self.radius = r
    }

    /// Density of `counts` in features per km² (see `KernelDensity`).
    public func density(of counts: Raster<Float>, edgeCorrection mask: BitMatrix? = nil) throws(RasterError) -> Raster<Float> {
        guard counts.geometry == geometry else { throw .mismatchedGrids }
        if let mask, mask.geometry != geometry { throw .mismatchedGrids }
        let chosen = KernelDensity.choose(method, kernel: kernel, radius: radius, geometry: geometry,
                                          nonZero: { KernelDensity.nonZeroCount(counts.values) })
        // The kernel carries the 10⁶/cs² to features per km², so no pass over the output is added.
        let perKm2 = 1e6 / (geometry.cellSize * geometry.cellSize)
        var values = convolve(counts.values, chosen, scale: perKm2)
        if let mask {
            let mass: [Float]   // kernel mass inside the mask, times perKm2
            if let cached = massCache, cached.mask == mask {
                mass = cached.mass
            } else {
                let m = chosen == .splat
                    ? KernelDensity.choose(.automatic, kernel: kernel, radius: radius, geometry: geometry, nonZero: { mask.popcount })
                    : chosen
                mass = convolve(mask.raster(of: Float.self).values, m, scale: perKm2)
                massCache = (mask, mass)
            }
            let s = Float(perKm2)
            for i in mask.setIndices where mass[i] > 0 { values[i] = values[i] / mass[i] * s }
        }
        return Raster(geometry: geometry, values: values)
    }

    /// Density of `counts` in features per km² at the cells of `mask`, a layer on a grid on the
    /// same lattice inside this one (e.g. the study area inside the grid padded for the kernel's
    /// reach): on `mask`'s grid, each row from its first to its last mask cell, with the values of
    /// `density(of:)` there bit for bit, and 0 in the rest of the row. What "density above
    /// mean + k SD" over a study area reads; the separable filter computes only those cells (at
    /// London's 25 m grid padded for σ = 600 m, 2.6 M of 4.0 M cells).
    public func density(of counts: Raster<Float>, at mask: BitMatrix) throws(RasterError) -> Raster<Float> {
        guard counts.geometry == geometry else { throw .mismatchedGrids }
        let (r0, c0) = try geometry.offset(of: mask.geometry)
        let sub = mask.geometry
        let chosen = KernelDensity.choose(method, kernel: kernel, radius: radius, geometry: geometry,
                                          nonZero: { KernelDensity.nonZeroCount(counts.values) })
        let window = SeparableFilter.Window(row: r0, col: c0, height: sub.height, width: sub.width, spans: mask.rowSpans())
        let perKm2 = 1e6 / (geometry.cellSize * geometry.cellSize)
        return Raster(geometry: sub, values: convolve(counts.values, chosen, scale: perKm2, window: window))
    }

    private func convolve(_ values: [Float], _ method: KernelDensity.Method, scale: Double,
                          window: SeparableFilter.Window? = nil) -> [Float] {
        switch method {
        case .fft, .automatic:
            if fft == nil {
                let k = kernel.weights(cellSize: geometry.cellSize)
                let root = scale.squareRoot()
                fft = FFTConvolver(height: geometry.height, width: geometry.width,
                                   kernel: k.values.map { $0 * scale }, radius: k.radius,
                                   separable: kernel.isSeparable ? kernel.separableWeights(cellSize: geometry.cellSize).map { $0 * root } : nil)
            }
            let all = fft!.apply(values)
            return window.map { $0.cut(all, gridWidth: geometry.width) } ?? all
        case .separable, .splat:
            return KernelDensity.convolve(values, geometry: geometry, kernel: kernel, radius: radius, method: method,
                                          scale: scale, window: window)
        }
    }
}
