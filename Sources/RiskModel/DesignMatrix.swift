// The model's input: an outcome count per cell, an optional offset (log exposure), and the
// candidate columns — binary ones bit-packed, continuous ones dense.

/// One binary column, bit-packed: bit `i & 63` of word `i >> 6` is the value of row `i`.
///
/// Bits past `rowCount` in the last word are always zero, so word-wise AND/popcount over the
/// whole array never counts padding.
public struct BitColumn: Sendable, Equatable {
    public let words: [UInt64]
    public let rowCount: Int
    /// Number of rows equal to 1.
    public let onesCount: Int

    /// - Precondition: `words.count == (rowCount + 63) / 64`.
    public init(words: [UInt64], rowCount: Int) {
        precondition(words.count == (rowCount + 63) / 64, "BitColumn: need \((rowCount + 63) / 64) words for \(rowCount) rows, got \(words.count)")
        var w = words
        let tail = rowCount & 63
        if tail != 0, !w.isEmpty { w[w.count - 1] &= (UInt64(1) << UInt64(tail)) &- 1 }
        self.words = w
        self.rowCount = rowCount
        self.onesCount = w.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    public init(_ values: [Bool]) {
        var w = [UInt64](repeating: 0, count: (values.count + 63) / 64)
        for (i, v) in values.enumerated() where v { w[i >> 6] |= UInt64(1) << UInt64(i & 63) }
        self.init(words: w, rowCount: values.count)
    }

    @inline(__always) public subscript(row: Int) -> Bool {
        (words[row >> 6] >> UInt64(row & 63)) & 1 == 1
    }
}

/// A design column: binary (bit-packed) or continuous (dense).
public enum DesignColumn: Sendable {
    case binary(BitColumn)
    case continuous([Double])

    public var isBinary: Bool { if case .binary = self { return true } else { return false } }

    @inline(__always) public func value(_ row: Int) -> Double {
        switch self {
        case .binary(let b): return b[row] ? 1 : 0
        case .continuous(let v): return v[row]
        }
    }
}

/// Outcome counts, an optional offset (log exposure) and named candidate columns, one row per cell.
///
/// Counts must be non-negative integers (event counts); they are stored as `Double`.
/// The intercept is implicit: it is never a column of the design.
public struct DesignMatrix: Sendable {
    public let rowCount: Int
    public let counts: [Double]
    /// log(exposure) per row, or nil for exposure 1 everywhere.
    public let offset: [Double]?
    public private(set) var names: [String] = []
    public private(set) var columns: [DesignColumn] = []

    /// - Parameters:
    ///   - counts: events per cell (non-negative integers).
    ///   - offset: log exposure per cell, or nil (exposure 1).
    /// - Throws: `ModelError.invalidCounts` naming the first bad row.
    public init(counts: [Double], offset: [Double]? = nil) throws {
        for (i, y) in counts.enumerated() where !(y >= 0 && y == y.rounded() && y < 2_147_483_648) {
            throw ModelError.invalidCounts("row \(i): count \(y) is not a non-negative whole number — counts are events per cell")
        }
        if let o = offset {
            precondition(o.count == counts.count, "DesignMatrix: offset has \(o.count) rows, counts \(counts.count)")
            for (i, v) in o.enumerated() where !v.isFinite {
                throw ModelError.invalidCounts("row \(i): offset (log exposure) \(v) is not finite — is the exposure 0 or missing?")
            }
        }
        self.rowCount = counts.count
        self.counts = counts
        self.offset = offset
    }

    /// All columns at once: binary columns as bit-packed words ((rows + 63) / 64 per column, bit
    /// `i & 63` of word `i >> 6` = row i), then continuous columns, each with its name.
    /// - Throws: `ModelError` for invalid counts, offsets or non-finite continuous values.
    public init(counts: [Double], offset: [Double]? = nil, binary: [(name: String, words: [UInt64])],
                continuous: [(name: String, values: [Double])] = []) throws {
        try self.init(counts: counts, offset: offset)
        for (name, w) in binary { addBinary(name, words: w) }
        for (name, v) in continuous { try addContinuous(name, values: v) }
    }

    /// All columns at once from Boolean and Double columns.
    public init(counts: [Double], offset: [Double]? = nil, binary: [(name: String, values: [Bool])],
                continuous: [(name: String, values: [Double])] = []) throws {
        try self.init(counts: counts, offset: offset)
        for (name, v) in binary { addBinary(name, values: v) }
        for (name, v) in continuous { try addContinuous(name, values: v) }
    }

    /// Convenience: integer counts.
    public init(counts: [Int32], offset: [Double]? = nil) throws {
        try self.init(counts: counts.map(Double.init), offset: offset)
    }

    /// Build from exposures rather than log-exposures.
    public init(counts: [Double], exposure: [Double]) throws {
        for (i, e) in exposure.enumerated() where !(e > 0 && e.isFinite) {
            throw ModelError.invalidCounts("row \(i): exposure \(e) must be positive and finite")
        }
        try self.init(counts: counts, offset: exposure.map { Foundation.log($0) })
    }

    /// Append a bit-packed binary column given as `(rowCount + 63) / 64` words.
    public mutating func addBinary(_ name: String, words: [UInt64]) {
        addColumn(name, .binary(BitColumn(words: words, rowCount: rowCount)))
    }

    public mutating func addBinary(_ name: String, values: [Bool]) {
        precondition(values.count == rowCount, "column \(name): \(values.count) rows, design has \(rowCount)")
        addColumn(name, .binary(BitColumn(values)))
    }

    /// Append a continuous column. - Throws: if a value is not finite (names the column and row).
    public mutating func addContinuous(_ name: String, values: [Double]) throws {
        precondition(values.count == rowCount, "column \(name): \(values.count) rows, design has \(rowCount)")
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw ModelError.invalidColumn(name, "row \(i) is \(values[i]); remove or impute cells without a value before modelling")
        }
        addColumn(name, .continuous(values))
    }

    public mutating func addColumn(_ name: String, _ column: DesignColumn) {
        switch column {
        case .binary(let b): precondition(b.rowCount == rowCount, "column \(name): \(b.rowCount) rows, design has \(rowCount)")
        case .continuous(let v): precondition(v.count == rowCount, "column \(name): \(v.count) rows, design has \(rowCount)")
        }
        precondition(!names.contains(name), "duplicate column name \(name)")
        names.append(name)
        columns.append(column)
    }

    public var columnCount: Int { columns.count }

    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// Total events.
    public var totalCount: Double { counts.reduce(0, +) }

    /// A design with the same columns restricted to `rows` (sorted ascending), e.g. a CV training set.
    public func subset(rows: [Int]) -> DesignMatrix {
        var d = try! DesignMatrix(counts: rows.map { counts[$0] }, offset: offset.map { o in rows.map { o[$0] } })
        for (name, col) in zip(names, columns) {
            switch col {
            case .binary(let b):
                var w = [UInt64](repeating: 0, count: (rows.count + 63) / 64)
                for (k, r) in rows.enumerated() where b[r] { w[k >> 6] |= UInt64(1) << UInt64(k & 63) }
                d.addColumn(name, .binary(BitColumn(words: w, rowCount: rows.count)))
            case .continuous(let v):
                d.addColumn(name, .continuous(rows.map { v[$0] }))
            }
        }
        return d
    }
}

import Foundation
