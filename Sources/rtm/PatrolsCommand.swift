import ArgumentParser
import Foundation
import RiskTerrain

struct Patrols: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plan a week of Op Verona, Project Vigilant and Walk & Talk patrols from the spec's model (CSV, JSON, iCalendar per team, A4 briefings, GPX/KML routes).")

    @Argument(help: "The model spec (YAML); its patrols: section sets the operations' rules (docs/spec.md).")
    var spec: String

    @Option(help: "ISO week to plan, e.g. 2025-W03 (default: the week after the data ends).")
    var week: String?

    @Option(help: "Output folder (default: 'out/patrols' beside the spec). It is locked for the run and holds this run's files and nothing older.")
    var out: String?

    @Flag(help: "Skip the held-out evaluation (planning the week after the spec's evaluation.train window and scoring it on evaluation.test).")
    var noHeldOut = false

    @Flag(name: .shortAndLong, help: "Print each stage as a line even when stderr is not a terminal.")
    var verbose = false

    func run() throws {
        do {
            let parsed = try SpecParser.load(spec)
            // the folder is locked and checked before the fit, and the inputs fingerprinted before they are read
            let started = Date()
            let folder = out ?? URL(fileURLWithPath: spec).deletingLastPathComponent().appendingPathComponent("out/patrols").path
            let output = try OutputFolder(folder)
            try output.fingerprintInputs(of: parsed)
            let progress = Progress(quiet: false, verbose: verbose)
            let plan = try PatrolPlanner.plan(parsed, week: week, heldOut: !noHeldOut, progress: progress.update)
            progress.finish()
            let names = try PatrolOutputs.write(plan, to: output)
            try output.commit(recording: parsed, command: "patrols", started: started, arguments: CommandLine.arguments)
            print(PatrolOutputs.text(plan))
            let briefings = names.filter { $0.hasPrefix("briefing-") }.count, routes = names.filter { $0.hasPrefix("routes/") }.count
            let calendars = names.filter { $0.hasSuffix(".ics") }.count
            print("wrote \(names.count) files to \(folder): \(names.prefix(2).joined(separator: ", ")), \(calendars) calendars (all teams and one per team), \(briefings) briefings (a page per team and shift) and \(routes) routes (GPX and KML per team and shift)")
        } catch {
            CLIError.report(error)
            throw ExitCode(1)
        }
    }
}
