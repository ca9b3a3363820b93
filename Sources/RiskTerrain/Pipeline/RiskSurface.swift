import Foundation
import RasterCore

/// The relative risk score per cell and its RTMDx classes.
///
/// RRS = exp(Σ βᵢ xᵢ) over the selected terms, without the intercept: 1 where none of the
/// selected factors is present, the product of their RRVs where all are (Caplan & Kennedy 2016).
/// Classes follow RTMDx over the study-area cells: highest > mean + 2 SD, high mean + 1 SD … 2 SD,
/// above average mean … mean + 1 SD, below average ≤ mean (population SD).
public struct RiskSurface: Sendable {
    public enum RiskClass: UInt8, Sendable, CaseIterable, Codable {
        case belowAverage = 1, aboveAverage = 2, high = 3, highest = 4
        public var label: String {
            switch self {
            case .belowAverage: "below average"
            case .aboveAverage: "above average (mean to +1 SD)"
            case .high: "high (+1 to +2 SD)"
            case .highest: "highest (above +2 SD)"
            }
        }
    }

    public static let noData: Float = -9999
    public static let classNoData: UInt8 = 0

    /// RRS per grid cell; `noData` outside the design's rows.
    public let rrs: Raster<Float>
    /// Class per grid cell; `classNoData` outside.
    public let classes: Raster<UInt8>
    public let mean: Double
    public let standardDeviation: Double
    public let min: Double
    public let max: Double
    /// Cells per class.
    public let classCounts: [RiskClass: Int]

    /// Linear predictor without the intercept, per design row, from each selected column's values.
    public init(geometry: GridGeometry, cells: [Int], linearPredictor eta: [Double]) {
        precondition(cells.count == eta.count, "one linear predictor per design row")
        var values = [Float](repeating: Self.noData, count: geometry.cellCount)
        var sum = 0.0, lo = Double.infinity, hi = -Double.infinity
        let scores = eta.map { Foundation.exp($0) }
        for (cell, s) in zip(cells, scores) {
            values[cell] = Float(s)
            sum += s
            lo = Swift.min(lo, s)
            hi = Swift.max(hi, s)
        }
        let n = Double(Swift.max(cells.count, 1))
        let mean = sum / n
        let sd = (scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        var classes = [UInt8](repeating: Self.classNoData, count: geometry.cellCount)
        var counts: [RiskClass: Int] = [:]
        for (cell, s) in zip(cells, scores) {
            let c: RiskClass = s > mean + 2 * sd ? .highest : s > mean + sd ? .high : s > mean ? .aboveAverage : .belowAverage
            classes[cell] = c.rawValue
            counts[c, default: 0] += 1
        }
        rrs = Raster(geometry: geometry, values: values)
        self.classes = Raster(geometry: geometry, values: classes)
        self.mean = mean
        standardDeviation = sd
        min = cells.isEmpty ? .nan : lo
        max = cells.isEmpty ? .nan : hi
        classCounts = counts
    }
}
