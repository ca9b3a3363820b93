import Testing
@testable import RiskModel

/// Exact grouping: grouped and cell-by-cell fits must agree to 1e-9.
@Suite struct GroupingTests {
    func compare(_ a: GLMFit, _ b: GLMFit) {
        expectRel(a.coefficients, b.coefficients, 1e-9, "coef")
        expectRel(a.standardErrors, b.standardErrors, 1e-9, "se")
        #expect(relClose(a.logLikelihood, b.logLikelihood, 1e-9), "loglik \(a.logLikelihood) vs \(b.logLikelihood)")
        #expect(relClose(a.bic, b.bic, 1e-9))
        #expect(relClose(a.deviance, b.deviance, 1e-9), "deviance \(a.deviance) vs \(b.deviance)")
        if let t = a.theta { #expect(relClose(t, b.theta!, 1e-9), "theta \(t) vs \(b.theta!)") }
    }

    @Test(arguments: [true, false])
    func poissonGroupedEqualsUngrouped(withOffset: Bool) throws {
        let d = try Fixture.design(outcome: "y_pois", offset: withOffset, columns: ["b1", "b2", "b3", "b4", "b5"])
        var off = GLMOptions(); off.grouping = false
        let g = try fitPoisson(d, columns: [0, 1, 2, 3, 4])
        let u = try fitPoisson(d, columns: [0, 1, 2, 3, 4], options: off)
        #expect(g.fittedRows <= 32 && u.fittedRows == 3000)
        compare(g, u)
    }

    @Test(arguments: [true, false])
    func negativeBinomialGroupedEqualsUngrouped(withOffset: Bool) throws {
        let d = try Fixture.design(outcome: "y_nb", offset: withOffset, columns: ["b1", "b2", "b3", "b4", "b5"])
        var off = GLMOptions(); off.grouping = false
        let g = try fitNegativeBinomial(d, columns: [0, 1, 2, 3, 4])
        let u = try fitNegativeBinomial(d, columns: [0, 1, 2, 3, 4], options: off)
        #expect(g.fittedRows < u.fittedRows)
        compare(g, u)
    }

    @Test func incrementalGroupsMatchDirectPatterns() throws {
        let d = try Fixture.design(outcome: "y_pois", columns: ["b1", "b2", "b3"])
        let g = RowGroups.of(d, columns: [0, 1, 2])
        // Two cells share a group iff their patterns are equal.
        var patternOf = [Int32: [Bool]]()
        for i in 0..<d.rowCount {
            let p = (0..<3).map { d.columns[$0].value(i) == 1 }
            if let q = patternOf[g.ids[i]] { #expect(q == p) } else { patternOf[g.ids[i]] = p }
        }
        #expect(Set(patternOf.values.map { $0.description }).count == g.count)
        #expect(g.count == 8)
    }
}

/// The elastic net's row groups (`StrongGroups`): refined column by column and in batches —
/// the same groups as numbering every row's pattern on the strong columns in order of first
/// appearance, each traced to its group before, with exact per-class sums.
@Suite struct StrongGroupsTests {
    @Test func refinementMatchesDirectNumbering() {
        let n = 20_000, W = 2, C = 5
        var rng = SplitMix64(seed: 5)
        var bits = [UInt64](repeating: 0, count: n * W)
        var y = [Double](repeating: 0, count: n), cls = [UInt8](repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<70 where rng.next() % 100 < UInt64(3 + j % 40) { bits[i * W + j / 64] |= 1 << UInt64(j % 64) }
            y[i] = Double(rng.next() % 4); cls[i] = UInt8(rng.next() % UInt64(C))
        }
        let groups = StrongGroups(rows: n, wordsPerRow: W, classes: cls, classCount: C)
        var mask = [UInt64](repeating: 0, count: W)
        var before = groups.ids
        for add in [[0, 1, 2], Array(3...30), [64, 65, 69]] {
            for j in add { mask[j / 64] |= 1 << UInt64(j % 64) }
            bits.withUnsafeBufferPointer { b in y.withUnsafeBufferPointer { yy in
                #expect(groups.update(strongMask: mask, bits: b.baseAddress!, y: yy.baseAddress!))
            } }
            var number = [[UInt64]: Int32](), rows = [Double](), sumY = [Double]()
            for i in 0..<n {
                let key = (0..<W).map { bits[i * W + $0] & mask[$0] }
                let g: Int32
                if let v = number[key] { g = v } else {
                    g = Int32(number.count); number[key] = g
                    rows += [Double](repeating: 0, count: C); sumY += [Double](repeating: 0, count: C)
                    #expect((0..<W).allSatisfy { groups.patterns[Int(g) * W + $0] & mask[$0] == key[$0] })
                }
                #expect(groups.ids[i] == g)
                #expect(groups.lineage[Int(g)] == before[i])
                rows[Int(g) * C + Int(cls[i])] += 1; sumY[Int(g) * C + Int(cls[i])] += y[i]
            }
            let G = groups.count
            #expect(G == number.count)
            #expect(groups.classRows == rows && groups.classY == sumY)
            #expect(groups.totalRows == (0..<G).map { g in (0..<C).reduce(0) { $0 + rows[g * C + $1] } })
            #expect(groups.totalY == (0..<G).map { g in (0..<C).reduce(0) { $0 + sumY[g * C + $1] } })
            before = groups.ids
        }
    }
}
