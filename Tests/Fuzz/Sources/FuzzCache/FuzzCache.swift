import Foundation
import FuzzDriver
import RasterCore
@testable import RiskTerrain

/// One layer-cache entry, as bytes, read the way a run reads `.rtm-cache/KEY.rtml`: once as it
/// is (the checksum refuses almost every mutation), and once with its last 8 bytes replaced by the
/// checksum of the rest, so mutations of the header and its lengths reach every check past it.
/// For key "hostile" on the 4 × 2 grid of the corpus's entries (Hostile/cache_*.rtml). A return,
/// layers or nil, is fine; a trap (an integer overflow, an out-of-bounds read) is a finding.
nonisolated(unsafe) let grid = try! GridGeometry(originX: 0, originY: 50, cellSize: 25, width: 4, height: 2)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCache(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    _ = LayerCache.decode(Data(bytes), key: "hostile", factor: "fuzz", grid: grid)
    if bytes.count >= 24 {
        let body = bytes.count - 8
        let sum = bytes.withUnsafeBytes { LayerCache.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<body])) }
        withUnsafeBytes(of: sum.littleEndian) { for i in 0..<8 { bytes[body + i] = $0[i] } }
        if let layers = LayerCache.decode(Data(bytes), key: "hostile", factor: "fuzz", grid: grid) {
            _ = layers.map(\.name)
        }
    }
    return 0
}

/// The entry point SwiftPM links (`<target>_main`): libFuzzer's driver.
@_cdecl("FuzzCache_main")
public func fuzzCacheMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzCache)
}
