import CPUFeatures
import FilterKernels
import FilterKernelsAVX2

/// The build of the separable filter's inner loops this CPU runs: the Haswell (AVX2 + FMA) build
/// when the CPU reports every feature that build may use, the baseline build otherwise — run-time
/// dispatch, as OpenCV does, since Swift has no per-function target features. The two agree to
/// Float rounding (the fused taps round once; `avx2KernelsAgreeWithTheBaselineBuild`), and each
/// gives the same bytes on every run on a given machine. Measured at 1600² (RasterBench, the two
/// builds alternating, best median of three runs each; Gaussian 100 / 250 / 500 / 1000 m
/// separable): 4.3 / 9.6 / 20.3 / 38.6 ms against 6.8 / 14.5 / 27.9 / 54.6 ms for the baseline.
/// `RTM_SIMD=baseline` forces the baseline.
struct FilterKernelSet: Sendable {
    let name: String
    /// Separable Gaussian cost per cell per tap pair (R + 1 per cell) with every row gathered,
    /// CPU ns, measured at 1600²: baseline 0.23–0.26 at R = 16, 40, 160; the AVX2 + FMA build
    /// 0.19–0.21 at R = 16, 40, 80 (one load-bound add and one FMA per tap and 8 lanes). Doubled
    /// when (2R+1) rows of the grid exceed `KernelDensity.l2Bytes` (10000², R = 40 on 1 %-dense
    /// counts: 10.4 ns per cell, against 5.4 without the doubling).
    let nanosecondsPerTap: Double
    let columnSums: @Sendable (UnsafeMutablePointer<Float>, UnsafePointer<UnsafePointer<Float>>,
                               UnsafePointer<Float>, Int, Int, Int) -> Void
    let rowPass: @Sendable (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, Int, Int) -> Void
    let scatter: @Sendable (UnsafeMutablePointer<Float>, UnsafePointer<Int32>, Int, UnsafePointer<Float>,
                            UnsafePointer<SIMD8<Float>>, Int) -> Void

    static let baseline = FilterKernelSet(
        name: "baseline", nanosecondsPerTap: 0.26,
        columnSums: { FilterKernels.Kernels.columnSums($0, rows: $1, taps: $2, radius: $3, from: $4, to: $5) },
        rowPass: { FilterKernels.Kernels.rowPass($0, $1, taps: $2, radius: $3, count: $4) },
        scatter: { FilterKernels.Kernels.scatter(into: $0, columns: $1, count: $2, values: $3, kernel: $4, lanes: $5) })

    static let avx2 = FilterKernelSet(
        name: "haswell", nanosecondsPerTap: 0.2,
        columnSums: { FilterKernelsAVX2.Kernels.columnSums($0, rows: $1, taps: $2, radius: $3, from: $4, to: $5) },
        rowPass: { FilterKernelsAVX2.Kernels.rowPass($0, $1, taps: $2, radius: $3, count: $4) },
        scatter: { FilterKernelsAVX2.Kernels.scatter(into: $0, columns: $1, count: $2, values: $3, kernel: $4, lanes: $5) })

    /// Chosen once per process (`CPUFeatures.useHaswell`).
    static let current: FilterKernelSet = CPUFeatures.useHaswell ? avx2 : baseline
}
