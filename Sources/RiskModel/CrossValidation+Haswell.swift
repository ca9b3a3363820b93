#if !RISKMODEL_AVX2
import RiskModelAVX2

/// The cross-validated elastic net in `RiskModelAVX2`, this module's sources compiled for Haswell
/// (AVX2: a SIMD4<Double> is one instruction instead of two), converted at the boundary. The
/// data's arrays are handed over as they are (copy-on-write: no copy). Swift never fuses a
/// multiply and an add on its own, so the two builds run the same IEEE operations in the same
/// order and return the same bits (`crossValidationIsTheSameInBothBuilds`).
enum HaswellBuild {
    static func crossValidatedElasticNet(_ data: ElasticNetData, options: CrossValidationOptions,
                                         progress: ((Int, Int) -> Void)?) -> CrossValidatedPath {
        let d = RiskModelAVX2.ElasticNetData(
            rowCount: data.rowCount, designColumns: data.designColumns, names: data.names, binaryCount: data.binaryCount,
            wordsPerRow: data.wordsPerRow, rowBits: data.rowBits, blockBits: data.blockBits, dense: data.dense, y: data.y, offset: data.offset)
        var o = RiskModelAVX2.CrossValidationOptions()
        o.folds = options.folds; o.seed = options.seed; o.foldIDs = options.foldIDs; o.patience = options.patience
        let e = options.elasticNet
        o.elasticNet.alpha = e.alpha; o.elasticNet.lambdaCount = e.lambdaCount; o.elasticNet.lambdaMinRatio = e.lambdaMinRatio
        o.elasticNet.lambdas = e.lambdas; o.elasticNet.threshold = e.threshold; o.elasticNet.maxPasses = e.maxPasses
        o.elasticNet.workers = e.workers; o.elasticNet.groupRows = e.groupRows; o.elasticNet.hessianRefresh = e.hessianRefresh
        o.elasticNet.sharedHessian = e.sharedHessian
        let r = RiskModelAVX2.crossValidatedElasticNetInThisBuild(d, options: o, progress: progress)
        let p = r.path
        return CrossValidatedPath(
            path: ElasticNetPath(lambdas: p.lambdas, intercepts: p.intercepts, coefficients: p.coefficients,
                                 devianceRatio: p.devianceRatio, nullDeviance: p.nullDeviance,
                                 designColumns: p.designColumns, names: p.names, passes: p.passes),
            meanDeviance: r.meanDeviance, standardError: r.standardError, lambdaMinIndex: r.lambdaMinIndex,
            lambda1seIndex: r.lambda1seIndex, foldIDs: r.foldIDs, stoppedEarly: r.stoppedEarly)
    }
}
#endif
