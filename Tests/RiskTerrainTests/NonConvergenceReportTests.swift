import Foundation
import Testing
import RiskModel
@testable import RiskTerrain

/// A λ whose coordinate descent stopped at its pass limit is in model.json and the report
/// (issue 24, item 7); a converged fit says none.
@Suite struct NonConvergenceReportTests {
    @Test func modelJSONAndTheReportSayWhichLambdaStoppedAtThePassLimit() throws {
        let spec = try SpecParser.load(sampleSpec)
        let prepared = try Pipeline.prepare(spec)
        let design = try AnalysisDesign.build(grid: prepared.grid, outcome: prepared.inputs.outcome.geometries, candidates: prepared.candidates)
        var o = spec.model.selectionOptions
        o.crossValidation.folds = 3
        o.crossValidation.elasticNet.maxPasses = 1
        let selection = try selectModel(design: design.design, options: o)
        let model = FittedModel(selection: selection, design: design)
        let surface = RiskSurface(geometry: prepared.grid.geometry, cells: design.cells, linearPredictor: model.linearPredictor(design))
        let f = Pipeline.Fitted(inputs: prepared.inputs, design: design, model: model, surface: surface, timings: [],
                                selectionTimings: [], cache: nil)
        let g = try #require((try JSONSerialization.jsonObject(with: RunOutputs.modelJSON(f)) as? [String: Any])?["glmnet"] as? [String: Any])
        let lambdas = try #require(g["not_converged"] as? [Double])
        // the same λ (to JSON's round trip through Foundation's parser: 1e-12 relative)
        let recorded = selection.elasticNet?.notConverged ?? []
        #expect(!lambdas.isEmpty && lambdas.count == recorded.count)
        #expect(zip(lambdas, recorded).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) }, "\(lambdas) vs \(recorded)")
        #expect((g["folds_not_converged"] as? [[String: Any]])?.map { $0["fold"] as? Int } == [1, 2, 3])
        let summary = try #require(selection.elasticNet)
        let note = try #require(ReportHTML.nonConvergence(summary))
        #expect(note.hasPrefix("Not converged: coordinate descent stopped at its pass limit before converging on the full-data path at \(lambdas.count) λ"))
        #expect(note.contains("and 3 of the 3 cross-validation fold paths (folds 1, 2, 3)"))

        // the spec's own options converge: nothing recorded, and the report says nothing
        let fine = try selectModel(design: design.design, options: spec.model.selectionOptions)
        #expect(fine.elasticNet?.notConverged == [] && fine.elasticNet?.foldsNotConverged.allSatisfy(\.isEmpty) == true)
        let fineSummary = try #require(fine.elasticNet)
        #expect(ReportHTML.nonConvergence(fineSummary) == nil)
    }
}
