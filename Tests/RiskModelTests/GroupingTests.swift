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

/// The elastic net's row groups (`StrongGroups`): refined column by column, sparse columns and
/// dense ones (whose zeros are the rarer value) — one group per distinct pattern of the rows on
/// the strong columns, its pattern stored, each group traced to its group before, with exact
/// per-class sums.
@Suite struct StrongGroupsTests {
    /// With one worker, and with two (each visiting half of the rows).
    @Test(arguments: [1, 2])
    func refinementPartitionsRowsByPattern(workers: Int) {
        let n = 20_000, W = 2, C = 5, p = 110
        var rng = SplitMix64(seed: 5)
        var bits = [UInt64](repeating: 0, count: n * W)
        var columns = [[UInt64]](repeating: [UInt64](repeating: 0, count: (n + 63) / 64), count: p)
        var y = [Double](repeating: 0, count: n), cls = [UInt8](repeating: 0, count: n)
        for i in 0..<n {
            // Columns 0…69 hold 3–42 % ones, 100…109 hold 55–95 %.
            for j in 0..<p where j < 70 || j >= 100 {
                let percent = j < 70 ? 3 + j % 40 : 55 + 4 * (j - 100)
                guard rng.next() % 100 < UInt64(percent) else { continue }
                bits[i * W + j / 64] |= 1 << UInt64(j % 64)
                columns[j][i / 64] |= 1 << UInt64(i % 64)
            }
            y[i] = Double(rng.next() % 4); cls[i] = UInt8(rng.next() % UInt64(C))
        }
        let groups = StrongGroups(rows: n, wordsPerRow: W, classes: cls, classCount: C)
        var mask = [UInt64](repeating: 0, count: W)
        var before = groups.ids
        // Two paths' values per group (its number, and minus it) carried across each update:
        // each new group's are its parent's.
        let lanes = GroupLanes(paths: 2, rows: n)
        var first = true
        for add in [[0, 1, 2], [100, 3, 101], Array(4...30) + [109], [64, 65, 69, 105]] {
            for j in add { mask[j / 64] |= 1 << UInt64(j % 64) }
            if !first {
                for g in 0..<groups.count { lanes.vectors[g] = SIMD4(Double(g), -Double(g), 0, 0) }
            }
            y.withUnsafeBufferPointer { yy in #expect(groups.update(strongMask: mask, columnBits: columns, y: yy.baseAddress!, workers: workers)) }
            let G = groups.count
            #expect(lanes.follow(groups, workers: workers) == !first && lanes.groups == G)    // (the first: not on groups yet)
            let tag = (0..<G).map { lanes.vectors[$0][0] }, minus = (0..<G).map { lanes.vectors[$0][1] }
            var groupOf = [[UInt64]: Int32]()
            var rows = [Double](repeating: 0, count: G * C), sumY = rows
            for i in 0..<n {
                let key = (0..<W).map { bits[i * W + $0] & mask[$0] }
                let g = groups.ids[i]
                #expect(g >= 0 && Int(g) < G)
                if let v = groupOf[key] { #expect(v == g) } else {
                    groupOf[key] = g
                    #expect((0..<W).map { groups.patterns[Int(g) * W + $0] } == key)
                }
                let parent = Int(g) < groups.countBefore ? g : groups.lineage[Int(g) - groups.countBefore]
                #expect(parent == before[i])
                if !first { #expect(tag[Int(g)] == Double(before[i]) && minus[Int(g)] == -Double(before[i])) }
                rows[Int(g) * C + Int(cls[i])] += 1; sumY[Int(g) * C + Int(cls[i])] += y[i]
            }
            #expect(groupOf.count == G && Set(groupOf.values).count == G)
            #expect(groups.classSums.map(\.rows) == rows && groups.classSums.map(\.y) == sumY)
            #expect(groups.totals.map(\.rows) == (0..<G).map { g in (0..<C).reduce(0) { $0 + rows[g * C + $1] } })
            #expect(groups.totals.map(\.y) == (0..<G).map { g in (0..<C).reduce(0) { $0 + sumY[g * C + $1] } })
            before = groups.ids
            first = false
        }
        // No new column: nothing changes.
        y.withUnsafeBufferPointer { yy in #expect(!groups.update(strongMask: mask, columnBits: columns, y: yy.baseAddress!, workers: workers)) }
    }
}
