import Foundation
import Testing
import GeoIO
import Hotspots
import RasterCore
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
        for key in ["train_window", "test_window", "area_share", "methods", "train_events", "test_events", "rolling"] { #expect(json[key] != nil) }

        // rolling origin (the sample's spec: 6 months → the next, step 1) over 2024-01…2024-12
        let roll = try #require(r.rolling)
        #expect(roll.splits.map(\.test) == ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"])
        #expect(roll.splits.first?.train == "2024-01–2024-06" && roll.splits.last?.train == "2024-06–2024-11")
        #expect(roll.testEvents.reduce(0, +) <= 3096 && roll.testEvents.allSatisfy { $0 > 100 })
        #expect(roll.methods.map(\.name) == r.methods.map(\.name))
        let rtmRoll = roll.methods[0], uniformRoll = roll.methods[3]
        #expect(rtmRoll.pai.splits == 6 && (rtmRoll.pai.sd ?? 0) > 0)
        #expect(abs(uniformRoll.auc.mean! - 0.5) < 1e-9)
        let pais = rtmRoll.paiBySplit.compactMap { $0 }
        #expect(abs(pais.reduce(0, +) / 6 - rtmRoll.pai.mean!) < 1e-12)

        // the first split, refitted the plain way — a spec whose outcome is January–June, the
        // July events read on their own — gives the same PAI as the one-read rolling path
        var firstSplit = spec
        firstSplit.outcome.time = TimeFilter(field: "month", from: "2024-01", to: "2024-06")
        let f = try Pipeline.fit(firstSplit)
        var july = spec.outcome
        july.time = TimeFilter(field: "month", from: "2024-07", to: "2024-07")
        let test = try VectorReader.read(july.path, query: StudyInputs.query(july, declared: nil), into: f.inputs.crs)
        let counts = try Rasterize.countPoints(test.geometries.flatMap(\.vertices), on: f.surface.rrs.geometry).counts
        let m = PredictiveAccuracy.evaluate(score: f.surface.rrs, testEvents: counts,
                                            cells: StudyCells(geometry: counts.geometry, indices: f.design.cells),
                                            areaShare: e.areaShare, trainingEvents: f.design.countsPerCell)
        #expect(abs(m.pai - pais[0]) < 1e-9, "plain refit PAI \(m.pai), rolling \(pais[0])")
    }

    @Test func rollingWindowsAreChecked() throws {
        let yaml = try String(contentsOfFile: sampleSpec, encoding: .utf8)
        func failure(_ rolling: String) -> String? {
            let text = yaml.replacingOccurrences(of: "rolling: { train_months: 6, test_months: 1 }", with: "rolling: \(rolling)")
            do {
                let spec = try SpecParser.parse(text, path: sampleSpec)
                _ = try EvaluationStage.rollingPlan(spec, spec.evaluation!)
                return nil
            } catch { return "\(error)" }
        }
        #expect(failure("{ test_months: 1 }")?.contains("evaluation.rolling.train_months: missing") == true)
        #expect(failure("{ train_months: 0 }")?.contains("between 1 and 1200") == true)
        #expect(failure("{ train_months: 6, horizon: 2 }")?.contains("horizon") == true)
        #expect(failure("{ train_months: 12 }")?.contains("do not fit in the 12 months") == true)
        #expect(failure("{ train_months: 6, expanding: perhaps }")?.contains("true or false") == true)
        #expect(failure("{ train_months: 3, test_months: 2, step_months: 3, expanding: yes }") == nil)
    }

    @Test func windowsAreChecked() throws {
        let yaml = try String(contentsOfFile: sampleSpec, encoding: .utf8)
        let overlapping = yaml.replacingOccurrences(of: "test: { from: 2024-10", with: "test: { from: 2024-09")
        let e = #expect(throws: SpecError.self) { try SpecParser.parse(overlapping, path: sampleSpec) }
        #expect(e?.description.contains("must start after the training window ends") == true)
    }
}
