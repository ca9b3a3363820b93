import Foundation

/// The count model family.
public enum Family: String, Sendable, Codable, CaseIterable {
    case poisson
    case negativeBinomial
}

/// One coefficient with its Wald statistics (95 % CI on β; RRV = exp(β) with the exp'd CI).
public struct Term: Sendable, Equatable {
    public let name: String
    public let coefficient: Double
    public let standardError: Double
    public let z: Double
    /// Two-sided Wald p-value.
    public let p: Double
    public let ciLow: Double
    public let ciHigh: Double
    public var rrv: Double { Foundation.exp(coefficient) }
    public var rrvCILow: Double { Foundation.exp(ciLow) }
    public var rrvCIHigh: Double { Foundation.exp(ciHigh) }

    init(name: String, coefficient b: Double, standardError se: Double) {
        self.name = name
        coefficient = b
        standardError = se
        z = b / se
        p = Dist.twoSidedNormalP(b / se)
        ciLow = b - Dist.z975 * se
        ciHigh = b + Dist.z975 * se
    }
}

/// Likelihood-ratio test of NB2 against Poisson. θ = ∞ is on the boundary of the parameter
/// space, so the null distribution is ½χ²₀ + ½χ²₁ (Self & Liang 1987): p = ½ P(χ²₁ ≥ LR).
public struct OverdispersionTest: Sendable, Equatable {
    public let statistic: Double
    public let p: Double
    init(negativeBinomialLogLik: Double, poissonLogLik: Double) {
        let lr = max(0, 2 * (negativeBinomialLogLik - poissonLogLik))
        statistic = lr
        p = lr > 0 ? 0.5 * Dist.chiSquare1Upper(lr) : 1
    }
}

/// A fitted Poisson or NB2 log-linear model.
public struct GLMFit: Sendable {
    public let family: Family
    /// Design column indices of the terms (without the intercept), in model order.
    public let columns: [Int]
    public let intercept: Term
    public let terms: [Term]
    /// NB2 shape θ (variance μ + μ²/θ) and its SE from the expected information; nil for Poisson.
    public let theta: Double?
    public let thetaStandardError: Double?
    /// Cell-level log-likelihood, including −Σ log y!.
    public let logLikelihood: Double
    /// Cell-level deviance (2(ℓ_saturated − ℓ); NB at the fitted θ).
    public let deviance: Double
    /// Parameters: intercept + terms (+ θ for NB).
    public let parameterCount: Int
    public let cellCount: Int
    public let eventCount: Double
    public var aic: Double { -2 * logLikelihood + 2 * Double(parameterCount) }
    /// BIC = −2ℓ + k ln(n cells).
    public var bic: Double { -2 * logLikelihood + Double(parameterCount) * Foundation.log(Double(cellCount)) }
    /// IRLS iterations (NB: of the final fit at θ̂), and θ alternations for NB.
    public let iterations: Int
    /// Rows the fit actually ran on (groups when grouped, else cells).
    public let fittedRows: Int
    /// NB only: LR test against the Poisson fit of the same columns.
    public var overdispersion: OverdispersionTest?

    /// Intercept followed by the term coefficients.
    public var coefficients: [Double] { [intercept.coefficient] + terms.map(\.coefficient) }
    public var standardErrors: [Double] { [intercept.standardError] + terms.map(\.standardError) }

    init(family: Family, columns: [Int], names: [String], beta: [Double], variances: [Double], theta: Double?,
         thetaSE: Double?, logLik: Double, deviance: Double, cellCount: Int, events: Double, iterations: Int, fittedRows: Int) {
        self.family = family
        self.columns = columns
        intercept = Term(name: "(Intercept)", coefficient: beta[0], standardError: variances[0].squareRoot())
        terms = (0..<names.count).map { Term(name: names[$0], coefficient: beta[$0 + 1], standardError: variances[$0 + 1].squareRoot()) }
        self.theta = theta
        thetaStandardError = thetaSE
        logLikelihood = logLik
        self.deviance = deviance
        parameterCount = beta.count + (theta == nil ? 0 : 1)
        self.cellCount = cellCount
        eventCount = events
        self.iterations = iterations
        self.fittedRows = fittedRows
    }
}

/// Options of a single GLM fit.
public struct GLMOptions: Sendable {
    /// Group cells exactly when every model column is binary (same MLE, SEs and ℓ).
    public var grouping: Bool = true
    /// Relative change of the log-likelihood at which IRLS stops.
    public var tolerance: Double = 1e-11
    public var maxIterations: Int = 100
    /// Worker threads for cell-level passes (row blocks).
    public var workers: Int = 2
    /// Warm start: intercept + term coefficients, in model order.
    public var start: [Double]? = nil
    /// NB warm start for θ.
    public var startTheta: Double? = nil
    public init() {}
}
