import Testing
@testable import RiskModel

@Suite struct DesignMatrixTests {
    @Test func wordsAndBoolsBuildTheSameColumns() throws {
        var r = SplitMix64(seed: 9)
        let n = 130
        let v = (0..<n).map { _ in r.uniform() < 0.3 }
        let b = BitColumn(v)
        #expect(b.words.count == 3 && b.onesCount == v.filter { $0 }.count)
        for i in 0..<n { #expect(b[i] == v[i]) }
        // Padding bits past the last row are cleared.
        var w = b.words; w[2] |= ~0 << 2
        #expect(BitColumn(words: w, rowCount: n) == b)
        let y = (0..<n).map { Double($0 % 3) }
        let d1 = try DesignMatrix(counts: y, binary: [(name: "x", words: b.words)], continuous: [(name: "c", values: y)])
        let d2 = try DesignMatrix(counts: y, binary: [(name: "x", values: v)], continuous: [(name: "c", values: y)])
        #expect(d1.names == ["x", "c"] && d2.names == ["x", "c"])
        for i in 0..<n { #expect(d1.columns[0].value(i) == d2.columns[0].value(i)) }
        // Subsets keep values row for row.
        let rows = [0, 5, 64, 65, 129]
        let s = d1.subset(rows: rows)
        for (k, i) in rows.enumerated() { #expect(s.columns[0].value(k) == d1.columns[0].value(i) && s.counts[k] == y[i]) }
    }

    @Test func exposureIsLogOffset() throws {
        let d = try DesignMatrix(counts: [1, 2], exposure: [1, 2])
        #expect(d.offset! == [0, log(2.0)])
        #expect(throws: ModelError.self) { _ = try DesignMatrix(counts: [1, 2], exposure: [1, 0]) }
    }
}

import Foundation
