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
        /// Also run the spec's out-of-sample evaluation (`evaluation:`) and put it in the report.
        public var evaluate = false
        /// Also write the events and StreetSafe reports as points (`events.gpkg`,
        /// `streetsafe_reports.gpkg`). Off by default: they locate victims (DESIGN.md, "Sensitive data").
        public var includeEvents = false
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
        public let giStar: GiStarSummary
        /// The out-of-sample evaluation, when asked for.
        public let evaluation: EvaluationStage.Result?
        public let timings: [Timing]
        /// Files written, relative to the output folder.
        public let outputs: [String]
        /// Inputs changed since the previous run's manifest in the same folder (none on a first run).
        public var changedSinceLastRun: [String] = []
        /// The selection stage split into the cross-validated elastic net and stepwise BIC.
        public let selectionTimings: [Timing]
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

    /// Inputs read, grid built and candidate layers computed: everything a fit needs but the
    /// outcome counts. Rolling-origin evaluation fits many outcome windows on one of these.
    public struct Prepared: Sendable {
        public let inputs: StudyInputs
        public let grid: AnalysisGrid
        public let candidates: [CandidateLayer]
        public let timings: [Timing]
        public let cache: LayerCache.Report?
    }

    /// Seconds of a duration, for the stage timings.
    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

    public static func prepare(_ spec: ModelSpec, cache: LayerCache? = nil, progress: @escaping Progress = { _, _ in }) throws -> Prepared {
        var timings: [Timing] = []
        let clock = ContinuousClock()
        var mark = clock.now
        func lap(_ stage: String) {
            timings.append(Timing(stage: stage, seconds: seconds(clock.now - mark)))
            mark = clock.now
        }
        let inputs = try StudyInputs.load(spec) { progress($0, nil) }
        lap("read_inputs")
        progress("building the analysis grid", nil)
        let grid = try AnalysisGrid(studyArea: inputs.studyArea, on: GridGeometry(covering: inputs.studyExtent, cellSize: spec.cellSize))
        lap("grid")
        let candidates = try CandidateLayers.build(inputs, grid: grid, cache: cache) { progress($0, $1) }
        lap("influences")
        return Prepared(inputs: inputs, grid: grid, candidates: candidates, timings: timings, cache: cache?.report)
    }

    public static func fit(_ spec: ModelSpec, cache: LayerCache? = nil, progress: @escaping Progress = { _, _ in }) throws -> Fitted {
        let prepared = try prepare(spec, cache: cache, progress: progress)
        return try fit(prepared, outcome: prepared.inputs.outcome.geometries, progress: progress)
    }

    /// Design, selection and surface for `outcome` (points in the analysis CRS) on a prepared study.
    public static func fit(_ prepared: Prepared, outcome: [Geometry], progress: @escaping Progress = { _, _ in }) throws -> Fitted {
        let spec = prepared.inputs.spec
        var timings = prepared.timings
        let clock = ContinuousClock()
        var mark = clock.now
        func lap(_ stage: String) {
            timings.append(Timing(stage: stage, seconds: seconds(clock.now - mark)))
            mark = clock.now
        }
        let design = try AnalysisDesign.build(grid: prepared.grid, outcome: outcome, candidates: prepared.candidates)
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
        let surface = RiskSurface(geometry: prepared.grid.geometry, cells: design.cells, linearPredictor: model.linearPredictor(design))
        lap("surface")
        return Fitted(inputs: prepared.inputs, design: design, model: model, surface: surface, timings: timings,
                      selectionTimings: selectionTimings, cache: prepared.cache)
    }

    /// Fits and writes the outputs. The output folder is opened first (an unwritable one fails
    /// before the fit) and the inputs fingerprinted before they are read; nothing is committed
    /// if an input changed meanwhile. Each run that reaches the folder is logged (`RunLog`).
    public static func run(_ spec: ModelSpec, options: Options, arguments: [String] = [],
                           progress: @escaping Progress = { _, _ in }) throws -> Result {
        let folder = try OutputFolder(options.outFolder, keeping: options.cacheFolder.flatMap { cacheEntry($0, in: options.outFolder) }.map { [$0] } ?? [])
        do {
            let files = try InputFiles(spec, previousManifestIn: options.outFolder)
            var result = try run(spec, options: options, arguments: arguments, progress: progress, folder: folder, files: files)
            result.changedSinceLastRun = files.changedSincePreviousRun
            return result
        } catch {
            var error = error
            // a GDAL writer that failed on a staged file: the disk or the folder, not the data
            if let e = error as? LibraryError, let subject = e.subject, subject.hasPrefix(folder.staging) {
                // a writer whose disk filled up may report a later symptom (SQLite: "no such table"): say the cause
                let free = (try? FileManager.default.attributesOfFileSystem(forPath: folder.path)[.systemFreeSize] as? Int) ?? nil
                let reason = free.map { $0 < 1 << 20 } == true && !e.message.contains("No space left") ? "No space left on device: \(e.message)" : e.message
                error = GeoDataError.outputNotWritable(path: folder.path + subject.dropFirst(folder.staging.count), reason: reason)
            }
            folder.discard()         // first: on a full disk, the staged files' space is what the log line needs
            if !folder.isNew { RunLog.append(.init(status: "failed", reason: String(describing: error)), to: folder.path) }
            throw error
        }
    }

    /// The top-level entry of `folder` that holds the cache folder `cache`, when it is inside.
    static func cacheEntry(_ cache: String, in folder: String) -> String? {
        let c = URL(fileURLWithPath: cache).standardizedFileURL.pathComponents
        let f = URL(fileURLWithPath: folder).standardizedFileURL.pathComponents
        return c.count > f.count && Array(c.prefix(f.count)) == f ? c[f.count] : nil
    }

    static func run(_ spec: ModelSpec, options: Options, arguments: [String], progress: @escaping Progress,
                    folder: OutputFolder, files: InputFiles) throws -> Result {
        let started = Date()
        let fitted = try fit(spec, cache: options.cacheFolder.map(LayerCache.init), progress: progress)
        let clock = ContinuousClock()
        progress("hotspots", nil)
        let th = clock.now
        var hotspots = try HotspotStage.find(fitted, options: spec.hotspots, streetSafe: fitted.inputs.streetSafe)
        let giStar = GiStarStage.run(fitted, hotspots: hotspots, options: spec.hotspots.giStar)
        for i in hotspots.indices { hotspots[i].giStarHotShare = giStar.hotShareByHotspot[hotspots[i].cluster.id] }
        let dh = clock.now - th
        let te = clock.now
        let evaluation = try spec.evaluation.flatMap {
            options.evaluate ? try EvaluationStage.run(spec, $0, cache: options.cacheFolder.map(LayerCache.init), progress: progress) : nil
        }
        let de = clock.now - te
        progress("writing outputs", nil)
        let t0 = clock.now
        try RunOutputs.writeMaps(fitted, to: folder, factorLayers: options.writeFactorLayers)
        try HotspotOutputs.write(hotspots, fitted: fitted, options: spec.hotspots, to: folder)
        try HotspotOutputs.writeGiStar(giStar, fitted: fitted, to: folder)
        if options.includeEvents { try EventOutputs.write(fitted.inputs, to: folder) }
        try folder.write(try RunOutputs.modelJSON(fitted), to: "model.json")
        try folder.write(RunOutputs.rrvCSV(fitted), to: "rrv.csv")
        let context = fitted.inputs.context.flatMap(\.lines)
        let map = QuickLookMap.render(fitted.surface, hotspots: hotspots.map(\.cluster), context: context)
        let png = try PNGEncoder.encode(rgba: map.rgba, width: map.width, height: map.height)
        try folder.write(png, to: "risk.png")
        if let evaluation {
            try folder.write(try EvaluationStage.json(evaluation), to: "evaluation.json")
            try folder.write(EvaluationStage.curvesSVG(evaluation), to: "evaluation.svg")
        }
        let giMap = QuickLookMap.render(giStar: giStar.result.classes, inside: fitted.design.grid.mask, hotspots: hotspots.map(\.cluster),
                                        context: context)
        let giPNG = try PNGEncoder.encode(rgba: giMap.rgba, width: giMap.width, height: giMap.height)
        try folder.write(ReportHTML.render(fitted, mapPNG: png, hotspots: hotspots, giStar: (giStar, giPNG), evaluation: evaluation,
                                           includesEvents: options.includeEvents), to: "report.html")
        let d = clock.now - t0
        let timings = fitted.timings + [Timing(stage: "hotspots", seconds: seconds(dh))]
            + (evaluation == nil ? [] : [Timing(stage: "evaluation", seconds: seconds(de))]) + [Timing(stage: "write", seconds: seconds(d))]
        try files.verifyUnchanged()
        let manifest = try Manifest.json(fitted, spec: spec, timings: timings, started: started, arguments: arguments,
                                         stagedOutputs: folder, inputs: files.hashes, changed: files.changedSincePreviousRun,
                                         includesEvents: options.includeEvents)
        try folder.write(manifest, to: "manifest.json")
        let outputs = try folder.commit()
        RunLog.append(.init(status: "completed", manifestSha256: SHA256.hex(manifest)), to: folder.path)
        return Result(inputs: fitted.inputs, design: fitted.design, model: fitted.model, surface: fitted.surface,
                      hotspots: hotspots, giStar: giStar, evaluation: evaluation, timings: timings, outputs: outputs,
                      selectionTimings: fitted.selectionTimings, cache: fitted.cache)
    }

    /// The first time a stage was reported, from a `@Sendable` progress callback.
    final class StageClock: @unchecked Sendable {
        private let lock = NSLock()
        private var instant: ContinuousClock.Instant?
        var marked: ContinuousClock.Instant? { lock.withLock { instant } }
        func markOnce() { lock.withLock { if instant == nil { instant = ContinuousClock.now } } }
    }
}
