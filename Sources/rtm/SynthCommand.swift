import ArgumentParser
import Foundation
import RiskTerrain

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a SYNTHETIC study (layers, crimes, StreetSafe reports) drawn from a known risk terrain model.")

    enum Preset: String, ExpressibleByArgument, CaseIterable {
        case borough
    }

    @Option(help: "What to generate: borough (≈23 km² of north London at 25 m; the bundled sample in data/).")
    var preset: Preset = .borough

    @Option(help: "Seed of the random generator: the same seed gives the same files.")
    var seed: UInt64 = 1

    @Option(help: "Folder to write into (created if missing).")
    var out: String

    func run() throws {
        do {
            let sample = SampleBorough(seed: seed)
            try sample.write(to: out)
            print("wrote the synthetic \(preset.rawValue) sample (seed \(seed)) to \(out): \(SampleBorough.files.map(\.name).joined(separator: ", ")), README.md")
        } catch {
            CLIError.report(error)
            throw ExitCode(1)
        }
    }
}
