import Foundation
import Testing
@testable import RasterCore
import CPUFeatures

@Suite struct KernelDensityTests {
    /// Direct summation in Double of the continuous kernel at cell-centre offsets, normalised to
    /// sum 1 over the kernel's cells — independent of the library's weight tables.
    func direct(_ counts: Raster<Float>, _ kernel: Kernel) -> [Double] {
        let g = counts.geometry, cs = g.cellSize
        func k(_ dr: Int, _ dc: Int) -> Double {
            let d2 = Double(dr * dr + dc * dc) * cs * cs
            switch kernel {
            case .gaussian(let s):
                return abs(Double(dr)) <= (4 * s / cs + 0.5).rounded(.down) && abs(Double(dc)) <= (4 * s / cs + 0.5).rounded(.down)
                    ? exp(-0.5 * d2 / (s * s)) : 0
            case .quartic(let h): return d2 < h * h ? pow(1 - d2 / (h * h), 2) : 0
            case .uniform(let h): return d2 <= h * h * (1 + 1e-12) ? 1 : 0
            }
        }
        let reach = Int(4 * kernel.bandwidth / cs) + 2
        var total = 0.0
        for dr in -reach...reach { for dc in -reach...reach { total += k(dr, dc) } }
        var out = [Double](repeating: 0, count: g.cellCount)
        for j in 0..<g.cellCount where counts.values[j] != 0 {
            let jr = j / g.width, jc = j % g.width
            for i in 0..<g.cellCount {
                out[i] += Double(counts.values[j]) * k(i / g.width - jr, i % g.width - jc) / total
            }
        }
        return out.map { $0 * 1e6 / (cs * cs) }
    }

    func randomCounts(_ rng: inout SplitMix64, _ g: GridGeometry, density: Double) -> Raster<Float> {
        var r = Raster<Float>(geometry: g, repeating: 0)
        for i in 0..<g.cellCount where rng.uniform(0, 1) < density { r.values[i] = Float(rng.int(1..<5)) }
        return r
    }

    @Test(arguments: [KernelDensity.Method.separable, .fft, .splat, .automatic])
    func equalsDirectSummation(method: KernelDensity.Method) throws {
        var rng = SplitMix64(seed: 4242)
        for trial in 0..<24 {
            let g = randomGrid(&rng, maxSide: 40)
            let counts = randomCounts(&rng, g, density: [0.002, 0.05, 0.5][trial % 3])
            let bw = g.cellSize * rng.uniform(0.3, 6)
            let kernels: [Kernel] = [.gaussian(sigma: bw), .quartic(radius: bw), .uniform(radius: bw)]
            for kernel in kernels where !(method == .separable && !kernel.isSeparable) {
                let got = try KernelDensity.density(of: counts, kernel: kernel, method: method)
                let want = direct(counts, kernel)
                let peak = want.max() ?? 0
                for i in 0..<g.cellCount {
                    #expect(abs(Double(got.values[i]) - want[i]) <= 1e-5 * peak + 1e-9,
                            "trial \(trial) \(kernel) \(method) cell \(i): \(got.values[i]) vs \(want[i])")
                }
            }
        }
    }

    /// Column bands, ring strips and the scatter/gather choice per row change the work split,
    /// never a sum's order: the results are bit-equal. Densities from near-empty rows to full
    /// ones exercise empty, scattered and gathered rows in one grid.
    @Test func separableBandsAndStripsDoNotChangeTheResult() {
        var rng = SplitMix64(seed: 23)
        for trial in 0..<30 {
            let g = randomGrid(&rng)
            var counts = randomCounts(&rng, g, density: [0.01, 0.1, 0.6][trial % 3])
            for c in 0..<g.width where trial % 2 == 0 { counts[g.height / 2, c] = 1 }   // one dense row
            let weights = Kernel.gaussian(sigma: g.cellSize * rng.uniform(0.3, 5)).separableWeights(cellSize: g.cellSize)
            let wide = SeparableFilter.apply(counts.values, width: g.width, height: g.height, weights: weights)
            for (band, strip) in [(5, 3), (256, 1), (7, 50)] {
                let split = SeparableFilter.apply(counts.values, width: g.width, height: g.height, weights: weights,
                                                  band: band, strip: strip)
                #expect(wide == split, "trial \(trial) band \(band) strip \(strip)")
            }
        }
    }

    /// The Haswell (AVX2 + FMA) build of the filter's inner loops agrees with the baseline build
    /// to Float rounding: a fused tap rounds once where the baseline rounds twice, so every cell
    /// is within 1e-6 of the largest value (the filter's stated accuracy). Scattered, gathered and
    /// empty rows, widths that leave partial 32-column blocks, non-integer values.
    @Test(.enabled(if: CPUFeatures.cpuHasHaswell, "the CPU has no AVX2"))
    func avx2KernelsAgreeWithTheBaselineBuild() {
        var rng = SplitMix64(seed: 29)
        var differing = 0
        for trial in 0..<30 {
            let g = randomGrid(&rng)
            var counts = randomCounts(&rng, g, density: [0.01, 0.1, 0.6][trial % 3])
            for i in counts.values.indices where counts.values[i] != 0 { counts.values[i] *= Float(rng.uniform(0.1, 3)) }
            for c in 0..<g.width where trial % 2 == 0 { counts[g.height / 2, c] = 1 }   // one dense row
            let weights = Kernel.gaussian(sigma: g.cellSize * rng.uniform(0.3, 5)).separableWeights(cellSize: g.cellSize)
            let base = SeparableFilter.apply(counts.values, width: g.width, height: g.height, weights: weights, kernels: .baseline)
            let avx2 = SeparableFilter.apply(counts.values, width: g.width, height: g.height, weights: weights, kernels: .avx2)
            let top = base.map(abs).max() ?? 0
            #expect(zip(base, avx2).allSatisfy { abs($0 - $1) <= 1e-6 * top }, "trial \(trial)")
            #expect(zip(base, avx2).allSatisfy { ($0 == 0) == ($1 == 0) }, "trial \(trial): zeros")
            differing += zip(base, avx2).filter { $0 != $1 }.count
        }
        #expect(differing > 0, "the AVX2 build should differ in rounding (is it running the fused taps?)")
    }

    /// Each row's first-to-last set span, against a cell-by-cell scan (row widths not multiples
    /// of 64, so rows share words; empty and full rows).
    @Test func rowSpansMatchACellScan() {
        var rng = SplitMix64(seed: 61)
        for trial in 0..<40 {
            let g = randomGrid(&rng, maxSide: 150)
            var m = randomFeatures(&rng, on: g, density: [0.002, 0.03, 0.5][trial % 3])
            if trial % 4 == 0 { m.setRun(row: g.height / 2, from: 0, to: g.width) }
            let spans = m.rowSpans()
            for r in 0..<g.height {
                let set = (0..<g.width).filter { m[r, $0] }
                #expect(spans[r] == (set.isEmpty ? 0..<0 : set.first!..<(set.last! + 1)), "trial \(trial) row \(r)")
            }
        }
    }

    /// Density at a study mask inside a padded grid: the whole-grid values bit for bit within each
    /// row's span, 0 outside it, for the separable filter (which computes only the spans) and the FFT.
    @Test func densityAtAMaskEqualsTheCroppedDensity() throws {
        var rng = SplitMix64(seed: 67)
        for trial in 0..<16 {
            let inner = randomGrid(&rng, maxSide: 70)
            let g = try inner.padded(by: rng.int(0..<12))
            let counts = randomCounts(&rng, g, density: [0.005, 0.05, 0.4][trial % 3])
            let mask = randomFeatures(&rng, on: inner, density: [0.3, 0.9][trial % 2])
            let kernel = Kernel.gaussian(sigma: inner.cellSize * rng.uniform(0.4, 4))
            for method: KernelDensity.Method in [.separable, .fft] {
                let smoother = try KernelSmoother(kernel: kernel, geometry: g, method: method)
                let whole = try smoother.density(of: counts).cropped(to: inner)
                let at = try smoother.density(of: counts, at: mask)
                #expect(at.geometry == inner)
                let spans = mask.rowSpans()
                for r in 0..<inner.height {
                    for c in 0..<inner.width {
                        let want: Float = spans[r].contains(c) ? whole[r, c] : 0
                        #expect(at[r, c] == want, "trial \(trial) \(method) (\(r), \(c))")
                    }
                }
            }
        }
        let g = try GridGeometry(originX: 0, originY: 100, cellSize: 10, width: 10, height: 10)
        let elsewhere = BitMatrix(geometry: try GridGeometry(originX: 5, originY: 100, cellSize: 10, width: 4, height: 4))
        #expect(throws: RasterError.mismatchedGrids) {
            try KernelDensity.density(of: Raster<Float>(geometry: g, repeating: 0), kernel: .gaussian(sigma: 20), at: elsewhere)
        }
    }

    @Test func conservesMassWhenTheKernelStaysOnTheGrid() throws {
        var rng = SplitMix64(seed: 11)
        let inner = try GridGeometry(originX: 1000, originY: 2000, cellSize: 25, width: 20, height: 30)
        for kernel: Kernel in [.gaussian(sigma: 60), .quartic(radius: 110), .uniform(radius: 75)] {
            let g = try inner.padded(by: kernel.radius(cellSize: 25) + 1)
            var pts: [Point2] = []
            for _ in 0..<300 {
                let e = inner.extent
                pts.append(Point2(rng.uniform(e.minX, e.maxX), rng.uniform(e.minY, e.maxY)))
            }
            let counts = try Rasterize.countPoints(pts, on: g).counts
            for method: KernelDensity.Method in [.automatic, .fft, .splat] {
                let d = try KernelDensity.density(of: counts, kernel: kernel, method: method)
                let mass = d.values.reduce(0.0) { $0 + Double($1) } * 25 * 25 / 1e6
                #expect(abs(mass - 300) < 1e-3, "\(kernel) \(method): mass \(mass)")
            }
            // Off the grid, mass is lost: a point in the corner cell keeps only a quarter-ish.
            var corner = Raster<Float>(geometry: inner, repeating: 0)
            corner[0, 0] = 1
            let d = try KernelDensity.density(of: corner, kernel: kernel)
            let mass = d.values.reduce(0.0) { $0 + Double($1) } * 25 * 25 / 1e6
            #expect(mass < 0.6 && mass > 0.2, "\(kernel): corner mass \(mass)")
        }
    }

    @Test func edgeCorrectionDividesByKernelMassInsideTheStudyArea() throws {
        let g = try GridGeometry(originX: 0, originY: 500, cellSize: 25, width: 20, height: 20)
        var mask = BitMatrix(geometry: g)
        for r in 5..<15 { mask.setRun(row: r, from: 5, to: 15) }
        // A uniform surface: one event in every study cell. Edge-corrected, the interior and the
        // edge read the same; uncorrected, the edge reads lower.
        var counts = Raster<Float>(geometry: g, repeating: 0)
        for i in mask.setIndices { counts.values[i] = 1 }
        let kernel = Kernel.quartic(radius: 80)
        let plain = try KernelDensity.density(of: counts, kernel: kernel)
        let corrected = try KernelDensity.density(of: counts, kernel: kernel, edgeCorrection: mask)
        let perKm2 = Float(1e6 / (25.0 * 25))
        for i in mask.setIndices { #expect(abs(corrected.values[i] - perKm2) <= 1e-4 * perKm2) }
        #expect(plain[5, 5] < 0.5 * perKm2)
        #expect(abs(plain[10, 10] - perKm2) <= 1e-4 * perKm2)
        #expect(corrected[0, 0] == plain[0, 0])   // outside the mask: uncorrected
        // Correction with the mask on another grid is refused.
        #expect(throws: RasterError.mismatchedGrids) {
            try KernelDensity.density(of: counts, kernel: kernel, edgeCorrection: BitMatrix(geometry: try g.padded(by: 1)))
        }
    }

    @Test func smootherReuseMatchesOneShot() throws {
        var rng = SplitMix64(seed: 808)
        let g = try GridGeometry(originX: 0, originY: 1000, cellSize: 25, width: 40, height: 33)
        for kernel: Kernel in [.gaussian(sigma: 300), .quartic(radius: 120), .uniform(radius: 60)] {
            let smoother = try KernelSmoother(kernel: kernel, geometry: g)
            for trial in 0..<4 {
                let counts = randomCounts(&rng, g, density: [0.01, 0.4][trial % 2])
                var mask = BitMatrix(geometry: g)
                for r in 3..<(20 + trial) { mask.setRun(row: r, from: 2, to: 30 + trial) }
                for m in [nil, mask] {
                    let a = try smoother.density(of: counts, edgeCorrection: m)
                    let b = try KernelDensity.density(of: counts, kernel: kernel, edgeCorrection: m)
                    #expect(a.values == b.values, "\(kernel) trial \(trial)")
                }
            }
            #expect(throws: RasterError.mismatchedGrids) {
                try smoother.density(of: Raster<Float>(geometry: try g.padded(by: 1), repeating: 0))
            }
        }
    }

    @Test func automaticMethodFollowsTheMeasuredCrossovers() throws {
        func grid(_ n: Int) throws -> GridGeometry { try GridGeometry(originX: 0, originY: 0, cellSize: 25, width: n, height: n) }
        let london = try grid(1600)
        // Gaussians on the benchmark's 1M binned points (511,379 non-zero cells, every row gathered
        // at σ ≤ 500 m) and on 2,000 bars (every row scattered)
        let dense = 511_379
        #expect(KernelDensity.automaticMethod(for: .gaussian(sigma: 100), on: london, nonZeroCells: dense) == .separable)
        #expect(KernelDensity.automaticMethod(for: .gaussian(sigma: 250), on: london, nonZeroCells: dense) == .separable)
        // σ = 500 m: separable 20 ms with the AVX2 + FMA loops, 28–32 ms without; FFT 25 ms
        let avx2 = FilterKernelSet.current.name == FilterKernelSet.avx2.name
        #expect(KernelDensity.automaticMethod(for: .gaussian(sigma: 500), on: london, nonZeroCells: dense) == (avx2 ? .separable : .fft))
        // one 1920² FFT window would hold the grid (33 ms against 42 ms separable with AVX2), but
        // its 14.8 MB buffer exceeds the 10.2 MB output; the separable rings fit (memory first)
        #expect(FFTConvolution.workingBytes(height: 1600, width: 1600, radius: 160, separable: true) > 1600 * 1600 * 4)
        #expect(SeparableFilter.workingBytes(width: 1600, radius: 160) <= 1600 * 1600 * 4)
        #expect(KernelDensity.automaticMethod(for: .gaussian(sigma: 1000), on: london, nonZeroCells: dense) == .separable)
        #expect(KernelDensity.automaticMethod(for: .gaussian(sigma: 1000), on: try grid(4000), nonZeroCells: 4 * dense) == .fft)
        #expect(KernelDensity.automaticMethod(for: .gaussian(sigma: 250), on: try grid(10_000), nonZeroCells: 40 * dense) == .fft)
        #expect(KernelDensity.automaticMethod(for: .gaussian(sigma: 100), on: try grid(10_000), nonZeroCells: 40 * dense) == .separable)
        #expect(KernelDensity.automaticMethod(for: .quartic(radius: 250), on: london, nonZeroCells: 2_000) == .splat)
        #expect(KernelDensity.automaticMethod(for: .quartic(radius: 1000), on: london, nonZeroCells: 45_000) == .fft)
        #expect(KernelDensity.automaticMethod(for: .uniform(radius: 250), on: london, nonZeroCells: 500_000) == .fft)
    }

    @Test func refusesBadBandwidthsBeforeAllocating() throws {
        let g = try GridGeometry(originX: 0, originY: 100, cellSize: 10, width: 10, height: 10)
        let c = Raster<Float>(geometry: g, repeating: 0)
        #expect(throws: RasterError.invalidBandwidth(0)) { try KernelDensity.density(of: c, kernel: .gaussian(sigma: 0)) }
        #expect(throws: RasterError.invalidBandwidth(-5)) { try KernelDensity.density(of: c, kernel: .quartic(radius: -5)) }
        #expect(throws: RasterError.invalidBandwidth(.infinity)) { try KernelDensity.density(of: c, kernel: .uniform(radius: .infinity)) }
        #expect(throws: RasterError.invalidBandwidth(1e7)) { try KernelDensity.density(of: c, kernel: .gaussian(sigma: 1e7)) }
    }

    @Test func kernelRadiiFollowTheConventions() {
        #expect(Kernel.gaussian(sigma: 250).radius(cellSize: 25) == 40)     // int(4·10 + 0.5)
        #expect(Kernel.quartic(radius: 250).radius(cellSize: 25) == 9)      // d < h: 10 cells away has weight 0
        #expect(Kernel.quartic(radius: 260).radius(cellSize: 25) == 10)
        #expect(Kernel.uniform(radius: 250).radius(cellSize: 25) == 10)     // d ≤ h
        #expect(Kernel.quartic(radius: 10).radius(cellSize: 25) == 0)
        let w = Kernel.quartic(radius: 10).weights(cellSize: 25)
        #expect(w.values == [1])
    }

    /// Tiles are powers of two ≥ max(256, 4R); a single window that holds the grid is the
    /// smallest even 5-smooth side ≥ max(grid + 2R, 4R), found here by brute force.
    @Test func fftWindowsCoverTheKernel() {
        func smooth(atLeast n: Int) -> Int {
            var v = n
            while true {
                var m = v
                for p in [2, 3, 5] { while m % p == 0 { m /= p } }
                if m == 1 && v % 2 == 0 { return v }
                v += 1
            }
        }
        for n in [1, 7, 64, 1601, 1920, 1921, 4097] { #expect(FFTConvolver.smoothSize(atLeast: n) == smooth(atLeast: n), "n \(n)") }
        #expect(FFTConvolver.windowSize(radius: 0, height: 64, width: 64) == 64)
        #expect(FFTConvolver.windowSize(radius: 200, height: 64, width: 64) == 800)   // ≥ 4R
        #expect(FFTConvolver.windowSize(radius: 160, height: 1600, width: 1600) == 1920)
        for (r, n) in [(9, 1600), (39, 1600), (160, 1600), (40, 4000), (160, 10_000), (3, 100)] {
            let t = FFTConvolver.windowSize(radius: r, height: n, width: n)
            if t - 2 * r >= n {
                #expect(t == smooth(atLeast: max(n + 2 * r, 4 * r)), "R \(r) n \(n): T \(t)")
            } else {
                #expect(t >= 256 && t >= 4 * r && t & (t - 1) == 0, "R \(r) n \(n): T \(t)")
            }
        }
        // Windows forced small so a 64 × 61 grid is cut into 3 × 3 blocks of 20 (T = 32, R = 6):
        // the seams must agree with splatting the same kernel.
        var rng = SplitMix64(seed: 17)
        let g = try! GridGeometry(originX: 0, originY: 0, cellSize: 1, width: 64, height: 61)
        var counts = Raster<Float>(geometry: g, repeating: 0)
        for i in 0..<g.cellCount where rng.uniform(0, 1) < 0.03 { counts.values[i] = Float(rng.int(1..<4)) }
        let k = Kernel.quartic(radius: 6.5).weights(cellSize: 1)
        let conv = FFTConvolver(height: 61, width: 64, kernel: k.values, radius: k.radius, window: 32)
        #expect(conv.s == 20)
        let fft = conv.apply(counts.values)
        let splat = SparseSplat.apply(counts.values, width: 64, height: 61, kernel: k.values, radius: k.radius)
        let peak = splat.max()!
        for i in 0..<g.cellCount { #expect(abs(fft[i] - splat[i]) <= 1e-5 * peak, "cell \(i)") }
    }

    /// One window holding the whole grid runs on FFTW's threads (a 5-smooth 180² window here,
    /// separable spectrum formed on the fly): the same bytes on every run, and the same values
    /// as the single-threaded tiles.
    @Test func oneThreadedWindowIsReproducibleAndMatchesTiles() {
        var rng = SplitMix64(seed: 29)
        let (h, w) = (97, 103)
        var counts = [Float](repeating: 0, count: h * w)
        for i in counts.indices where rng.uniform(0, 1) < 0.05 { counts[i] = Float(rng.int(1..<4)) }
        let kernel = Kernel.gaussian(sigma: 7.5)
        let k = kernel.weights(cellSize: 1), g = kernel.separableWeights(cellSize: 1)
        let whole = FFTConvolver(height: h, width: w, kernel: k.values, radius: k.radius, separable: g)
        #expect(whole.t == FFTConvolver.smoothSize(atLeast: max(h, w) + 2 * k.radius))
        let a = whole.apply(counts), b = whole.apply(counts)
        #expect(a == b)
        let tiles = FFTConvolver(height: h, width: w, kernel: k.values, radius: k.radius, window: 128).apply(counts)
        let peak = tiles.max()!
        for i in counts.indices { #expect(abs(a[i] - tiles[i]) <= 1e-5 * peak, "cell \(i)") }
    }
}
