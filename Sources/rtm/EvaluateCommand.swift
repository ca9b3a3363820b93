import ArgumentParser
import Foundation
import RiskTerrain

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit on the spec's training window and measure how well the risk surface and simple baselines predict the test window.")

    @Argument(help: "The model spec (YAML), with an evaluation: { train: {from, to}, test: {from, to} } section.")
    var spec: String

    @Option(help: "Output folder for evaluation.json, evaluation.svg, evaluation.html and manifest.json (default: 'out/evaluation' beside the spec). It is locked for the run and holds this run's files and nothing older.")
    var out: String?

    @Flag(name: .shortAndLong, help: "Print each stage as a line even when stderr is not a terminal.")
    var verbose = false

    func run() throws {
        do {
            let parsed = try SpecParser.load(spec)
            guard let e = parsed.evaluation else {
                throw SpecError(file: spec, line: nil, key: "evaluation",
                                message: "missing — add evaluation: { train: { from: 2024-01, to: 2024-09 }, test: { from: 2024-10, to: 2024-12 } }")
            }
            // the folder is locked and checked before the fit, and the inputs fingerprinted before they are read
            let started = Date()
            let folder = out ?? URL(fileURLWithPath: spec).deletingLastPathComponent().appendingPathComponent("out/evaluation").path
            let output = try OutputFolder(folder)
            try output.fingerprintInputs(of: parsed)
            let progress = Progress(quiet: false, verbose: verbose)
            let result = try EvaluationStage.run(parsed, e, progress: progress.update)
            progress.finish()
            try output.write(try EvaluationStage.json(result), to: "evaluation.json")
            try output.write(EvaluationStage.curvesSVG(result), to: "evaluation.svg")
            try output.write(EvaluationHTML.page(result, specPath: spec), to: "evaluation.html")
            try output.commit(recording: parsed, command: "evaluate", started: started, arguments: CommandLine.arguments)
            print(EvaluationStage.text(result))
            print("wrote evaluation.json, evaluation.svg, evaluation.html to \(folder)")
        } catch {
            CLIError.report(error)
            throw ExitCode(1)
        }
    }
}
