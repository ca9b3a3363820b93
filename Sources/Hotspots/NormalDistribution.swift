#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tail probabilities of the standard normal distribution.
///
/// `twoSidedP(z) = erfc(|z|/√2)` = 2·(1 − Φ(|z|)), from the C library's `erfc`, which keeps full
/// relative precision far into the tail (no 1 − Φ cancellation). O(1); relative error ~1e-15.
public enum NormalDistribution {
    public static func twoSidedP(_ z: Double) -> Double {
        guard z.isFinite else { return z.isNaN ? .nan : 0 }
        return erfc(abs(z) / 2.0.squareRoot())
    }

    /// Upper tail 1 − Φ(z).
    public static func upperTail(_ z: Double) -> Double { erfc(z / 2.0.squareRoot()) / 2 }
}
