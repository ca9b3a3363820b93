import ArgumentParser
import Foundation
import RiskTerrain

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a risk terrain model from a spec and write its maps, relative risk values, report and manifest.")

    @Argument(help: "The model spec (YAML).")
    var spec: String

    @Option(help: "Output folder (default: 'out' beside the spec).")
    var out: String?

    @Flag(help: "Also write each selected influence layer as factors/NAME.tif.")
    var factors = false

    @Flag(help: "Also run the spec's out-of-sample evaluation (its evaluation: section) and add it to the report.")
    var evaluate = false

    @Flag(help: "Also write the events and StreetSafe reports as points (events.gpkg, streetsafe_reports.gpkg). They locate victims: off by default.")
    var includeEvents = false

    @Option(help: "Folder of the layer cache: operationalised layers keyed by input content, grid and influence, reused by later runs (default: OUT/.rtm-cache).")
    var cache: String?

    @Flag(help: "Compute every layer; neither read nor write the layer cache.")
    var noCache = false

    @Option(help: "Shortlist at this λ instead of cross-validating (sets model.lambda): a quick rerun. See --lambda-from.")
    var lambda: Double?

    @Option(help: ArgumentHelp("Quick rerun: shortlist at the λ.min (glmnet.lambda) of an earlier run's model.json, or of the output folder holding it, instead of cross-validating again.", valueName: "model.json|folder"))
    var lambdaFrom: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print each stage as a line even when stderr is not a terminal.")
    var verbose = false

    func validate() throws {
        if noCache, cache != nil { throw ValidationError("--cache and --no-cache contradict each other; give one") }
        if lambda != nil, lambdaFrom != nil { throw ValidationError("--lambda and --lambda-from both set λ; give one") }
        if let l = lambda, !(l > 0 && l.isFinite) { throw ValidationError("--lambda must be a number greater than 0, not \(l)") }
    }

    func run() throws {
        do {
            var parsed = try SpecParser.load(spec)
            if let l = try lambda ?? lambdaFrom.map(PreviousRun.lambda(from:)) {
                guard parsed.model.selection != .none else {
                    throw SpecError(file: spec, line: nil, key: "model.selection",
                                    message: "--lambda needs the elastic-net shortlist, which selection: none skips — use selection: rtm or drop --lambda")
                }
                parsed.model.lambda = l
            }
            let folder = out ?? URL(fileURLWithPath: spec).deletingLastPathComponent().appendingPathComponent("out").path
            var options = Pipeline.Options(outFolder: folder)
            options.writeFactorLayers = factors
            options.evaluate = evaluate
            options.includeEvents = includeEvents
            if evaluate, parsed.evaluation == nil {
                throw SpecError(file: spec, line: nil, key: "evaluation",
                                message: "--evaluate needs an evaluation section — add evaluation: { train: { from: 2024-01, to: 2024-09 }, test: { from: 2024-10, to: 2024-12 } }")
            }
            options.cacheFolder = noCache ? nil : cache ?? (folder as NSString).appendingPathComponent(".rtm-cache")
            let progress = Progress(quiet: quiet, verbose: verbose)
            let result = try Pipeline.run(parsed, options: options, arguments: CommandLine.arguments, progress: progress.update)
            progress.finish()
            if !quiet { print(RunSummaryText.render(result, folder: folder)) }
        } catch {
            CLIError.report(error)
            throw ExitCode(1)
        }
    }
}
