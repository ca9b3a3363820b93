// swift-tools-version: 6.0
// Benchmarks live in their own package so that `swift build`/`swift test` at the top level never
// build them. Run them with the scripts beside this file; they time the peers in ../../shared/peers
// in the same run and print ratios.
import PackageDescription

let package = Package(
    name: "RiskTerrainBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "RiskTerrain", path: "..")],  // name: the identity must not depend on the checkout folder
    targets: [
        // Distance transform, kernel density, rasterisation at London scale and beyond.
        .executableTarget(name: "RasterBench", dependencies: [.product(name: "RasterCore", package: "RiskTerrain")]),
        // GLM fits, elastic-net path with CV, stepwise on the London design.
        .executableTarget(name: "ModelBench", dependencies: [.product(name: "RiskModel", package: "RiskTerrain")]),
        // The pipeline's stages before model selection on a spec (the London study), with memory.
        .executableTarget(name: "LondonBench", dependencies: [.product(name: "RiskTerrain", package: "RiskTerrain"),
                                                              .product(name: "RasterCore", package: "RiskTerrain"),
                                                              .product(name: "RiskModel", package: "RiskTerrain")]),
        // A London-size patrol week: 200 hotspots, 10 teams, three operations.
        .executableTarget(name: "PatrolBench", dependencies: [.product(name: "Patrols", package: "RiskTerrain")]),
    ]
)
