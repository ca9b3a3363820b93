import FuzzDriver
import RiskTerrain

/// One spec, as bytes: parsed and, when it fails, its error rendered (the text a user reads).
/// Anything but a clean return or a thrown `SpecError` is a finding: a trap, an overflow, a hang
/// (libFuzzer's -timeout), memory past -rss_limit_mb.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpec(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let spec = try SpecParser.parse(text, path: "/fuzz/spec.yaml")
        _ = spec.factors.map { $0.candidateCount(blockLength: spec.blockLength) }
    } catch {
        _ = String(describing: error)
    }
    return 0
}

/// The entry point SwiftPM links (`<target>_main`): libFuzzer's driver.
@_cdecl("FuzzSpec_main")
public func fuzzSpecMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzSpec)
}
