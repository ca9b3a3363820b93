import ArgumentParser
import Foundation
import RiskTerrain

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a SYNTHETIC study (layers, crimes, a ready spec.yaml) drawn from a known risk terrain model.",
        discussion: """
        Presets:
          borough (alias: sample)  ≈23 km² of north London at 25 m with 8 factors, StreetSafe reports and
                                   a lux raster; the bundled sample in data/ is seed 1.
          london                   a London-scale benchmark: 1,572 km² × --scale at 25 m (≈2.5 M cells at
                                   scale 1), 20 factor layers, 50,000 events × --scale over 2024; its
                                   spec.yaml (240 candidates, 10 folds) also runs in the peer pipeline.
        The same preset, seed and scale give the same bytes.
        """)

    enum Preset: String, ExpressibleByArgument, CaseIterable {
        case borough, sample, london
    }

    @Option(help: "What to generate: borough (= sample) or london.")
    var preset: Preset = .borough

    @Option(help: "Seed of the random generator: the same seed gives the same files.")
    var seed: UInt64 = 1

    @Option(help: "london only: area multiplier (0.25, 1, 4, …; 0.001–16); feature and event counts scale with it.")
    var scale: Double = 1

    @Option(help: "Folder to write into (created if missing).")
    var out: String

    func validate() throws {
        guard scale >= 0.001, scale <= 16 else { throw ValidationError("--scale \(scale) is outside 0.001–16") }
        if preset != .london, scale != 1 { throw ValidationError("--scale applies to --preset london only") }
    }

    func run() throws {
        do {
            switch preset {
            case .borough, .sample:
                let sample = SampleBorough(seed: seed)
                try sample.write(to: out)
                print("wrote the synthetic borough sample (seed \(seed)) to \(out): \(SampleBorough.files.map(\.name).joined(separator: ", ")), README.md")
            case .london:
                let study = try SyntheticLondon(seed: seed, scale: scale)
                let files = try study.write(to: out)
                print("wrote synthetic London (seed \(seed), scale \(scale): \(study.cells) cells of 25 m, \(SyntheticLondon.plans.count) factors, "
                      + "\(study.violenceCount) events) to \(out): \(files.count) files, spec.yaml ready for rtm run")
            }
        } catch {
            CLIError.report(error)
            throw ExitCode(1)
        }
    }
}
