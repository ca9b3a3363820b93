// RasterBench: times RasterCore's kernels at the sizes, feature counts and bandwidths of the peer
// benchmark (shared/peers/kernels/common.py, bench_edt.py, bench_kde.py) and writes one JSON line
// per case, with the same `kernel` and `size` strings as the peers so `run_raster.sh` can join them.
//
//   RasterBench [--sizes 1600,4000] [--out results.jsonl] [--only edt,kde,layers]
//
// Inputs are generated with a fixed-seed SplitMix64 (not numpy's PCG64, so the positions differ
// from the peers' but the counts, the distributions and the grid are the same). Repeats follow
// common.py: median of 5 at ≤ 1600², 3 at ≤ 4000², 1 beyond. Peak memory is read the way
// common.py does: reset the RSS high-water mark (`/proc/self/clear_refs` ← 5) before a kernel and
// read VmHWM after it.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RasterCore

// MARK: - Set-up

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
    mutating func normal() -> Double {   // Box–Muller
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

var sizes = [1600, 4000]
var outPath = "raster-results.jsonl"
var only: Set<String> = ["edt", "kde", "layers"]
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--sizes": sizes = (args.next() ?? "").split(separator: ",").compactMap { Int($0) }
    case "--out": outPath = args.next() ?? outPath
    case "--only": only = Set((args.next() ?? "").split(separator: ",").map(String.init))
    default: FileHandle.standardError.write("unknown argument \(a); use --sizes 1600,4000 --out FILE\n".data(using: .utf8)!); exit(2)
    }
}
_ = FileManager.default.createFile(atPath: outPath, contents: nil)
let out = FileHandle(forWritingAtPath: outPath)!

let cell = 25.0

func status() -> (rss: Double, hwm: Double) {
    var rss = 0.0, hwm = 0.0
    if let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
        for line in s.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if line.hasPrefix("VmRSS:"), parts.count > 1 { rss = (Double(parts[1]) ?? 0) / 1024 }
            if line.hasPrefix("VmHWM:"), parts.count > 1 { hwm = (Double(parts[1]) ?? 0) / 1024 }
        }
    }
    return (rss, hwm)
}

#if os(Linux)
/// glibc's `malloc_trim` (not in Swift's Glibc module map).
@_silgen_name("malloc_trim") func malloc_trim(_ pad: Int) -> Int32
#endif

/// Resets the peak-RSS mark. Like common.py's `timeit`, freed heap pages are returned to the OS
/// (`malloc_trim`) once before a row's repeats, not before every repeat: repeats after the first
/// may then reuse the previous result's pages, as the peers' do (runs before 2026-11-21 afternoon
/// trimmed before every repeat, which charged our rows, not the peers', ~2,500 page faults each
/// at 1600²).
func resetPeak() -> Double {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    return status().rss
}

/// CPU seconds (user + system) of this process so far: with other work on the machine, wall time
/// alone misleads.
func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

/// Progress to stdout, unbuffered (stdout is a pipe under tee).
func say(_ s: String) { FileHandle.standardOutput.write((s + "\n").data(using: .utf8)!) }

func repeats(_ cells: Int) -> Int { cells <= 2_560_000 ? 5 : (cells <= 16_000_000 ? 3 : 1) }

/// Times `body` `repeat` times; records median/min/max and the peak memory over the repeats.
@MainActor @discardableResult
func bench<T>(_ kernel: String, _ impl: String, _ size: String, repeat n: Int, outputMB: Double,
              notes: String = "", _ body: () throws -> T) rethrows -> T {
    var times: [Double] = [], cpus: [Double] = [], peak = 0.0, delta = 0.0
    var result: T? = nil
    #if os(Linux)
    _ = malloc_trim(0)   // return freed heap pages once, so re-using them shows up as new memory (as common.py)
    #endif
    for _ in 0..<n {
        result = nil
        let base = resetPeak()
        let c0 = cpuSeconds()
        let t0 = DispatchTime.now().uptimeNanoseconds
        result = try body()
        let t1 = DispatchTime.now().uptimeNanoseconds
        cpus.append(cpuSeconds() - c0)
        let st = status()
        times.append(Double(t1 - t0) / 1e9)
        peak = max(peak, st.hwm); delta = max(delta, st.hwm - base)
    }
    times.sort(); cpus.sort()
    let row: [String: Any] = [
        "kernel": kernel, "impl": impl, "size": size, "median_s": times[times.count / 2],
        "min_s": times.first!, "max_s": times.last!, "peak_rss_mb": peak, "peak_delta_mb": delta,
        "output_mb": outputMB, "cpu_s": cpus[cpus.count / 2], "threads": 2, "notes": notes, "repeats": n,
    ]
    let data = try! JSONSerialization.data(withJSONObject: row, options: [.sortedKeys])
    out.write(data); out.write("\n".data(using: .utf8)!)
    say(String(format: "%-12@ %-44@ %-34@ med %8.4fs [%.4f–%.4f] cpu %.4fs peak %7.1f MiB (+%.1f) out %.1f MiB %@",
                 kernel as NSString, impl as NSString, size as NSString, times[times.count / 2], times.first!, times.last!, cpus[cpus.count / 2],
                 peak, delta, outputMB, notes as NSString))
    return result!
}

// MARK: - EDT (bench_edt.py)

@MainActor func edtCases() {
    var cases = sizes.map { ($0, 2000) }
    if sizes.contains(1600) { cases.append((1600, 256_000)) }
    for (n, nf) in cases {
        let g = try! GridGeometry(originX: 0, originY: Double(n) * cell, cellSize: cell, width: n, height: n)
        var rng = SplitMix64(state: 1)
        var f = BitMatrix(geometry: g)
        var placed = 0
        while placed < nf {
            let i = Int(rng.next() % UInt64(n * n))
            if !f[i] { f[i] = true; placed += 1 }
        }
        let size = String(format: "%dx%d (%.2fM cells), %d feat", n, n, Double(n * n) / 1e6, nf)
        let d = bench("EDT", "RasterCore EuclideanDistance.distances", size, repeat: repeats(n * n),
                      outputMB: Double(n * n * 4) / 1_048_576, notes: "float32 metres, F&H, 2 workers") {
            EuclideanDistance.distances(to: f)
        }
        // Accuracy on random cells against brute force (not timed).
        let feats = f.setIndices
        var maxErr = 0.0
        for _ in 0..<(nf > 10_000 ? 200 : 5000) {
            let r = Int(rng.next() % UInt64(n)), c = Int(rng.next() % UInt64(n))
            var best = Double.infinity
            for j in feats {
                let dr = Double(r - j / n), dc = Double(c - j % n)
                best = min(best, dr * dr + dc * dc)
            }
            maxErr = max(maxErr, abs(Double(d[r, c]) - best.squareRoot() * cell))
        }
        say("    EDT \(size): max error vs brute force \(maxErr) m")
        bench("EDT", "RasterCore EuclideanDistance.squaredCellDistances", size, repeat: repeats(n * n),
              outputMB: Double(n * n * 4) / 1_048_576, notes: "exact UInt32 squared cells, 2 workers") {
            try! EuclideanDistance.squaredCellDistances(to: f)
        }
        if n <= 4000 && nf == 2000 {   // exact distance to the points themselves (no peer kernel)
            let pts: [Geometry] = feats.map { j in
                let c = g.centre(row: j / n, col: j % n)
                return .point(Point2(c.x + cell * (rng.uniform() - 0.5), c.y + cell * (rng.uniform() - 0.5)))
            }
            bench("EDT-exact", "RasterCore VectorDistance.distances, points", size, repeat: repeats(n * n),
                  outputMB: Double(n * n * 4) / 1_048_576, notes: "exact to the vector points, 2 workers") {
                VectorDistance.distances(to: pts, on: g)
            }
        }
    }
}

// MARK: - KDE (bench_kde.py)

/// 60 Gaussian hot spots (sd 150–800 m) + 30 % uniform background, clipped to the extent.
func makePoints(n: Int, count: Int, seed: UInt64) -> [Point2] {
    var rng = SplitMix64(state: seed)
    let ext = Double(n) * cell
    let nbg = Int(0.3 * Double(count))
    let centres = (0..<60).map { _ in (0.05 * ext + 0.9 * ext * rng.uniform(), 0.05 * ext + 0.9 * ext * rng.uniform()) }
    let sds = (0..<60).map { _ in 150 + 650 * rng.uniform() }
    var pts: [Point2] = []
    pts.reserveCapacity(count)
    for _ in 0..<(count - nbg) {
        let k = Int(rng.next() % 60)
        pts.append(Point2(centres[k].0 + rng.normal() * sds[k], centres[k].1 + rng.normal() * sds[k]))
    }
    for _ in 0..<nbg { pts.append(Point2(ext * rng.uniform(), ext * rng.uniform())) }
    // clip to [0, ext − 1e-6] and flip to map coordinates (row 0 north, y = ext at the top)
    return pts.map { Point2(min(max($0.x, 0), ext - 1e-6), min(max($0.y, 1e-6), ext)) }
}

@MainActor func kdeCases() {
    for n in sizes {
        let g = try! GridGeometry(originX: 0, originY: Double(n) * cell, cellSize: cell, width: n, height: n)
        let rep = repeats(n * n)
        let outMB = Double(n * n * 4) / 1_048_576
        var counts50k: Raster<Float>? = nil
        for nPts in [50_000, 1_000_000] {
            let pts = makePoints(n: n, count: nPts, seed: 3)
            let size = "\(n)x\(n), \(nPts / 1000)k pts"
            let binned = bench("KDE-bin", "RasterCore Rasterize.countPoints -> f32", size, repeat: rep, outputMB: outMB) {
                try! Rasterize.countPoints(pts, on: g)
            }
            precondition(binned.inside == nPts)
            if nPts == 50_000 { counts50k = binned.counts; continue }
            let counts = binned.counts
            let nz = counts.values.reduce(0) { $1 != 0 ? $0 + 1 : $0 }
            for bw in (n == 1600 ? [100, 250, 500, 1000] : [250, 1000]) {
                let size = "\(n)x\(n), bw \(bw) m"
                let kg = Kernel.gaussian(sigma: Double(bw))
                let r = kg.radius(cellSize: cell)
                let auto = KernelDensity.automaticMethod(for: kg, on: g, nonZeroCells: nz)
                bench("KDE-gauss", "RasterCore KernelDensity gaussian (auto: \(auto))", size, repeat: rep, outputMB: outMB,
                      notes: "\(2 * r + 1)^2 kernel, f32, 2 workers") {
                    try! KernelDensity.density(of: counts, kernel: kg)
                }
                if auto == .fft {   // what a pipeline sees from the 2nd layer on: the kernel spectrum reused
                    let smoother = try! KernelSmoother(kernel: kg, geometry: g)
                    _ = try! smoother.density(of: counts)
                    bench("KDE-gauss", "RasterCore KernelSmoother gaussian, reused (fft)", size, repeat: rep, outputMB: outMB,
                          notes: "kernel spectrum cached") {
                        try! smoother.density(of: counts)
                    }
                }
                if n == 1600 {   // both algorithms, to place the crossover
                    for m in [KernelDensity.Method.separable, .fft] where m != auto {
                        bench("KDE-gauss", "RasterCore KernelDensity gaussian (forced: \(m))", size, repeat: rep, outputMB: outMB) {
                            try! KernelDensity.density(of: counts, kernel: kg, method: m)
                        }
                    }
                }
                if bw == 250 || bw == 1000 {
                    let kq = Kernel.quartic(radius: Double(bw))
                    let rq = kq.radius(cellSize: cell)
                    let autoQ = KernelDensity.automaticMethod(for: kq, on: g, nonZeroCells: nz)
                    bench("KDE-quartic", "RasterCore KernelDensity quartic (auto: \(autoQ))", size, repeat: rep, outputMB: outMB,
                          notes: "\(2 * rq + 1)^2 kernel, 1M pts binned (\(nz) non-zero cells)") {
                        try! KernelDensity.density(of: counts, kernel: kq)
                    }
                    if autoQ == .fft {
                        let smoother = try! KernelSmoother(kernel: kq, geometry: g)
                        _ = try! smoother.density(of: counts)
                        bench("KDE-quartic", "RasterCore KernelSmoother quartic, reused (fft)", size, repeat: rep, outputMB: outMB,
                              notes: "kernel spectrum cached") {
                            try! smoother.density(of: counts)
                        }
                    }
                    if n == 1600, let c50 = counts50k {
                        let nz50 = c50.values.reduce(0) { $1 != 0 ? $0 + 1 : $0 }
                        let a50 = KernelDensity.automaticMethod(for: kq, on: g, nonZeroCells: nz50)
                        bench("KDE-quartic", "RasterCore KernelDensity quartic (auto: \(a50))", "\(n)x\(n), 50k pts, bw \(bw) m",
                              repeat: rep, outputMB: outMB, notes: "binned, \(nz50) non-zero cells") {
                            try! KernelDensity.density(of: c50, kernel: kq)
                        }
                        for m in [KernelDensity.Method.splat, .fft] where m != a50 {
                            bench("KDE-quartic", "RasterCore KernelDensity quartic (forced: \(m))", "\(n)x\(n), 50k pts, bw \(bw) m",
                                  repeat: bw == 1000 && m == .splat ? 1 : rep, outputMB: outMB) {
                                try! KernelDensity.density(of: c50, kernel: kq, method: m)
                            }
                        }
                    }
                }
            }
        }
    }
}

// MARK: - RTM layers (no peer kernel: the peer pipeline does these in numpy)

@MainActor func layerCases() {
    for n in sizes where n <= 4000 {
        let g = try! GridGeometry(originX: 0, originY: Double(n) * cell, cellSize: cell, width: n, height: n)
        var rng = SplitMix64(state: 5)
        var f = BitMatrix(geometry: g)
        for _ in 0..<2000 { f[Int(rng.next() % UInt64(n * n))] = true }
        var study = BitMatrix(geometry: g)
        for r in 0..<n { study.setRun(row: r, from: 0, to: n) }
        let d2 = try! EuclideanDistance.squaredCellDistances(to: f)
        let dists = (1...6).map { Double($0) * 50 }
        bench("RTM-layers", "InfluenceLayers.proximity, 6 distances", "\(n)x\(n), 2000 feat", repeat: repeats(n * n),
              outputMB: 6 * Double(n * n) / 8 / 1_048_576, notes: "bit-packed output") {
            try! InfluenceLayers.proximity(squaredDistances: d2, distances: dists, studyArea: study)
        }
        // The density influence of the same factor: sparse binned features (the row pass scatters).
        let counts = f.raster(of: Float.self)
        bench("RTM-layers", "KernelDensity gaussian, 6 bandwidths", "\(n)x\(n), 2000 feat", repeat: repeats(n * n),
              outputMB: 6 * Double(n * n) * 4 / 1_048_576, notes: "σ = 50…300 m, auto method") {
            try! dists.map { try KernelDensity.density(of: counts, kernel: .gaussian(sigma: $0)) }
        }
    }
}

say("RasterBench: sizes \(sizes), workers 2, results → \(outPath)")
if only.contains("edt") { edtCases() }
if only.contains("kde") { kdeCases() }
if only.contains("layers") { layerCases() }
