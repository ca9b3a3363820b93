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
        let sw = density.geometry.width, w = target.width
        var out = [UInt64](repeating: 0, count: studyArea.words.count)
        var n = 0, sum = 0.0, ss = 0.0
        let (mean, sd, threshold) = density.values.withUnsafeBufferPointer { v in
            studyArea.words.withUnsafeBufferPointer { m in
                // Study-area cells row by row, in row-major order (the sums' order is fixed).
                @inline(__always) func each(_ body: (Int, Double) -> Void) {
                    for r in 0..<target.height {
                        let base = r * w, src = (r0 + r) * sw + c0
                        for c in 0..<w {
                            let i = base + c
                            if m[i >> 6] >> UInt64(i & 63) & 1 != 0 { body(i, Double(v[src + c])) }
                        }
                    }
                }
                each { _, x in sum += x; n += 1 }
                let mean = n > 0 ? sum / Double(n) : 0
                each { _, x in let d = x - mean; ss += d * d }
                let sd = n > 0 ? (ss / Double(n)).squareRoot() : 0
                let threshold = mean + k * sd
                out.withUnsafeMutableBufferPointer { o in
                    each { i, x in if x > threshold { o[i >> 6] |= 1 << UInt64(i & 63) } }
                }
                return (mean, sd, threshold)
            }
        }
        guard n > 0 else { throw .emptyStudyArea }
        return DensityThreshold(layer: BitMatrix(geometry: target, words: out), mean: mean, standardDeviation: sd, threshold: threshold)
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
