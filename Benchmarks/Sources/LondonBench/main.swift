// LondonBench: the stages of `rtm run` that come before model selection (read inputs, grid,
// candidate influences, design), timed one by one with the process's peak and current RSS after
// each, and the memory the candidate layers and the design hold. Used by run_london.sh for the
// scaling table (0.25×, 1×, 4× London) and to fill a layer cache for the rerun measurement.
// usage: LondonBench --spec SPEC [--cache DIR] [--drop-factor NAME] [--json FILE]
import Foundation
import RasterCore
import RiskModel
import RiskTerrain

var specPath: String?, cacheDir: String?, dropFactor: String?, jsonPath: String?
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--spec": specPath = args.next()!
    case "--cache": cacheDir = args.next()!
    case "--drop-factor": dropFactor = args.next()!
    case "--json": jsonPath = args.next()!
    default: fatalError("unknown argument \(a); usage: LondonBench --spec SPEC [--cache DIR] [--drop-factor NAME] [--json FILE]")
    }
}
guard let specPath else { fatalError("--spec SPEC is required") }

/// Peak RSS of this process so far, MiB (getrusage: kilobytes on Linux).
func peakMiB() -> Double {
    var u = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    return Double(u.ru_maxrss) / 1024
}

/// Current RSS, MiB (/proc/self/statm: pages).
func currentMiB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return .nan }
    let pages = Double(s.split(separator: " ")[1]) ?? .nan
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

struct Row: Encodable { let stage: String; let seconds: Double; let peakMib: Double; let currentMib: Double; let note: String }
var rows: [Row] = []
let clock = ContinuousClock()
@MainActor func timed<T>(_ stage: String, note: (T) -> String = { _ in "" }, _ body: () throws -> T) rethrows -> T {
    let t0 = clock.now
    let r = try body()
    let d = clock.now - t0
    let row = Row(stage: stage, seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18,
                  peakMib: peakMiB(), currentMib: currentMiB(), note: note(r))
    rows.append(row)
    FileHandle.standardError.write(String(format: "  %-12@ %8.3f s  peak %7.0f MiB  now %7.0f MiB  %@\n",
                                          stage as NSString, row.seconds, row.peakMib, row.currentMib, row.note as NSString).data(using: .utf8)!)
    return r
}

var spec = try SpecParser.load(specPath)
if let dropFactor { spec.factors.removeAll { $0.name == dropFactor } }
let cache = cacheDir.map(LayerCache.init)
let inputs = try timed("read_inputs", note: { "\($0.factors.count) factors, \($0.outcome.count) events" }) { try StudyInputs.load(spec) }
let grid = try timed("grid", note: { "\($0.geometry.width)×\($0.geometry.height), \($0.cellsInside) cells inside" }) {
    try AnalysisGrid(studyArea: inputs.studyArea, on: GridGeometry(covering: inputs.studyExtent, cellSize: spec.cellSize))
}
let layers = try timed("influences", note: { (l: [CandidateLayer]) in
    cache.map { "\(l.count) layers: \($0.layersFromCache) from cache, \($0.layersComputed) computed" } ?? "\(l.count) layers computed"
}) { try CandidateLayers.build(inputs, grid: grid, cache: cache) }
let design = try timed("design", note: { "\($0.design.columnCount) columns, \($0.dropped.count) dropped, \($0.events) events" }) {
    try AnalysisDesign.build(grid: grid, outcome: inputs.outcome.geometries, candidates: layers)
}

// What the candidates and the design hold, against Float32 per cell.
var layerBytes = 0, designBytes = 0
for l in layers {
    switch l.values {
    case .binary(let b): layerBytes += b.words.count * 8
    case .continuous(let r): layerBytes += r.values.count * 4
    }
}
for c in design.design.columns {
    switch c {
    case .binary(let b): designBytes += b.words.count * 8
    case .continuous(let v): designBytes += v.count * 8
    }
}
let float32Bytes = layers.count * grid.geometry.cellCount * 4
let mib = { (b: Int) in Double(b) / 1_048_576 }
FileHandle.standardError.write(String(format: "  memory: %d candidate layers hold %.1f MiB bit-packed (Float32 per cell: %.0f MiB); design columns %.1f MiB for %d rows\n",
                                      layers.count, mib(layerBytes), mib(float32Bytes), mib(designBytes), design.cells.count).data(using: .utf8)!)

struct Report: Encodable {
    let spec: String; let cells: Int; let gridCells: Int; let layers: Int; let columns: Int
    let layerMib: Double; let layerFloat32Mib: Double; let designMib: Double; let stages: [Row]
    let cache: LayerCache.Report?
}
let report = Report(spec: specPath, cells: design.cells.count, gridCells: grid.geometry.cellCount, layers: layers.count,
                    columns: design.design.columnCount, layerMib: mib(layerBytes), layerFloat32Mib: mib(float32Bytes),
                    designMib: mib(designBytes), stages: rows, cache: cache?.report)
let e = JSONEncoder()
e.outputFormatting = [.sortedKeys]
e.keyEncodingStrategy = .convertToSnakeCase
let json = try e.encode(report)
if let jsonPath { try json.write(to: URL(fileURLWithPath: jsonPath)) }
print(String(decoding: json, as: UTF8.self))
