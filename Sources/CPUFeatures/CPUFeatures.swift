#if canImport(Glibc)
import Glibc
#endif

/// Which instruction sets this process may use beyond baseline x86-64, for the modules compiled
/// twice (`FilterKernels`/`FilterKernelsAVX2`, `RiskModel`/`RiskModelAVX2`): Swift has no
/// per-function target features, so the Haswell copy is a whole module, called only when the CPU
/// has what that build may emit. Decided once per process.
public enum CPUFeatures {
    /// Call the Haswell (AVX2) builds: the CPU has the features and `RTM_SIMD` is not `baseline`.
    public static let useHaswell: Bool = {
        if let forced = getenv("RTM_SIMD"), String(cString: forced) == "baseline" { return false }
        return cpuHasHaswell
    }()

    /// The Haswell features the compiler may emit for plain arithmetic and bit operations, as
    /// Linux lists them in /proc/cpuinfo (`abm` is LZCNT); Linux drops `avx`/`avx2` when the OS
    /// does not save the YMM state. Other systems: false (baseline builds only).
    public static let cpuHasHaswell: Bool = {
        #if arch(x86_64) && os(Linux)
        guard let file = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil, capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let text = line {
            let s = String(cString: text)
            guard s.hasPrefix("flags") else { continue }
            let flags = Set(s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == ":" }))
            return ["avx", "avx2", "bmi1", "bmi2", "fma", "f16c", "movbe", "abm", "popcnt", "xsave"]
                .allSatisfy { flags.contains($0[...]) }
        }
        return false
        #else
        return false
        #endif
    }()
}
