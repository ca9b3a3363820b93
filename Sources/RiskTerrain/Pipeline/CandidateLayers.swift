import Foundation
import GeoIO
import RasterCore

/// One candidate influence of one factor on the analysis grid: a column the model may select.
public struct CandidateLayer: Sendable {
    public enum Values: Sendable {
        /// 1/0 per cell, zero outside the study area.
        case binary(BitMatrix)
        /// A value per cell; NaN where the source has none (such cells leave the analysis).
        case continuous(Raster<Float>)
    }

    public let factor: String
    public let influence: Influence
    /// Proximity distance, metres.
    public let distanceM: Double?
    /// Density or density_value bandwidth (Gaussian σ), metres.
    public let bandwidthM: Double?
    public let values: Values

    /// "licensed_premises:proximity:200", "parks:inside", as the peer pipeline names columns.
    public var name: String {
        let d = distanceM ?? bandwidthM
        return "\(factor):\(influence.rawValue)" + (d.map { ":\(InspectText.number($0))" } ?? "")
    }

    public var isBinary: Bool { if case .binary = values { true } else { false } }
}

/// Builds every candidate influence layer of a study (Caplan & Kennedy 2016; the exact rules are
/// the peer pipeline's, shared/peers/README.md "Features on the grid"):
/// - features are binned on a grid padded beyond the study area, so features outside it but
///   within reach count: by max distance + 1 cell for proximity, 4 × the largest bandwidth + 1
///   cell for density (the Gaussian's truncation), the features' extent (capped at one grid size)
///   for distance;
/// - points count in the cell that holds them; lines and polygons burn all-touched, weight 1;
/// - proximity: one exact distance transform per factor gives every increment;
/// - density: Gaussian KDE with σ = d, 1 where strictly above mean + 2 SD over the study area;
/// - distance (metres) and density_value (features per km²) are continuous;
/// - inside: the cell centre is inside the factor's polygons;
/// - value: the raster sampled at cell centres (bilinear by default; `RasterSampler`), or the
///   mean of the pixels under each cell with `resampling: average` (GDAL's warper).
public enum CandidateLayers {
    /// Every factor's layers, in spec order. With a `cache`, a factor whose entry is valid is read
    /// from it and every other factor is computed and stored (see `LayerCache`).
    public static func build(_ inputs: StudyInputs, grid: AnalysisGrid, cache: LayerCache? = nil,
                             progress: (String, Double) -> Void = { _, _ in }) throws -> [CandidateLayer] {
        var layers: [CandidateLayer] = []
        for (i, factor) in inputs.factors.enumerated() {
            progress("influences (\(factor.spec.name))", Double(i) / Double(inputs.factors.count))
            let key = try cache?.key(for: factor.spec, crs: inputs.crs, grid: grid, blockLength: inputs.spec.blockLength)
            if let cache, let key, let cached = cache.load(key, factor: factor.spec.name, grid: grid.geometry) {
                layers += cached
                continue
            }
            let computed = try factorLayers(factor, inputs: inputs, grid: grid)
            if let cache, let key { cache.store(computed, key: key) }
            layers += computed
        }
        return layers
    }

    /// One factor's candidate layers, computed.
    static func factorLayers(_ factor: StudyInputs.FactorLayer, inputs: StudyInputs, grid: AnalysisGrid) throws -> [CandidateLayer] {
        if let set = factor.features {
            return try vectorLayers(factor.spec, set.geometries, grid: grid, blockLength: inputs.spec.blockLength)
        }
        guard let rcrs = factor.rasterCRS else { return [] }
        let s = factor.spec
        let r = s.resampling == .average
            ? try RasterReader.resample(s.source.path, band: s.band, onto: grid.geometry, gridCRS: inputs.crs,
                                        method: .average, declaredCRS: rcrs)
            : try RasterSampler.sample(s.source.path, band: s.band, at: grid.geometry, gridCRS: inputs.crs,
                                       method: s.resampling, declaredCRS: rcrs)
        let values = Raster(geometry: grid.geometry, values: r.values.map { Float($0) })
        return [CandidateLayer(factor: s.name, influence: .value, distanceM: nil, bandwidthM: nil, values: .continuous(values))]
    }

    static func vectorLayers(_ f: FactorSpec, _ geometries: [Geometry], grid: AnalysisGrid,
                             blockLength: Double) throws -> [CandidateLayer] {
        let g = grid.geometry
        let cs = g.cellSize
        let increments = f.increments(blockLength: blockLength)
        let maxD = increments.last ?? blockLength
        let densityBandwidths = f.influences.contains(.density) ? increments : []
        let valueBandwidth = f.bandwidth ?? blockLength * f.maxBlocks
        var pad = 1
        for i in f.influences {
            switch i {
            case .proximity: pad = max(pad, Int((maxD / cs).rounded(.up)) + 1)
            case .density: pad = max(pad, Int((4 * maxD / cs).rounded(.up)) + 1)
            case .densityValue: pad = max(pad, Int((4 * valueBandwidth / cs).rounded(.up)) + 1)
            case .distance:
                // reach the nearest feature wherever it is, but not beyond one grid size
                let e = Geometry.multiPoint(geometries.flatMap(\.vertices)).extent ?? g.extent
                let need = [g.extent.minX - e.minX, e.maxX - g.extent.maxX, g.extent.minY - e.minY, e.maxY - g.extent.maxY].max()!
                pad = max(pad, min(max(g.width, g.height), Int((max(0, need) / cs).rounded(.up)) + 1))
            case .inside, .value: break
            }
        }
        let padded = try g.padded(by: pad)
        // Per-cell feature counts (points counted; lines and polygons burned all-touched, weight 1).
        let points = geometries.flatMap { geometry -> [Point2] in
            switch geometry {
            case .point(let p): [p]
            case .multiPoint(let ps): ps
            default: []
            }
        }
        var counts = try Rasterize.countPoints(points, on: padded).counts
        let others = geometries.filter { $0.kind != .point }
        if !others.isEmpty {
            let burned = Rasterize.features(others, on: padded, polygonRule: .allTouched)
            for i in burned.setIndices { counts.values[i] += 1 }
        }
        var featureWords = [UInt64](repeating: 0, count: (padded.cellCount + 63) >> 6)
        for i in counts.values.indices where counts.values[i] > 0 { featureWords[i >> 6] |= 1 << UInt64(i & 63) }
        let featureCells = BitMatrix(geometry: padded, words: featureWords)

        var out: [CandidateLayer] = []
        let needsEDT = f.influences.contains(.proximity) || f.influences.contains(.distance)
        let squared = needsEDT ? try EuclideanDistance.squaredCellDistances(to: featureCells) : nil
        for influence in f.influences {
            switch influence {
            case .proximity:
                let bits = try InfluenceLayers.proximity(squaredDistances: squared!, distances: increments, studyArea: grid.mask)
                for (d, b) in zip(increments, bits) {
                    out.append(CandidateLayer(factor: f.name, influence: .proximity, distanceM: d, bandwidthM: nil, values: .binary(b)))
                }
            case .density:
                for d in densityBandwidths {
                    let kde = try KernelDensity.density(of: counts, kernel: .gaussian(sigma: d), at: grid.mask)
                    let t = try InfluenceLayers.densityAbove(kde, studyArea: grid.mask, sd: 2)
                    out.append(CandidateLayer(factor: f.name, influence: .density, distanceM: nil, bandwidthM: d, values: .binary(t.layer)))
                }
            case .distance:
                let (r0, c0) = try padded.offset(of: g)
                var v = [Float](repeating: 0, count: g.cellCount)
                let sw = padded.width
                for r in 0..<g.height {
                    for c in 0..<g.width {
                        let k = squared!.values[(r0 + r) * sw + c0 + c]
                        v[r * g.width + c] = k == .max ? .nan : Float((Double(k)).squareRoot() * cs)
                    }
                }
                out.append(CandidateLayer(factor: f.name, influence: .distance, distanceM: nil, bandwidthM: nil,
                                          values: .continuous(Raster(geometry: g, values: v))))
            case .densityValue:
                let kde = try KernelDensity.density(of: counts, kernel: .gaussian(sigma: valueBandwidth)).cropped(to: g)
                out.append(CandidateLayer(factor: f.name, influence: .densityValue, distanceM: nil, bandwidthM: valueBandwidth,
                                          values: .continuous(kde)))
            case .inside:
                var bits = Rasterize.features(others.filter { $0.kind == .polygon }, on: g, polygonRule: .centre)
                bits.formIntersection(grid.mask)
                out.append(CandidateLayer(factor: f.name, influence: .inside, distanceM: nil, bandwidthM: nil, values: .binary(bits)))
            case .value:
                preconditionFailure("the spec parser refuses influence value for vector layers")
            }
        }
        return out
    }
}
