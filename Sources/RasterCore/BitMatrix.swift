/// A bit-packed binary layer on a grid: one bit per cell, 64 cells per `UInt64` word.
///
/// Bits follow the row-major cell index (`row · width + col`), so bit `i` is bit `i & 63` of
/// word `i >> 6`; rows are not padded to word boundaries, which keeps a layer at exactly
/// ⌈cells / 64⌉ words (2.5 M cells → 39 kB, against 2.5 MB for `[Bool]`). Bits beyond
/// `cellCount` in the last word are always zero, so `popcount` needs no masking.
public struct BitMatrix: Hashable, Sendable {
    public let geometry: GridGeometry
    public internal(set) var words: [UInt64]

    /// A layer with every bit cleared.
    public init(geometry: GridGeometry) {
        self.geometry = geometry
        self.words = Array(repeating: 0, count: (geometry.cellCount + 63) >> 6)
    }

    /// A layer over existing words; `words.count` must be ⌈cells / 64⌉ and the tail bits zero.
    public init(geometry: GridGeometry, words: [UInt64]) {
        precondition(words.count == (geometry.cellCount + 63) >> 6,
                     "a \(geometry.cellCount)-cell layer needs \((geometry.cellCount + 63) >> 6) words, not \(words.count)")
        let tail = geometry.cellCount & 63
        precondition(tail == 0 || words[words.count - 1] >> UInt64(tail) == 0, "bits beyond the last cell must be zero")
        self.geometry = geometry
        self.words = words
    }

    public var width: Int { geometry.width }
    public var height: Int { geometry.height }
    public var cellCount: Int { geometry.cellCount }

    /// The bit of the cell with row-major index `index`.
    public subscript(index: Int) -> Bool {
        get { words[index >> 6] >> UInt64(index & 63) & 1 != 0 }
        set {
            let m: UInt64 = 1 << UInt64(index & 63)
            if newValue { words[index >> 6] |= m } else { words[index >> 6] &= ~m }
        }
    }

    /// The bit of the cell at (row, col).
    public subscript(row: Int, col: Int) -> Bool {
        get { self[row * geometry.width + col] }
        set { self[row * geometry.width + col] = newValue }
    }

    /// Number of set cells (population count over the words).
    public var popcount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// For each row, the columns from its first to its last set cell (empty when none), found a
    /// word at a time.
    public func rowSpans() -> [Range<Int>] {
        let w = width
        return words.withUnsafeBufferPointer { words in
            (0..<height).map { row -> Range<Int> in
                let a = row * w, b = a + w        // the row's half-open bit range
                var first = -1, i = a
                while i < b {
                    let bits = words[i >> 6] >> UInt64(i & 63)      // bits from i upwards
                    if bits != 0 { let f = i + bits.trailingZeroBitCount; if f < b { first = f }; break }
                    i = (i | 63) + 1
                }
                guard first >= 0 else { return 0..<0 }
                var j = b - 1, last = first
                while j >= first {
                    let bits = words[j >> 6] << UInt64(63 - (j & 63))  // bits up to j, j at the top
                    if bits != 0 { last = j - bits.leadingZeroBitCount; break }
                    j = (j & ~63) - 1
                }
                return (first - a)..<(last - a + 1)
            }
        }
    }

    /// Sets the bits of columns `from..<to` in one row, a word at a time.
    public mutating func setRun(row: Int, from: Int, to: Int) {
        precondition(row >= 0 && row < height && from >= 0 && to <= width, "run outside the grid")
        guard from < to else { return }
        let start = row * width + from, end = row * width + to   // half-open bit range
        var w = start >> 6
        let lastWord = (end - 1) >> 6
        words.withUnsafeMutableBufferPointer { p in
            while w <= lastWord {
                let lo = w == start >> 6 ? start & 63 : 0
                let hi = w == lastWord ? ((end - 1) & 63) + 1 : 64
                let mask: UInt64 = hi - lo == 64 ? ~0 : ((1 << UInt64(hi - lo)) - 1) << UInt64(lo)
                p[w] |= mask
                w += 1
            }
        }
    }

    /// Cell-wise OR.
    public mutating func formUnion(_ other: BitMatrix) {
        precondition(other.geometry == geometry, "layers on different grids")
        for i in words.indices { words[i] |= other.words[i] }
    }

    /// Cell-wise AND.
    public mutating func formIntersection(_ other: BitMatrix) {
        precondition(other.geometry == geometry, "layers on different grids")
        for i in words.indices { words[i] &= other.words[i] }
    }

    /// The row-major indices of the set cells, in increasing order.
    public var setIndices: [Int] {
        var out: [Int] = []
        out.reserveCapacity(popcount)
        for (w, word) in words.enumerated() {
            var b = word
            while b != 0 {
                out.append(w << 6 + b.trailingZeroBitCount)
                b &= b - 1
            }
        }
        return out
    }

    /// The layer as 0/1 values (e.g. burned line or polygon cells as feature counts).
    public func raster<T: BinaryFloatingPoint & Sendable>(of _: T.Type = Float.self) -> Raster<T> {
        var r = Raster<T>(geometry: geometry, repeating: 0)
        for i in setIndices { r.values[i] = 1 }
        return r
    }
}
