/// Small dense symmetric positive-definite algebra for k×k information matrices (k ≲ a few hundred).
/// Cholesky (Golub & Van Loan 2013, Alg. 4.2.1), O(k³/3); with rank detection on the
/// unit-diagonal scaling: a pivot below `tol` flags the column as (nearly) collinear with the
/// earlier ones.
struct Cholesky {
    let k: Int
    var l: [Double]   // row-major lower triangle of the scaled matrix
    let scale: [Double]  // 1/√diag

    enum Failure: Error { case zeroColumn(Int), collinear(Int) }

    init(_ a: [Double], k: Int, tol: Double = 1e-11) throws(Failure) {
        self.k = k
        var s = [Double](repeating: 0, count: k)
        for j in 0..<k {
            let d = a[j * k + j]
            if !(d > 0) || !d.isFinite { throw .zeroColumn(j) }
            s[j] = 1 / d.squareRoot()
        }
        var m = [Double](repeating: 0, count: k * k)
        for i in 0..<k { for j in 0...i { m[i * k + j] = a[i * k + j] * s[i] * s[j] } }
        for j in 0..<k {
            var d = m[j * k + j]
            for p in 0..<j { d -= m[j * k + p] * m[j * k + p] }
            if !(d > tol) { throw .collinear(j) }
            let r = d.squareRoot()
            m[j * k + j] = r
            for i in (j + 1)..<max(j + 1, k) {
                var v = m[i * k + j]
                for p in 0..<j { v -= m[i * k + p] * m[j * k + p] }
                m[i * k + j] = v / r
            }
        }
        l = m
        scale = s
    }

    /// Solve A x = b.
    func solve(_ b: [Double]) -> [Double] {
        var x = [Double](repeating: 0, count: k)
        for i in 0..<k { x[i] = b[i] * scale[i] }
        for i in 0..<k {
            var v = x[i]
            for p in 0..<i { v -= l[i * k + p] * x[p] }
            x[i] = v / l[i * k + i]
        }
        for i in stride(from: k - 1, through: 0, by: -1) {
            var v = x[i]
            for p in (i + 1)..<max(i + 1, k) { v -= l[p * k + i] * x[p] }
            x[i] = v / l[i * k + i]
        }
        for i in 0..<k { x[i] *= scale[i] }
        return x
    }

    /// Diagonal of A⁻¹ (variances), O(k³).
    func inverseDiagonal() -> [Double] {
        var out = [Double](repeating: 0, count: k)
        var e = [Double](repeating: 0, count: k)
        for j in 0..<k {
            for i in 0..<k { e[i] = 0 }
            e[j] = 1
            out[j] = solve(e)[j]
        }
        return out
    }
}

/// Dot product of two length-`n` arrays with four independent SIMD accumulators.
@inline(__always) func simdDot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
    var i = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while i + 8 <= n {
        s0 += ra.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
        s1 += ra.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
        i += 8
    }
    var s = (s0 + s1).sum()
    while i < n { s += a[i] * b[i]; i += 1 }
    return s
}
