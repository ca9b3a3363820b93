import Foundation
import RasterCore
import Testing
@testable import GeoIO

/// PROJ's own log lines go to the transformer (and from there into rtm's error), never to stderr.
@Suite struct ProjLogTests {
    @Test func projMessagesAreKeptNotPrinted() throws {
        let t = try CoordinateTransformer(from: try CRS("EPSG:4326"), to: try CRS("EPSG:27700"))
        let stderrBefore = try captureStderr {
            var points = [Point2(0, 95), Point2(200, 0), Point2(-0.1, 51.5)]
            _ = t.transform(&points)
            #expect(points[2].x.isFinite && !points[0].x.isFinite)
        }
        #expect(stderrBefore.isEmpty, "PROJ printed: \(stderrBefore)")
    }

    /// Runs `body` with file descriptor 2 sent to a pipe; returns what was written there.
    func captureStderr(_ body: () throws -> Void) throws -> String {
        let pipe = Pipe()
        let saved = dup(2)
        dup2(pipe.fileHandleForWriting.fileDescriptor, 2)
        defer { dup2(saved, 2); close(saved) }
        try body()
        fflush(nil)
        dup2(saved, 2)
        try pipe.fileHandleForWriting.close()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}
