import Foundation

/// Which count family the selection may return.
public enum FamilyChoice: String, Sendable, Codable {
    case auto, poisson, negativeBinomial
}

/// How terms are chosen.
public enum SelectionMethod: String, Sendable, Codable {
    /// CV elastic-net shortlist, then stepwise BIC per family (RTMDx).
    case rtm
    /// CV elastic net (usually alpha 1), then an unpenalised refit of the shortlist.
    case lasso
    /// Fit all given columns unpenalised.
    case none
}

public struct SelectionOptions: Sendable {
    public var method: SelectionMethod = .rtm
    public var family: FamilyChoice = .auto
    public var crossValidation = CrossValidationOptions()
    /// Shortlist at this λ instead of cross-validating: the columns non-zero on the full-data
    /// path at it (fitted down to it only; `ElasticNetOptions.endLambda`), no folds. For quick
    /// reruns with the λ.min of an earlier run; the λ is not re-chosen for the design.
    public var fixedLambda: Double? = nil
    public var stepwise = StepwiseOptions()
    public init() {}
}

/// The glmnet stage in brief.
public struct ElasticNetSummary: Sendable {
    /// The λ the shortlist was taken at: λ.min of the cross-validation, or the fixed λ.
    public let lambda: Double
    /// Whether `lambda` was chosen by cross-validation (else it was given).
    public let crossValidated: Bool
    /// λ.min and λ.1se of the cross-validation (nil with a fixed λ).
    public let lambdaMin: Double?
    public let lambda1se: Double?
    public let lambdaCount: Int
    /// Design columns non-zero at `lambda` and their penalised coefficients.
    public let shortlist: [Int]
    public let shortlistNames: [String]
    public let penalisedCoefficients: [Double]
    /// The λ of the path the shortlist came from at which coordinate descent stopped at its pass
    /// limit before converging, and per CV fold the same for its path (empty: all converged).
    public var notConverged: [Double] = []
    public var foldsNotConverged: [[Double]] = []
}

/// What `selectModel` returns: the chosen model and how it was reached.
public struct RTMSelection: Sendable {
    public let model: GLMFit
    public var family: Family { model.family }
    /// Per family: the stepwise result (or the single fit for `none`/`lasso`).
    public let byFamily: [Family: StepwiseResult]
    public let crossValidation: CrossValidatedPath?
    public let elasticNet: ElasticNetSummary?
    /// Stepwise path of the chosen family.
    public var stepwisePath: [StepwiseStep] { byFamily[model.family]?.path ?? [] }
}

/// Stages reported through the progress callback.
public enum SelectionStage: String, Sendable {
    case elasticNet, crossValidation, stepwisePoisson, stepwiseNegativeBinomial, done
}

/// The RTM model selection (Caplan & Kennedy 2016; RTMDx): shortlist candidates with the
/// cross-validated elastic-net Poisson path (the columns non-zero at λ.min, or at
/// `fixedLambda` on the full-data path without cross-validation), then bidirectional
/// stepwise BIC from the null model for Poisson and for NB2, keeping the family with the lower
/// BIC (`family: .auto`). `lasso` refits the shortlist unpenalised; `none` fits every column.
/// Cost: dominated by the (folds + 1) elastic-net paths; see `crossValidatedElasticNet`.
/// - Throws: `ModelError` when a required fit fails (names the column).
public func selectModel(design: DesignMatrix, columns: [Int]? = nil, options: SelectionOptions = SelectionOptions(),
                        progress: (@Sendable (SelectionStage, Double) -> Void)? = nil) throws -> RTMSelection {
    let cols = columns ?? Array(0..<design.columnCount)
    let families: [Family] = switch options.family {
    case .auto: [.poisson, .negativeBinomial]
    case .poisson: [.poisson]
    case .negativeBinomial: [.negativeBinomial]
    }
    var cv: CrossValidatedPath? = nil
    var summary: ElasticNetSummary? = nil
    var shortlist = cols
    if options.method != .none {
        let data = ElasticNetData(design, columns: cols)
        progress?(.elasticNet, 0)
        let path: ElasticNetPath, at: Int
        if let fixed = options.fixedLambda {
            var o = options.crossValidation.elasticNet
            o.endLambda = fixed
            path = elasticNetPath(data, options: o)
            at = path.lambdas.count - 1
        } else {
            let r = crossValidatedElasticNet(data, options: options.crossValidation) { done, total in
                progress?(.crossValidation, Double(done) / Double(max(total, 1)))
            }
            cv = r
            path = r.path; at = r.lambdaMinIndex
        }
        let nz = path.nonZero(at: at)
        shortlist = nz.map { path.designColumns[$0] }
        summary = ElasticNetSummary(lambda: path.lambdas[at], crossValidated: cv != nil, lambdaMin: cv?.lambdaMin,
                                    lambda1se: cv?.lambda1se, lambdaCount: path.lambdas.count,
                                    shortlist: shortlist, shortlistNames: shortlist.map { design.names[$0] },
                                    penalisedCoefficients: nz.map { path.coefficients[at][$0] },
                                    notConverged: path.notConverged, foldsNotConverged: cv?.foldsNotConverged ?? [])
    }
    var by = [Family: StepwiseResult]()
    let ev = EventIndex(design)
    for f in families {
        progress?(f == .poisson ? .stepwisePoisson : .stepwiseNegativeBinomial, 0)
        if options.method == .rtm {
            by[f] = try stepwiseBIC(design, candidates: shortlist, family: f, options: options.stepwise, events: ev)
        } else {
            let fit = f == .poisson ? try fitPoisson(design, columns: shortlist, options: options.stepwise.glm)
                                    : try fitNegativeBinomial(design, columns: shortlist, options: options.stepwise.glm)
            by[f] = StepwiseResult(family: f, model: fit, path: [], fitCount: 1)
        }
    }
    var best = by[families[0]]!.model
    for f in families.dropFirst() where by[f]!.model.bic < best.bic { best = by[f]!.model }
    // The NB model's LR test against Poisson is on the same terms; attach when both exist.
    progress?(.done, 1)
    return RTMSelection(model: best, byFamily: by, crossValidation: cv, elasticNet: summary)
}
