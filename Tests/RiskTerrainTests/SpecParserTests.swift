import Foundation
import Testing
import GeoIO
@testable import RiskTerrain

@Suite struct SpecParserTests {
    let minimal = """
    crs: EPSG:27700
    cell_size: 25
    block_length: 100
    study_area: boundary.gpkg
    outcome:
      path: crimes.csv
      where: "crime_type = 'Violence and sexual offences'"
      time: { field: month, from: 2024-01, to: 2024-06 }
    factors:
      - name: licensed_premises
        path: sub/licensed_premises.gpkg
        influence: auto
      - name: lux
        path: /abs/lux.tif
    """

    func parse(_ yaml: String) throws -> ModelSpec { try SpecParser.parse(yaml, path: "/study/spec.yaml") }

    func error(_ yaml: String) -> SpecError? {
        #expect(throws: SpecError.self) { try parse(yaml) }
    }

    @Test func readsTheContractKeysWithDefaults() throws {
        let s = try parse(minimal)
        #expect(s.crs == "EPSG:27700" && s.cellSize == 25 && s.blockLength == 100)
        #expect(s.studyArea.path == "/study/boundary.gpkg")                      // relative to the spec's folder
        #expect(s.outcome.path == "/study/crimes.csv")
        #expect(s.outcome.whereClause == "crime_type = 'Violence and sexual offences'")
        #expect(s.outcome.time == TimeFilter(field: "month", from: "2024-01", to: "2024-06"))
        #expect(s.factors.map(\.name) == ["licensed_premises", "lux"])
        #expect(s.factors[0].source.path == "/study/sub/licensed_premises.gpkg")
        #expect(s.factors[0].influences == [.proximity, .density])                // auto = RTMDx's "Both"
        #expect(s.factors[0].increments(blockLength: 100) == [100, 200, 300])    // max_blocks defaults to 3
        #expect(s.factors[1].source.path == "/abs/lux.tif")
        #expect(s.factors[1].influences == [.value])                              // a raster's default influence
        #expect(s.factors[1].resampling == .bilinear)
        #expect(s.model == ModelOptions())
        #expect(s.model.folds == 10 && s.model.seed == 1 && s.model.alpha == 0.5 && s.model.selection == .rtm && s.model.family == .auto)
    }

    @Test func halfBlockIncrementsAndModelOptions() throws {
        let s = try parse(minimal.replacingOccurrences(of: "    influence: auto", with: """
            influence: [proximity, distance]
            max_blocks: 2
            increment: half
        """) + """

        model:
          selection: none
          family: negbin
          folds: 5
          seed: 42
          alpha: 1
          cv_patience: 0
        """)
        #expect(s.factors[0].influences == [.proximity, .distance])
        #expect(s.factors[0].increments(blockLength: 100) == [50, 100, 150, 200])
        #expect(s.model.selection == .none && s.model.family == .negbin && s.model.folds == 5 && s.model.seed == 42 && s.model.alpha == 1)
        #expect(s.model.cvPatience == 0 && s.model.selectionOptions.crossValidation.patience == nil)   // 0: whole paths
        #expect(ModelOptions().selectionOptions.crossValidation.patience == 10)
        #expect(ModelOptions().lambda == nil && ModelOptions().selectionOptions.fixedLambda == nil)
        let fixed = try parse(minimal + "\nmodel: { lambda: 3.58e-4 }")
        #expect(fixed.model.lambda == 3.58e-4 && fixed.model.selectionOptions.fixedLambda == 3.58e-4)
    }

    @Test func unknownKeysGetADidYouMeanWithTheirLine() {
        let e = error(minimal.replacingOccurrences(of: "block_length: 100", with: "block_lenght: 100"))
        #expect(e?.line == 3)
        #expect(e?.description == "/study/spec.yaml line 3: block_lenght: unknown key — did you mean 'block_length'? (allowed here: crs, cell_size, block_length, study_area, outcome, factors, model, hotspots, streetsafe, evaluation, patrols, allow_virtual_paths, context, areas)")
        let inner = error(minimal.replacingOccurrences(of: "    influence: auto", with: "    influense: auto"))
        #expect(inner?.key == "factors[1].influense")
        #expect(inner?.description.contains("did you mean 'influence'?") == true)
    }

    @Test func wrongTypesAndValuesAreNamed() {
        #expect(error(minimal.replacingOccurrences(of: "cell_size: 25", with: "cell_size: twenty"))?.description
                == "/study/spec.yaml line 2: cell_size: expected a number, not 'twenty' — write digits only, e.g. 25")
        #expect(error(minimal.replacingOccurrences(of: "cell_size: 25", with: "cell_size: -25"))?.description.contains("must be greater than 0") == true)
        let inf = error(minimal.replacingOccurrences(of: "influence: auto", with: "influence: proximty"))
        #expect(inf?.description.contains("'proximty' is not an influence — did you mean 'proximity'?") == true)
        #expect(inf?.line == 12)
        #expect(error(minimal + "\nmodel: { family: poison }")?.description.contains("did you mean 'poisson'?") == true)
        #expect(error(minimal + "\nmodel: { folds: 1 }")?.description.contains("between 2 and 100") == true)
        #expect(error(minimal + "\nmodel: { cv_patience: -1 }")?.description.contains("model.cv_patience") == true)
        #expect(error(minimal + "\nmodel: { lambda: 0 }")?.description.contains("model.lambda: must be greater than 0") == true)
        #expect(error(minimal + "\nmodel: { selection: none, lambda: 0.001 }")?.description.contains("selection: none does not fit") == true)
        #expect(error(minimal.replacingOccurrences(of: "from: 2024-01", with: "from: January"))?.description.contains("is not a date") == true)
        #expect(error(minimal.replacingOccurrences(of: "to: 2024-06", with: "to: 2023-06"))?.description.contains("is after") == true)
    }

    @Test func influencesMustSuitTheLayer() {
        let raster = error(minimal + "\n    influence: proximity")
        #expect(raster?.description.contains("lux.tif is a raster — use influence: value") == true)
        let vector = error(minimal.replacingOccurrences(of: "influence: auto", with: "influence: value"))
        #expect(vector?.description.contains("is a vector layer") == true)
    }

    @Test func missingKeysDuplicateNamesAndBlocks() {
        #expect(error(minimal.replacingOccurrences(of: "study_area: boundary.gpkg\n", with: ""))?.description
                .contains("study_area: missing") == true)
        #expect(error(minimal.replacingOccurrences(of: "name: lux", with: "name: licensed_premises"))?.description
                .contains("names must be unique") == true)
        #expect(error(minimal.replacingOccurrences(of: "block_length: 100", with: "block_length: 10"))?.description
                .contains("shorter than the cell size") == true)
        #expect(error(minimal.replacingOccurrences(of: "name: lux", with: "name: 2lux"))?.description.contains("must start with a letter") == true)
    }

    @Test func badYAMLAndAliasesAreRefused() {
        let bad = error("crs: [EPSG:27700\ncell_size: 25")
        #expect(bad?.description.contains("not valid YAML") == true)
        let alias = error(minimal + "\nmodel: &m { folds: 5 }\nextra: *m")
        #expect(alias != nil)
        let aliasValue = error("a: &x 1\n" + minimal.replacingOccurrences(of: "cell_size: 25", with: "cell_size: *x"))
        #expect(aliasValue?.description.contains("aliases are not allowed") == true || aliasValue?.description.contains("unknown key") == true)
        #expect(error("")?.description.contains("empty") == true)
    }
}
