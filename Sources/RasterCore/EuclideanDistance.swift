/// Exact Euclidean distance transform: for every cell, the distance from its centre to the
/// centre of the nearest feature cell.
///
/// Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled Functions", Theory of Computing
/// 8 (2012): two separable passes. (1) Down each column, the distance to the nearest feature in
/// that column, by a forward and a backward sweep (done row by row over a band of columns per
/// worker, so memory is read contiguously). (2) Along each row, the lower envelope of the
/// parabolas `(x − q)² + g(q)²`, giving the exact squared distance. O(cells) time, every cell
/// read twice; squared distances are integers in cell units, so the result is exact (the
/// Float32 metres are the correctly rounded √ of an exact integer, times the cell size). The
/// output buffer holds pass 1's column distances, so no temporary raster is allocated: peak
/// memory is the output plus O(width) per worker. Both passes run over contiguous chunks of
/// columns / rows on `Parallel.workers` threads.
public enum EuclideanDistance {
    /// Distance in metres from each cell centre to the nearest feature-cell centre; feature cells
    /// are 0. With no feature cell at all, every cell is `+infinity`.
    public static func distances(to features: BitMatrix) -> Raster<Float> {
        let cs = Float(features.geometry.cellSize)
        var out = [Float](repeating: 0, count: features.cellCount)
        transform(features, &out) { d2 in d2 == Int.max ? .infinity : (Float(d2)).squareRoot() * cs }
        return Raster(geometry: features.geometry, values: out)
    }

    /// Squared distance in cell units (an exact integer) from each cell centre to the nearest
    /// feature-cell centre; `UInt32.max` everywhere when there is no feature cell. Throws
    /// `.gridTooLarge` when the squared diagonal would not fit in 32 bits (grids beyond ~46,000²).
    public static func squaredCellDistances(to features: BitMatrix) throws(RasterError) -> Raster<UInt32> {
        let g = features.geometry
        guard g.width * g.width + g.height * g.height < Int(UInt32.max) else {
            throw .gridTooLarge(width: g.width, height: g.height, limit: 46_000 * 46_000)
        }
        var out = [UInt32](repeating: 0, count: features.cellCount)
        transform(features, &out) { d2 in d2 == Int.max ? UInt32.max : UInt32(d2) }
        return Raster(geometry: g, values: out)
    }

    /// The two passes. `T` must hold exact integers up to the grid's height (Float and UInt32
    /// both do for every grid `GridGeometry` accepts: 63,000 < 2²⁴).
    static func transform<T: EDTStorage>(_ features: BitMatrix, _ out: inout [T], _ finish: (Int) -> T) {
        let w = features.width, h = features.height
        let none = T.columnNone
        features.words.withUnsafeBufferPointer { bits in
            out.withUnsafeMutableBufferPointer { buf in
                let o = buf.baseAddress!
                // Pass 1: distance down each column to the nearest feature in that column.
                Parallel.forEachChunk(w, minChunk: 64) { cols in
                    // Forward (north → south).
                    for r in 0..<h {
                        let row = r * w
                        for c in cols {
                            let k = row + c
                            if bits[k >> 6] >> UInt64(k & 63) & 1 != 0 { o[k] = T.zero }
                            else if r == 0 || o[k - w] == none { o[k] = none }
                            else { o[k] = o[k - w].successor }
                        }
                    }
                    // Backward (south → north).
                    if h > 1 {
                        for r in stride(from: h - 2, through: 0, by: -1) {
                            let row = r * w
                            for c in cols {
                                let below = o[row + w + c]
                                if below != none, o[row + c] == none || below.successor < o[row + c] {
                                    o[row + c] = below.successor
                                }
                            }
                        }
                    }
                }
                // Pass 2: lower envelope of parabolas along each row.
                Parallel.forEachChunk(h, minChunk: 16) { rows in
                    var f = [Int](repeating: 0, count: w)      // g(q)², or -1 for none
                    var v = [Int](repeating: 0, count: w)      // parabola vertices
                    var z = [Double](repeating: 0, count: w + 1) // envelope boundaries
                    for r in rows {
                        let row = o + r * w
                        for q in 0..<w { let g = row[q]; f[q] = g == none ? -1 : g.intValue * g.intValue }
                        var k = -1
                        for q in 0..<w where f[q] >= 0 {
                            let fq = f[q] + q * q
                            while k >= 0 {
                                let p = v[k]
                                // intersection of parabolas from p and q
                                let s = Double(fq - (f[p] + p * p)) / Double(2 * (q - p))
                                if s <= z[k] { k -= 1 } else { break }
                            }
                            k += 1
                            v[k] = q
                            z[k] = k == 0 ? -.infinity : Double(fq - (f[v[k - 1]] + v[k - 1] * v[k - 1])) / Double(2 * (q - v[k - 1]))
                            z[k + 1] = .infinity
                        }
                        if k < 0 {   // no feature in any column: the grid has no feature
                            for q in 0..<w { row[q] = finish(Int.max) }
                            continue
                        }
                        var j = 0
                        for q in 0..<w {
                            while z[j + 1] < Double(q) { j += 1 }
                            let p = v[j], d = q - p
                            row[q] = finish(d * d + f[p])
                        }
                    }
                }
            }
        }
    }
}

/// Element types the distance transform can work in place in.
protocol EDTStorage: Equatable, Comparable {
    static var zero: Self { get }
    static var columnNone: Self { get }
    var successor: Self { get }
    var intValue: Int { get }
}

extension Float: EDTStorage {
    static var columnNone: Float { .infinity }
    var successor: Float { self + 1 }
    var intValue: Int { Int(self) }
}

extension UInt32: EDTStorage {
    static var columnNone: UInt32 { .max }
    var successor: UInt32 { self + 1 }
    var intValue: Int { Int(self) }
}
