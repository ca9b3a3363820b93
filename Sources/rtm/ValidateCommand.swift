import ArgumentParser
import RiskTerrain

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a model spec and every input it names (CRS, extents, filters, keys) without fitting the model.")

    @Argument(help: "The model spec (YAML).")
    var spec: String

    func run() throws {
        do {
            let parsed = try SpecParser.load(spec)
            let inputs = try StudyInputs.load(parsed)
            print(try ValidationText.render(inputs))
        } catch {
            CLIError.report(error)
            throw ExitCode(1)
        }
    }
}
