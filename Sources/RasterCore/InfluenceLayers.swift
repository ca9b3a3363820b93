/// The binary candidate layers of risk terrain modelling (Caplan & Kennedy 2016, *Risk Terrain
/// Modeling: Crime Prediction and Risk Reduction*; RTMDx's operationalisations), bit-packed on
/// the analysis grid and zero outside the study area.
public enum InfluenceLayers {
    /// Proximity layers: cell = 1 when the distance from its centre to the nearest feature-cell
    /// centre is at most d, for every d in `distances` (metres), all from ONE distance transform.
    ///
    /// Compares exact integer squared distances in cells against (d/cs + 10⁻⁶)², so the
    /// tolerance is 10⁻⁶ cell (the peer's) with no Float rounding. O(cells × layers) bit writes
    /// at most; output ⌈cells/64⌉ words per layer.
    /// - Parameters:
    ///   - squaredDistances: `EuclideanDistance.squaredCellDistances` on a grid that contains
    ///     the study area's grid on the same lattice (typically padded by max d + 1 cell).
    ///   - studyArea: the analysis grid's mask; layers are on its grid and zero outside it.
    /// - Throws: `.invalidDistance` for a negative or non-finite d, `.mismatchedGrids`.
    public static func proximity(squaredDistances: Raster<UInt32>, distances: [Double],
                                 studyArea: BitMatrix) throws(RasterError) -> [BitMatrix] {
        for d in distances where !(d.isFinite && d >= 0) { throw .invalidDistance(d) }
        let target = studyArea.geometry
        let (r0, c0) = try squaredDistances.geometry.offset(of: target)
        let cs = target.cellSize
        // Thresholds in squared cells, ascending, with their output positions.
        let order = distances.indices.sorted { distances[$0] < distances[$1] }
        let limits = order.map { i -> Double in let t = distances[i] / cs + 1e-6; return t * t }
        var words = [[UInt64]](repeating: [UInt64](repeating: 0, count: (target.cellCount + 63) >> 6), count: distances.count)
        let sw = squaredDistances.geometry.width
        squaredDistances.values.withUnsafeBufferPointer { d2 in
            for r in 0..<target.height {
                for c in 0..<target.width {
                    let i = r * target.width + c
                    guard studyArea.words[i >> 6] >> UInt64(i & 63) & 1 != 0 else { continue }
                    let k = d2[(r0 + r) * sw + c0 + c]
                    guard k != .max else { continue }
                    let kd = Double(k)
                    var j = limits.count - 1
                    while j >= 0, kd <= limits[j] {   // set every layer whose limit holds
                        words[order[j]][i >> 6] |= 1 << UInt64(i & 63)
                        j -= 1
                    }
                }
            }
        }
        return words.map { BitMatrix(geometry: target, words: $0) }
    }

    /// A "density above mean + k·SD" layer and the statistics behind it.
    public struct DensityThreshold: Sendable {
        public var layer: BitMatrix
        /// Mean of the density over the study-area cells.
        public var mean: Double
        /// Population standard deviation (ddof 0) over the study-area cells.
        public var standardDeviation: Double
        /// mean + k·SD; cells strictly above it are set.
        public var threshold: Double
    }

    /// Cells of the study area whose density is strictly greater than mean + k·SD, the mean and
    /// the population SD taken over the study-area cells (the peer's rule, RTMDx's "density"
    /// operationalisation with k = 2). Two-pass mean/variance in Double. O(cells).
    /// - Parameter density: a `KernelDensity` result on a grid containing the study area's grid.
    public static func densityAbove(_ density: Raster<Float>, studyArea: BitMatrix,
                                    sd k: Double = 2) throws(RasterError) -> DensityThreshold {
        let target = studyArea.geometry
        let (r0, c0) = try density.geometry.offset(of: target)
        let runs = StudyRuns(width: target.width, sourceWidth: density.geometry.width, row0: r0, col0: c0)
        let wordCount = studyArea.words.count
        // Blocks of 512 words: per-block partial sums, added in block order, so the sums (and the
        // layer) are the same whatever the number of workers.
        let blockWords = 512, blocks = (wordCount + blockWords - 1) / blockWords
        var out = [UInt64](repeating: 0, count: wordCount)
        var n = 0
        let (mean, sd, threshold) = density.values.withUnsafeBufferPointer { v in
            studyArea.words.withUnsafeBufferPointer { m in
                let box = UncheckedBox((v.baseAddress!, m))
                /// Σ over blocks of `term`'s per-run sums; also counts the cells.
                func total(_ term: @escaping (UnsafePointer<Float>, Int) -> Double) -> (cells: Int, sum: Double) {
                    var cells = [Int](repeating: 0, count: blocks), sums = [Double](repeating: 0, count: blocks)
                    cells.withUnsafeMutableBufferPointer { cb in
                        sums.withUnsafeMutableBufferPointer { sb in
                            let out = UncheckedBox((cb.baseAddress!, sb.baseAddress!))
                            Parallel.forEachChunk(blocks) { range in
                                let (v, m) = box.value
                                for b in range {
                                    var count = 0, sum = 0.0
                                    runs.visit(m, words: (b * blockWords)..<min(wordCount, (b + 1) * blockWords)) { _, _, src, len in
                                        count += len
                                        sum += term(v + src, len)
                                    }
                                    out.value.0[b] = count; out.value.1[b] = sum
                                }
                            }
                        }
                    }
                    return (cells.reduce(0, +), sums.reduce(0, +))
                }
                let first = total { p, len in Self.sum(p, len) }
                n = first.cells
                let mean = n > 0 ? first.sum / Double(n) : 0
                let ss = total { p, len in Self.squaredDeviations(p, len, from: mean) }.sum
                let sd = n > 0 ? (ss / Double(n)).squareRoot() : 0
                let threshold = mean + k * sd
                out.withUnsafeMutableBufferPointer { o in
                    let ob = UncheckedBox(o.baseAddress!)
                    // Each run lies within one word, so each worker writes only its own words.
                    Parallel.forEachChunk(wordCount) { range in
                        let (v, m) = box.value
                        runs.visit(m, words: range) { word, bit, src, len in
                            var bits: UInt64 = 0
                            for t in 0..<len where Double(v[src + t]) > threshold { bits |= 1 << UInt64(bit + t) }
                            ob.value[word] |= bits
                        }
                    }
                }
                return (mean, sd, threshold)
            }
        }
        guard n > 0 else { throw .emptyStudyArea }
        return DensityThreshold(layer: BitMatrix(geometry: target, words: out), mean: mean, standardDeviation: sd, threshold: threshold)
    }

    /// Σ p[0..<n] in Double, four accumulators (a fixed order: the same sum on every run).
    @inline(__always) static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Double {
        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0, t = 0
        while t + 4 <= n {
            a0 += Double(p[t]); a1 += Double(p[t + 1]); a2 += Double(p[t + 2]); a3 += Double(p[t + 3])
            t += 4
        }
        while t < n { a0 += Double(p[t]); t += 1 }
        return (a0 + a1) + (a2 + a3)
    }

    /// Σ (p[t] − mean)² in Double, as `sum`.
    @inline(__always) static func squaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, from mean: Double) -> Double {
        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0, t = 0
        while t + 4 <= n {
            let d0 = Double(p[t]) - mean, d1 = Double(p[t + 1]) - mean
            let d2 = Double(p[t + 2]) - mean, d3 = Double(p[t + 3]) - mean
            a0 += d0 * d0; a1 += d1 * d1; a2 += d2 * d2; a3 += d3 * d3
            t += 4
        }
        while t < n { let d = Double(p[t]) - mean; a0 += d * d; t += 1 }
        return (a0 + a1) + (a2 + a3)
    }
}

/// The set cells of a study-area layer as runs of consecutive cells within one word and one row,
/// with their index in a source raster that holds the study grid at (`row0`, `col0`).
struct StudyRuns: Sendable {
    let width: Int, sourceWidth: Int, row0: Int, col0: Int

    /// Calls `body(word, firstBit, sourceIndex, length)` for each run in `words`, in cell order.
    @inline(__always)
    func visit(_ m: UnsafeBufferPointer<UInt64>, words: Range<Int>, _ body: (Int, Int, Int, Int) -> Void) {
        let w = width
        for j in words {
            var bits = m[j]
            if bits == 0 { continue }
            let base = j << 6
            var r = base / w, c = base - r * w, at = 0    // the cell of bit `at`
            while bits != 0 {
                let tz = bits.trailingZeroBitCount
                c += tz - at; at = tz
                while c >= w { c -= w; r += 1 }
                let ones = (~(bits >> UInt64(tz))).trailingZeroBitCount
                let len = min(ones, w - c)
                body(j, tz, (row0 + r) * sourceWidth + col0 + c, len)
                bits &= len == 64 ? 0 : ~(((1 << UInt64(len)) - 1) << UInt64(tz))
            }
        }
    }
}

extension EuclideanDistance {
    /// Cell-centre distance in metres from every cell to the nearest feature: the features are
    /// burned with `Rasterize.features` (points by their cell, lines and polygons all-touched,
    /// so cells in or on a polygon are 0), then `distances(to:)`. Accurate to within one cell's
    /// half-diagonal of the true distance to the geometry.
    public static func distances(to geometries: [Geometry], on grid: GridGeometry) -> Raster<Float> {
        distances(to: Rasterize.features(geometries, on: grid, polygonRule: .allTouched))
    }
}

extension BitMatrix {
    /// This layer placed on a larger grid of the same lattice (e.g. the study-area mask on the
    /// padded grid, for edge correction), zero elsewhere.
    public func embedded(in outer: GridGeometry) throws(RasterError) -> BitMatrix {
        let (r0, c0) = try outer.offset(of: geometry)
        var out = BitMatrix(geometry: outer)
        for i in setIndices { out[r0 + i / width, c0 + i % width] = true }
        return out
    }
}
