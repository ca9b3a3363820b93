import Foundation
import Testing
@testable import RiskTerrain

/// Out-of-sample evaluation of the sample: trained on January–September, tested on October–December.
@Suite struct EvaluationTests {
    @Test func riskSurfaceBeatsTheUniformBaselineOnHeldOutCrime() throws {
        let spec = try SpecParser.load(sampleSpec)
        let e = try #require(spec.evaluation)
        let r = try EvaluationStage.run(spec, e)
        #expect(r.methods.map(\.name) == ["rtm", "kde", "previous_counts", "uniform"])
        #expect(r.trainEvents + r.testEvents == 3096)            // every event is in one window or the other
        let rtm = r.methods[0], uniform = r.methods[3]
        #expect(rtm.pai > 1.5 && rtm.auc > 0.55, "RTM PAI \(rtm.pai), AUC \(rtm.auc)")
        #expect(abs(uniform.auc - 0.5) < 1e-9 && abs(uniform.pai - 1) < 0.05)   // ties averaged: the diagonal
        for m in r.methods {
            #expect(m.curve.count == 101 && m.curve[0] == 0 && abs(m.curve[100] - 1) < 1e-9)
            #expect(zip(m.curve, m.curve.dropFirst()).allSatisfy { $0 <= $1 + 1e-12 })
            #expect(m.pei <= 1 + 1e-9)
        }
        let json = try JSONSerialization.jsonObject(with: EvaluationStage.json(r)) as! [String: Any]
        for key in ["train_window", "test_window", "area_share", "methods", "train_events", "test_events"] { #expect(json[key] != nil) }
    }

    @Test func windowsAreChecked() throws {
        let yaml = try String(contentsOfFile: sampleSpec, encoding: .utf8)
        let overlapping = yaml.replacingOccurrences(of: "test: { from: 2024-10", with: "test: { from: 2024-09")
        let e = #expect(throws: SpecError.self) { try SpecParser.parse(overlapping, path: sampleSpec) }
        #expect(e?.description.contains("must start after the training window ends") == true)
    }
}
