/// Convolution with a symmetric separable kernel `g(i)·g(j)`, zero outside the grid.
///
/// Two 1-D passes (the separable Gaussian of e.g. Young & van Vliet 1995, here in the plain
/// direct form, exact to the truncated kernel): first down the columns from `input` into
/// `output`, then along each row in place through an O(width) buffer. Each pass costs
/// (R + 1) multiply-adds per cell using the symmetry g(−k) = g(k), 32 outputs at a time in
/// four SIMD8<Float> accumulators held in registers across all taps, split into contiguous
/// row chunks over `Parallel.workers`. O(cells × R) time; memory is the
/// output plus O(width) per worker. Accumulates in Float32: relative error ~1e-6 of the
/// largest value.
enum SeparableFilter {
    /// `band` is the column-band width of the column pass (tests use narrow bands to cross seams).
    static func apply(_ input: [Float], width w: Int, height h: Int, weights g64: [Double], band: Int = 256) -> [Float] {
        let g = g64.map(Float.init), r = g.count - 1
        var output = [Float](repeating: 0, count: w * h)
        input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                let src = inBuf.baseAddress!, dst = outBuf.baseAddress!
                // Pass 1: columns. out[row] = g0·in[row] + Σ g[k]·(in[row−k] + in[row+k]), rows
                // outside the grid read as zeros. 32 columns at a time in four SIMD8
                // accumulators, so each output is stored once and each input read once per tap.
                let zeros = UnsafeMutablePointer<Float>.allocate(capacity: w)
                zeros.initialize(repeating: 0, count: w)
                defer { zeros.deallocate() }
                let z = UncheckedBox(zeros)
                Parallel.forEachChunk(h, minChunk: 8) { rows in
                    let zero = UnsafePointer(z.value)
                    let g0 = g[0]
                    let taps = g.withUnsafeBufferPointer { Array($0) }
                    var ups = [UnsafePointer<Float>](repeating: zero, count: r + 1)
                    var downs = [UnsafePointer<Float>](repeating: zero, count: r + 1)
                    // Column bands of 256 so the 2R+1 input rows of a band stay in L2 from one
                    // output row to the next (at 10,000 columns whole rows would not).
                    for b0 in stride(from: 0, to: w, by: band) {
                        let b1 = min(w, b0 + band)
                        for row in rows {
                            let o = dst + row * w, centre = src + row * w
                            for k in stride(from: 1, through: r, by: 1) {
                                ups[k] = row - k >= 0 ? src + (row - k) * w : zero
                                downs[k] = row + k < h ? src + (row + k) * w : zero
                            }
                            var c = b0
                            while c + 32 <= b1 {
                                var a0 = load(centre + c) * g0, a1 = load(centre + c + 8) * g0
                                var a2 = load(centre + c + 16) * g0, a3 = load(centre + c + 24) * g0
                                var k = 1
                                while k <= r {
                                    let u = ups[k] + c, d = downs[k] + c, gk = taps[k]
                                    a0 += (load(u) + load(d)) * gk
                                    a1 += (load(u + 8) + load(d + 8)) * gk
                                    a2 += (load(u + 16) + load(d + 16)) * gk
                                    a3 += (load(u + 24) + load(d + 24)) * gk
                                    k += 1
                                }
                                store(a0, o + c); store(a1, o + c + 8); store(a2, o + c + 16); store(a3, o + c + 24)
                                c += 32
                            }
                            while c < b1 {
                                var a = centre[c] * g0
                                var k = 1
                                while k <= r { a += (ups[k][c] + downs[k][c]) * taps[k]; k += 1 }
                                o[c] = a
                                c += 1
                            }
                        }
                    }
                }
                // Pass 2: rows, in place through a zero-padded copy of each row.
                Parallel.forEachChunk(h, minChunk: 8) { rows in
                    let pw = w + 2 * r + 32
                    let pad = UnsafeMutablePointer<Float>.allocate(capacity: pw)
                    defer { pad.deallocate() }
                    pad.initialize(repeating: 0, count: pw)
                    for row in rows {
                        let o = dst + row * w
                        (pad + r).update(from: o, count: w)
                        rowPass(o, pad + r, g, r, w)
                    }
                }
            }
        }
        return output
    }

    typealias V = SIMD8<Float>

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// `o[c] = g0·p[c] + Σₖ g[k]·(p[c−k] + p[c+k])` for c in 0..<n; p is zero for c < 0 and c ≥ n
    /// up to R + 32 cells out. Four SIMD8 accumulators (32 outputs) share each weight broadcast.
    static func rowPass(_ o: UnsafeMutablePointer<Float>, _ p: UnsafeMutablePointer<Float>, _ g: [Float], _ r: Int, _ n: Int) {
        g.withUnsafeBufferPointer { gb in
            var c = 0
            while c < n {
                let q = UnsafePointer(p + c)
                var a0 = load(q) * gb[0], a1 = load(q + 8) * gb[0]
                var a2 = load(q + 16) * gb[0], a3 = load(q + 24) * gb[0]
                var k = 1
                while k <= r {
                    let s = gb[k]
                    a0 += (load(q - k) + load(q + k)) * s
                    a1 += (load(q + 8 - k) + load(q + 8 + k)) * s
                    a2 += (load(q + 16 - k) + load(q + 16 + k)) * s
                    a3 += (load(q + 24 - k) + load(q + 24 + k)) * s
                    k += 1
                }
                let left = n - c
                if left >= 32 {
                    store(a0, o + c); store(a1, o + c + 8); store(a2, o + c + 16); store(a3, o + c + 24)
                } else {
                    let all = [a0, a1, a2, a3]
                    for i in 0..<left { o[c + i] = all[i >> 3][i & 7] }
                }
                c += 32
            }
        }
    }
}
