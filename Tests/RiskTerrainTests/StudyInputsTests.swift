import Foundation
import Testing
import GeoIO
@testable import RiskTerrain

let sampleSpec = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data/spec.yaml").path

@Suite struct StudyInputsTests {
    @Test func loadsTheBundledSample() throws {
        let inputs = try StudyInputs.load(SpecParser.load(sampleSpec))
        #expect(inputs.crs.authorityCode == "EPSG:27700")
        #expect(inputs.outcome.count == 3096)
        #expect(inputs.outcome.report.passedWhere == 3108)          // 3096 + 12 without a location
        #expect(inputs.outcome.report.skipped == ["blank coordinates": 12])
        #expect(inputs.factors.map(\.spec.name) == ["licensed_premises", "stations", "bus_stops", "high_streets", "parks", "schools", "street_light_outages", "lux"])
        #expect(inputs.factors[0].features?.count == 110)
        #expect(inputs.factors[7].raster?.width == 325)
        #expect(inputs.factors[6].features?.count == inputs.factors[6].features?.report.passedWhere)   // status = 'out'
        #expect(inputs.warnings.first?.contains("skipped 12 with blank coordinates") == true)
        let text = try ValidationText.render(inputs)
        #expect(text.contains("33 candidate layers") && text.contains("10 folds"))
        let quick = try StudyInputs.load(specWith { $0.replacingOccurrences(of: "\nmodel:\n", with: "\nmodel:\n  lambda: 0.0013\n") })
        #expect(try ValidationText.render(quick).contains("shortlist at the given λ 0.0013 (model.lambda, no cross-validation)"))
    }

    func specWith(_ edit: (String) -> String) throws -> ModelSpec {
        let yaml = edit(try String(contentsOfFile: sampleSpec, encoding: .utf8))
        return try SpecParser.parse(yaml, path: sampleSpec)
    }

    @Test func geographicAnalysisCRSIsRefused() throws {
        let spec = try specWith { $0.replacingOccurrences(of: "crs: EPSG:27700", with: "crs: EPSG:4326") }
        let e = #expect(throws: GeoDataError.self) { try StudyInputs.load(spec) }
        #expect(e?.description.contains("EPSG:27700") == true)
    }

    @Test func anEmptyFilterIsNamed() throws {
        let spec = try specWith { $0.replacingOccurrences(of: "Violence and sexual offences", with: "Arson") }
        let e = #expect(throws: GeoDataError.self) { try StudyInputs.load(spec) }
        #expect(e?.description.contains("no features pass the where/time filter") == true)
    }

    @Test func outcomeInTheWrongCRSIsCaught() throws {
        // declaring the lon/lat CSV to be in metres puts every event off the map
        let spec = try specWith { $0.replacingOccurrences(of: "  path: crimes.csv ", with: "  crs: EPSG:27700\n  path: crimes.csv ") }
        let e = #expect(throws: SpecError.self) { try StudyInputs.load(spec) }
        #expect(e?.description.contains("fall within the study area") == true)
    }
}
