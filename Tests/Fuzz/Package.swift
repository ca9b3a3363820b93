// swift-tools-version: 6.0
import Foundation
import PackageDescription

// libFuzzer targets for the spec parser, the CSV/point reader (issue 8) and the layer cache's
// entry reader (issue 24). Built and run by
// scripts/fuzz.sh with `-sanitize=fuzzer,address` into its own scratch path; kept out of the main
// package so its products and tests stay free of fuzzing entry points.

// MARK: - The main package, by path (its identity is its folder's name, whatever the clone is called)

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

// MARK: - Fuzz targets: no main; libFuzzer's main calls LLVMFuzzerTestOneInput

let fuzzer: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "RTMFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: root.path)],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzSpec", dependencies: ["FuzzDriver", .product(name: "RiskTerrain", package: rootIdentity)],
                          swiftSettings: fuzzer),
        .executableTarget(name: "FuzzPoints", dependencies: ["FuzzDriver", .product(name: "RiskTerrain", package: rootIdentity)],
                          swiftSettings: fuzzer),
        // the layer cache's entry reader (`LayerCache.decode`, internal: the build has -enable-testing)
        .executableTarget(name: "FuzzCache", dependencies: ["FuzzDriver", .product(name: "RiskTerrain", package: rootIdentity),
                                                            .product(name: "RasterCore", package: rootIdentity)],
                          swiftSettings: fuzzer),
    ]
)
