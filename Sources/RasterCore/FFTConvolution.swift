import CFFTW
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Linear convolution with an arbitrary symmetric (2R+1)² kernel by tiled FFT, zero outside
/// the grid.
///
/// Overlap-save (Stockham 1966; Oppenheim & Schafer, *Discrete-Time Signal Processing*, §8.7)
/// in 2-D with FFTW 3 (Frigo & Johnson, Proc. IEEE 93(2), 2005), single precision: the output
/// is cut into S × S blocks, S = T − 2R; each block's T × T input window (zero outside the grid)
/// is transformed real-to-complex, multiplied by the kernel's spectrum and transformed back,
/// and its last S × S samples are the exact linear convolution (the circular wrap-around only
/// reaches the first 2R rows and columns, which are discarded). T is a power of two chosen by a
/// cost model (`windowSize`): small windows stay in cache — one FFT of the whole padded grid
/// measured 2–3× slower per cell here at 4000² (12 ns per point and transform, against ~3 ns
/// for 512²) — but waste the 2R-wide margins; when one window holds the grid it takes the
/// smallest even 5-smooth side instead and runs on FFTW's threads. Blocks are independent and
/// split over `Parallel.workers`, each worker with its own window buffer; the plans
/// (FFTW_ESTIMATE: deterministic, no timing of candidate plans) are made once and run on each
/// buffer with FFTW's new-array execute. The kernel's spectrum is computed once per
/// `FFTConvolver` and reused (a T × T transform, or for a separable kernel two 1-D DFTs whose
/// outer product is formed in the multiply). Cost O(cells × log T × T² / S²), independent of the
/// kernel's area; memory the output plus 4·T(T+2) bytes per worker (and as much again for a
/// non-separable kernel's spectrum). Float32 round-off ~1e-7 × log T relative to the largest
/// value; results are clamped at 0 (a density cannot be negative).
final class FFTConvolver {
    let h: Int, w: Int, r: Int
    /// Window side, output block side, complex columns of a window.
    let t: Int, s: Int, cw: Int
    /// The kernel's T × (T/2+1) spectrum, pre-scaled by 1/T²; nil for a separable kernel, whose
    /// spectrum is the outer product G(u)·G(v) of `lineSpectrum` (formed on the fly: a T² buffer
    /// less, 15 MiB for a 1920² window).
    private let spectrum: UnsafeMutablePointer<fftwf_complex>?
    /// G(u) for u in 0..<T, interleaved (re, im), pre-scaled by 1/T; empty unless separable.
    private let lineSpectrum: [Float]
    private let forwardPlan: OpaquePointer, inversePlan: OpaquePointer

    private static let setUp: Void = {
        fftwf_make_planner_thread_safe()
        _ = fftwf_init_threads()
    }()
    /// Serialises `fftwf_plan_with_nthreads` + planning: the thread count is planner-global.
    private static let planning = Mutex(())

    /// The window side for radius `r` on a `height × width` grid: the power of two T ≥ max(256, 4R)
    /// that minimises the wall-clock cost model ⌈windows / workers⌉ × T² (2 log₂ T² + 2), with
    /// windows above 2048² weighted 1.5× for leaving the caches. (Measured at 1600², R = 160:
    /// one 2048² window 53 ms CPU against 103 ms for nine 1024² windows.)
    static func windowSize(radius r: Int, height: Int, width: Int) -> Int {
        var best = 0, bestCost = Double.infinity
        var t = 256
        while t < 4 * r { t *= 2 }
        while true {
            let s = t - 2 * r
            let windows = ((height + s - 1) / s) * ((width + s - 1) / s)
            let rounds = Double((windows + Parallel.workers - 1) / Parallel.workers)
            let cost = rounds * Double(t * t) * (2 * log2(Double(t * t)) + 2) * (t > 2048 ? 1.5 : 1)
            if cost < bestCost { best = t; bestCost = cost }
            if s >= max(height, width) {   // one window already holds the grid
                // Then the smallest even 5-smooth side that holds it (FFTW has codelets for 2, 3, 5):
                // at 1600², R = 160, 1920² instead of 2048², measured 107 → 70 ms single-threaded.
                let need = max(max(height, width) + 2 * r, 4 * r)
                let smooth = smoothSize(atLeast: need)
                return best > need && smooth < best ? smooth : best
            }
            t *= 2
        }
    }

    /// The smallest even 2^a·3^b·5^c ≥ n.
    static func smoothSize(atLeast n: Int) -> Int {
        var best = Int.max, p5 = 1
        while p5 < 2 * n {
            var p35 = p5
            while p35 < 2 * n {
                var v = 2 * p35
                while v < n { v *= 2 }
                best = min(best, v)
                p35 *= 3
            }
            p5 *= 5
        }
        return best
    }

    /// Prepares the kernel spectrum for `height × width` grids. `kernel` is (2R+1)², row-major;
    /// `window` overrides the window side (tests use small windows to exercise block seams).
    ///
    /// With `separable` (the 1-D weights g[0…R] of a kernel g(i)·g(j)), the spectrum is the outer
    /// product of two 1-D DFTs summed directly in Double (O(T·R)) instead of a T² transform.
    init(height: Int, width: Int, kernel: [Double], radius: Int, separable: [Double]? = nil, window: Int? = nil) {
        _ = Self.setUp
        h = height; w = width; r = radius
        t = window ?? Self.windowSize(radius: r, height: height, width: width); s = t - 2 * r; cw = t / 2 + 1
        precondition(s > 0, "window \(t) too small for radius \(r)")
        // Fewer windows than workers: FFTW's own threads split each transform instead. The plans
        // are made on a scratch buffer: ESTIMATE does not touch the data, and `run` executes them
        // on each worker's window (new-array execute; fftwf_alloc gives the same alignment).
        let windows = ((height + s - 1) / s) * ((width + s - 1) / s)
        let threads = windows < Parallel.workers ? Parallel.workers : 1
        let scratch = fftwf_alloc_complex(t * cw)!
        defer { fftwf_free(scratch) }
        let scratchReal = UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: Float.self)
        (forwardPlan, inversePlan) = Self.plans(side: t, real: scratchReal, complex: scratch, threads: threads)
        // The kernel sits unshifted at rows/cols 0…2R.
        let k = 2 * r + 1, t = t, cw = cw
        if let g = separable {
            // DFT of the 1-D kernel placed at 0…2R: G(u) = Σ_j g(|j − R|) e^{−2πi u j / T}.
            let cosT = (0..<t).map { cos(-2 * Double.pi * Double($0) / Double(t)) }
            let sinT = (0..<t).map { sin(-2 * Double.pi * Double($0) / Double(t)) }
            var line = [Float](repeating: 0, count: 2 * t)
            for u in 0..<t {
                var a = 0.0, b = 0.0, idx = 0   // idx = u·j mod T
                for j in 0..<k {
                    let gj = g[abs(j - r)]
                    a += gj * cosT[idx]; b += gj * sinT[idx]
                    idx += u; if idx >= t { idx -= t }
                }
                line[2 * u] = Float(a / Double(t)); line[2 * u + 1] = Float(b / Double(t))
            }
            spectrum = nil
            lineSpectrum = line
        } else {
            let full = fftwf_alloc_complex(t * cw)!
            let real = UnsafeMutableRawPointer(full).assumingMemoryBound(to: Float.self)
            real.initialize(repeating: 0, count: 2 * t * cw)
            for i in 0..<k { for j in 0..<k { real[i * 2 * cw + j] = Float(kernel[i * k + j]) } }
            fftwf_execute_dft_r2c(forwardPlan, real, full)
            let scale = Float(1 / Double(t * t))
            for i in 0..<(2 * t * cw) { real[i] *= scale }
            spectrum = full
            lineSpectrum = []
        }
    }

    /// In-place r2c and c2r plans for a `side`² window on `threads` threads.
    private static func plans(side t: Int, real: UnsafeMutablePointer<Float>, complex: UnsafeMutablePointer<fftwf_complex>,
                              threads: Int) -> (OpaquePointer, OpaquePointer) {
        let buffers = UncheckedBox((real, complex))
        return planning.withLock { _ in
            let (real, complex) = buffers.value
            fftwf_plan_with_nthreads(Int32(threads))
            return (fftwf_plan_dft_r2c_2d(Int32(t), Int32(t), real, complex, FFTW_ESTIMATE)!,
                    fftwf_plan_dft_c2r_2d(Int32(t), Int32(t), complex, real, FFTW_ESTIMATE)!)
        }
    }

    deinit {
        fftwf_destroy_plan(forwardPlan)
        fftwf_destroy_plan(inversePlan)
        if let spectrum { fftwf_free(spectrum) }
    }

    /// `input` (h × w, row-major) convolved with the kernel.
    func apply(_ input: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: w * h)
        let blocksDown = (h + s - 1) / s, blocksAcross = (w + s - 1) / s
        input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let io = UncheckedBox((src.baseAddress!, dst.baseAddress!))
                let me = UncheckedBox(self)
                Parallel.forEachChunk(blocksDown * blocksAcross) { blocks in
                    me.value.run(blocks: blocks, across: blocksAcross, src: io.value.0, dst: io.value.1)
                }
            }
        }
        return out
    }

    /// Processes output blocks `blocks` (row-major block index) with one window buffer.
    private func run(blocks: Range<Int>, across: Int, src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) {
        let buf = fftwf_alloc_complex(t * cw)!
        defer { fftwf_free(buf) }
        let real = UnsafeMutableRawPointer(buf).assumingMemoryBound(to: Float.self)
        let stride = 2 * cw
        for b in blocks {
            let r0 = (b / across) * s, c0 = (b % across) * s        // output block origin
            let wr = r0 - r, wc = c0 - r                            // window origin in the grid
            // Fill the window: grid values where inside, zero elsewhere.
            var allZero = true
            for i in 0..<t {
                let row = real + i * stride
                row.update(repeating: 0, count: t)
                let gr = wr + i, cLo = max(0, wc), cHi = min(w, wc + t)
                guard gr >= 0, gr < h, cHi > cLo else { continue }
                let g = src + gr * w
                (row + (cLo - wc)).update(from: g + cLo, count: cHi - cLo)
                if allZero { for c in cLo..<cHi where g[c] != 0 { allZero = false; break } }
            }
            if allZero { continue }   // an empty window convolves to zero: the output is already 0
            fftwf_execute_dft_r2c(forwardPlan, real, buf)
            multiplyBySpectrum(real)
            fftwf_execute_dft_c2r(inversePlan, buf, real)
            // Samples 2R ..< T of the window are the block's outputs.
            let rows = min(s, h - r0), cols = min(s, w - c0)
            for i in 0..<rows {
                let from = real + (2 * r + i) * stride + 2 * r, to = dst + (r0 + i) * w + c0
                for j in 0..<cols { to[j] = max(0, from[j]) }
            }
        }
    }
}

extension FFTConvolver {
    /// The window's spectrum (T rows of T/2+1 interleaved complex values) times the kernel's.
    fileprivate func multiplyBySpectrum(_ x: UnsafeMutablePointer<Float>) {
        if let spectrum {
            let b = UnsafeMutableRawPointer(spectrum).assumingMemoryBound(to: Float.self)
            for i in 0..<(t * cw) {
                let ar = x[2 * i], ai = x[2 * i + 1], br = b[2 * i], bi = b[2 * i + 1]
                x[2 * i] = ar * br - ai * bi
                x[2 * i + 1] = ar * bi + ai * br
            }
            return
        }
        lineSpectrum.withUnsafeBufferPointer { g in
            for u in 0..<t {
                let gr = g[2 * u], gi = g[2 * u + 1], row = x + 2 * u * cw
                for v in 0..<cw {
                    let br = gr * g[2 * v] - gi * g[2 * v + 1], bi = gr * g[2 * v + 1] + gi * g[2 * v]
                    let ar = row[2 * v], ai = row[2 * v + 1]
                    row[2 * v] = ar * br - ai * bi
                    row[2 * v + 1] = ar * bi + ai * br
                }
            }
        }
    }
}

/// One-shot FFT convolution (see `FFTConvolver`).
enum FFTConvolution {
    /// Relative cost of convolving a `height × width` grid with radius `r` (multiply-adds, roughly):
    /// windows × 2 transforms of T² log₂ T² + the product.
    static func cost(height: Int, width: Int, radius r: Int) -> Double {
        let t = FFTConvolver.windowSize(radius: r, height: height, width: width), s = t - 2 * r
        let windows = Double(((height + s - 1) / s) * ((width + s - 1) / s))
        return windows * Double(t * t) * (2 * log2(Double(t * t)) + 2)
    }

    /// Wall-clock form of `cost` for choosing against the separable filter, whose passes always
    /// use every worker: the windows run `Parallel.workers` at a time; tiles of 2048² and more
    /// (16 MiB of spectrum, far beyond L2) are weighted 1.5× (measured at 1600², R = 160: 0.55 ns
    /// per cost unit for one 2048² window against 0.38 for 1024² windows, quiet machine). A grid
    /// held in fewer windows than workers runs each window on FFTW's threads, measured 1.53× on
    /// two (one 1920² window at 1600², R = 160: 90 → 59 ms; 0.30 CPU ns per unit, as tiles).
    static func wallCost(height: Int, width: Int, radius r: Int) -> Double {
        let t = FFTConvolver.windowSize(radius: r, height: height, width: width), s = t - 2 * r
        let windows = ((height + s - 1) / s) * ((width + s - 1) / s)
        let perWindow = Double(t * t) * (2 * log2(Double(t * t)) + 2)
        if windows < Parallel.workers { return Double(windows) * perWindow / (0.765 * Double(Parallel.workers)) }
        let rounds = Double((windows + Parallel.workers - 1) / Parallel.workers)
        return rounds * perWindow * (t >= 2048 ? 1.5 : 1)
    }

    /// Bytes `FFTConvolver` allocates besides the output: one window buffer per worker with
    /// windows to run (one when a window runs on FFTW's threads), and for a non-separable kernel
    /// its T × (T/2+1) spectrum.
    static func workingBytes(height: Int, width: Int, radius r: Int, separable: Bool) -> Int {
        let t = FFTConvolver.windowSize(radius: r, height: height, width: width), s = t - 2 * r
        let windows = ((height + s - 1) / s) * ((width + s - 1) / s)
        let window = t * (t / 2 + 1) * MemoryLayout<fftwf_complex>.size
        return min(windows, Parallel.workers) * window + (separable ? 0 : window)
    }

    static func apply(_ input: [Float], width w: Int, height h: Int, kernel: [Double], radius r: Int,
                      separable: [Double]? = nil) -> [Float] {
        FFTConvolver(height: h, width: w, kernel: kernel, radius: r, separable: separable).apply(input)
    }
}
