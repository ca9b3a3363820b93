/// What a fuzz target's `LLVMFuzzerTestOneInput` is: one input, as bytes; 0 to go on.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>, Int) -> Int32

/// libFuzzer's `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*cb)(const uint8_t*, size_t))`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: FuzzCallback) -> Int32

/// SwiftPM links an executable target's entry point as `<target>_main`; each target's one calls
/// this, which hands control to libFuzzer's driver (the fuzzer's own `main` is not linked then).
public func runFuzzer(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ callback: FuzzCallback) -> Int32 {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector, callback)
}
