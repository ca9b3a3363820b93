import ArgumentParser
import RiskTerrain

@main
struct RTM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rtm",
        abstract: "Risk terrain modelling: crime, StreetSafe reports and place features to risk maps and patrol plans.",
        version: RiskTerrainVersion.summary,
        subcommands: [Run.self, Validate.self, Evaluate.self, Patrols.self, Inspect.self, Demo.self, Synth.self]
    )

    static func main() {
        Interrupts.install()
        main(nil)
    }
}
