import Foundation
import GeoIO
import RasterCore
import RiskModel

/// `rtm run`: spec → inputs → grid → candidate influences → design → selection → surface →
/// outputs. Each stage hands a plain value to the next; only `StudyInputs` reads files and only
/// `RunOutputs` writes them. Stage timings go into the manifest.
public enum Pipeline {
    public struct Options: Sendable {
        public var outFolder: String
        /// Also write the selected influence layers as `factors/NAME.tif`.
        public var writeFactorLayers = false
        /// Where operationalised layers are cached between runs (`LayerCache`); nil: no cache.
        public var cacheFolder: String?
        public init(outFolder: String) { self.outFolder = outFolder }
    }

    public struct Timing: Sendable, Codable, Equatable {
        public let stage: String
        public let seconds: Double
    }

    public struct Result: Sendable {
        public let inputs: StudyInputs
        public let design: AnalysisDesign
        public let model: FittedModel
        public let surface: RiskSurface
        public let hotspots: [Hotspot]
        public let timings: [Timing]
        /// Files written, relative to the output folder.
        public let outputs: [String]
        /// Layers read from and computed for the cache; nil when the run had no cache.
        public let cache: LayerCache.Report?
        /// Layers built: every candidate before constant or duplicate columns are dropped.
        public var layerCount: Int { design.columns.count + design.dropped.count }
    }

    /// The model without writing anything: what `run`, evaluation and tests share.
    public struct Fitted: Sendable {
        public let inputs: StudyInputs
        public let design: AnalysisDesign
        public let model: FittedModel
        public let surface: RiskSurface
        public let timings: [Timing]
        /// The selection stage split into the cross-validated elastic net and stepwise BIC.
        public let selectionTimings: [Timing]
        /// Layers read from and computed for the cache; nil when the run had no cache.
        public let cache: LayerCache.Report?
    }

    /// Progress: a stage's name and, where known, how far through it the work is (0…1).
    public typealias Progress = @Sendable (_ stage: String, _ fraction: Double?) -> Void

    public static func fit(_ spec: ModelSpec, cache: LayerCache? = nil, progress: @escaping Progress = { _, _ in }) throws -> Fitted {
        var timings: [Timing] = []
        let clock = ContinuousClock()
        var mark = clock.now
        func lap(_ stage: String) {
            let now = clock.now
            timings.append(Timing(stage: stage, seconds: seconds(now - mark)))
            mark = now
        }
        let inputs = try StudyInputs.load(spec) { progress($0, nil) }
        lap("read_inputs")
        progress("building the analysis grid", nil)
        let grid = try AnalysisGrid(studyArea: inputs.studyArea, on: GridGeometry(covering: inputs.studyExtent, cellSize: spec.cellSize))
        lap("grid")
        let candidates = try CandidateLayers.build(inputs, grid: grid, cache: cache) { progress($0, $1) }
        lap("influences")
        let design = try AnalysisDesign.build(grid: grid, outcome: inputs.outcome.geometries, candidates: candidates)
        guard design.events > 0 else {
            throw SpecError(file: spec.path, line: nil, key: "outcome",
                            message: "none of the \(design.eventsRead) events falls in a study-area cell — check the outcome's filter and crs")
        }
        lap("design")
        let names: [SelectionStage: String] = [
            .elasticNet: "elastic-net path", .crossValidation: "cross-validation (\(spec.model.folds) folds)",
            .stepwisePoisson: "stepwise BIC, Poisson", .stepwiseNegativeBinomial: "stepwise BIC, negative binomial",
        ]
        let stepwiseStarted = StageClock()
        let selectionStart = mark
        let selection = try selectModel(design: design.design, options: spec.model.selectionOptions) { stage, fraction in
            if stage == .stepwisePoisson || stage == .stepwiseNegativeBinomial { stepwiseStarted.markOnce() }
            if let name = names[stage] { progress(name, fraction) }
        }
        let model = FittedModel(selection: selection, design: design)
        lap("selection")
        let split = stepwiseStarted.marked ?? mark
        let selectionTimings = [Timing(stage: "cv_elastic_net", seconds: seconds(split - selectionStart)),
                                Timing(stage: "stepwise", seconds: seconds(mark - split))]
        let surface = RiskSurface(geometry: grid.geometry, cells: design.cells, linearPredictor: model.linearPredictor(design))
        lap("surface")
        return Fitted(inputs: inputs, design: design, model: model, surface: surface, timings: timings,
                      selectionTimings: selectionTimings, cache: cache?.report)
    }

    public static func run(_ spec: ModelSpec, options: Options, arguments: [String] = [],
                           progress: @escaping Progress = { _, _ in }) throws -> Result {
        let started = Date()
        let fitted = try fit(spec, cache: options.cacheFolder.map(LayerCache.init), progress: progress)
        let clock = ContinuousClock()
        progress("hotspots", nil)
        let th = clock.now
        let hotspots = try HotspotStage.find(fitted, options: spec.hotspots, streetSafe: fitted.inputs.streetSafe)
        let dh = clock.now - th
        progress("writing outputs", nil)
        let t0 = clock.now
        let folder = try OutputFolder(options.outFolder)
        try RunOutputs.writeMaps(fitted, to: folder, factorLayers: options.writeFactorLayers)
        try HotspotOutputs.write(hotspots, fitted: fitted, options: spec.hotspots, to: folder)
        try folder.write(try RunOutputs.modelJSON(fitted), to: "model.json")
        try folder.write(RunOutputs.rrvCSV(fitted), to: "rrv.csv")
        let map = QuickLookMap.render(fitted.surface, hotspots: hotspots.map(\.cluster))
        let png = try PNGEncoder.encode(rgba: map.rgba, width: map.width, height: map.height)
        try folder.write(png, to: "risk.png")
        try folder.write(ReportHTML.render(fitted, mapPNG: png, hotspots: hotspots), to: "report.html")
        let d = clock.now - t0
        let timings = fitted.timings + [Timing(stage: "hotspots", seconds: seconds(dh)), Timing(stage: "write", seconds: seconds(d))]
        try folder.write(try Manifest.json(fitted, spec: spec, timings: timings, started: started, arguments: arguments,
                                           stagedOutputs: folder), to: "manifest.json")
        let outputs = try folder.commit()
        return Result(inputs: fitted.inputs, design: fitted.design, model: fitted.model, surface: fitted.surface,
                      hotspots: hotspots, timings: timings, outputs: outputs, cache: fitted.cache)
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

    /// The first time a stage was reported, from a `@Sendable` progress callback.
    final class StageClock: @unchecked Sendable {
        private let lock = NSLock()
        private var instant: ContinuousClock.Instant?
        var marked: ContinuousClock.Instant? { lock.withLock { instant } }
        func markOnce() { lock.withLock { if instant == nil { instant = ContinuousClock.now } } }
    }
}
