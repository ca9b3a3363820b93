import RasterCore

/// The highest-risk places of a risk surface as ranked clusters of cells (DESIGN.md, method
/// step 6: RRS above mean + 2 SD, then clusters).
///
/// Steps: `HighRiskCells.select` (mean + k·SD, top share, or a value) → `ClusterLabelling`
/// (8-connected, optional merge distance) → drop clusters under `minimumCells` → score →
/// rank → `CellOutline` per cluster. Scores:
/// - `.sumRRS` (default): Σ RRS over the cluster's cells — big and risky places first;
///   the "risk mass" ranking.
/// - `.meanRRS`: mean RRS — the most intense places first, whatever their size.
/// - `.recentEvents(counts)`: Σ of a per-cell count raster (e.g. the last 3 months' events).
///
/// Ranking is by score, descending; ties (exactly equal Double scores) by the cluster's
/// smallest cell index, ascending, so ranks are deterministic. `id` is the cluster's position
/// in raster order of its smallest cell (1-based), which does not depend on the score.
///
/// Complexity O(n log n) for n study cells with `.topShare` (O(n) otherwise) plus the
/// labelling's O(selected × window) and the outlines' O(selected). Sums are in Double;
/// results are exact up to Float→Double conversion of the inputs.
public enum RiskClusters {
    public enum Score: Sendable {
        case sumRRS
        case meanRRS
        case recentEvents(Raster<Float>)
    }

    public struct Options: Sendable {
        public var rule: HighRiskCells.Rule
        /// Clusters with fewer cells are dropped (after merging).
        public var minimumCells: Int
        /// Also join cells whose centres are at most this far apart (metres); nil = 8-connectivity only.
        public var mergeDistance: Double?
        public var score: Score

        public init(rule: HighRiskCells.Rule = .rtmdxHighest, minimumCells: Int = 1,
                    mergeDistance: Double? = nil, score: Score = .sumRRS) {
            precondition(minimumCells >= 1, "a cluster has at least one cell")
            self.rule = rule
            self.minimumCells = minimumCells
            self.mergeDistance = mergeDistance
            self.score = score
        }
    }

    public struct Cluster: Sendable, Hashable {
        /// 1-based, in raster order of each cluster's smallest cell index.
        public let id: Int
        /// 1 = highest score.
        public let rank: Int
        /// Row-major cell indices, increasing.
        public let cells: [Int]
        public var cellCount: Int { cells.count }
        /// Σ cell area, m² (whole cells).
        public let area: Double
        public let meanRRS: Double
        public let maxRRS: Double
        public let score: Double
        /// Area-weighted mean of the cell centres, analysis CRS (equal cells: the plain mean).
        public let centroid: Point2
        /// The union of the cells: one polygon per part (parts touching at a corner, or joined
        /// by the merge distance, are separate polygons), holes included.
        public let outline: [Polygon]
    }

    public struct Result: Sendable {
        /// Ranked: `clusters[0].rank == 1`.
        public let clusters: [Cluster]
        /// The value the selected cells exceed (see `HighRiskCells.select`).
        public let threshold: Double
        /// Cells selected before the minimum-size filter.
        public let selectedCells: Int
    }

    /// Clusters of `rrs` over its cells that are finite, not `noData`, and set in `mask` when
    /// given (e.g. `RiskSurface.rrs` with `RiskSurface.noData`, or `AnalysisGrid.mask`).
    public static func find(in rrs: Raster<Float>, noData: Float?, mask: BitMatrix? = nil,
                            options: Options = Options()) -> Result {
        find(in: rrs, cells: StudyCells(rrs, noData: noData, mask: mask), options: options)
    }

    /// Clusters of high-risk cells of `rrs` over `cells`.
    public static func find(in rrs: Raster<Float>, cells: StudyCells, options: Options = Options()) -> Result {
        precondition(cells.geometry == rrs.geometry, "study cells and raster on different grids")
        if case .recentEvents(let counts) = options.score {
            precondition(counts.geometry == rrs.geometry, "event counts on another grid")
        }
        let g = rrs.geometry
        let (selected, threshold) = HighRiskCells.select(rrs, in: cells, rule: options.rule)
        let parts = ClusterLabelling.components(of: selected, geometry: g, mergeDistance: options.mergeDistance)
            .filter { $0.count >= options.minimumCells }
        struct Scored { var id: Int; var cells: [Int]; var score: Double; var sum: Double; var max: Double }
        var scored: [Scored] = parts.enumerated().map { k, part in
            var sum = 0.0, hi = -Double.infinity
            for c in part { let v = Double(rrs.values[c]); sum += v; hi = max(hi, v) }
            let score: Double
            switch options.score {
            case .sumRRS: score = sum
            case .meanRRS: score = sum / Double(part.count)
            case .recentEvents(let counts): score = part.reduce(0) { $0 + Double(counts.values[$1]) }
            }
            return Scored(id: k + 1, cells: part, score: score, sum: sum, max: hi)
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.cells[0] < $1.cells[0] }
        let cellArea = g.cellSize * g.cellSize
        let clusters = scored.enumerated().map { rank, s in
            var sx = 0.0, sy = 0.0
            for c in s.cells { let p = g.centre(row: c / g.width, col: c % g.width); sx += p.x; sy += p.y }
            let n = Double(s.cells.count)
            return Cluster(id: s.id, rank: rank + 1, cells: s.cells, area: n * cellArea, meanRRS: s.sum / n,
                           maxRRS: s.max, score: s.score, centroid: Point2(sx / n, sy / n),
                           outline: CellOutline.polygons(of: s.cells, geometry: g))
        }
        return Result(clusters: clusters, threshold: threshold, selectedCells: selected.count)
    }
}
