import Foundation
import Testing
import GeoIO
import RasterCore
@testable import RiskTerrain

/// The hostile-input corpus in Hostile/ (its README lists every file): each file, in the role a
/// user would give it, ends in a one-line error that names the file and the fix, or in a read
/// whose repairs and skips are counted and reported — never a trap.
enum Hostile {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Hostile").path
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data").path
    static func file(_ name: String) -> String { folder + "/" + name }

    /// Where a hostile file goes in an otherwise good spec over the bundled sample.
    enum Role {
        case studyArea, outcome, streetSafe
        case vectorFactor(influence: String)
        case rasterFactor
    }

    /// The sample's spec, cut down to two vector factors, with `name` in `role`.
    static func spec(_ name: String, as role: Role) throws -> ModelSpec {
        let path = file(name)
        var studyArea = "\(data)/boundary.gpkg"
        var outcome = "{ path: \(data)/crimes.csv, where: \"crime_type = 'Violence and sexual offences'\" }"
        var factors = ["  - { name: parks, path: \(data)/parks.gpkg, influence: [proximity, inside] }",
                       "  - { name: stations, path: \(data)/stations.gpkg, influence: proximity }"]
        var extra = ""
        switch role {
        case .studyArea: studyArea = path
        case .outcome: outcome = path
        case .streetSafe: extra = "streetsafe: \(path)\n"
        case .vectorFactor(let influence): factors.append("  - { name: hostile, path: \(path), influence: \(influence) }")
        case .rasterFactor: factors.append("  - { name: hostile, path: \(path), influence: value }")
        }
        let yaml = "crs: EPSG:27700\ncell_size: 25\nblock_length: 100\nstudy_area: \(studyArea)\noutcome: \(outcome)\n"
            + "factors:\n" + factors.joined(separator: "\n") + "\n" + extra
        return try SpecParser.parse(yaml, path: folder + "/spec-\(name).yaml")
    }

    /// The error's text, checked to be one line that names `file` and says what to do.
    static func oneLineError(_ body: () throws -> Void, naming file: String,
                             sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            try body()
            Issue.record("\(file): expected an error, got none", sourceLocation: sourceLocation)
            return nil
        } catch {
            let text = String(describing: error)
            #expect(!text.contains("\n"), "\(file): the error is not one line: \(text)", sourceLocation: sourceLocation)
            #expect(text.contains(file), "\(file): the error does not name the file: \(text)", sourceLocation: sourceLocation)
            #expect(text.contains(" — "), "\(file): the error does not say what to do: \(text)", sourceLocation: sourceLocation)
            return text
        }
    }
}

@Suite struct HostileInputTests {
    // MARK: Errors: (file, role, what the message must say)

    static let errors: [(String, Hostile.Role, String)] = [
        ("zero.csv", .outcome, "the file is empty (0 bytes)"),
        ("zero.geojson", .vectorFactor(influence: "proximity"), "the file is empty (0 bytes)"),
        ("zero.gpkg", .studyArea, "the file is empty (0 bytes)"),
        ("zero.shp", .vectorFactor(influence: "proximity"), "the file is empty (0 bytes)"),
        ("zero.fgb", .vectorFactor(influence: "proximity"), "the file is empty (0 bytes)"),
        ("zero.kml", .streetSafe, "the file is empty (0 bytes)"),
        ("zero.tif", .rasterFactor, "the file is empty (0 bytes)"),
        ("truncated.geojson", .vectorFactor(influence: "inside"), "GDAL cannot read it"),
        ("truncated.gpkg", .studyArea, "GDAL cannot read it"),
        ("truncated.fgb", .vectorFactor(influence: "proximity"), "holds no layers"),
        ("truncated.kml", .vectorFactor(influence: "proximity"), "GDAL cannot read it"),
        ("not_a_raster.tif", .rasterFactor, "not a format GDAL/OGR can read"),
        ("pipe_delimited.csv", .outcome, "the header looks delimited by '|'"),
        ("missing_latitude.csv", .outcome, "no coordinate columns found"),
        ("latitude_out_of_range.csv", .outcome, "line 3: latitude 151.2 is outside -90..90 — are the longitude and latitude columns swapped?"),
        ("longitude_out_of_range.csv", .outcome, "line 3: longitude -200.5 is outside -180..180"),
        ("latlon_swapped.csv", .outcome, "swapped x/y columns"),
        ("latlon_values_swapped.csv", .outcome, "swapped x/y columns"),
        ("xy_no_crs.csv", .outcome, "add `crs:` for it in the spec"),
        ("all_empty.geojson", .vectorFactor(influence: "proximity"), "no feature has a usable geometry"),
        ("lines_as_study_area.geojson", .studyArea, "the study area must be a polygon layer"),
        ("parks_no_crs.shp", .vectorFactor(influence: "inside"), "has no coordinate reference system"),
        ("far_away.geojson", .vectorFactor(influence: "proximity"), "out of reach of the study area"),
        ("raster_no_georef.tif", .rasterFactor, "no georeferencing"),
        ("raster_no_crs.tif", .rasterFactor, "has no coordinate reference system"),
        ("raster_far_away.tif", .rasterFactor, "misses the study area"),
    ]

    @Test(arguments: errors.indices)
    func inputErrorsAreOneLineNamingTheFileAndTheFix(_ i: Int) throws {
        let (name, role, expected) = Self.errors[i]
        let text = Hostile.oneLineError({ _ = try StudyInputs.load(try Hostile.spec(name, as: role)) }, naming: name)
        #expect(text?.contains(expected) == true, "\(name): \(text ?? "")")
    }

    static let specErrors: [(String, Int?, String)] = [
        ("zero.yaml", nil, "the spec is empty"),
        ("truncated.yaml", nil, "factors: missing"),
        ("wrong_types.yaml", 2, "cell_size: expected a number, not 'twenty-five'"),
        ("wrong_type_list.yaml", 3, "block_length: expected a number, not a list"),
        ("unknown_keys.yaml", 9, "did you mean 'influence'?"),
        ("alias_bomb.yaml", 1, "YAML anchors and aliases are not allowed in a spec (found &a)"),
        ("alias_key_bomb.yaml", 1, "YAML anchors and aliases are not allowed in a spec (found &a0)"),
        ("harmless_alias.yaml", 2, "YAML anchors and aliases are not allowed in a spec (found &cs)"),
        ("deep_flow_nesting.yaml", 1, "nested more than 64 levels deep"),
        ("deep_block_nesting.yaml", 1, "nested more than 64 levels deep"),
        ("duplicate_keys.yaml", 2, "the key cell_size appears twice — keep one of them"),
        ("non_utf8.yaml", nil, "not UTF-8 text"),
        ("tab_indent.yaml", 3, "not valid YAML"),
        ("huge_numbers.yaml", 2, "is not a usable cell size"),
        ("not_a_mapping.yaml", 1, "expected a mapping of keys"),
        ("unterminated_quote.yaml", nil, "not valid YAML"),
        ("nul_byte.yaml", nil, "NUL byte"),
    ]

    @Test(arguments: specErrors.indices)
    func specErrorsAreOneLineWithTheLine(_ i: Int) throws {
        let (name, line, expected) = Self.specErrors[i]
        let clock = ContinuousClock(), start = clock.now
        let text = Hostile.oneLineError({ _ = try SpecParser.load(Hostile.file(name)) }, naming: name)
        #expect(text?.contains(expected) == true, "\(name): \(text ?? "")")
        if let line { #expect(text?.contains("\(name) line \(line):") == true, "\(name): \(text ?? "")") }
        #expect(clock.now - start < .seconds(2), "\(name) took \(clock.now - start)")
    }

    @Test func aSpecWithABOMReadsAsWritten() throws {
        let spec = try SpecParser.load(Hostile.file("bom.yaml"))
        #expect(spec.crs == "EPSG:27700" && spec.cellSize == 25 && spec.factors.map(\.name) == ["parks"])
    }

    @Test func anAmpersandOrAsteriskInsideTextIsNotAnAlias() throws {
        let yaml = """
        crs: EPSG:27700   # & and * in a comment
        cell_size: 25
        block_length: 100
        study_area: boundary & more.gpkg
        outcome: { path: crimes.csv, where: "type = 'a & b' AND n * 2 > 3" }
        factors:
          - name: parks
            path: 'parks *.gpkg'
        """
        let spec = try SpecParser.parse(yaml, path: "/tmp/spec.yaml")
        #expect(spec.outcome.whereClause == "type = 'a & b' AND n * 2 > 3")
        #expect(spec.studyArea.path.hasSuffix("boundary & more.gpkg") && spec.factors[0].source.path.hasSuffix("parks *.gpkg"))
    }

    // MARK: Resource limits

    @Test func aGridTooFineForMemoryIsRefusedWithTheEstimate() throws {
        let spec = try SpecParser.load(Hostile.file("tiny_cells.yaml"))
        let text = Hostile.oneLineError({ _ = try StudyInputs.load(try relocated(spec)) }, naming: "tiny_cells.yaml")
        #expect(text?.contains("10.5 billion cells × 6 candidate layers needs about") == true, "\(text ?? "")")
        #expect(text?.contains("use cell_size: ") == true && text?.contains("a smaller study area") == true)
    }

    @Test func tooManyLayersForTheMemoryGivenIsRefusedWithACellSizeThatFits() throws {
        let spec = try relocated(try SpecParser.load(Hostile.file("many_layers.yaml")))
        let limit = 1024.0 * 1_048_576
        let text = Hostile.oneLineError({ _ = try StudyInputs.load(spec, memoryLimit: limit) }, naming: "many_layers.yaml")
        #expect(text?.contains("26.2 million cells × 240 candidate layers needs about 2.3 GB of memory, more than the 1.0 GB available") == true, "\(text ?? "")")
        // the suggested cell size does fit
        let suggested = try #require(text.flatMap { $0.firstMatch(of: /use cell_size: (\d+)/) }.flatMap { Double($0.1) })
        var coarser = spec
        coarser.cellSize = suggested
        #expect(MemoryEstimate(spec: coarser, extent: Extent(minX: 529800, minY: 188900, maxX: 535500, maxY: 193500)).bytes <= limit)
    }

    /// A corpus spec with its layer paths pointed at the bundled sample.
    func relocated(_ spec: ModelSpec) throws -> ModelSpec {
        var s = spec
        func move(_ p: String) -> String { Hostile.data + "/" + (p as NSString).lastPathComponent }
        s.studyArea.path = move(s.studyArea.path)
        s.outcome.path = move(s.outcome.path)
        for i in s.factors.indices { s.factors[i].source.path = move(s.factors[i].source.path) }
        return s
    }

    // MARK: Reads that keep going, with what they repaired or skipped counted and reported

    static let bng = try! CRS("EPSG:27700")

    func points(_ name: String) throws -> FeatureSet {
        try VectorReader.read(Hostile.file(name), into: Self.bng)
    }

    @Test func csvQuirksAreReadOrCounted() throws {
        #expect(try points("semicolon.csv").count == 2)                 // GDAL detects the ';'
        #expect(try points("quoted_newline.csv").count == 3)            // a quoted field over two lines is one row
        #expect(try points("non_utf8.csv").count == 1)                  // Latin-1 text in an attribute is only text
        #expect(try points("bom.csv").count == 2)                       // the BOM does not hide 'longitude'
        #expect(try points("extra_fields.csv").count == 2)
        #expect(try points("one_point.csv").count == 1)
        let truncated = try points("truncated.csv")
        #expect(truncated.count + truncated.report.skippedTotal == truncated.report.featuresInLayer && truncated.count >= 5)
        let short = try points("short_rows.csv")
        #expect(short.count == 2 && short.report.skipped == ["blank coordinates": 1])
        let nonfinite = try points("nonfinite.csv")
        #expect(nonfinite.count == 2)
        #expect(nonfinite.report.skipped == ["coordinates that are not finite numbers": 6, "blank coordinates": 2])
        #expect(nonfinite.report.summary.contains("skipped 6 with coordinates that are not finite numbers (line 3, line 4, line 5, line 6, line 7, …)"))
        #expect(nonfinite.geometries.allSatisfy { $0.vertices.allSatisfy { $0.x.isFinite && $0.y.isFinite } })
    }

    @Test func invalidPolygonsAreMadeValidAndCounted() throws {
        let bowtie = try StudyInputs.load(try Hostile.spec("bowtie_study_area.geojson", as: .studyArea))
        #expect(bowtie.studyArea.count == 2)                            // the bow tie's two triangles
        #expect(bowtie.warnings.contains { $0.contains("bowtie_study_area.geojson: kept 1 of 1 features; repaired 1: invalid polygons made valid (GEOS MakeValid) (feature 0)") },
                "\(bowtie.warnings)")
        let parks = try StudyInputs.load(try Hostile.spec("self_intersecting_parks.geojson", as: .vectorFactor(influence: "inside")))
        let set = try #require(parks.factors.last?.features)
        #expect(set.count == 3 && set.report.repaired == ["invalid polygons made valid (GEOS MakeValid)": 2])
        #expect(parks.warnings.contains { $0.contains("repaired 2: invalid polygons made valid") })
        // and the run report shows it
        #expect(ReportHTML.dataRow("hostile", set.report).contains("repaired 2: invalid polygons made valid"))
    }

    @Test func emptyGeometriesAreSkippedAndCounted() throws {
        let inputs = try StudyInputs.load(try Hostile.spec("empty_geometries.geojson", as: .vectorFactor(influence: "proximity")))
        let set = try #require(inputs.factors.last?.features)
        #expect(set.count == 2 && set.report.skipped == ["no geometry": 2, "an empty geometry": 1], "\(set.report.skipped)")
    }

    @Test func multiPartFeaturesAndDuplicatesAreCountedAsEvents() throws {
        let multi = try StudyInputs.load(try Hostile.spec("multipoint_events.geojson", as: .outcome))
        #expect(multi.warnings.contains { $0.contains("1 multi-point feature count as 3 events, one per point") }, "\(multi.warnings)")
        let dup = try StudyInputs.load(try Hostile.spec("duplicate_points.csv", as: .outcome))
        #expect(dup.outcome.count == 7)
        #expect(dup.warnings.contains { $0.contains("5 events share their location with an earlier one") }, "\(dup.warnings)")
        let two = try StudyInputs.load(try Hostile.spec("multipart_study_area.geojson", as: .studyArea))
        #expect(two.studyArea.count == 2)
    }

    @Test func aStudyAreaWithAHoleLeavesTheHoleOut() throws {
        let inputs = try StudyInputs.load(try Hostile.spec("holed_study_area.geojson", as: .studyArea))
        #expect(inputs.studyArea.count == 1 && inputs.studyArea[0].rings.count == 2)
        let grid = try AnalysisGrid(studyArea: inputs.studyArea, on: GridGeometry(covering: inputs.studyExtent, cellSize: 25))
        let g = grid.geometry
        func inside(_ x: Double, _ y: Double) -> Bool {
            let c = g.cell(containingX: x, y: y)!
            return grid.mask[g.index(row: c.row, col: c.col)]
        }
        #expect(!inside(532500, 191000) && inside(530000, 189500) && inside(534500, 192500))
        #expect(grid.cellsInside == 228 * 184 - 80 * 80)
    }

    @Test func layersInAnotherCRSAreReprojected() throws {
        let inputs = try StudyInputs.load(try Hostile.spec("parks_wgs84.geojson", as: .vectorFactor(influence: "inside")))
        let e = try #require(inputs.factors.last?.features?.extent)
        #expect(e.minX > 530_000 && e.maxX < 534_500 && e.minY > 189_000 && e.maxY < 193_500, "\(e)")
        let raster = try StudyInputs.load(try Hostile.spec("raster_wgs84.tif", as: .rasterFactor))
        #expect(raster.factors.last?.rasterCRS?.authorityCode == "EPSG:4326")
    }

    @Test func aTruncatedRasterFailsWhenReadWithTheFile() throws {
        let inputs = try StudyInputs.load(try Hostile.spec("truncated.tif", as: .rasterFactor))
        let grid = try AnalysisGrid(studyArea: inputs.studyArea, on: GridGeometry(covering: inputs.studyExtent, cellSize: 25))
        let text = Hostile.oneLineError({ _ = try CandidateLayers.build(inputs, grid: grid) }, naming: "truncated.tif")
        #expect(text?.contains("GDAL cannot read it") == true, "\(text ?? "")")
    }

    @Test func aTruncatedShapefileReadsWhatIsThereAndCountsTheRest() throws {
        let inputs = try StudyInputs.load(try Hostile.spec("truncated.shp", as: .vectorFactor(influence: "proximity")))
        let set = try #require(inputs.factors.last?.features)
        #expect(set.count >= 1 && set.count + set.report.skippedTotal == set.report.featuresInLayer, "\(set.report.summary)")
        #expect(set.report.skippedTotal > 0 && inputs.warnings.contains { $0.contains("truncated.shp") })
    }
}

/// Crafted and damaged layer-cache entries (`cache_*.rtml`, made by make_cache_entries.py): each
/// is refused — recomputed, never trusted — and none traps, however large, negative or far past
/// the end its lengths are. The valid control decodes, so the refusals are the checks' doing.
@Suite struct HostileCacheEntryTests {
    static let grid = try! GridGeometry(originX: 0, originY: 50, cellSize: 25, width: 4, height: 2)
    static let entries = (try? FileManager.default.contentsOfDirectory(atPath: Hostile.folder))?
        .filter { $0.hasPrefix("cache_") && $0.hasSuffix(".rtml") && $0 != "cache_valid.rtml" }.sorted() ?? []

    @Test func theCorpusHasItsCacheEntries() {
        #expect(Self.entries.count == 14, "\(Self.entries)")
    }

    @Test(arguments: entries)
    func aHostileEntryIsRefused(_ name: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Hostile.file(name)))
        #expect(LayerCache.decode(data, key: "hostile", factor: "bars", grid: Self.grid) == nil, "\(name) was accepted")
    }

    @Test func theValidControlDecodes() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Hostile.file("cache_valid.rtml")))
        let layers = try #require(LayerCache.decode(data, key: "hostile", factor: "bars", grid: Self.grid))
        #expect(layers.map(\.name) == ["bars:proximity:100", "bars:distance"])
        guard case .continuous(let r) = layers[1].values else { Issue.record("not continuous"); return }
        #expect(r.values == (0..<8).map { Float($0) * 0.5 })
        // and through the cache, as a run meets it: a refused entry counts as rejected
        let folder = Hostile.folder
        let cache = LayerCache(folder: folder)
        #expect(cache.load("cache_count_overflow", factor: "bars", grid: Self.grid) == nil)
        #expect(cache.entriesRejected == 1)
    }
}
