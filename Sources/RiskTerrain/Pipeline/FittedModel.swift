import Foundation
import RiskModel

/// The selected model in the terms of the spec: each coefficient tied back to its factor,
/// influence and distance, as `model.json` and `rrv.csv` report it.
public struct FittedModel: Sendable {
    public struct TermRow: Sendable, Codable, Equatable {
        public let name: String
        public let factor: String
        public let influence: String
        public let distanceM: Double?
        public let bandwidthM: Double?
        public let coefficient: Double
        public let stdError: Double
        public let z: Double
        public let p: Double
        public let ciLow: Double
        public let ciHigh: Double
        public let rrv: Double
        public let rrvCiLow: Double
        public let rrvCiHigh: Double
        /// What one unit of the column is: "present", "metre", "feature per km²", "raster unit".
        public let unit: String

        enum CodingKeys: String, CodingKey {
            case name, factor, influence, distanceM, bandwidthM, coefficient, stdError, z, p, ciLow, ciHigh, rrv, rrvCiLow, rrvCiHigh, unit
        }

        /// Every key is written, absent values as null: the model.json contract names them all.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(factor, forKey: .factor)
            try c.encode(influence, forKey: .influence)
            try c.encode(distanceM, forKey: .distanceM)
            try c.encode(bandwidthM, forKey: .bandwidthM)
            try c.encode(coefficient, forKey: .coefficient)
            try c.encode(stdError, forKey: .stdError)
            try c.encode(z, forKey: .z)
            try c.encode(p, forKey: .p)
            try c.encode(ciLow, forKey: .ciLow)
            try c.encode(ciHigh, forKey: .ciHigh)
            try c.encode(rrv, forKey: .rrv)
            try c.encode(rrvCiLow, forKey: .rrvCiLow)
            try c.encode(rrvCiHigh, forKey: .rrvCiHigh)
            try c.encode(unit, forKey: .unit)
        }
    }

    public let selection: RTMSelection
    public let terms: [TermRow]
    /// The design columns of `terms`, in order.
    public let columns: [Int]

    /// "poisson" or "negbin", the contract's spelling.
    public var family: String { Self.name(selection.family) }

    static func name(_ f: Family) -> String { f == .poisson ? "poisson" : "negbin" }

    public init(selection: RTMSelection, design: AnalysisDesign) {
        self.selection = selection
        let fit = selection.model
        columns = fit.columns
        terms = zip(fit.columns, fit.terms).map { column, t in
            let c = design.columns[column]
            let unit: String = switch c.influence {
            case .proximity, .density, .inside: "present"
            case .distance: "metre"
            case .densityValue: "feature per km²"
            case .value: "raster unit"
            }
            return TermRow(name: c.name, factor: c.factor, influence: c.influence.rawValue, distanceM: c.distanceM,
                           bandwidthM: c.bandwidthM, coefficient: t.coefficient, stdError: t.standardError, z: t.z, p: t.p,
                           ciLow: t.ciLow, ciHigh: t.ciHigh, rrv: t.rrv, rrvCiLow: t.rrvCILow, rrvCiHigh: t.rrvCIHigh, unit: unit)
        }
    }

    /// Σ βᵢ xᵢ per design row over the selected columns (no intercept).
    public func linearPredictor(_ design: AnalysisDesign) -> [Double] {
        var eta = [Double](repeating: 0, count: design.cells.count)
        for (column, t) in zip(columns, selection.model.terms) {
            switch design.design.columns[column] {
            case .binary(let bits):
                for r in 0..<eta.count where bits.words[r >> 6] >> UInt64(r & 63) & 1 != 0 { eta[r] += t.coefficient }
            case .continuous(let v):
                for r in 0..<eta.count { eta[r] += t.coefficient * v[r] }
            }
        }
        return eta
    }
}

extension ModelOptions {
    /// The statistical core's options for this spec.
    var selectionOptions: SelectionOptions {
        var o = SelectionOptions()
        o.method = switch selection {
        case .rtm: .rtm
        case .lasso: .lasso
        case .none: .none
        }
        o.family = switch family {
        case .auto: .auto
        case .poisson: .poisson
        case .negbin: .negativeBinomial
        }
        o.crossValidation.folds = folds
        o.crossValidation.seed = seed
        o.crossValidation.patience = cvPatience > 0 ? cvPatience : nil
        o.crossValidation.elasticNet.alpha = selection == .lasso ? 1 : alpha
        o.fixedLambda = lambda
        return o
    }
}
