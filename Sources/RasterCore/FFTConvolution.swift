import CFFTW

/// Linear convolution with an arbitrary (2R+1)² kernel by FFT, zero outside the grid.
///
/// Convolution theorem with FFTW 3 (Frigo & Johnson, Proc. IEEE 93(2), 2005), single precision,
/// real-to-complex. Both grid and kernel are zero-padded to P_h × P_w with P ≥ n + R, the next
/// 2·3·5·7-smooth size, so the circular wrap-around falls only on padding; the kernel is stored
/// wrapped around (0, 0) so the cropped result is centred. Cost O(P log P) for P ≈ (h+R)(w+R),
/// independent of the kernel's area; memory two padded complex arrays (≈ 2 × 4·P bytes ×
/// (1 + 2/P_w)). Planning is FFTW_ESTIMATE (deterministic: FFTW_MEASURE would time candidate
/// plans); FFTW's own thread pool runs on `Parallel.workers` threads. Round-off in Float32 is
/// ~1e-7 × log P relative to the largest value, so values far below the peak (and exact zeros far
/// from any point) carry absolute noise of that order; results are clamped at 0.
enum FFTConvolution {
    private static let setUp: Void = {
        fftwf_make_planner_thread_safe()
        _ = fftwf_init_threads()
    }()

    /// The smallest 2^a·3^b·5^c·7^d ≥ n (FFTW's fast sizes).
    static func smoothSize(_ n: Int) -> Int {
        var m = max(1, n)
        while true {
            var k = m
            for p in [2, 3, 5, 7] { while k % p == 0 { k /= p } }
            if k == 1 { return m }
            m += 1
        }
    }

    static func apply(_ input: [Float], width w: Int, height h: Int, kernel: [Double], radius r: Int) -> [Float] {
        _ = setUp
        let ph = smoothSize(h + r), pw = smoothSize(w + r)
        let cw = pw / 2 + 1            // complex columns
        let n = ph * cw * 2            // floats in an in-place r2c array
        let data = fftwf_alloc_real(n)!, ker = fftwf_alloc_real(n)!
        defer { fftwf_free(data); fftwf_free(ker) }
        data.initialize(repeating: 0, count: n)
        ker.initialize(repeating: 0, count: n)
        input.withUnsafeBufferPointer { src in
            for row in 0..<h { (data + row * 2 * cw).update(from: src.baseAddress! + row * w, count: w) }
        }
        let k = 2 * r + 1
        for i in 0..<k {
            let rr = (i - r + ph) % ph
            for j in 0..<k where kernel[i * k + j] != 0 {
                ker[rr * 2 * cw + (j - r + pw) % pw] = Float(kernel[i * k + j])
            }
        }
        fftwf_plan_with_nthreads(Int32(Parallel.workers))
        let fwdData = fftwf_plan_dft_r2c_2d(Int32(ph), Int32(pw), data, UnsafeMutableRawPointer(data).assumingMemoryBound(to: fftwf_complex.self), FFTW_ESTIMATE)
        let fwdKer = fftwf_plan_dft_r2c_2d(Int32(ph), Int32(pw), ker, UnsafeMutableRawPointer(ker).assumingMemoryBound(to: fftwf_complex.self), FFTW_ESTIMATE)
        let inv = fftwf_plan_dft_c2r_2d(Int32(ph), Int32(pw), UnsafeMutableRawPointer(data).assumingMemoryBound(to: fftwf_complex.self), data, FFTW_ESTIMATE)
        defer { fftwf_destroy_plan(fwdData); fftwf_destroy_plan(fwdKer); fftwf_destroy_plan(inv) }
        fftwf_execute(fwdData)
        fftwf_execute(fwdKer)
        // Pointwise complex product, scaled by 1/(ph·pw) for FFTW's unnormalised inverse.
        let scale = 1 / Float(ph * pw)
        let pairs = ph * cw
        let d = UncheckedBox(data), kk = UncheckedBox(ker)
        Parallel.forEachChunk(pairs, minChunk: 4096) { range in
            let a = d.value, b = kk.value
            for i in range {
                let ar = a[2 * i], ai = a[2 * i + 1], br = b[2 * i], bi = b[2 * i + 1]
                a[2 * i] = (ar * br - ai * bi) * scale
                a[2 * i + 1] = (ar * bi + ai * br) * scale
            }
        }
        fftwf_execute(inv)
        var out = [Float](repeating: 0, count: w * h)
        out.withUnsafeMutableBufferPointer { dst in
            for row in 0..<h {
                let s = data + row * 2 * cw, o = dst.baseAddress! + row * w
                for c in 0..<w { o[c] = max(0, s[c]) }
            }
        }
        return out
    }
}
