import CFFTW

/// Linear convolution with an arbitrary symmetric (2R+1)² kernel by FFT, zero outside the grid.
///
/// Convolution theorem with FFTW 3 (Frigo & Johnson, Proc. IEEE 93(2), 2005), single precision.
/// Grid and kernel are zero-padded to P_h × P_w with P ≥ max(n + R, 2R + 1) (so circular
/// wrap-around only lands on cells that are cropped away), P a size FFTW transforms fast
/// (`smoothSize`). The kernel sits unshifted at rows/columns
/// 0…2R and the output is read back shifted by R. 2-D real-to-complex and complex-to-real plans
/// (FFTW_ESTIMATE: deterministic, no timing of candidate plans) on FFTW's thread pool sized to
/// `Parallel.workers`. (Splitting into 1-D passes that skip the all-zero padding rows, each
/// block on its own thread, measured ~30 % slower: FFTW's 2-D plans buffer the strided column
/// transforms better.) The kernel's spectrum is computed once per `FFTConvolver` and reused
/// (e.g. for the values and the edge-correction mass). Cost O(P log P) per convolution,
/// independent of the kernel's area; memory two P_h × (P_w/2+1) complex arrays. Float32
/// round-off ~1e-7 × log P relative to the largest value; results are clamped at 0 (a density
/// cannot be negative).
final class FFTConvolver {
    let h: Int, w: Int, r: Int
    let ph: Int, pw: Int, cw: Int
    private let spectrum: UnsafeMutablePointer<fftwf_complex>   // kernel, pre-scaled by 1/(ph·pw)

    private static let setUp: Void = {
        _ = fftwf_init_threads()
        fftwf_make_planner_thread_safe()
    }()

    /// The padded length for `n`: the smallest m ≥ n of the form 2^a·3^b·5^c·7^d with b ≤ 4,
    /// c ≤ 3, d ≤ 2 — sizes FFTW_ESTIMATE plans transform at full speed (measured here per
    /// point: 1620 = 2²·3⁴·5 4.6 ns, 1680, 1728, 1764 = 2²·3²·7² 5.5–5.8 ns; 1701 = 3⁵·7 and
    /// 1715 = 5·7³ 9.5–9.8 ns).
    static func smoothSize(_ n: Int) -> Int {
        var m = max(1, n)
        while true {
            var k = m, c3 = 0, c5 = 0, c7 = 0
            while k % 2 == 0 { k /= 2 }
            while k % 3 == 0 { k /= 3; c3 += 1 }
            while k % 5 == 0 { k /= 5; c5 += 1 }
            while k % 7 == 0 { k /= 7; c7 += 1 }
            if k == 1, c3 <= 4, c5 <= 3, c7 <= 2 { return m }
            m += 1
        }
    }

    /// Prepares the kernel spectrum for `height × width` grids. `kernel` is (2R+1)², row-major.
    init(height: Int, width: Int, kernel: [Double], radius: Int) {
        _ = Self.setUp
        h = height; w = width; r = radius
        ph = Self.smoothSize(max(h + r, 2 * r + 1)); pw = Self.smoothSize(max(w + r, 2 * r + 1)); cw = pw / 2 + 1
        spectrum = fftwf_alloc_complex(ph * cw)!
        let k = 2 * r + 1
        // The kernel sits unshifted at rows/cols 0…2R; outputs are read shifted back by R.
        let real = UnsafeMutableRawPointer(spectrum).assumingMemoryBound(to: Float.self)
        real.initialize(repeating: 0, count: 2 * ph * cw)
        for i in 0..<k { for j in 0..<k { real[i * 2 * cw + j] = Float(kernel[i * k + j]) } }
        forward(spectrum)
        let scale = 1 / Float(ph * pw)
        let s = UnsafeMutableRawPointer(spectrum).assumingMemoryBound(to: Float.self)
        for i in 0..<(2 * ph * cw) { s[i] *= scale }
    }

    deinit { fftwf_free(spectrum) }

    /// `input` (h × w, row-major) convolved with the kernel, cropped to h × w.
    func apply(_ input: [Float]) -> [Float] {
        let data = fftwf_alloc_complex(ph * cw)!
        defer { fftwf_free(data) }
        let real = UnsafeMutableRawPointer(data).assumingMemoryBound(to: Float.self)
        real.initialize(repeating: 0, count: 2 * ph * cw)
        input.withUnsafeBufferPointer { src in
            for row in 0..<h { (real + row * 2 * cw).update(from: src.baseAddress! + row * w, count: w) }
        }
        forward(data)
        // Pointwise product with the (pre-scaled) kernel spectrum.
        let a = UncheckedBox(data), b = UncheckedBox(spectrum)
        Parallel.forEachChunk(ph * cw, minChunk: 8192) { range in
            let x = UnsafeMutableRawPointer(a.value).assumingMemoryBound(to: Float.self)
            let y = UnsafeMutableRawPointer(b.value).assumingMemoryBound(to: Float.self)
            for i in range {
                let ar = x[2 * i], ai = x[2 * i + 1], br = y[2 * i], bi = y[2 * i + 1]
                x[2 * i] = ar * br - ai * bi
                x[2 * i + 1] = ar * bi + ai * br
            }
        }
        fftwf_plan_with_nthreads(Int32(Parallel.workers))
        let inverse = fftwf_plan_dft_c2r_2d(Int32(ph), Int32(pw), data, real, FFTW_ESTIMATE)!
        fftwf_execute(inverse)
        fftwf_destroy_plan(inverse)
        var out = [Float](repeating: 0, count: w * h)
        out.withUnsafeMutableBufferPointer { dst in
            for row in 0..<h {
                let s = real + (row + r) * 2 * cw + r, o = dst.baseAddress! + row * w
                for c in 0..<w { o[c] = max(0, s[c]) }
            }
        }
        return out
    }

    /// In-place 2-D real-to-complex transform.
    private func forward(_ buf: UnsafeMutablePointer<fftwf_complex>) {
        let real = UnsafeMutableRawPointer(buf).assumingMemoryBound(to: Float.self)
        fftwf_plan_with_nthreads(Int32(Parallel.workers))
        let plan = fftwf_plan_dft_r2c_2d(Int32(ph), Int32(pw), real, buf, FFTW_ESTIMATE)!
        fftwf_execute(plan)
        fftwf_destroy_plan(plan)
    }
}

/// One-shot FFT convolution (see `FFTConvolver`).
enum FFTConvolution {
    static func smoothSize(_ n: Int) -> Int { FFTConvolver.smoothSize(n) }

    static func apply(_ input: [Float], width w: Int, height h: Int, kernel: [Double], radius r: Int) -> [Float] {
        FFTConvolver(height: h, width: w, kernel: kernel, radius: r).apply(input)
    }
}
