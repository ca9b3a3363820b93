import Foundation

/// Sufficient pieces for the NB2 θ-likelihood at fixed means: (y, μ, w) per row.
struct NBMeans {
    let y: [Double]
    let mu: [Double]
    let w: [Double]?

    /// Σ w [lgamma(y+θ) − lgamma(θ) + θ log θ − (y+θ) log(θ+μ) + y log μ] (the θ-dependent
    /// log-likelihood without −log y!). lgamma differences of whole y are the exact sums
    /// Σ_{j<y} log(θ+j), stable for large θ.
    func logLik(_ theta: Double) -> Double {
        var s = 0.0
        let lt = Foundation.log(theta)
        for i in 0..<y.count {
            let yi = y[i], m = mu[i], fw = w?[i] ?? 1
            var lg = 0.0
            if yi < 256 { var j = 0.0; while j < yi { lg += Foundation.log(theta + j); j += 1 } } else { lg = lgamma(yi + theta) - lgamma(theta) }
            s += fw * (lg + theta * lt - (yi + theta) * Foundation.log(theta + m) + (yi > 0 ? yi * Foundation.log(m) : 0))
        }
        return s
    }

    /// Score and expected information in θ, as MASS::theta.ml (Venables & Ripley 2002, §7.4).
    func scoreInfo(_ theta: Double) -> (Double, Double) {
        var sc = 0.0, inf = 0.0
        let lt = Foundation.log(theta)
        for i in 0..<y.count {
            let yi = y[i], m = mu[i], fw = w?[i] ?? 1
            var dg = 0.0, tg = 0.0   // ψ(y+θ) − ψ(θ), ψ'(θ) − ψ'(y+θ)
            if yi < 100_000 { var j = 0.0; while j < yi { let a = 1 / (theta + j); dg += a; tg += a * a; j += 1 } }
            let tm = theta + m
            sc += fw * (dg + lt + 1 - Foundation.log(tm) - (yi + theta) / tm)
            inf += fw * (tg - 1 / theta + 2 / tm - (yi + theta) / (tm * tm))
        }
        return (sc, inf)
    }

    /// ML estimate of θ for fixed μ: Newton–Raphson with the expected information from the
    /// moment start (MASS::theta.ml), to |Δθ| ≤ 1e-10·max(1, θ); falls back to Brent's method
    /// on log θ ∈ [−20, 20] when Newton fails. Returns θ and its SE √(1/info).
    func estimate(start: Double?) -> (theta: Double, se: Double) {
        var sw = 0.0, d = 0.0
        for i in 0..<y.count { let fw = w?[i] ?? 1; sw += fw; let r = y[i] / mu[i] - 1; d += fw * r * r }
        var t = start ?? (sw / d)
        if !(t.isFinite && t > 0) { t = 1 }
        var ok = false
        var info = 0.0
        for _ in 0..<60 {
            t = abs(t)
            let (s, i) = scoreInfo(t)
            info = i
            guard s.isFinite, i.isFinite, i > 0 else { break }
            var del = s / i
            if t + del <= 0 { del = -0.75 * t }
            t += del
            if abs(del) <= 1e-10 * max(1, t) { ok = true; break }
            if t > 1e10 { break }
        }
        if !(ok && t > 1e-8 && t < 1e10) {
            t = brentMax({ logLik(Foundation.exp($0)) }, lo: -20, hi: 20).x
            t = Foundation.exp(t)
            info = scoreInfo(t).1
        } else {
            info = scoreInfo(t).1
        }
        return (t, info > 0 ? (1 / info).squareRoot() : .nan)
    }
}

/// Brent's method for a 1-D maximum on [lo, hi] (Brent 1973, ch. 5), tolerance 1e-10.
func brentMax(_ f: (Double) -> Double, lo: Double, hi: Double) -> (x: Double, fx: Double) {
    let g = 0.3819660112501051
    var a = lo, b = hi, x = a + g * (b - a), w = x, v = x
    var fx = -f(x), fw = fx, fv = fx
    var d = 0.0, e = 0.0
    for _ in 0..<300 {
        let m = 0.5 * (a + b), tol1 = 1e-10 * abs(x) + 1e-12, tol2 = 2 * tol1
        if abs(x - m) <= tol2 - 0.5 * (b - a) { break }
        var useGolden = true
        if abs(e) > tol1 {
            var r = (x - w) * (fx - fv), q = (x - v) * (fx - fw), p = (x - v) * q - (x - w) * r
            q = 2 * (q - r)
            if q > 0 { p = -p } else { q = -q }
            r = e
            if abs(p) < abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x) {
                e = d; d = p / q
                let u = x + d
                if u - a < tol2 || b - u < tol2 { d = x < m ? tol1 : -tol1 }
                useGolden = false
            }
        }
        if useGolden { e = (x < m ? b : a) - x; d = g * e }
        let u = abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1)
        let fu = -f(u)
        if fu <= fx {
            if u < x { b = x } else { a = x }
            v = w; fv = fw; w = x; fw = fx; x = u; fx = fu
        } else {
            if u < x { a = u } else { b = u }
            if fu <= fw || w == x { v = w; fv = fw; w = u; fw = fu } else if fu <= fv || v == x || v == w { v = u; fv = fu }
        }
    }
    return (x, -fx)
}
