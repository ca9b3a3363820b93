import Foundation
import Testing

@Test func versionRuns() throws {
    let r = try RTMBinary.run(["--version"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("rtm "))
}
