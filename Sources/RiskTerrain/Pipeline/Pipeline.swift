import Foundation
import GeoIO
import RasterCore
import RiskModel
import Synchronization

/// `rtm run`: spec → inputs → grid → candidate influences → design → selection → surface →
/// outputs. Each stage hands a plain value to the next; only `StudyInputs` reads files and only
/// `RunOutputs` writes them. Stage timings go into the manifest.
public enum Pipeline {
    public struct Options: Sendable {
        public var outFolder: String
        /// Also write the selected influence layers as `factors/NAME.tif`.
        public var writeFactorLayers = false
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
        public let timings: [Timing]
        /// Files written, relative to the output folder.
        public let outputs: [String]
    }

    /// The model without writing anything: what `run`, evaluation and tests share.
    public struct Fitted: Sendable {
        public let inputs: StudyInputs
        public let design: AnalysisDesign
        public let model: FittedModel
        public let surface: RiskSurface
        public let timings: [Timing]
    }

    public static func fit(_ spec: ModelSpec, progress: @escaping @Sendable (String) -> Void = { _ in }) throws -> Fitted {
        var timings: [Timing] = []
        let clock = ContinuousClock()
        var mark = clock.now
        func lap(_ stage: String) {
            let now = clock.now
            let d = now - mark
            timings.append(Timing(stage: stage, seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18))
            mark = now
        }
        let inputs = try StudyInputs.load(spec, progress: progress)
        lap("read_inputs")
        progress("building the analysis grid")
        let grid = try AnalysisGrid(studyArea: inputs.studyArea, on: GridGeometry(covering: inputs.studyExtent, cellSize: spec.cellSize))
        lap("grid")
        let candidates = try CandidateLayers.build(inputs, grid: grid, progress: progress)
        lap("influences")
        let design = try AnalysisDesign.build(grid: grid, outcome: inputs.outcome.geometries, candidates: candidates)
        guard design.events > 0 else {
            throw SpecError(file: spec.path, line: nil, key: "outcome",
                            message: "none of the \(design.eventsRead) events falls in a study-area cell — check the outcome's filter and crs")
        }
        lap("design")
        progress("selecting the model (\(spec.model.selection.rawValue), \(design.design.columnCount) candidates)")
        let lastStage = Mutex<SelectionStage?>(nil)
        let selection = try selectModel(design: design.design, options: spec.model.selectionOptions) { stage, _ in
            // report each stage once, however many folds report it
            let isNew = lastStage.withLock { last in
                defer { last = stage }
                return last != stage
            }
            if isNew, stage != .done { progress("model: \(stage.rawValue)") }
        }
        let model = FittedModel(selection: selection, design: design)
        lap("selection")
        let surface = RiskSurface(geometry: grid.geometry, cells: design.cells, linearPredictor: model.linearPredictor(design))
        lap("surface")
        return Fitted(inputs: inputs, design: design, model: model, surface: surface, timings: timings)
    }

    public static func run(_ spec: ModelSpec, options: Options, arguments: [String] = [],
                           progress: @escaping @Sendable (String) -> Void = { _ in }) throws -> Result {
        let started = Date()
        let fitted = try fit(spec, progress: progress)
        progress("writing outputs to \(options.outFolder)")
        let clock = ContinuousClock()
        let t0 = clock.now
        let folder = try OutputFolder(options.outFolder)
        try RunOutputs.writeMaps(fitted, to: folder, factorLayers: options.writeFactorLayers)
        try folder.write(try RunOutputs.modelJSON(fitted), to: "model.json")
        try folder.write(RunOutputs.rrvCSV(fitted), to: "rrv.csv")
        let map = QuickLookMap.render(fitted.surface)
        let png = try PNGEncoder.encode(rgba: map.rgba, width: map.width, height: map.height)
        try folder.write(png, to: "risk.png")
        try folder.write(ReportHTML.render(fitted, mapPNG: png), to: "report.html")
        let d = clock.now - t0
        let timings = fitted.timings + [Timing(stage: "write", seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)]
        try folder.write(try Manifest.json(fitted, spec: spec, timings: timings, started: started, arguments: arguments,
                                           stagedOutputs: folder), to: "manifest.json")
        let outputs = try folder.commit()
        return Result(inputs: fitted.inputs, design: fitted.design, model: fitted.model, surface: fitted.surface,
                      timings: timings, outputs: outputs)
    }
}
