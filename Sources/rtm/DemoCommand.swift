import ArgumentParser
import Foundation
import RiskTerrain

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the model on the bundled SYNTHETIC sample and compare it with the truth it was drawn from.")

    @Option(help: "The sample's folder (default: generate it, seed 1, into OUT/sample — the same files as data/).")
    var data: String?

    @Option(help: "Output folder.")
    var out: String = "out/demo"

    @Flag(help: "Also write the sample's events and StreetSafe reports as points (events.gpkg, streetsafe_reports.gpkg).")
    var includeEvents = false

    @Flag(name: .shortAndLong, help: "Print each stage as a line even when stderr is not a terminal.")
    var verbose = false

    func run() throws {
        do {
            // the demo's folder is locked for the whole demo; model/ and patrols/ are each one run's folder
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let lock = try FolderLock(folder: out)
            defer { lock.release() }
            let folder: String
            if let data { folder = data } else {
                folder = (out as NSString).appendingPathComponent("sample")
                try SampleBorough(seed: 1).write(to: folder)
                Progress.line("wrote the synthetic sample to \(folder)")
            }
            let spec = try SpecParser.load((folder as NSString).appendingPathComponent("spec.yaml"))
            let started = Date()
            let modelFolder = (out as NSString).appendingPathComponent("model")
            let patrolFolder = try OutputFolder((out as NSString).appendingPathComponent("patrols"))
            try patrolFolder.fingerprintInputs(of: spec)
            let progress = Progress(quiet: false, verbose: verbose)
            var options = Pipeline.Options(outFolder: modelFolder)
            options.evaluate = true
            options.includeEvents = includeEvents
            let result = try Pipeline.run(spec, options: options, arguments: CommandLine.arguments, progress: progress.update)
            progress.finish()
            print(RunSummaryText.render(result, folder: modelFolder))
            print(DemoText.truthTable(result))
            if let evaluation = result.evaluation { print("\n" + EvaluationStage.text(evaluation)) }
            // the week after the sample's data ends, all three operations, with the held-out comparison
            let plan = try PatrolPlanner.plan(spec, week: nil, fitted: result.fitted, progress: progress.update)
            progress.finish()
            try PatrolOutputs.write(plan, to: patrolFolder)
            try patrolFolder.commit(recording: spec, command: "demo", started: started, arguments: CommandLine.arguments)
            print("\n" + PatrolOutputs.text(plan))
            print("patrol plan, calendars (all teams and one per team), briefings (a page per team and shift) and GPX/KML routes in \(patrolFolder.path)")
            print("\nopen \((modelFolder as NSString).appendingPathComponent("report.html")) for the map and the full report")
        } catch {
            CLIError.report(error)
            throw ExitCode(1)
        }
    }
}
