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

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        do {
            let parsed = try SpecParser.load(spec)
            let folder = out ?? URL(fileURLWithPath: spec).deletingLastPathComponent().appendingPathComponent("out").path
            var options = Pipeline.Options(outFolder: folder)
            options.writeFactorLayers = factors
            let quiet = self.quiet
            let result = try Pipeline.run(parsed, options: options, arguments: CommandLine.arguments) { message in
                if !quiet { Progress.line(message) }
            }
            if !quiet { print(RunSummaryText.render(result, folder: folder)) }
        } catch {
            CLIError.report(error)
            throw ExitCode(1)
        }
    }
}

/// Progress lines on stderr, so stdout stays the result.
enum Progress {
    static func line(_ message: String) {
        FileHandle.standardError.write(Data("rtm: \(message)\n".utf8))
    }
}
