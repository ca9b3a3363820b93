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

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print each stage as a line even when stderr is not a terminal.")
    var verbose = false

    func validate() throws {
        if noCache, cache != nil { throw ValidationError("--cache and --no-cache contradict each other; give one") }
    }

    func run() throws {
        do {
            let parsed = try SpecParser.load(spec)
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
