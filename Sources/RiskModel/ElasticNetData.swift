import Foundation

/// The elastic net's view of the design: the binary columns' bits as the design holds them
/// (`columnBits`), block-major for the grouped KKT pass (`blockBits`), and — for the passes over
/// the rows, made on first use — row-major (`rowBits`, `wordsPerRow` words per row; bit b of
/// row i = candidate b); continuous columns dense. Row-major bits let one pass over the cells
/// touch only the non-zeros of each row: the gradient for every column costs O(nnz), the Gram of
/// the strong set O(Σ_rows nnz_S²). Shared by the full-data path and every CV fold.
public final class ElasticNetData: @unchecked Sendable {
    public let rowCount: Int
    /// Design column index of each elastic-net column (binary ones first, then continuous).
    public let designColumns: [Int]
    public let names: [String]
    let binaryCount: Int
    let wordsPerRow: Int
    /// The binary columns' bits row-major, made on first use: the passes over the rows need
    /// them; on row groups nothing does (the groups read `columnBits` and `blockBits`).
    var rowBits: [UInt64] {
        rowBitsLock.withLock {
            if let b = rowBitsMade { return b }
            let b = ElasticNetData.rowMajor(columnBits, rows: rowCount, wordsPerRow: wordsPerRow)
            rowBitsMade = b
            return b
        }
    }
    private var rowBitsMade: [UInt64]?
    private let rowBitsLock = NSLock()
    /// The binary columns' bits 64 rows to a word, block-major: word b · binaryCount + j holds
    /// column j's rows 64b…64b+63 — for passes that take the rows 64 at a time and want each
    /// column's rows among them (`ENPathSet.kkt`), streamed in order. Empty unless `groupable`.
    let blockBits: [UInt64]
    /// Each binary column's bits, 64 rows to a word (the design's own arrays, not copies): for
    /// passes over one column's rows (`StrongGroups.split`).
    let columnBits: [[UInt64]]
    let dense: [[Double]]
    let y: [Double]
    let offset: [Double]?

    public init(_ design: DesignMatrix, columns: [Int]? = nil) {
        let cols = columns ?? Array(0..<design.columnCount)
        let bin = cols.filter { design.columns[$0].isBinary }
        let den = cols.filter { !design.columns[$0].isBinary }
        designColumns = bin + den
        names = designColumns.map { design.names[$0] }
        binaryCount = bin.count
        rowCount = design.rowCount
        let W = max(1, (bin.count + 63) / 64)
        wordsPerRow = W
        dense = den.map { c -> [Double] in
            guard case .continuous(let v) = design.columns[c] else { return [] }
            return v
        }
        y = design.counts
        offset = design.offset
        let blocks = den.isEmpty && design.offset == nil ? (rowCount + 63) / 64 : 0, nb = bin.count  // groupable
        let words = bin.map { c -> [UInt64] in
            guard case .binary(let col) = design.columns[c] else { return [] }
            return col.words
        }
        columnBits = words
        // Block by block on two workers, each block's words written in order (the columns read
        // as many streams), rather than column by column with a write every nb words.
        blockBits = [UInt64](unsafeUninitializedCapacity: blocks * nb) { out, made in
            let o = out.baseAddress
            withColumnBases(words) { cols in
                let chunks = chunkCount(blocks, workers: 2)
                parallelChunks(chunks, workers: 2) { ch in
                    for b in (blocks * ch / chunks)..<(blocks * (ch + 1) / chunks) {
                        for j in 0..<nb { o![b * nb + j] = cols[j][b] }
                    }
                }
            }
            made = blocks * nb
        }
    }

    /// The same data from its parts (the Haswell build of this module is handed the arrays
    /// themselves, not copies: `CrossValidation+Haswell.swift`).
    package init(rowCount: Int, designColumns: [Int], names: [String], binaryCount: Int, wordsPerRow: Int,
                 blockBits: [UInt64], columnBits: [[UInt64]], dense: [[Double]], y: [Double], offset: [Double]?) {
        self.rowCount = rowCount; self.designColumns = designColumns; self.names = names
        self.binaryCount = binaryCount; self.wordsPerRow = wordsPerRow; self.blockBits = blockBits
        self.columnBits = columnBits
        self.dense = dense; self.y = y; self.offset = offset
    }

    /// Column-major bits (64 rows to a word) transposed to `wordsPerRow` words per row, O(nnz).
    static func rowMajor(_ columns: [[UInt64]], rows n: Int, wordsPerRow W: Int) -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: n * W)
        bits.withUnsafeMutableBufferPointer { bp in
            for (b, words) in columns.enumerated() {
                let wb = b >> 6, mask = UInt64(1) << UInt64(b & 63)
                for wi in 0..<words.count {
                    var word = words[wi]
                    while word != 0 {
                        bp[(wi << 6 | word.trailingZeroBitCount) * W + wb] |= mask
                        word &= word &- 1
                    }
                }
            }
        }
        return bits
    }

    public var columnCount: Int { designColumns.count }
    /// Whether rows can be grouped exactly by their pattern (`StrongGroups`): no continuous
    /// columns and no offset, so every row of a pattern has the same linear predictor.
    var groupable: Bool { dense.isEmpty && offset == nil }
}

/// Runs `body` with the base address of each column's words (nested scoped accesses).
private func withColumnBases<R>(_ columns: [[UInt64]], _ i: Int = 0, _ acc: [UnsafePointer<UInt64>] = [],
                                _ body: (UnsafePointer<UnsafePointer<UInt64>>) -> R) -> R {
    if i == columns.count { return acc.withUnsafeBufferPointer { body($0.baseAddress!) } }
    return columns[i].withUnsafeBufferPointer { c in withColumnBases(columns, i + 1, acc + [c.baseAddress ?? UnsafePointer(bitPattern: 8)!], body) }
}

/// Whether column `j` is in a column mask (one bit per binary column, 64 to a word: the strong
/// set, the groups' columns, the KKT columns summed).
@inline(__always) func maskHas(_ mask: [UInt64], _ j: Int) -> Bool { mask[j >> 6] & (1 << UInt64(j & 63)) != 0 }
