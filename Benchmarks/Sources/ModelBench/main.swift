// ModelBench: RiskModel at London scale (2.56 M cells × 240 binary candidates), stage by stage.
// usage: ModelBench [--side 1600] [--seed 1] [--peer-dir DIR] [--scaling] [--json FILE] [--patience N (0: whole CV paths)]
// Prints a markdown table of wall-clock seconds; with --peer-dir also writes the design for the R
// peer (y.bin float64, i.bin/p.bin int32 dgCMatrix of all columns, meta.txt), which
// Benchmarks/run_model.sh times in the same session.
import Foundation
import RiskModel

var side = 1600, seed: UInt64 = 1, peerDir: String? = nil, scaling = false, jsonPath: String? = nil
var subsampleRows = 256_000
var onlyPath = false, onlyCV = false, onlySelection = false, fullSelection = false, refresh: Double? = nil
var patience: Int? = 10
var cacheDir: String? = nil
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--side": side = Int(args.next()!)!
    case "--seed": seed = UInt64(args.next()!)!
    case "--peer-dir": peerDir = args.next()!
    case "--scaling": scaling = true
    case "--json": jsonPath = args.next()!
    case "--subsample": subsampleRows = Int(args.next()!)!
    case "--only-path": onlyPath = true
    case "--only-cv": onlyCV = true
    case "--only-selection": onlySelection = true   // the whole selection alone, then exit
    case "--full-selection": fullSelection = true
    case "--refresh": refresh = Double(args.next()!)!
    case "--cache": cacheDir = args.next()!   // keep the generated design there and read it back on later runs
    case "--patience": patience = Int(args.next()!)!; if patience == 0 { patience = nil }   // 0: whole paths
    default: fatalError("unknown argument \(a)")
    }
}

func now() -> Double { Date().timeIntervalSince1970 }
/// CPU seconds (user + system) and minor page faults of this process so far.
func usage() -> (cpu: Double, faults: Int) {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    return (s(u.ru_utime) + s(u.ru_stime), u.ru_minflt)
}
var rows: [(String, String, Double, String)] = []   // (case, size, seconds, note)
@MainActor func timed<T>(_ name: String, _ size: String, note: (T) -> String = { _ in "" }, _ body: () throws -> T) rethrows -> T {
    let t0 = now()
    let r = try body()
    let dt = now() - t0
    let n = note(r)
    rows.append((name, size, dt, n))
    FileHandle.standardError.write("  \(name) [\(size)]: \(String(format: "%.3f", dt)) s  \(n)\n".data(using: .utf8)!)
    return r
}

let london = timed("generate design (not a model stage)", "\(side)²") {
    guard let dir = cacheDir else { return LondonDesign.make(side: side, seed: seed) }
    let file = URL(fileURLWithPath: dir).appendingPathComponent("london-\(side)-\(seed).design")
    if let cached = LondonDesign.read(file) { return cached }
    let made = LondonDesign.make(side: side, seed: seed)
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    made.write(file)
    return made
}
let d = london.design
let n = d.rowCount, p = d.columnCount
let nnz = d.columns.reduce(0) { acc, c in if case .binary(let b) = c { return acc + b.onesCount } else { return acc } }
let size = String(format: "%.2fM×%d", Double(n) / 1e6, p)
FileHandle.standardError.write("design: \(n) cells, \(p) columns, \(nnz) non-zeros (\(String(format: "%.1f", 100 * Double(nnz) / Double(n * p))) %), \(Int(d.totalCount)) events\n".data(using: .utf8)!)

if let dir = peerDir {
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    func write<T>(_ a: [T], _ f: String) { a.withUnsafeBytes { try! Data($0).write(to: URL(fileURLWithPath: dir + "/" + f)) } }
    write(d.counts, "y.bin")
    var ii = [Int32](), pp: [Int32] = [0]
    ii.reserveCapacity(nnz)
    for c in d.columns {
        guard case .binary(let b) = c else { continue }
        for wi in 0..<b.words.count { var w = b.words[wi]; while w != 0 { ii.append(Int32(wi << 6 | w.trailingZeroBitCount)); w &= w &- 1 } }
        pp.append(Int32(ii.count))
    }
    write(ii, "i.bin"); write(pp, "p.bin")
    try! "n \(n)\np \(p)\nnnz \(nnz)\nsub \(subsampleRows)\n".write(toFile: dir + "/meta.txt", atomically: true, encoding: .utf8)
}

if onlyPath {
    let data = ElasticNetData(d)
    var eo = ElasticNetOptions()
    if let r = refresh { eo.hessianRefresh = r }
    _ = timed("elastic-net path, α 0.5, Hessian refresh \(eo.hessianRefresh)", size, note: { (r: ElasticNetPath) in "\(r.lambdas.count) λ, \(r.passes) passes" }) { elasticNetPath(data, options: eo) }
    exit(0)
}

if onlyCV {
    // 10-fold CV alone on the first --subsample rows (all rows when ≥ n), then exit.
    let r = min(subsampleRows, n)
    let sdata = ElasticNetData(r < n ? d.subset(rows: Array(0..<r)) : d)
    var co = CrossValidationOptions()
    if let x = refresh { co.elasticNet.hessianRefresh = x }
    co.patience = patience
    let cv = timed("10-fold CV elastic net (path + 10 folds)", String(format: "%.2fM×%d", Double(r) / 1e6, p), note: { (x: CrossValidatedPath) in
        String(format: "%d λ, λ.min %.3g, %d shortlisted", x.path.lambdas.count, x.lambdaMin, x.shortlist.count) }) {
        crossValidatedElasticNet(sdata, options: co)
    }
    print("cvm at λ.min \(cv.meanDeviance[cv.lambdaMinIndex]), shortlist \(cv.shortlist)")
    for l in 0..<cv.meanDeviance.count { print(String(format: "cvm %d %.6g %.10f %.3g", l, cv.path.lambdas[l], cv.meanDeviance[l], cv.standardError[l])) }
    exit(0)
}

/// The whole selection (selectModel: data + 10-fold CV elastic net on all cells + stepwise for
/// both families), timed per stage.
@MainActor func runSelection() {
    final class Clock: @unchecked Sendable {
        let lock = NSLock(); var marks: [(SelectionStage, Double)] = []
        func mark(_ s: SelectionStage) { lock.lock(); if marks.last?.0 != s { marks.append((s, now())) }; lock.unlock() }
    }
    let clock = Clock()
    let u0 = usage()
    let t0 = now()
    let sel = try! selectModel(design: d, options: SelectionOptions()) { stage, _ in clock.mark(stage) }
    let total = now() - t0
    let u1 = usage()
    let marks = clock.marks
    var stageTimes: [SelectionStage: Double] = [:]
    for (i, (s, t)) in marks.enumerated() where i + 1 < marks.count { stageTimes[s, default: 0] += marks[i + 1].1 - t }
    let en = sel.elasticNet!
    rows.append(("full selection: data + 10-fold CV elastic net", size, (stageTimes[.elasticNet] ?? 0) + (stageTimes[.crossValidation] ?? 0) + (marks.first!.1 - t0),
                 String(format: "%d λ, λ.min %.3g, %d shortlisted", en.lambdaCount, en.lambda, en.shortlist.count)))
    rows.append(("full selection: stepwise BIC, Poisson", "shortlist", stageTimes[.stepwisePoisson] ?? 0, ""))
    rows.append(("full selection: stepwise BIC, NB2", "shortlist", stageTimes[.stepwiseNegativeBinomial] ?? 0, ""))
    rows.append(("**full selection (selectModel)**", size, total,
                 "family \(sel.family.rawValue), BIC \(String(format: "%.1f", sel.model.bic)); CPU \(String(format: "%.2f", u1.cpu - u0.cpu)) s, \(u1.faults - u0.faults) page faults"))
    FileHandle.standardError.write("full selection: \(sel.family.rawValue), terms \(sel.model.terms.map { $0.name })\n".data(using: .utf8)!)
}

@MainActor func printRows() {
    print("| case | size | seconds | notes |")
    print("|---|---|---|---|")
    for (c, s, t, note) in rows { print("| \(c) | \(s) | \(String(format: "%.3f", t)) | \(note) |") }
}

if onlySelection { runSelection(); printRows(); exit(0) }

// 1. Single GLM fits.
let first50 = Array(0..<min(50, p))
var cellOpts = GLMOptions(); cellOpts.grouping = false
let pc = timed("Poisson GLM, cell by cell (IRLS)", String(format: "%.2fM×%d", Double(n) / 1e6, first50.count), note: { (f: GLMFit) in "\(f.iterations) iterations" }) {
    try! fitPoisson(d, columns: first50, options: cellOpts)
}
let pg = timed("Poisson GLM, exactly grouped", String(format: "%.2fM×%d", Double(n) / 1e6, first50.count), note: { (f: GLMFit) in "\(f.fittedRows) groups, \(f.iterations) iterations" }) {
    try! fitPoisson(d, columns: first50)
}
FileHandle.standardError.write("  grouped vs cells: max |Δβ| = \(zip(pc.coefficients, pg.coefficients).map { abs($0 - $1) }.max()!), ΔlogL = \(pc.logLikelihood - pg.logLikelihood)\n".data(using: .utf8)!)
let true6 = london.truth.compactMap { d.index(of: $0.0) }
let nbCells = timed("NB2 GLM (θ by ML), cell by cell, true 6 terms", String(format: "%.2fM×6", Double(n) / 1e6), note: { (f: GLMFit) in String(format: "θ = %.4f", f.theta!) }) {
    try! fitNegativeBinomial(d, columns: true6, options: cellOpts)
}
let nbGroup = timed("NB2 GLM (θ by ML), exactly grouped, true 6 terms", String(format: "%.2fM×6", Double(n) / 1e6), note: { (f: GLMFit) in String(format: "θ = %.4f, %d rows", f.theta!, f.fittedRows) }) {
    try! fitNegativeBinomial(d, columns: true6)
}
FileHandle.standardError.write("  NB grouped vs cells: Δθ = \(nbCells.theta! - nbGroup.theta!), ΔBIC = \(nbCells.bic - nbGroup.bic)\n".data(using: .utf8)!)

// 2. Elastic-net paths.
let data = timed("elastic-net data (row-major bits)", size) { ElasticNetData(d) }
let path50 = timed("elastic-net path, α 0.5", String(format: "%.2fM×50", Double(n) / 1e6), note: { (r: ElasticNetPath) in "\(r.lambdas.count) λ, \(r.passes) passes" }) {
    elasticNetPath(ElasticNetData(d, columns: first50))
}
_ = path50
let path = timed("elastic-net path, α 0.5", size, note: { (r: ElasticNetPath) in "\(r.lambdas.count) λ, \(r.passes) passes" }) { elasticNetPath(data) }
_ = path

// 3. CV on a row subsample (the same rows the R peer uses), then stepwise on all cells.
var shortlist = Array(0..<p)
if subsampleRows < n {
    let sub = d.subset(rows: Array(0..<subsampleRows))
    let sdata = ElasticNetData(sub)
    let cv = timed("10-fold CV elastic net (path + 10 folds)", String(format: "%.2fM×%d (first rows)", Double(subsampleRows) / 1e6, p), note: { (r: CrossValidatedPath) in
        String(format: "%d λ, λ.min %.3g, %d shortlisted", r.path.lambdas.count, r.lambdaMin, r.shortlist.count) }) {
        crossValidatedElasticNet(sdata)
    }
    shortlist = cv.shortlist
}
var results: [Family: StepwiseResult] = [:]
for fam in [Family.poisson, .negativeBinomial] {
    results[fam] = timed("stepwise BIC, \(fam.rawValue), all cells", "\(String(format: "%.2fM", Double(n) / 1e6)) × \(shortlist.count) shortlisted", note: { (r: StepwiseResult) in
        "\(r.path.count - 1) steps, \(r.fitCount) fits, BIC \(String(format: "%.1f", r.model.bic))" }) {
        try! stepwiseBIC(d, candidates: shortlist, family: fam)
    }
}
let chosen = results[.poisson]!.model.bic <= results[.negativeBinomial]!.model.bic ? results[.poisson]! : results[.negativeBinomial]!

// 4. Optionally the whole selection on all cells (10-fold CV on 2.56 M rows: many minutes).
if fullSelection { runSelection() }

// 5. Scaling of one path with rows and columns.
if scaling {
    for frac in [4, 2] {
        let r = n / frac
        let sd = ElasticNetData(d.subset(rows: Array(0..<r)))
        _ = timed("scaling: elastic-net path", String(format: "%.2fM×%d", Double(r) / 1e6, p), note: { (x: ElasticNetPath) in "\(x.lambdas.count) λ, \(x.passes) passes" }) { elasticNetPath(sd) }
    }
    for c in [60, 120] {
        let sd = ElasticNetData(d, columns: Array(0..<c))
        _ = timed("scaling: elastic-net path", String(format: "%.2fM×%d", Double(n) / 1e6, c), note: { (x: ElasticNetPath) in "\(x.lambdas.count) λ, \(x.passes) passes" }) { elasticNetPath(sd) }
    }
}

printRows()
print("")
print("Selected by stepwise on all cells (\(chosen.family.rawValue), θ = \(chosen.model.theta.map { String(format: "%.3f", $0) } ?? "—")):")
for t in chosen.model.terms { print(String(format: "  %-22@ RRV %.3f  [%.3f, %.3f]", t.name as NSString, t.rrv, t.rrvCILow, t.rrvCIHigh)) }
print("Truth: " + london.truth.map { "\($0.0) ×\($0.1)" }.joined(separator: ", "))
print("Stepwise path (\(chosen.family.rawValue)): " + chosen.path.dropFirst().map { "\($0.move.rawValue) \($0.name!)" }.joined(separator: ", "))
if let j = jsonPath {
    let items = rows.map { "{\"case\": \"\($0.0)\", \"size\": \"\($0.1)\", \"seconds\": \(String(format: "%.4f", $0.2))}" }
    try! ("[" + items.joined(separator: ", ") + "]\n").write(toFile: j, atomically: true, encoding: .utf8)
}
