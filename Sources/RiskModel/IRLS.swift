import Foundation

/// The variance function of the fit: Poisson, or NB2 at a fixed θ.
enum WorkingFamily: Sendable {
    case poisson
    case negativeBinomial(theta: Double)
}

/// One IRLS pass at β: the Fisher information XᵀWX, XᵀWz and the kernel log-likelihood.
struct IRLSPass {
    var info: [Double]     // k×k, full symmetric
    var rhs: [Double]      // XᵀWz
    var kernel: Double     // Poisson: Σ w(yη − μ); NB: Σ w(yη − (y+θ)log(θ+μ)), η with offset
}

extension GLMRows {
    /// Accumulates one IRLS pass over all rows, split by row blocks across workers.
    /// Cost O(n k²) flops (SIMD dot products over 256-row tiles).
    func irlsPass(_ beta: [Double], _ family: WorkingFamily, workers: Int) -> IRLSPass {
        let k = self.k, B = GLMRows.tile
        let theta: Double
        if case .negativeBinomial(let t) = family { theta = t } else { theta = .infinity }
        let isPoisson = theta.isInfinite
        let parts = forEachTile(workers: workers, initial: IRLSPass(info: [Double](repeating: 0, count: k * k), rhs: [Double](repeating: 0, count: k), kernel: 0)) { acc, lo, hi, t in
            let m = hi - lo
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * B) { buf in
                let eta = buf.baseAddress!, wt = eta + B, wz = eta + 2 * B
                for r in 0..<m { eta[r] = 0 }
                for j in 0..<k {
                    let b = beta[j], col = t + j * B
                    if b != 0 { for r in 0..<m { eta[r] += b * col[r] } }
                }
                var ll = 0.0
                for r in 0..<m {
                    let i = lo + r
                    let off = offset?[i] ?? 0
                    let e = eta[r] + off
                    let mu = Foundation.exp(e)
                    let y = self.y[i], fw = weight?[i] ?? 1
                    if isPoisson {
                        ll += fw * (y * e - mu)
                        wt[r] = fw * mu
                        wz[r] = fw * mu * eta[r] + fw * (y - mu)
                    } else {
                        ll += fw * (y * e - (y + theta) * Foundation.log(theta + mu))
                        let wr = fw * mu * theta / (theta + mu)
                        wt[r] = wr
                        wz[r] = wr * eta[r] + fw * theta * (y - mu) / (theta + mu)
                    }
                }
                acc.kernel += ll
                // Gram: info[a][b] += Σ_r x_a w x_b ; rhs[a] += Σ_r x_a wz
                let u = eta  // reuse as scratch x_a * w
                acc.info.withUnsafeMutableBufferPointer { g in
                    for a in 0..<k {
                        let ca = t + a * B
                        for r in 0..<m { u[r] = ca[r] * wt[r] }
                        for b in 0...a { g[a * k + b] += simdDot(u, t + b * B, m) }
                        acc.rhs[a] += simdDot(ca, wz, m)
                    }
                }
            }
        }
        var total = parts[0]
        for p in parts.dropFirst() {
            for i in 0..<(k * k) { total.info[i] += p.info[i] }
            for i in 0..<k { total.rhs[i] += p.rhs[i] }
            total.kernel += p.kernel
        }
        for a in 0..<k { for b in 0..<a { total.info[b * k + a] = total.info[a * k + b] } }
        return total
    }

    /// Maps a Cholesky failure on the information matrix to an error naming the column.
    func collinearityError(_ f: Cholesky.Failure) -> ModelError {
        switch f {
        case .zeroColumn(let j), .collinear(let j):
            if j == 0 { return .degenerate("the intercept has no information: are all counts 0 or the exposures 0?") }
            let name = names[j - 1]
            let earlier = ["(Intercept)"] + names.prefix(j - 1)
            if case .zeroColumn = f {
                return .collinear(column: name, detail: "carries no information (0 in every cell with positive fitted mean); drop it")
            }
            return .collinear(column: name, detail: "is (nearly) a linear combination of \(earlier.joined(separator: ", ")) — e.g. constant over the study area or a duplicate of another increment; drop it or the column it duplicates")
        }
    }

    /// Checks binary columns for an infinite MLE (all events on one side) and for constancy
    /// before fitting: O(n k) over tiles (or the grouped rows). Returns each column's SD
    /// (index 0 = intercept, 0), used to detect diverging coefficients of continuous columns.
    @discardableResult
    func checkColumns() throws -> [Double] {
        let k = self.k, B = GLMRows.tile
        struct S { var ones = [Double](); var yOnes = [Double](); var sq = [Double](); var total = 0.0; var yTotal = 0.0 }
        let z = [Double](repeating: 0, count: k)
        let parts = forEachTile(workers: 2, initial: S(ones: z, yOnes: z, sq: z)) { s, lo, hi, t in
            for r in 0..<(hi - lo) {
                let fw = weight?[lo + r] ?? 1, y = self.y[lo + r]
                s.total += fw; s.yTotal += fw * y
            }
            for j in 1..<max(1, k) {
                let col = t + j * B
                var o = 0.0, yo = 0.0, q = 0.0
                for r in 0..<(hi - lo) {
                    let fw = weight?[lo + r] ?? 1
                    o += fw * col[r]; yo += fw * col[r] * self.y[lo + r]; q += fw * col[r] * col[r]
                }
                s.ones[j] += o; s.yOnes[j] += yo; s.sq[j] += q
            }
        }
        var s = parts[0]
        for p in parts.dropFirst() {
            for j in 0..<k { s.ones[j] += p.ones[j]; s.yOnes[j] += p.yOnes[j]; s.sq[j] += p.sq[j] }
            s.total += p.total; s.yTotal += p.yTotal
        }
        if s.yTotal == 0 { throw ModelError.degenerate("there are no events (all counts are 0): nothing to model") }
        for j in 1..<max(1, k) where binaryColumn[j - 1] {
            let name = names[j - 1]
            if s.ones[j] == 0 { throw ModelError.collinear(column: name, detail: "is 0 in every cell (constant); drop it") }
            if s.ones[j] == s.total { throw ModelError.collinear(column: name, detail: "is 1 in every cell (constant, the same as the intercept); drop it") }
            if s.yOnes[j] == 0 {
                throw ModelError.separation(column: name, detail: "none of its \(Int(s.ones[j])) cells has an event, so its coefficient is −∞ (RRV 0); drop it or use a wider increment of this factor")
            }
            if s.yOnes[j] == s.yTotal {
                throw ModelError.separation(column: name, detail: "all \(Int(s.yTotal)) events fall in its cells and none outside, so its coefficient is +∞; the factor cannot be estimated against this outcome — drop it or use a narrower increment")
            }
        }
        var sd = [Double](repeating: 0, count: k)
        for j in 1..<max(1, k) {
            let m = s.ones[j] / s.total
            sd[j] = max(0, s.sq[j] / s.total - m * m).squareRoot()
        }
        return sd
    }

    struct IRLSResult {
        var beta: [Double]
        var pass: IRLSPass
        var chol: Cholesky
        var iterations: Int
    }

    /// Iteratively reweighted least squares (McCullagh & Nelder 1989, §2.5) with step-halving
    /// when the log-likelihood falls or becomes non-finite (as R's glm.fit halves on divergence).
    /// Converged when the relative change of the log-likelihood < `tol` (default 1e-11; each
    /// pass is O(n k²)). Throws on collinearity (naming the column) and on non-convergence.
    /// A coefficient whose effect over one SD of its column exceeds e^25 is treated as diverging
    /// (separation) when `columnSD` is given.
    func irls(_ family: WorkingFamily, start: [Double]?, tol: Double, maxIterations: Int, workers: Int, columnSD: [Double]? = nil) throws -> IRLSResult {
        var beta: [Double]
        if let s = start, s.count == k { beta = s } else {
            beta = [Double](repeating: 0, count: k)
            var sy = 0.0, se = 0.0
            for i in 0..<n { let fw = weight?[i] ?? 1; sy += fw * y[i]; se += fw * Foundation.exp(offset?[i] ?? 0) }
            beta[0] = Foundation.log(max(sy, 1e-300) / se)
        }
        var pass = irlsPass(beta, family, workers: workers)
        if !pass.kernel.isFinite {   // a bad warm start: fall back to the null start
            beta = [Double](repeating: 0, count: k)
            pass = irlsPass(beta, family, workers: workers)
        }
        var chol: Cholesky
        do { chol = try Cholesky(pass.info, k: k) } catch { throw collinearityError(error) }
        for it in 1...maxIterations {
            var next = chol.solve(pass.rhs)
            var np = irlsPass(next, family, workers: workers)
            var halvings = 0
            while !(np.kernel.isFinite && np.kernel >= pass.kernel - 1e-9 * (abs(pass.kernel) + 1)) {
                halvings += 1
                if halvings > 40 {
                    throw ModelError.notConverged("IRLS could not improve the likelihood (step-halving failed); the largest moving coefficient was \(movingName(beta, next)) — check it for separation (events on one side only) or extreme values")
                }
                for j in 0..<k { next[j] = 0.5 * (next[j] + beta[j]) }
                np = irlsPass(next, family, workers: workers)
            }
            let change = abs(np.kernel - pass.kernel) / (abs(np.kernel) + 0.1)
            beta = next
            pass = np
            do { chol = try Cholesky(pass.info, k: k) } catch { throw collinearityError(error) }
            if let sd = columnSD, let big = (1..<k).first(where: { abs(beta[$0]) * sd[$0] > 25 }) {
                throw ModelError.separation(column: names[big - 1], detail: "its coefficient diverges (β = \(beta[big]) after \(it) iterations, over e^25 per SD): the events lie on one side of this column's values (separation); drop it, cap it or coarsen it")
            }
            if change < tol { return IRLSResult(beta: beta, pass: pass, chol: chol, iterations: it) }
        }
        throw ModelError.notConverged("IRLS did not converge in \(maxIterations) iterations; the largest moving coefficient is \(movingName(beta, beta)) — check that column for separation or extreme values, or raise maxIterations")
    }

    private func movingName(_ a: [Double], _ b: [Double]) -> String {
        var best = 0, bv = -1.0
        for j in 1..<max(1, k) where abs(a[j] - b[j]) + abs(b[j]) * 1e-9 > bv { bv = abs(a[j] - b[j]) + abs(b[j]) * 1e-9; best = j }
        return best == 0 ? "(Intercept)" : names[best - 1]
    }
}
