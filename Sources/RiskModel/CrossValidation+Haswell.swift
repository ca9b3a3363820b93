#if !RISKMODEL_AVX2
import RiskModelAVX2

/// The elastic net in `RiskModelAVX2`, this module's sources compiled for Haswell (AVX2: a
/// SIMD4<Double> is one instruction instead of two), converted at the boundary. The data's
/// arrays are handed over as they are (copy-on-write: no copy). Swift never fuses a multiply and
/// an add on its own, so the two builds run the same IEEE operations in the same order and
/// return the same bits (`crossValidationIsTheSameInBothBuilds`).
enum HaswellBuild {
    static func crossValidatedElasticNet(_ data: ElasticNetData, options: CrossValidationOptions,
                                         progress: ((Int, Int) -> Void)?) -> CrossValidatedPath {
        var o = RiskModelAVX2.CrossValidationOptions()
        o.folds = options.folds; o.seed = options.seed; o.foldIDs = options.foldIDs; o.patience = options.patience
        o.elasticNet = convert(options.elasticNet)
        let r = RiskModelAVX2.crossValidatedElasticNetInThisBuild(convert(data), options: o, progress: progress)
        return CrossValidatedPath(
            path: convert(r.path), meanDeviance: r.meanDeviance, standardError: r.standardError, lambdaMinIndex: r.lambdaMinIndex,
            lambda1seIndex: r.lambda1seIndex, foldIDs: r.foldIDs, stoppedEarly: r.stoppedEarly,
            foldsNotConverged: r.foldsNotConverged)
    }

    static func elasticNetPath(_ data: ElasticNetData, options: ElasticNetOptions) -> ElasticNetPath {
        convert(RiskModelAVX2.elasticNetPathInThisBuild(convert(data), options: convert(options)))
    }

    private static func convert(_ data: ElasticNetData) -> RiskModelAVX2.ElasticNetData {
        RiskModelAVX2.ElasticNetData(
            rowCount: data.rowCount, designColumns: data.designColumns, names: data.names, binaryCount: data.binaryCount,
            wordsPerRow: data.wordsPerRow, blockBits: data.blockBits, columnBits: data.columnBits, dense: data.dense, y: data.y, offset: data.offset)
    }

    private static func convert(_ e: ElasticNetOptions) -> RiskModelAVX2.ElasticNetOptions {
        var o = RiskModelAVX2.ElasticNetOptions()
        o.alpha = e.alpha; o.lambdaCount = e.lambdaCount; o.lambdaMinRatio = e.lambdaMinRatio
        o.lambdas = e.lambdas; o.endLambda = e.endLambda; o.threshold = e.threshold; o.maxPasses = e.maxPasses
        o.workers = e.workers; o.groupRows = e.groupRows; o.hessianRefresh = e.hessianRefresh
        o.sharedHessian = e.sharedHessian; o.screenKKT = e.screenKKT
        return o
    }

    private static func convert(_ p: RiskModelAVX2.ElasticNetPath) -> ElasticNetPath {
        ElasticNetPath(lambdas: p.lambdas, intercepts: p.intercepts, coefficients: p.coefficients,
                       devianceRatio: p.devianceRatio, nullDeviance: p.nullDeviance,
                       designColumns: p.designColumns, names: p.names, passes: p.passes, notConverged: p.notConverged)
    }
}
#endif
