/// Convolution with a symmetric separable kernel `g(i)·g(j)`, zero outside the grid.
///
/// Two 1-D passes (the separable Gaussian of e.g. Young & van Vliet 1995, here in the plain
/// direct form, exact to the truncated kernel), rows first, then columns:
/// 1. Each input row is filtered along the row into a ring of row buffers. A sparse row (the
///    common case for binned features; rule in `Ring.filter`) is *scattered*: every non-zero
///    cell adds `value × g` to the 2R+1 cells around it, SIMD8 at a time, so the pass costs
///    O(nnz × R) instead of O(width × R), and an empty row costs a vectorised scan. A dense row
///    is *gathered* with the symmetric form `g0·p[c] + Σₖ g[k]·(p[c−k] + p[c+k])`.
/// 2. Each output row sums the 2R+1 filtered rows around it with the same symmetric form, 32
///    columns at a time in four SIMD8<Float> accumulators held in registers across all taps, in
///    column bands (so the band's rows stay in L2 from one output row to the next), and only
///    over the columns where one of those rows can be non-zero (each row keeps its extent).
///
/// Work is split into contiguous row chunks over `Parallel.workers`; each worker keeps a ring of
/// `strip + 2R` filtered rows and filters every input row it needs once. Memory: the output plus
/// the rings, O((strip + R) × width) per worker. Every output is summed in the same order
/// whatever the chunks, strips and bands (the tests check bit-equality), so runs are
/// reproducible. Accumulates in Float32: relative error ~1e-6 of the largest value.
enum SeparableFilter {
    typealias V = SIMD8<Float>

    /// The part of the output to compute: `height × width` cells from input cell (`row`, `col`),
    /// and in each of its rows only the columns `spans[row]` (window coordinates; nil = all).
    /// Cells outside the spans are 0.
    struct Window {
        let row: Int, col: Int, height: Int, width: Int
        let spans: [Range<Int>]?

        /// This window's cells of `all`, a whole-grid output `gridWidth` wide (0 outside the spans).
        func cut(_ all: [Float], gridWidth: Int) -> [Float] {
            var out = [Float](repeating: 0, count: width * height)
            for r in 0..<height {
                let from = (row + r) * gridWidth + col
                for c in spans?[r] ?? 0..<width { out[r * width + c] = all[from + c] }
            }
            return out
        }
    }

    /// `band` is the column-band width of the column pass and `strip` the output rows per ring
    /// refill (tests use small values of both to cross the seams). The output is `window`'s
    /// cells (default: the whole grid), each the same sum as in the whole-grid output.
    static func apply(_ input: [Float], width w: Int, height h: Int, weights g64: [Double],
                      band: Int = 256, strip: Int? = nil, window: Window? = nil,
                      kernels: FilterKernelSet = .current) -> [Float] {
        let g = g64.map(Float.init), r = g.count - 1
        let win = window ?? Window(row: 0, col: 0, height: h, width: w, spans: nil)
        precondition(win.row >= 0 && win.col >= 0 && win.row + win.height <= h && win.col + win.width <= w)
        // The full kernel g(−R…R) shifted right by 0…7 cells, in SIMD8 blocks, for the scatter:
        // the scatter from column c writes whole aligned blocks, so consecutive non-zero cells
        // store to and load from the same addresses (no failed store-to-load forwarding).
        let lanes = scatterLanes(radius: r)
        let kernel: [V] = (0..<8).flatMap { shift -> [V] in
            var full = [Float](repeating: 0, count: lanes * 8)
            for k in 0...r { full[shift + r - k] = g[k]; full[shift + r + k] = g[k] }
            return (0..<lanes).map { V(full[($0 * 8)..<($0 * 8 + 8)]) }
        }
        // A filtered row: data column c at offset R + c; the scatter from c writes the blocks
        // [8⌊c/8⌋, 8⌊c/8⌋ + 8·lanes), so rows are a whole number of blocks.
        let pitch = Self.pitch(width: w, radius: r)
        let stripRows = max(1, strip ?? Self.defaultStrip(radius: r))
        let slots = stripRows + 2 * r
        let ww = win.width
        if ww * win.height == 0 { return [] }
        // Every output cell is written once: the column pass inside each row's extent, zeros
        // outside it (no clearing pass over the whole output first).
        let output = [Float](unsafeUninitializedCapacity: ww * win.height) { outBuf, count in
            count = ww * win.height
            input.withUnsafeBufferPointer { inBuf in
                let source = UncheckedBox(inBuf.baseAddress!), target = UncheckedBox(outBuf.baseAddress!)
                // Output rows (window coordinates) in chunks; output row o centres on input row
                // win.row + o.
                Parallel.forEachChunk(win.height, minChunk: 8) { chunk in
                    var ring = Ring(slots: slots, pitch: pitch, width: w, radius: r)
                    defer { ring.deallocate() }
                    let src = source.value, dst = target.value
                    var next = max(0, win.row + chunk.lowerBound - r)       // the next input row to filter
                    // Per strip: the filtered rows around it (the zero row outside the grid), offset
                    // to the window's first column, and per output row the window columns where it
                    // can be non-zero.
                    var live = [UnsafePointer<Float>](repeating: ring.zero, count: stripRows + 2 * r)
                    var extent = [(lo: Int, hi: Int)](repeating: (0, 0), count: stripRows)
                    for s0 in stride(from: chunk.lowerBound, to: chunk.upperBound, by: stripRows) {
                        let s1 = min(chunk.upperBound, s0 + stripRows)
                        let i0 = win.row + s0, i1 = win.row + s1          // the input rows they centre on
                        // Refilling overwrites only rows below i0 − R, which no output row here reads.
                        while next < min(h, i1 + r) {
                            ring.filter(row: next, of: src + next * w, kernel: kernel, lanes: lanes, weights: g, kernels: kernels)
                            next += 1
                        }
                        for j in 0..<(s1 - s0 + 2 * r) {
                            let i = i0 - r + j
                            live[j] = (i >= 0 && i < h ? ring.row(i) : ring.zero) + win.col
                        }
                        for o in s0..<s1 {
                            let i = win.row + o
                            var lo = w, hi = 0
                            for k in max(0, i - r)...min(h - 1, i + r) {
                                let e = ring.extent(of: k)
                                if e.lo < e.hi { lo = min(lo, e.lo); hi = max(hi, e.hi) }
                            }
                            let span = win.spans?[o] ?? 0..<ww
                            let e = (lo: max(lo - win.col, span.lowerBound), hi: min(hi - win.col, span.upperBound))
                            extent[o - s0] = e
                            let row = dst + o * ww
                            if e.lo < e.hi {
                                row.update(repeating: 0, count: e.lo)
                                (row + e.hi).update(repeating: 0, count: ww - e.hi)
                            } else {
                                row.update(repeating: 0, count: ww)
                            }
                        }
                        live.withUnsafeBufferPointer { live in g.withUnsafeBufferPointer { taps in
                            for b0 in stride(from: 0, to: ww, by: band) {
                                for o in s0..<s1 {
                                    let (lo, hi) = extent[o - s0]
                                    let c0 = max(b0, lo), c1 = min(b0 + band, ww, hi)
                                    guard c0 < c1 else { continue }    // zeroed above
                                    kernels.columnSums(dst + o * ww, live.baseAddress! + (o - s0 + r),
                                                       taps.baseAddress!, r, c0, c1)
                                }
                            }
                        } }
                    }
                }
            }
        }
        return output
    }

    /// One worker's row-filtered input rows: `slots` buffers reused in turn (row i in slot
    /// i mod slots), each with the column extent that can be non-zero; empty rows point at a
    /// shared zero row instead of being cleared.
    struct Ring {
        let slots: Int, pitch: Int, width: Int, radius: Int
        let storage: UnsafeMutablePointer<Float>
        /// A zero row (offset to data column 0), read for rows outside the grid and empty rows.
        let zero: UnsafePointer<Float>
        private let zeroBase: UnsafeMutablePointer<Float>
        /// Zero-padded copy of a dense row for the gather: R + 32 zeros on either side.
        private let pad: UnsafeMutablePointer<Float>
        private let nonZero: UnsafeMutablePointer<Int32>
        private var rows: [UnsafePointer<Float>]
        private var extents: [(lo: Int, hi: Int)]

        init(slots: Int, pitch: Int, width w: Int, radius r: Int) {
            self.slots = slots; self.pitch = pitch; self.width = w; self.radius = r
            storage = UnsafeMutableRawPointer.allocate(byteCount: slots * pitch * 4, alignment: 64)
                .bindMemory(to: Float.self, capacity: slots * pitch)
            zeroBase = .allocate(capacity: pitch)
            zeroBase.initialize(repeating: 0, count: pitch)
            zero = UnsafePointer(zeroBase + r)
            pad = .allocate(capacity: w + 2 * r + 64)
            pad.initialize(repeating: 0, count: w + 2 * r + 64)
            nonZero = .allocate(capacity: w)
            rows = Array(repeating: UnsafePointer(zeroBase + r), count: slots)
            extents = Array(repeating: (0, 0), count: slots)
        }

        func deallocate() {
            storage.deallocate(); zeroBase.deallocate(); pad.deallocate(); nonZero.deallocate()
        }

        /// Input row `i` filtered along the row (data column 0).
        @inline(__always) func row(_ i: Int) -> UnsafePointer<Float> { rows[i % slots] }
        /// Columns lo..<hi of filtered row `i` may be non-zero; all others are zero.
        @inline(__always) func extent(of i: Int) -> (lo: Int, hi: Int) { extents[i % slots] }

        /// Filters input row `i` (`src`, `width` values) into its slot.
        mutating func filter(row i: Int, of src: UnsafePointer<Float>, kernel: [V], lanes: Int, weights g: [Float],
                             kernels: FilterKernelSet) {
            let w = width, r = radius, s = i % slots
            // Count the non-zero cells (SIMD8 compares), then list them only if the row is sparse
            // enough to scatter. (Scattering while scanning, without the list, measured 1.3×
            // slower: the captured first/last columns defeat the inlining.)
            var n = KernelDensity.nonZeroCount(src, w)
            if n == 0 {
                rows[s] = zero
                extents[s] = (0, 0)
                return
            }
            let scatter = SeparableFilter.scatters(nonZero: n, width: w, radius: r)
            if scatter {
                n = 0
                var c = 0
                while c + 8 <= w {
                    // The block's non-zero lanes as bits (lane j → 2^j), then one index per set bit.
                    var bits = SIMD8<Int32>(repeating: 0)
                        .replacing(with: SeparableFilter.laneBits, where: SeparableFilter.load(src + c) .!= 0).wrappedSum()
                    while bits != 0 {
                        nonZero[n] = Int32(truncatingIfNeeded: c) &+ Int32(bits.trailingZeroBitCount)
                        n &+= 1
                        bits &= bits &- 1
                    }
                    c += 8
                }
                for j in c..<w where src[j] != 0 { nonZero[n] = Int32(truncatingIfNeeded: j); n &+= 1 }
            }
            let base = storage + s * pitch
            rows[s] = UnsafePointer(base + r)
            if scatter {
                // Scatter: cell c adds value × g(−R…R) to columns c−R…c+R, i.e. base[c ..< c+2R+1],
                // as the kernel shifted by c mod 8 over the aligned blocks from 8⌊c/8⌋.
                base.update(repeating: 0, count: pitch)
                kernel.withUnsafeBufferPointer { k in
                    kernels.scatter(base, UnsafePointer(nonZero), n, src, k.baseAddress!, lanes)
                }
                extents[s] = (max(0, Int(nonZero[0]) - r), min(w, Int(nonZero[n - 1]) + r + 1))
            } else {
                (pad + r + 32).update(from: src, count: w)
                g.withUnsafeBufferPointer { kernels.rowPass(base + r, pad + r + 32, $0.baseAddress!, r, w) }
                extents[s] = (0, w)
            }
        }
    }

    static let laneBits = SIMD8<Int32>(1, 2, 4, 8, 16, 32, 64, 128)

    /// Row stride of a ring slot (floats): data column c at R + c, whole SIMD8 blocks.
    static func pitch(width w: Int, radius r: Int) -> Int { (w + 2 * r + 16 + 7) / 8 * 8 }
    /// Ring rows per output strip when the caller does not choose.
    static func defaultStrip(radius r: Int) -> Int { max(64, r) }

    /// Bytes `apply` allocates besides its output with the default strip: one ring per worker.
    static func workingBytes(width w: Int, radius r: Int) -> Int {
        Parallel.workers * (defaultStrip(radius: r) + 2 * r + 1) * pitch(width: w, radius: r) * MemoryLayout<Float>.size
    }

    /// SIMD8 blocks a scatter writes: the 2R+1 weights, shifted by up to 7 cells.
    static func scatterLanes(radius r: Int) -> Int { (2 * r + 1 + 7) / 8 + 1 }

    /// Scattering a row's `nonZero` cells costs n × lanes read-modify-writes of a block,
    /// gathering it width/8 × (R + 1) block taps; measured at 1600 columns a scatter write costs
    /// about two taps (adjacent cells' writes chain through memory): a 20 %-full row gathers at
    /// R = 16 and scatters at R = 160. Returns both in one unit.
    static func rowCosts(nonZero n: Int, width w: Int, radius r: Int) -> (scatter: Double, gather: Double) {
        (Double(n) * Double(scatterLanes(radius: r)) * 16, Double(w) * Double(r + 1))
    }

    /// Whether `Ring.filter` scatters a row with `nonZero` non-zero cells.
    static func scatters(nonZero n: Int, width w: Int, radius r: Int) -> Bool {
        let cost = rowCosts(nonZero: n, width: w, radius: r)
        return cost.scatter < cost.gather
    }

    /// Cost of the row pass relative to gathering every row, for `nonZero` of `cells` non-zero
    /// cells spread evenly (the rule of `scatters` over the whole grid).
    static func rowPassShare(nonZero: Int, cells: Int, radius r: Int) -> Double {
        let cost = rowCosts(nonZero: nonZero, width: max(1, cells), radius: r)
        return min(1, cost.scatter / cost.gather)
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }
}
