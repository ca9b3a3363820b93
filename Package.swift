// swift-tools-version: 6.0
import PackageDescription

// MARK: - Products

let products: [Product] = [
    .executable(name: "rtm", targets: ["rtm"]),
    .library(name: "RiskTerrain", targets: ["RiskTerrain"]),
    .library(name: "RasterCore", targets: ["RasterCore"]),
    .library(name: "RiskModel", targets: ["RiskModel"]),
    // The weekly scheduler on its own, for Benchmarks/PatrolBench.
    .library(name: "Patrols", targets: ["Patrols"]),
]

// MARK: - Dependencies

let dependencies: [Package.Dependency] = [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
]

// MARK: - C libraries (system libraries: module map + shim only)

let cLibraries: [Target] = [
    .systemLibrary(name: "CGDAL", pkgConfig: "gdal", providers: [.apt(["libgdal-dev"])]),
    .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
    // FFT convolution for the non-separable kernel densities (quartic, uniform) in RasterCore.
    .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
]

// MARK: - Run-time CPU dispatch

// Code generation for the second builds of FilterKernels and RiskModel: Haswell (AVX2, FMA, BMI).
// Only on an x86-64 host: elsewhere the flag is an unknown CPU, and those builds are never called
// (CPUFeatures). Unsafe flags mean a package that depends on this one must do so by path, branch
// or revision, not by version.
#if arch(x86_64)
let haswell: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let haswell: [SwiftSetting] = []
#endif

// MARK: - Stages (one module per stage)

let stages: [Target] = [
    // Grid geometry, rasters, masks, rasterisation, distance transform, kernel density. Pure Swift
    // plus FFTW for FFT convolution.
    .target(name: "RasterCore", dependencies: ["CFFTW", "CPUFeatures", "FilterKernels", "FilterKernelsAVX2"]),
    // The separable filter's inner loops, one source compiled twice: for baseline x86-64 and for
    // Haswell (AVX2), which RasterCore calls only on CPUs that have it (FilterKernelSet).
    .target(name: "FilterKernels"),
    .target(name: "FilterKernelsAVX2", swiftSettings: haswell + [.define("FUSED_MULTIPLY_ADD")]),
    // GLMs (Poisson, NB2), cross-validated elastic net, stepwise BIC. Swift, and a C prefetch hint.
    .target(name: "RiskModel", dependencies: ["CPUFeatures", "CPrefetch", "RiskModelAVX2"]),
    // The same sources (Sources/RiskModelAVX2 is a link to Sources/RiskModel) compiled for
    // Haswell: RiskModel runs its cross-validated elastic net there on CPUs with AVX2. No FMA
    // contraction in Swift, so both builds give the same bits.
    .target(name: "RiskModelAVX2", dependencies: ["CPrefetch"], swiftSettings: haswell + [.define("RISKMODEL_AVX2")]),
    // A cache prefetch hint for RiskModel's gathers (Swift has no prefetch of its own).
    .target(name: "CPrefetch"),
    // Which of the twice-compiled modules this CPU may run.
    .target(name: "CPUFeatures"),
    // Risk clusters, ranking, factor shares, Gi*, evaluation metrics, disclosure. Pure Swift.
    .target(name: "Hotspots", dependencies: ["RasterCore"]),
    // Time-of-week profiles, operation rules and the weekly patrol scheduler. Pure Swift.
    .target(name: "Patrols"),
    // The only importer of GDAL and PROJ: vector/raster read, CRS, transforms, writers.
    .target(name: "GeoIO", dependencies: ["CGDAL", "CPROJ", "RasterCore"]),
    // The spec, the pipeline, reports and manifest: what the CLI and the tests drive.
    .target(name: "RiskTerrain", dependencies: [
        "GeoIO", "RasterCore", "RiskModel", "Hotspots", "Patrols", "CPUFeatures",
        .product(name: "Yams", package: "Yams"),
    ]),
    // Thin command-line interface.
    .executableTarget(name: "rtm", dependencies: [
        "RiskTerrain",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),
]

// MARK: - Tests

let tests: [Target] = [
    // Temporary folders removed when a test ends (used by the test targets that write files).
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "RasterCoreTests", dependencies: ["RasterCore", "CPUFeatures"], exclude: ["Golden"]),
    .testTarget(name: "RiskModelTests", dependencies: ["RiskModel", "CPUFeatures"], resources: [.copy("Golden")]),
    .testTarget(name: "GeoIOTests", dependencies: ["GeoIO", "RasterCore", "TestSupport"], resources: [.copy("Fixtures")]),
    .testTarget(name: "RiskTerrainTests", dependencies: ["RiskTerrain", "GeoIO", "Patrols", "TestSupport", "CPUFeatures"], exclude: ["Golden", "Hostile"]),
    .testTarget(name: "HotspotsTests", dependencies: ["Hotspots"], exclude: ["Golden"]),
    .testTarget(name: "PatrolsTests", dependencies: ["Patrols", "RiskModel"]),
    .testTarget(name: "rtmTests", dependencies: ["rtm", "GeoIO", "TestSupport"]),
]

let package = Package(
    name: "RiskTerrain",
    platforms: [.macOS(.v14)],
    products: products,
    dependencies: dependencies,
    targets: cLibraries + stages + tests
)
