import Foundation
import GeoIO
import FuzzDriver
import RiskTerrain

/// One CSV of points, as bytes: written to a file in /dev/shm (memory) and read the way `rtm run`
/// reads an outcome — coordinate columns detected and reprojected into British National Grid, then
/// with x/y named and a declared CRS, and with a where and time filter. Errors are rendered; traps
/// are findings.
let file = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()) + "/rtm-fuzz-\(getpid()).csv"
nonisolated(unsafe) let bng = try! CRS("EPSG:27700")
nonisolated(unsafe) let wgs84 = try! CRS.wgs84

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPoints(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard FileManager.default.createFile(atPath: file, contents: Data(bytes: data, count: size)) else { return 0 }
    let queries = [VectorQuery(), VectorQuery(declaredCRS: wgs84, xColumn: "longitude", yColumn: "latitude"),
                   VectorQuery(whereClause: "crime_type = 'Violence and sexual offences'", time: TimeFilter(field: "month", from: "2024-01", to: "2024-06"))]
    for (i, q) in queries.enumerated() {
        do {
            // reprojection once: creating a PROJ transformation costs more than reading the file
            let set = try VectorReader.read(file, query: q, into: i == 0 ? bng : nil)
            _ = set.report.summary
            _ = set.extent
        } catch {
            _ = String(describing: error)
        }
    }
    return 0
}

/// The entry point SwiftPM links (`<target>_main`): libFuzzer's driver.
@_cdecl("FuzzPoints_main")
public func fuzzPointsMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzPoints)
}
