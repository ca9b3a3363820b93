import Foundation
import Testing

/// The `rtm` binary over the whole hostile-input corpus (Tests/RiskTerrainTests/Hostile): every
/// file ends in exit 0 or 1 with at most one line of error each, never in a signal (a trap, an
/// overflow) or a hang.
@Suite struct HostileCLITests {
    static let folder = packageRoot.appendingPathComponent("Tests/RiskTerrainTests/Hostile").path

    @Test func everyHostileFileEndsInAnExitCodeNotATrap() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder).sorted()
            .filter { name in !["README.md", "make_hostile.sh", "make_cache_entries.py"].contains(name) && ![".shx", ".dbf", ".prj", ".cpg"].contains { name.hasSuffix($0) } }
        #expect(names.count >= 75)
        var failures = 0
        for name in names {
            let path = Self.folder + "/" + name
            let r = try RTMBinary.run([name.hasSuffix(".yaml") ? "validate" : "inspect", path])
            #expect(r.status == 0 || r.status == 1, "\(name): exit \(r.status) \(r.stderr)")
            if r.status != 0 {
                failures += 1
                #expect(r.stderr.hasPrefix("rtm: ") && r.stderr.split(separator: "\n").count == 1, "\(name): \(r.stderr)")
            }
        }
        #expect(failures >= 30, "only \(failures) of \(names.count) refused")
    }
}
