import Foundation
import RiskModel

/// A London-scale SYNTHETIC RTM design, generated in Swift with the statistics of
/// shared/peers/make_london.py (seeded SplitMix64; not the same random numbers):
/// side × side cells of 25 m (default 1600² = 2.56 M), 20 point factors of 300..3000 features
/// (30–80 % clustered around 40 weighted "town centres", sd 300–1200 m, the rest uniform over the
/// area plus a 500 m margin), candidates proximity (within d of a feature cell, EDT between cell
/// centres) and density (Gaussian KDE with σ = d, binarised above mean + 2 SD) at d = 100..600 m:
/// 240 binary columns. The KDE is approximated by three box filters (Kovesi 2010), O(1) per cell.
/// Events: 50,000 multinomial draws with rate ∝ exp(η)·Gamma(2, 1/2), η from six true terms
/// (f01 prox 200 ×1.8, f02 prox 100 ×1.5, f03 dens 300 ×2.2, f04 prox 400 ×1.3, f05 dens 500 ×1.7,
/// f06 prox 300 ×1.4) — NB2 with θ = 2, as the peer.
struct LondonDesign {
    let design: DesignMatrix
    let truth: [(String, Double)]

    static func make(side N: Int = 1600, factors: Int = 20, events: Int = 50_000, seed: UInt64 = 1) -> LondonDesign {
        var rng = SplitMix64(seed: seed)
        let cs = 25.0, sideM = Double(N) * cs
        let pad = 100, M = N + 2 * pad
        let centres = (0..<40).map { _ in ((0.05 + 0.9 * rng.uniform()) * sideM, (0.05 + 0.9 * rng.uniform()) * sideM) }
        var cw = (0..<40).map { _ in rng.gamma(shape: 1, scale: 1) }
        let tot = cw.reduce(0, +); cw = cw.map { $0 / tot }
        var cum = [Double](); var acc = 0.0
        for w in cw { acc += w; cum.append(acc) }
        var names = [String](), cols = [[UInt64]]()
        var truthCols = [String: [UInt64]]()
        let truth: [(String, Double)] = [("f01:proximity:200", 1.8), ("f02:proximity:100", 1.5), ("f03:density:300", 2.2),
                                         ("f04:proximity:400", 1.3), ("f05:density:500", 1.7), ("f06:proximity:300", 1.4)]
        let words = (N * N + 63) / 64
        for f in 1...factors {
            let n = 300 + Int(rng.next() % 2701)
            let pc = 0.3 + 0.5 * rng.uniform()
            let sd = 300 + 900 * rng.uniform()
            var pts = [(Int, Int)]()   // padded cell (row, col)
            for i in 0..<n {
                var x: Double, y: Double
                if Double(i) < pc * Double(n) {
                    let u = rng.uniform()
                    let c = centres[cum.firstIndex { $0 >= u } ?? 39]
                    x = c.0 + sd * rng.normal(); y = c.1 + sd * rng.normal()
                } else {
                    x = -500 + (sideM + 1000) * rng.uniform(); y = -500 + (sideM + 1000) * rng.uniform()
                }
                let col = Int((x / cs).rounded(.down)) + pad, row = Int(((sideM - y) / cs).rounded(.down)) + pad
                if row >= 0 && row < M && col >= 0 && col < M { pts.append((row, col)) }
            }
            // Proximity: squared distance (cells) to the nearest feature cell, within 24 cells.
            let R = 24
            var d2 = [Int32](repeating: Int32.max, count: N * N)
            for (pr, pcl) in pts {
                let r0 = pr - pad, c0 = pcl - pad
                for dr in -R...R {
                    let r = r0 + dr
                    if r < 0 || r >= N { continue }
                    let span = Int(Double(R * R - dr * dr).squareRoot())
                    for dc in -span...span {
                        let c = c0 + dc
                        if c < 0 || c >= N { continue }
                        let v = Int32(dr * dr + dc * dc)
                        if v < d2[r * N + c] { d2[r * N + c] = v }
                    }
                }
            }
            let fname = String(format: "f%02d", f)
            for k in 1...6 {
                let rc = Double(4 * k) + 1e-6
                let lim = Int32((rc * rc).rounded(.down))
                var w = [UInt64](repeating: 0, count: words)
                for i in 0..<(N * N) where d2[i] <= lim { w[i >> 6] |= 1 << UInt64(i & 63) }
                names.append("\(fname):proximity:\(100 * k)"); cols.append(w)
            }
            // Density: counts on the padded grid, ~Gaussian blur with σ = 4k cells, > mean + 2 SD.
            var counts = [Double](repeating: 0, count: M * M)
            for (r, c) in pts { counts[r * M + c] += 1 }
            for k in 1...6 {
                let kd = gaussianApprox(counts, M, sigma: Double(4 * k))
                var s = 0.0, s2 = 0.0
                for r in 0..<N { for c in 0..<N { let v = kd[(r + pad) * M + c + pad]; s += v; s2 += v * v } }
                let mean = s / Double(N * N), sdv = max(0, s2 / Double(N * N) - mean * mean).squareRoot()
                let thr = mean + 2 * sdv
                var w = [UInt64](repeating: 0, count: words)
                for r in 0..<N { for c in 0..<N where kd[(r + pad) * M + c + pad] > thr { let i = r * N + c; w[i >> 6] |= 1 << UInt64(i & 63) } }
                names.append("\(fname):density:\(100 * k)"); cols.append(w)
            }
            for (t, _) in truth { if let j = names.firstIndex(of: t) { truthCols[t] = cols[j] } }
        }
        // Events from the known model.
        var lam = [Double](repeating: 0, count: N * N)
        var total = 0.0
        for i in 0..<(N * N) {
            var eta = 0.0
            for (t, rrv) in truth where (truthCols[t]![i >> 6] >> UInt64(i & 63)) & 1 == 1 { eta += log(rrv) }
            lam[i] = exp(eta) * rng.gamma(shape: 2, scale: 0.5)
            total += lam[i]
            lam[i] = total
        }
        var y = [Double](repeating: 0, count: N * N)
        for _ in 0..<events {
            let u = rng.uniform() * total
            var lo = 0, hi = N * N - 1
            while lo < hi { let mid = (lo + hi) / 2; if lam[mid] < u { lo = mid + 1 } else { hi = mid } }
            y[lo] += 1
        }
        var d = try! DesignMatrix(counts: y)
        // Constant columns and exact duplicates of an earlier column are dropped, as the peer does.
        var seen = Set<[UInt64]>()
        for (name, w) in zip(names, cols) {
            let ones = w.reduce(0) { $0 + $1.nonzeroBitCount }
            if ones == 0 || ones == N * N || seen.contains(w) { continue }
            seen.insert(w)
            d.addBinary(name, words: w)
        }
        return LondonDesign(design: d, truth: truth)
    }

    /// Three successive box filters per axis approximate a Gaussian of the given σ (cells).
    static func gaussianApprox(_ a: [Double], _ M: Int, sigma: Double) -> [Double] {
        let nb = 3.0
        let wIdeal = (12 * sigma * sigma / nb + 1).squareRoot()
        var wl = Int(wIdeal.rounded(.down)); if wl % 2 == 0 { wl -= 1 }
        let wu = wl + 2
        let mIdeal = (12 * sigma * sigma - nb * Double(wl * wl) - 4 * nb * Double(wl) - 3 * nb) / (-4 * Double(wl) - 4)
        let m = Int(mIdeal.rounded())
        var cur = a, tmp = [Double](repeating: 0, count: a.count)
        for pass in 0..<3 {
            let r = ((pass < m ? wl : wu) - 1) / 2
            boxH(cur, &tmp, M, r); boxV(tmp, &cur, M, r)
        }
        return cur
    }

    static func boxH(_ s: [Double], _ t: inout [Double], _ M: Int, _ r: Int) {
        let inv = 1 / Double(2 * r + 1)
        s.withUnsafeBufferPointer { sp in t.withUnsafeMutableBufferPointer { tp in
            for row in 0..<M {
                let b = row * M
                var acc = 0.0
                for c in 0...min(r, M - 1) { acc += sp[b + c] }
                for c in 0..<M {
                    tp[b + c] = acc * inv
                    if c + r + 1 < M { acc += sp[b + c + r + 1] }
                    if c - r >= 0 { acc -= sp[b + c - r] }
                }
            }
        } }
    }

    static func boxV(_ s: [Double], _ t: inout [Double], _ M: Int, _ r: Int) {
        let inv = 1 / Double(2 * r + 1)
        s.withUnsafeBufferPointer { sp in t.withUnsafeMutableBufferPointer { tp in
            var acc = [Double](repeating: 0, count: M)
            for rr in 0...min(r, M - 1) { for c in 0..<M { acc[c] += sp[rr * M + c] } }
            for row in 0..<M {
                for c in 0..<M { tp[row * M + c] = acc[c] * inv }
                if row + r + 1 < M { let b = (row + r + 1) * M; for c in 0..<M { acc[c] += sp[b + c] } }
                if row - r >= 0 { let b = (row - r) * M; for c in 0..<M { acc[c] -= sp[b + c] } }
            }
        } }
    }
}

extension LondonDesign {
    /// Writes the design (counts, binary columns' words and names, the truth) to `file`, so that
    /// later runs skip the generation (`--cache`): a plain binary layout of this benchmark's own.
    func write(_ file: URL) {
        var out = Data()
        func put<T>(_ a: [T]) { out.append(contentsOf: withUnsafeBytes(of: Int64(a.count)) { Data($0) }); a.withUnsafeBytes { out.append(contentsOf: $0) } }
        func put(_ s: String) { put(Array(s.utf8)) }
        put(design.counts)
        put([Int64(design.columnCount)])
        for (name, c) in zip(design.names, design.columns) {
            guard case .binary(let b) = c else { fatalError("LondonDesign: only binary columns are cached") }
            put(name); put(b.words)
        }
        put([Int64(truth.count)])
        for (name, rrv) in truth { put(name); put([rrv]) }
        try! out.write(to: file, options: .atomic)
    }

    /// The design `write` left in `file`, or nil when there is none.
    static func read(_ file: URL) -> LondonDesign? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        var at = 0
        func get<T>(_: T.Type) -> [T] {
            let n = data.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: at, as: Int64.self)) }
            at += 8
            let a = [T](unsafeUninitializedCapacity: n) { buf, c in
                _ = data.withUnsafeBytes { memcpy(buf.baseAddress!, $0.baseAddress! + at, n * MemoryLayout<T>.stride) }
                c = n
            }
            at += n * MemoryLayout<T>.stride
            return a
        }
        func string() -> String { String(decoding: get(UInt8.self), as: UTF8.self) }
        let counts = get(Double.self)
        let p = Int(get(Int64.self)[0])
        let binary = (0..<p).map { _ in (name: string(), words: get(UInt64.self)) }
        let t = Int(get(Int64.self)[0])
        let truth = (0..<t).map { _ in (string(), get(Double.self)[0]) }
        return LondonDesign(design: try! DesignMatrix(counts: counts, binary: binary), truth: truth)
    }
}
