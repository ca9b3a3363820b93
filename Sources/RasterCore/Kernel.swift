/// A smoothing kernel for `KernelDensity`, its bandwidth in metres.
public enum Kernel: Sendable, Hashable, CustomStringConvertible {
    /// Gaussian with standard deviation `sigma`, truncated to the square |dx|, |dy| ≤ 4σ (the
    /// peer's `truncate = 4`, scipy/OpenCV convention) and normalised to sum 1 on the cells.
    case gaussian(sigma: Double)
    /// Quartic (biweight) `(1 − d²/h²)²` for d < h, the ArcGIS/QGIS kernel with
    /// bandwidth = search radius `h`, normalised to sum 1 on the cells.
    case quartic(radius: Double)
    /// Uniform disc: equal weight on every cell centre with d ≤ h, normalised to sum 1.
    case uniform(radius: Double)

    /// The bandwidth in metres (σ for the Gaussian, the radius otherwise).
    public var bandwidth: Double {
        switch self {
        case .gaussian(let s): s
        case .quartic(let h), .uniform(let h): h
        }
    }

    public var description: String {
        switch self {
        case .gaussian(let s): "Gaussian σ = \(s.formatted6) m"
        case .quartic(let h): "quartic h = \(h.formatted6) m"
        case .uniform(let h): "uniform h = \(h.formatted6) m"
        }
    }

    /// Whether the 2-D kernel is an outer product of 1-D kernels.
    public var isSeparable: Bool { if case .gaussian = self { true } else { false } }

    /// The kernel's reach in whole cells: weights are zero beyond `radius` cells in row or column.
    /// Pad a grid by `radius + 1` cells so that features this far outside still reach the
    /// study area (peers README, "Features on the grid").
    public func radius(cellSize: Double) -> Int {
        let b = bandwidth / cellSize
        switch self {
        case .gaussian: return Int(4 * b + 0.5)          // as scipy: int(truncate·σ + 0.5)
        case .quartic: return max(0, Int((b - 1e-9).rounded(.up)) - 1)   // largest k < h
        case .uniform: return Int((b + 1e-9).rounded(.down))
        }
    }

    /// Checks the bandwidth; thrown before anything is allocated.
    func validate() throws(RasterError) {
        guard bandwidth.isFinite, bandwidth > 0 else { throw .invalidBandwidth(bandwidth) }
    }

    /// 1-D weights `g[0...R]` (g[−k] = g[k]) of the separable Gaussian, summing to 1 over −R…R.
    func separableWeights(cellSize: Double) -> [Double] {
        guard case .gaussian(let s) = self else { preconditionFailure("not separable") }
        let sc = s / cellSize, r = radius(cellSize: cellSize)
        var g = (0...r).map { k in exp(-0.5 * (Double(k) / sc) * (Double(k) / sc)) }
        let total = g[0] + 2 * g.dropFirst().reduce(0, +)
        for k in g.indices { g[k] /= total }
        return g
    }

    /// The 2-D weights on the (2R+1)² cells around the centre, row-major, summing to 1.
    public func weights(cellSize: Double) -> (radius: Int, values: [Double]) {
        let r = radius(cellSize: cellSize), n = 2 * r + 1
        var w = [Double](repeating: 0, count: n * n)
        switch self {
        case .gaussian:
            let g = separableWeights(cellSize: cellSize)
            for i in 0..<n { for j in 0..<n { w[i * n + j] = g[abs(i - r)] * g[abs(j - r)] } }
            return (r, w)
        case .quartic(let h):
            let h2 = (h / cellSize) * (h / cellSize)
            for i in 0..<n {
                for j in 0..<n {
                    let d2 = Double((i - r) * (i - r) + (j - r) * (j - r))
                    if d2 < h2 { let t = 1 - d2 / h2; w[i * n + j] = t * t }
                }
            }
        case .uniform(let h):
            let h2 = (h / cellSize) * (h / cellSize) * (1 + 1e-12)
            for i in 0..<n {
                for j in 0..<n where Double((i - r) * (i - r) + (j - r) * (j - r)) <= h2 { w[i * n + j] = 1 }
            }
        }
        let total = w.reduce(0, +)
        for k in w.indices { w[k] /= total }
        return (r, w)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
