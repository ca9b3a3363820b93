import Foundation
import GeoIO
import RasterCore
import RiskModel

/// The model's rows and columns: one row per study-area cell with data, one column per kept
/// candidate, the outcome count per row, exposure 1 per cell (the peer pipeline's convention).
public struct AnalysisDesign: Sendable {
    public struct Dropped: Sendable, Codable, Equatable {
        public let name: String
        public let reason: String
    }

    public let grid: AnalysisGrid
    /// Grid cell index (row-major) of each design row, ascending.
    public let cells: [Int]
    public let design: DesignMatrix
    /// The candidates behind the design's columns, in column order.
    public let columns: [CandidateLayer]
    /// Constant and duplicate candidates, with why (the smaller increment of a duplicate pair is kept).
    public let dropped: [Dropped]
    /// Outcome events read (after filters) and those that fall in a study-area cell with data.
    public let eventsRead: Int
    public let events: Int
    /// Study-area cells left out because a continuous layer has no value there (raster nodata).
    public let cellsDroppedNoData: Int
    /// Events per grid cell (all cells), for evaluation and hotspot summaries.
    public let countsPerCell: Raster<Float>

    public static func build(grid: AnalysisGrid, outcome: [Geometry], candidates: [CandidateLayer]) throws -> AnalysisDesign {
        let g = grid.geometry
        // Rows: study-area cells where every continuous layer has a value.
        var keepWords = grid.mask.words
        let inside = grid.mask.setIndices
        for c in candidates {
            guard case .continuous(let r) = c.values else { continue }
            for i in inside where !r.values[i].isFinite { keepWords[i >> 6] &= ~(1 << UInt64(i & 63)) }
        }
        let rows = BitMatrix(geometry: g, words: keepWords)
        let cells = rows.setIndices
        let noData = inside.count - cells.count
        let points = outcome.flatMap(\.vertices)
        let perCell = try Rasterize.countPoints(points, on: g).counts
        let counts = cells.map { Int32(perCell.values[$0]) }
        var design = try DesignMatrix(counts: counts)

        var dropped: [Dropped] = []
        var kept: [CandidateLayer] = []
        var seen: [Int: [(name: String, column: Int)]] = [:]
        for c in candidates {
            switch c.values {
            case .binary(let bits):
                let words = Self.compress(bits, rows: rows)
                let ones = words.reduce(0) { $0 + $1.nonzeroBitCount }
                if ones == 0 || ones == cells.count {
                    dropped.append(Dropped(name: c.name, reason: "constant over the study area (\(ones == 0 ? "never" : "always") present)"))
                    continue
                }
                if let twin = Self.duplicate(of: words, in: seen, design: design) {
                    dropped.append(Dropped(name: c.name, reason: "identical to \(twin)"))
                    continue
                }
                seen[words.hashValue, default: []].append((c.name, design.columnCount))
                design.addBinary(c.name, words: words)
            case .continuous(let r):
                let values = cells.map { Double(r.values[$0]) }
                if let first = values.first, values.allSatisfy({ $0 == first }) {
                    dropped.append(Dropped(name: c.name, reason: "constant over the study area"))
                    continue
                }
                try design.addContinuous(c.name, values: values)
            }
            kept.append(c)
        }
        let events = Int(counts.reduce(0) { $0 + Int($1) })
        return AnalysisDesign(grid: grid, cells: cells, design: design, columns: kept, dropped: dropped,
                              eventsRead: points.count, events: events, cellsDroppedNoData: noData, countsPerCell: perCell)
    }

    /// The bits of `layer` at the set cells of `rows` (same grid), in row-major order, packed 64
    /// rows to a word: a word-level gather. A grid word whose 64 cells are all rows (the study
    /// area's interior, most of it) is appended whole with two shifts, a word with no rows is
    /// skipped, and only boundary words go bit by bit. O(grid words + boundary cells).
    static func compress(_ layer: BitMatrix, rows: BitMatrix) -> [UInt64] {
        precondition(layer.geometry == rows.geometry, "a layer and its rows on different grids")
        let count = rows.popcount
        var out = [UInt64](repeating: 0, count: (count + 63) >> 6)
        layer.words.withUnsafeBufferPointer { lw in
            rows.words.withUnsafeBufferPointer { kw in
                out.withUnsafeMutableBufferPointer { o in
                    var r = 0   // next output row
                    for w in 0..<kw.count {
                        let k = kw[w]
                        if k == 0 { continue }
                        let bits = lw[w]
                        if k == ~0 {
                            let s = r & 63
                            o[r >> 6] |= bits << UInt64(s)
                            if s != 0 { o[(r >> 6) + 1] |= bits >> UInt64(64 - s) }
                            r += 64
                        } else {
                            var m = k
                            while m != 0 {
                                if bits >> UInt64(m.trailingZeroBitCount) & 1 != 0 { o[r >> 6] |= 1 << UInt64(r & 63) }
                                r += 1
                                m &= m - 1
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    private static func duplicate(of words: [UInt64], in seen: [Int: [(name: String, column: Int)]], design: DesignMatrix) -> String? {
        for (name, column) in seen[words.hashValue, default: []] {
            if case .binary(let other) = design.columns[column], other.words == words { return name }
        }
        return nil
    }
}
