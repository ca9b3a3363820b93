import Foundation
import Testing
import GeoIO
import RasterCore
@testable import RiskTerrain
import TestSupport

/// The layer cache on the bundled sample (8 factors, 33 candidate layers).
@Suite struct LayerCacheTests {
    let scratch = Scratch()

    /// A copy of the sample's files, so a test can change one.
    func sampleCopy() throws -> String {
        let from = (sampleSpec as NSString).deletingLastPathComponent
        let to = scratch.path("rtm-sample")
        try FileManager.default.copyItem(atPath: from, toPath: to)
        return to
    }

    /// Inputs, grid and candidate layers of `spec` through `cache`.
    static func layers(_ spec: ModelSpec, cache: LayerCache?) throws -> [CandidateLayer] {
        let inputs = try StudyInputs.load(spec)
        let grid = try AnalysisGrid(studyArea: inputs.studyArea, on: GridGeometry(covering: inputs.studyExtent, cellSize: spec.cellSize))
        return try CandidateLayers.build(inputs, grid: grid, cache: cache)
    }

    static func sameValues(_ a: [CandidateLayer], _ b: [CandidateLayer]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            guard x.name == y.name else { return false }
            switch (x.values, y.values) {
            case (.binary(let p), .binary(let q)): return p == q
            case (.continuous(let p), .continuous(let q)):
                return p.geometry == q.geometry && p.values.elementsEqual(q.values) { $0.bitPattern == $1.bitPattern }
            default: return false
            }
        }
    }

    @Test func addingAFactorComputesOnlyItsLayersAndGivesTheSameModel() throws {
        let full = try SpecParser.load(sampleSpec)
        var without = full
        without.factors.removeAll { $0.name == "bus_stops" }
        let folder = scratch.path("rtm-cache")
        _ = try Pipeline.fit(without, cache: LayerCache(folder: folder))

        let cache = LayerCache(folder: folder)
        let rerun = try Pipeline.fit(full, cache: cache)
        let busStops = rerun.design.columns.filter { $0.factor == "bus_stops" }.count
            + rerun.design.dropped.filter { $0.name.hasPrefix("bus_stops:") }.count
        #expect(busStops == 6)                                   // auto, 3 blocks: proximity and density
        #expect(cache.layersComputed == busStops)
        #expect(cache.layersFromCache == 33 - busStops)
        #expect(cache.entriesRejected == 0)
        #expect(rerun.cache == cache.report)

        let fresh = try Pipeline.fit(full)
        #expect(fresh.cache == nil)
        #expect(try RunOutputs.modelJSON(rerun) == RunOutputs.modelJSON(fresh))
    }

    /// The quick rerun after adding a factor: the earlier run's λ (read back from its model.json)
    /// shortlists the new design without cross-validation, only the new factor's layers are
    /// computed, and on the sample it gives the model of a full rerun. model.json says where its
    /// λ came from.
    @Test func aQuickRerunShortlistsAtTheEarlierRunsLambda() throws {
        var full = try SpecParser.load(sampleSpec)
        var without = full
        without.factors.removeAll { $0.name == "bus_stops" }
        let cacheFolder = scratch.path("rtm-cache"), previous = try scratch.folder("rtm-previous")
        let before = try Pipeline.fit(without, cache: LayerCache(folder: cacheFolder))
        try RunOutputs.modelJSON(before).write(to: URL(fileURLWithPath: previous + "/model.json"))
        let lambda = try PreviousRun.lambda(from: previous)
        #expect(lambda == before.model.selection.elasticNet?.lambda && lambda == before.model.selection.crossValidation?.lambdaMin)

        full.model.lambda = lambda
        let cache = LayerCache(folder: cacheFolder)
        let quick = try Pipeline.fit(full, cache: cache)
        #expect(cache.layersComputed == 6 && cache.layersFromCache == 27)
        let e = try #require(quick.model.selection.elasticNet)
        #expect(!e.crossValidated && e.lambda == lambda && quick.model.selection.crossValidation == nil)
        let exact = try PipelineTests.fitted.get()
        #expect(quick.model.terms.map(\.name) == exact.model.terms.map(\.name) && quick.model.family == exact.model.family)
        #expect(abs(quick.model.selection.model.bic - exact.model.selection.model.bic) <= 1e-9 * abs(exact.model.selection.model.bic))

        struct Glmnet: Decodable { let lambda: Double; let lambdaFrom: String; let lambdaMin: Double?; let folds: Int?; let cvCurve: [[String: Double]] }
        struct Document: Decodable { let glmnet: Glmnet }
        let decoder = JSONDecoder(); decoder.keyDecodingStrategy = .convertFromSnakeCase
        let q = try decoder.decode(Document.self, from: RunOutputs.modelJSON(quick)).glmnet
        #expect(q.lambdaFrom == "model.lambda" && q.lambda == lambda && q.lambdaMin == nil && q.folds == nil && q.cvCurve.isEmpty)
        let x = try decoder.decode(Document.self, from: RunOutputs.modelJSON(exact)).glmnet
        #expect(x.lambdaFrom == "cross-validation" && x.lambda == x.lambdaMin && x.folds == 10 && !x.cvCurve.isEmpty)
    }

    /// `--lambda-from` names the file and the fix when there is no λ to take.
    @Test func previousRunErrorsNameTheFile() throws {
        let folder = try scratch.folder("rtm-previous")
        #expect { try PreviousRun.lambda(from: folder) } throws: {
            "\($0)" == "\(folder)/model.json: glmnet.lambda: cannot be read — give the model.json of an earlier rtm run, or its output folder"
        }
        let none = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/peer_fixed.model.json").path
        #expect { try PreviousRun.lambda(from: none) } throws: { "\($0)".contains("that run used selection: none") }
        try Data(#"{"family": "negbin", "glmnet": {"lambda_min": 0.00125}}"#.utf8).write(to: URL(fileURLWithPath: folder + "/model.json"))
        #expect(try PreviousRun.lambda(from: folder) == 0.00125)     // a model.json from before glmnet.lambda
        try Data("{}".utf8).write(to: URL(fileURLWithPath: folder + "/model.json"))
        #expect { try PreviousRun.lambda(from: folder + "/model.json") } throws: { "\($0)".contains("is not the model.json of an rtm run") }
    }

    @Test func changingAnInputInvalidatesOnlyItsLayers() throws {
        let dir = try sampleCopy()
        let spec = try SpecParser.load(dir + "/spec.yaml")
        let folder = scratch.path("rtm-cache")
        let first = LayerCache(folder: folder)
        _ = try Self.layers(spec, cache: first)
        #expect(first.layersComputed == 33 && first.layersFromCache == 0)

        // Move one school 400 m east: only the schools' three proximity layers are recomputed.
        let schools = try VectorReader.read(dir + "/schools.gpkg")
        var geometries = schools.geometries
        guard case .point(let p) = geometries[0] else { Issue.record("schools are points"); return }
        geometries[0] = .point(Point2(p.x + 400, p.y))
        try VectorWriter.write(geometries.map { OutputFeature(geometry: $0, values: []) }, fields: [], layerName: "schools",
                               crs: try CRS("EPSG:27700"), to: dir + "/schools.gpkg", format: .geoPackage)
        let second = LayerCache(folder: folder)
        let cached = try Self.layers(spec, cache: second)
        #expect(second.layersComputed == 3)
        #expect(second.layersFromCache == 30)
        #expect(Self.sameValues(cached, try Self.layers(spec, cache: nil)))
    }

    @Test func aDamagedEntryIsRecomputedNotTrusted() throws {
        let spec = try SpecParser.load(sampleSpec)
        let folder = scratch.path("rtm-cache")
        let reference = try Self.layers(spec, cache: LayerCache(folder: folder))
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".rtml") }.sorted()
        #expect(entries.count == spec.factors.count)
        // One entry with a flipped bit in its payload, one truncated, one emptied.
        let flipped = folder + "/" + entries[0], cut = folder + "/" + entries[1], empty = folder + "/" + entries[2]
        var bytes = try Data(contentsOf: URL(fileURLWithPath: flipped))
        bytes[bytes.count - 100] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: flipped))
        let whole = try Data(contentsOf: URL(fileURLWithPath: cut))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        try Data().write(to: URL(fileURLWithPath: empty))

        let cache = LayerCache(folder: folder)
        let again = try Self.layers(spec, cache: cache)
        #expect(cache.entriesRejected == 3)
        #expect(cache.layersComputed > 0 && cache.layersComputed + cache.layersFromCache == 33)
        #expect(Self.sameValues(again, reference))
        // The damaged entries were rewritten: a third run reads everything.
        let third = LayerCache(folder: folder)
        #expect(Self.sameValues(try Self.layers(spec, cache: third), reference))
        #expect(third.layersFromCache == 33 && third.entriesRejected == 0)
    }

    @Test func anEntryForAnotherKeyOrGridIsRefused() throws {
        let g = try GridGeometry(covering: Extent(minX: 0, minY: 0, maxX: 100, maxY: 50), cellSize: 25)
        var bits = BitMatrix(geometry: g)
        bits.setRun(row: 1, from: 0, to: 2)
        let layer = CandidateLayer(factor: "bars", influence: .proximity, distanceM: 100, bandwidthM: nil, values: .binary(bits))
        let value = CandidateLayer(factor: "bars", influence: .distance, distanceM: nil, bandwidthM: nil,
                                   values: .continuous(Raster(geometry: g, values: (0..<8).map { Float($0) * 0.5 })))
        let data = try #require(LayerCache.encode([layer, value], key: "k1"))
        let back = try #require(LayerCache.decode(data, key: "k1", factor: "pubs", grid: g))
        #expect(back.map(\.name) == ["pubs:proximity:100", "pubs:distance"])
        #expect(Self.sameValues(back, [layer, value].map {
            CandidateLayer(factor: "pubs", influence: $0.influence, distanceM: $0.distanceM, bandwidthM: $0.bandwidthM, values: $0.values)
        }))
        #expect(LayerCache.decode(data, key: "k2", factor: "pubs", grid: g) == nil)
        let other = try GridGeometry(covering: Extent(minX: 0, minY: 0, maxX: 125, maxY: 50), cellSize: 25)
        #expect(LayerCache.decode(data, key: "k1", factor: "pubs", grid: other) == nil)
    }
}
