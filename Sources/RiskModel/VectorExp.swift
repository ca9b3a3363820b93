import Foundation

/// e^x for four lanes at once (the elastic net's passes over the groups take e^η for up to 12
/// paths per group; the C library's exp takes one at a time).
///
/// Algorithm: Cody & Waite's range reduction (Cody & Waite 1980, *Software Manual for the
/// Elementary Functions*, ch. 6) — k = round(x·log₂e) by the 1.5·2⁵² shifter, r = (x − k·ln2_hi)
/// − k·ln2_lo with fdlibm's split of ln2 (k·ln2_hi exact), so |r| ≤ ln2/2 — then e^r by its
/// Taylor polynomial to r¹³/13! (truncation ≤ (ln2/2)¹⁴/14! ≈ 4·10⁻¹⁸, far below an ulp) in
/// Estrin's scheme, and 2^k assembled in the exponent bits. Tolerance: within 1 ulp of the C
/// library's exp over [−708, 709] (`VectorExpTests`: 10⁶ seeded points); lanes outside that
/// range (and NaN) are taken by the C library, so overflow, underflow and NaN behave as
/// `Foundation.exp`.
@inline(__always) func exp4(_ x: SIMD4<Double>) -> SIMD4<Double> {
    if any(x .< -708) || any(x .> 709) || any(x .!= x) {
        return SIMD4(Foundation.exp(x[0]), Foundation.exp(x[1]), Foundation.exp(x[2]), Foundation.exp(x[3]))
    }
    let log2e = 1.4426950408889634, shifter = 6755399441055744.0       // 1.5·2⁵²
    let ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10
    let t = x * log2e + shifter         // k in the low bits of t's significand
    let k = t - shifter
    let r = (x - k * ln2Hi) - k * ln2Lo
    // e^r = 1 + (r + r²·Q(r)), Q(r) = Σ_{k=2}^{13} r^(k−2)/k! by Estrin's scheme (Estrin 1960;
    // Knuth, TAOCP vol. 2, §4.6.4): pairs in r, pairs of those in r², then Horner in r⁴ — a
    // dependency chain of 5 multiply-adds instead of Horner's 13, the same terms. The small part
    // r + r²·Q is summed before the 1, so the result is rounded about as often as Horner's.
    let r2 = r * r, r4 = r2 * r2
    let p23 = r * (1 / 6.0) + 0.5
    let p45 = r * (1 / 120.0) + 1 / 24.0
    let p67 = r * (1 / 5040.0) + 1 / 720.0
    let p89 = r * (1 / 362880.0) + 1 / 40320.0
    let p1011 = r * (1 / 39916800.0) + 1 / 3628800.0
    let p1213 = r * (1 / 6227020800.0) + 1 / 479001600.0
    let q25 = p45 * r2 + p23, q69 = p89 * r2 + p67, q1013 = p1213 * r2 + p1011
    let q = (q1013 * r4 + q69) * r4 + q25
    let p = (r2 * q + r) + 1
    let kBits = unsafeBitCast(t, to: SIMD4<Int64>.self) &- Int64(bitPattern: shifter.bitPattern)
    return p * unsafeBitCast((kBits &+ 1023) &<< 52, to: SIMD4<Double>.self)
}
