import Testing
@testable import RiskModel

/// Error cases name the column and say what to do.
@Suite struct ErrorTests {
    func design(_ y: [Double], _ cols: [(String, [Bool])]) throws -> DesignMatrix {
        var d = try DesignMatrix(counts: y)
        for (n, v) in cols { d.addBinary(n, values: v) }
        return d
    }

    let n = 400
    var y: [Double] {
        var r = SplitMix64(seed: 3)
        return (0..<n).map { _ in Double(r.poisson(0.8)) }
    }
    var noise: [Bool] { var r = SplitMix64(seed: 4); return (0..<n).map { _ in r.uniform() < 0.4 } }

    @Test func zeroEventColumnIsSeparation() throws {
        var yy = y
        let bars = (0..<n).map { $0 % 10 == 0 }
        for i in 0..<n where bars[i] { yy[i] = 0 }
        let d = try design(yy, [("noise", noise), ("bars:proximity:100", bars)])
        for fam in Family.allCases {
            do {
                _ = fam == .poisson ? try fitPoisson(d, columns: [0, 1]) : try fitNegativeBinomial(d, columns: [0, 1])
                Issue.record("expected a separation error")
            } catch let e as ModelError {
                guard case .separation(let col, let detail) = e else { Issue.record("wrong error \(e)"); continue }
                #expect(col == "bars:proximity:100")
                #expect(detail.contains("−∞") && detail.contains("drop it"))
                #expect(e.description.hasPrefix("column bars:proximity:100:"))
            }
        }
    }

    @Test func duplicateColumnIsCollinear() throws {
        let d = try design(y, [("a", noise), ("b", noise.map { !$0 })])
        #expect {
            _ = try fitPoisson(d, columns: [0, 1])
        } throws: { e in
            guard case ModelError.collinear(let col, let detail) = e else { return false }
            return col == "b" && detail.contains("a") && detail.contains("drop")
        }
    }

    @Test func constantColumnIsCollinear() throws {
        let d = try design(y, [("everywhere", [Bool](repeating: true, count: n))])
        #expect {
            _ = try fitPoisson(d, columns: [0])
        } throws: { e in
            guard case ModelError.collinear(let col, let detail) = e else { return false }
            return col == "everywhere" && detail.contains("constant")
        }
    }

    @Test func continuousSeparationIsReported() throws {
        let counts: [Double] = (0..<n).map { i -> Double in i < 200 ? 0 : Double(i % 3 + 1) }
        var d = try DesignMatrix(counts: counts)
        let dist: [Double] = (0..<n).map { i -> Double in i < 200 ? Double(i) / 100 - 2 : 0 }
        try d.addContinuous("distance", values: dist)
        d.addBinary("noise", values: noise)
        // events only where distance is at its maximum (0): the coefficient diverges (separation).
        #expect {
            _ = try fitPoisson(d, columns: [0, 1])
        } throws: { e in
            guard let m = e as? ModelError else { return false }
            switch m {
            case .separation(let col, _): return col == "distance"
            case .notConverged(let msg): return msg.contains("distance")
            default: return false
            }
        }
    }

    @Test func badCountsNameTheRow() {
        #expect(throws: ModelError.invalidCounts("row 2: count 1.5 is not a non-negative whole number — counts are events per cell")) {
            _ = try DesignMatrix(counts: [0, 1, 1.5] as [Double])
        }
    }

    @Test func nonFiniteContinuousNamesColumn() throws {
        var d = try DesignMatrix(counts: [0, 1, 2] as [Double])
        #expect(throws: ModelError.self) { try d.addContinuous("lux", values: [1, .nan, 2]) }
        do { try d.addContinuous("lux", values: [1, .nan, 2]) } catch { #expect("\(error)".contains("lux") && "\(error)".contains("row 1")) }
    }
}
