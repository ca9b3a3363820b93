/// The inner loops of RasterCore's separable filter, on raw pointers.
///
/// This one file is compiled twice: as `FilterKernels` for the baseline x86-64 (SSE2: a SIMD8 is
/// two 4-lane operations) and, through a symbolic link, as `FilterKernelsAVX2` for Haswell
/// (`-target-cpu haswell`, AVX2: one 8-lane operation, and each tap one fused multiply-add instead
/// of a multiply and an add). RasterCore calls the second only on CPUs that report those features
/// (`FilterKernelSet`). The fused tap rounds once where the baseline rounds twice, so the two
/// builds agree to Float rounding (a test bounds the difference), not bit for bit; each build
/// gives the same bytes on every run, whatever the work split.
/// Nothing here may be `@inlinable`: a body inlined into RasterCore would lose the target.
public enum Kernels {
    public typealias V = SIMD8<Float>

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// `a + pair × g`: one fused multiply-add in the AVX2 build (FMA is part of Haswell), a multiply
    /// and an add in the baseline build, which has no FMA instruction.
    @inline(__always) static func tap(_ a: V, _ pair: V, _ g: Float) -> V {
        #if FUSED_MULTIPLY_ADD
        a.addingProduct(pair, V(repeating: g))
        #else
        a + pair * g
        #endif
    }

    /// The scalar form of `tap`, for the columns after the last whole block (so a column gets the
    /// same rounding whichever block or tail it falls in).
    @inline(__always) static func tap(_ a: Float, _ pair: Float, _ g: Float) -> Float {
        #if FUSED_MULTIPLY_ADD
        a.addingProduct(pair, g)
        #else
        a + pair * g
        #endif
    }

    /// Column pass: `o[c] = g0·rows[0][c] + Σₖ g[k]·(rows[−k][c] + rows[k][c])` for c in c0..<c1,
    /// k = 1…r; 32 columns at a time in four SIMD8 accumulators held across all taps.
    @inline(never)
    public static func columnSums(_ o: UnsafeMutablePointer<Float>, rows: UnsafePointer<UnsafePointer<Float>>,
                                  taps: UnsafePointer<Float>, radius r: Int, from c0: Int, to c1: Int) {
        let centre = rows[0], g0 = taps[0]
        var c = c0
        while c + 32 <= c1 {
            var a0 = load(centre + c) * g0, a1 = load(centre + c + 8) * g0
            var a2 = load(centre + c + 16) * g0, a3 = load(centre + c + 24) * g0
            var k = 1
            while k <= r {
                let u = rows[-k] + c, d = rows[k] + c, gk = taps[k]
                a0 = tap(a0, load(u) + load(d), gk)
                a1 = tap(a1, load(u + 8) + load(d + 8), gk)
                a2 = tap(a2, load(u + 16) + load(d + 16), gk)
                a3 = tap(a3, load(u + 24) + load(d + 24), gk)
                k += 1
            }
            store(a0, o + c); store(a1, o + c + 8); store(a2, o + c + 16); store(a3, o + c + 24)
            c += 32
        }
        while c < c1 {
            var a = centre[c] * g0
            var k = 1
            while k <= r { a = tap(a, rows[-k][c] + rows[k][c], taps[k]); k += 1 }
            o[c] = a
            c += 1
        }
    }

    /// Dense row pass: `o[c] = g0·p[c] + Σₖ g[k]·(p[c−k] + p[c+k])` for c in 0..<n; p must read
    /// as zero for c < 0 and c ≥ n up to r + 32 cells out. Four SIMD8 accumulators (32 outputs)
    /// share each weight broadcast.
    @inline(never)
    public static func rowPass(_ o: UnsafeMutablePointer<Float>, _ p: UnsafePointer<Float>,
                               taps: UnsafePointer<Float>, radius r: Int, count n: Int) {
        var c = 0
        while c < n {
            let q = p + c
            var a0 = load(q) * taps[0], a1 = load(q + 8) * taps[0]
            var a2 = load(q + 16) * taps[0], a3 = load(q + 24) * taps[0]
            var k = 1
            while k <= r {
                let s = taps[k]
                a0 = tap(a0, load(q - k) + load(q + k), s)
                a1 = tap(a1, load(q + 8 - k) + load(q + 8 + k), s)
                a2 = tap(a2, load(q + 16 - k) + load(q + 16 + k), s)
                a3 = tap(a3, load(q + 24 - k) + load(q + 24 + k), s)
                k += 1
            }
            if n - c >= 32 {
                store(a0, o + c); store(a1, o + c + 8); store(a2, o + c + 16); store(a3, o + c + 24)
            } else {
                let all = (a0, a1, a2, a3)
                for i in 0..<(n - c) {
                    let v = i < 8 ? all.0 : i < 16 ? all.1 : i < 24 ? all.2 : all.3
                    o[c + i] = v[i & 7]
                }
            }
            c += 32
        }
    }

    /// Sparse row pass: each listed column c adds `src[c] × kernel` to the aligned SIMD8 blocks
    /// from `base + 8⌊c/8⌋`, with the kernel shifted by c mod 8 (`kernel[(c & 7) × lanes ..]`).
    @inline(never)
    public static func scatter(into base: UnsafeMutablePointer<Float>, columns: UnsafePointer<Int32>, count n: Int,
                               values src: UnsafePointer<Float>, kernel: UnsafePointer<V>, lanes: Int) {
        for j in 0..<n {
            let col = Int(columns[j]), value = src[col]
            let p = base + (col & ~7), shifted = kernel + (col & 7) * lanes
            var l = 0
            while l < lanes {
                store(load(p + 8 * l) + shifted[l] * value, p + 8 * l)
                l += 1
            }
        }
    }
}
