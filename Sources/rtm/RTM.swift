import ArgumentParser
import RiskTerrain
#if canImport(Glibc)
/// glibc's `mallopt` (malloc.h is not in Swift's Glibc module map); parameters from malloc.h.
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let M_TRIM_THRESHOLD: Int32 = -1, M_MMAP_THRESHOLD: Int32 = -3
#endif

@main
struct RTM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rtm",
        abstract: "Risk terrain modelling: crime, StreetSafe reports and place features to risk maps and patrol plans.",
        version: RiskTerrainVersion.summary,
        subcommands: [Run.self, Validate.self, Evaluate.self, Patrols.self, Inspect.self, Demo.self, Synth.self]
    )

    static func main() {
        Interrupts.install()
        #if canImport(Glibc)
        // Keep large rasters in the heap so a freed one is reused by the next instead of being
        // unmapped and faulted in again (glibc's dynamic threshold stops at 32 MiB: every raster
        // of a 4× London grid was a fresh mmap).
        _ = mallopt(M_MMAP_THRESHOLD, 1 << 30)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
        #endif
        main(nil)
    }
}
