import Foundation

/// NB2 log-linear model (variance μ + μ²/θ) with θ by maximum likelihood, as MASS::glm.nb.
///
/// Algorithm (Venables & Ripley 2002, §7.4): start from the Poisson fit; alternate IRLS for β
/// at fixed θ (O(rows · k²) per iteration) with the 1-D ML estimate of θ at fixed μ (Newton on
/// θ with the expected information, Brent fallback), until |Δ log θ| < 1e-9 and the relative
/// change of ℓ < 1e-11; then a final IRLS at θ̂ gives the SEs, which are the GLM ones at θ̂ as
/// `summary(glm.nb)` reports them. Cells are grouped exactly by (pattern, count, offset) when
/// every column is binary. Matches MASS::glm.nb coefficients, SEs and θ to 1e-4 (golden tests).
/// Also reports the LR test against the Poisson fit (boundary: ½χ²₁).
public func fitNegativeBinomial(_ design: DesignMatrix, columns: [Int], options: GLMOptions = GLMOptions(),
                                groups: RowGroups? = nil, poisson: GLMFit? = nil) throws -> GLMFit {
    let rows = modelRows(design, columns, .negativeBinomial, grouping: options.grouping, groups: groups)
    return try fitNegativeBinomial(rows: rows, design: design, columns: columns, options: options, poisson: poisson)
}

func fitNegativeBinomial(rows: GLMRows, design: DesignMatrix, columns: [Int], options: GLMOptions, poisson: GLMFit?) throws -> GLMFit {
    let sd = try rows.checkColumns()
    // Poisson start (reused when given), fitted on the same rows.
    var pois = poisson
    if pois == nil || pois!.columns != columns {
        var o = options
        if let s = o.start, s.count != columns.count + 1 { o.start = nil }
        let r = try rows.irls(.poisson, start: o.start, tol: options.tolerance, maxIterations: options.maxIterations, workers: options.workers, columnSD: sd)
        let ll = r.pass.kernel + rows.poissonConstant
        pois = GLMFit(family: .poisson, columns: columns, names: rows.names, beta: r.beta, variances: r.chol.inverseDiagonal(),
                      theta: nil, thetaSE: nil, logLik: ll, deviance: .nan, cellCount: rows.cellCount,
                      events: rows.eventCount, iterations: r.iterations, fittedRows: rows.n)
    }
    var beta = options.start.flatMap { $0.count == columns.count + 1 ? $0 : nil } ?? pois!.coefficients
    func means(_ b: [Double]) -> NBMeans {
        NBMeans(y: rows.y, mu: rows.linearPredictor(b, workers: options.workers).map { Foundation.exp($0) }, w: rows.weight)
    }
    var theta = means(pois!.coefficients).estimate(start: options.startTheta).theta
    var llOld = -Double.infinity
    var alternations = 0
    var converged = false
    while alternations < 100 {
        alternations += 1
        let r = try rows.irls(.negativeBinomial(theta: theta), start: beta, tol: options.tolerance, maxIterations: options.maxIterations, workers: options.workers, columnSD: sd)
        beta = r.beta
        let m = means(beta)
        let newTheta = m.estimate(start: theta).theta
        let ll = m.logLik(newTheta) + rows.poissonConstant
        // θ → ∞ (no overdispersion): NB2 is the Poisson model; stop once θ stays past 1e5, where
        // ℓ is within ~μ²/θ per cell of the Poisson limit (BIC then prefers Poisson by ln n).
        let done = (abs(Foundation.log(newTheta) - Foundation.log(theta)) < 1e-9 && abs(ll - llOld) < 1e-11 * (abs(ll) + 1))
            || (newTheta > 1e5 && theta > 1e5)
        theta = newTheta
        llOld = ll
        if done { converged = true; break }
    }
    if !converged {
        throw ModelError.notConverged("negative binomial: θ did not settle in 100 alternations (last θ = \(theta)); the data may not be overdispersed — use the Poisson family")
    }
    let r = try rows.irls(.negativeBinomial(theta: theta), start: beta, tol: options.tolerance, maxIterations: options.maxIterations, workers: options.workers, columnSD: sd)
    let m = means(r.beta)
    let ll = m.logLik(theta) + rows.poissonConstant
    let se = m.scoreInfo(theta).1
    // Deviance at θ̂: 2 Σ w [y log(y/μ) − (y+θ) log((y+θ)/(μ+θ))].
    var dev = 0.0
    for i in 0..<rows.n {
        let y = rows.y[i], mu = m.mu[i], fw = rows.weight?[i] ?? 1
        dev += fw * ((y > 0 ? y * Foundation.log(y / mu) : 0) - (y + theta) * Foundation.log((y + theta) / (mu + theta)))
    }
    var fit = GLMFit(family: .negativeBinomial, columns: columns, names: rows.names, beta: r.beta, variances: r.chol.inverseDiagonal(),
                     theta: theta, thetaSE: se > 0 ? (1 / se).squareRoot() : .nan, logLik: ll, deviance: 2 * dev,
                     cellCount: rows.cellCount, events: rows.eventCount, iterations: alternations, fittedRows: rows.n)
    fit.overdispersion = OverdispersionTest(negativeBinomialLogLik: ll, poissonLogLik: pois!.logLikelihood)
    return fit
}
