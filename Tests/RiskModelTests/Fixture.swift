import Foundation
import Testing
@testable import RiskModel

/// The committed R fixture and golden values (see Golden/README.md).
enum Fixture {
    static let url = Bundle.module.url(forResource: "Golden", withExtension: nil)!

    struct Table { var header: [String]; var columns: [[Double]] }

    static let table: Table = {
        let text = try! String(contentsOf: url.appendingPathComponent("fixture.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        var cols = [[Double]](repeating: [], count: header.count)
        for l in lines.dropFirst() {
            for (j, f) in l.split(separator: ",").enumerated() { cols[j].append(Double(f)!) }
        }
        return Table(header: header, columns: cols)
    }()

    static func column(_ name: String) -> [Double] { table.columns[table.header.firstIndex(of: name)!] }

    /// Design with y = `outcome`, optional offset, binary b1..b5 and continuous c1, c2.
    static func design(outcome: String, offset: Bool = true, columns: [String] = ["b1", "b2", "b3", "b4", "b5", "c1", "c2"]) throws -> DesignMatrix {
        var d = try DesignMatrix(counts: column(outcome), offset: offset ? column("offset") : nil)
        for c in columns {
            if c.hasPrefix("b") { d.addBinary(c, values: column(c).map { $0 == 1 }) } else { try d.addContinuous(c, values: column(c)) }
        }
        return d
    }

    /// key → values from a golden_*.txt file.
    static func golden(_ file: String) -> [String: [Double]] {
        let text = try! String(contentsOf: url.appendingPathComponent(file), encoding: .utf8)
        var out = [String: [Double]]()
        for l in text.split(separator: "\n") {
            let f = l.split(separator: " ")
            out[String(f[0])] = f.dropFirst().map { Double($0) ?? .nan }
        }
        return out
    }
}

func relClose(_ a: Double, _ b: Double, _ tol: Double) -> Bool {
    abs(a - b) <= tol * max(abs(a), abs(b), 1e-300) || (a.isNaN && b.isNaN)
}

func expectRel(_ got: [Double], _ want: [Double], _ tol: Double, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(got.count == want.count, "\(what): \(got.count) values, want \(want.count)", sourceLocation: sourceLocation)
    for (i, (g, w)) in zip(got, want).enumerated() {
        #expect(relClose(g, w, tol), "\(what)[\(i)]: \(g) vs R \(w) (rel tol \(tol))", sourceLocation: sourceLocation)
    }
}
