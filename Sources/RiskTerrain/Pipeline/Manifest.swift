import CPUFeatures
import Foundation
import GeoIO

/// `manifest.json`: everything needed to reproduce and audit a run — the spec as written, a
/// SHA-256 of every input file (with its sidecars) and output, the versions of rtm, GDAL and PROJ
/// and which CPU builds ran, the seed, the command line and the time each stage took.
public enum Manifest {
    struct FileHash: Codable, Equatable { let path: String; let sha256: String; let bytes: Int }
    struct Document: Encodable {
        let rtmVersion: String; let gdalVersion: String; let projVersion: String
        /// `haswell` when the separable filter's loops and the elastic net ran in their AVX2
        /// builds, `baseline` otherwise: densities differ between the two at Float rounding.
        let cpuDispatch: String
        let started: String; let arguments: [String]
        let spec: String; let specSha256: String; let specText: String
        let seed: UInt64
        let inputs: [FileHash]
        /// Inputs whose SHA-256 differs from the previous manifest in the same folder.
        let changedSincePreviousRun: [String]
        let outputs: [FileHash]
        let timingsS: [String: Double]
        /// The selection stage split: cv_elastic_net and stepwise.
        let selectionTimingsS: [String: Double]
        let totalS: Double
        /// Layers read from the layer cache and computed; absent without a cache.
        let layerCache: LayerCache.Report?
        let warnings: [String]
        /// Whether the folder holds raw event locations (`--include-events`).
        let includesEvents: Bool
        /// What the folder holds besides `outputs` and this manifest (`OutputFolder`): its lock,
        /// its log, the layer cache, other runs' folders inside it. Nothing else is there.
        let kept: [OutputFolder.Kept]
        /// The point inputs (outcome, streetsafe) file by file, with the months read.
        let pointInputs: [String: PointInputRecord]
    }

    /// The manifest of `rtm evaluate` and `rtm patrols`: what reproduces and audits their folder.
    struct CommandDocument: Encodable {
        let rtmVersion: String; let gdalVersion: String; let projVersion: String; let cpuDispatch: String
        let command: String
        let started: String; let arguments: [String]
        let spec: String; let specSha256: String; let specText: String
        let seed: UInt64
        let inputs: [FileHash]
        let outputs: [FileHash]
        let kept: [OutputFolder.Kept]
    }

    /// Every file staged so far (all of a run's outputs but the manifest), hashed.
    static func stagedHashes(_ folder: OutputFolder) throws -> [FileHash] {
        try folder.stagedFiles().map { try hash((folder.staging as NSString).appendingPathComponent($0), relativeTo: folder.staging) }
    }

    static func commandJSON(command: String, spec: ModelSpec, started: Date, arguments: [String], inputs: [FileHash],
                            stagedOutputs: OutputFolder) throws -> Data {
        let specData = FileManager.default.contents(atPath: spec.path) ?? Data()
        let doc = CommandDocument(rtmVersion: RiskTerrainVersion.rtm, gdalVersion: GeoLibraries.gdal, projVersion: GeoLibraries.proj,
                                  cpuDispatch: CPUFeatures.useHaswell ? "haswell" : "baseline", command: command,
                                  started: ISO8601DateFormatter().string(from: started), arguments: arguments,
                                  spec: spec.path, specSha256: SHA256.hex(specData), specText: String(decoding: specData, as: UTF8.self),
                                  seed: spec.model.seed, inputs: inputs, outputs: try stagedHashes(stagedOutputs),
                                  kept: stagedOutputs.keptEntries())
        return try RunOutputs.encodeJSON(doc)
    }

    /// What a point input read, for the manifest: its files with their rows and features kept
    /// (their SHA-256 are in `inputs`), the files not read, and the months.
    struct PointInputRecord: Encodable {
        let written: [String]
        let files: [PointInput.FileRead]
        let filesNotRead: [LayerSource.SkippedFile]
        let crimeTypes: [String]?
        let monthsInData: PointInput.MonthSpan?
        let monthsRead: PointInput.MonthSpan?
        let repeatedCrimeIds: Int
        let events: Int

        init(_ read: PointInput, _ s: LayerSource) {
            written = s.written
            files = read.files
            filesNotRead = s.skippedFiles
            crimeTypes = s.crimeTypes
            monthsInData = read.monthsInData
            monthsRead = read.monthsRead
            repeatedCrimeIds = read.duplicateIDs
            events = read.features.count
        }
    }

    static func pointRecords(_ inputs: StudyInputs) -> [String: PointInputRecord] {
        var out = ["outcome": PointInputRecord(inputs.outcomeRead, inputs.spec.outcome)]
        if let read = inputs.streetSafeRead, let s = inputs.spec.streetSafe { out["streetsafe"] = PointInputRecord(read, s) }
        return out
    }

    /// Files that make up a dataset: a Shapefile's sidecars count as input too.
    static func datasetFiles(_ path: String) -> [String] {
        let sidecars = ["shp": ["shx", "dbf", "prj", "cpg", "qix", "sbn", "sbx"], "tif": ["tfw", "aux.xml"], "tiff": ["tfw", "aux.xml"]]
        let ext = (path as NSString).pathExtension.lowercased()
        let stem = (path as NSString).deletingPathExtension
        let extra = (sidecars[ext] ?? []).map { "\(stem).\($0)" }.filter { FileManager.default.fileExists(atPath: $0) }
        return [path] + extra
    }

    static func hash(_ path: String, relativeTo base: String? = nil) throws -> FileHash {
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let shown = base.map { path.hasPrefix($0 + "/") ? String(path.dropFirst($0.count + 1)) : path } ?? path
        return FileHash(path: shown, sha256: try SHA256.file(path), bytes: size)
    }

    /// - Parameter inputs: the inputs' fingerprints taken before they were read (`InputFiles`).
    static func json(_ f: Pipeline.Fitted, spec: ModelSpec, timings: [Pipeline.Timing], started: Date, arguments: [String],
                     stagedOutputs: OutputFolder, inputs: [FileHash], changed: [String], includesEvents: Bool = false) throws -> Data {
        let outputs = try stagedHashes(stagedOutputs)
        let specData = FileManager.default.contents(atPath: spec.path) ?? Data()
        let iso = ISO8601DateFormatter()
        let doc = Document(rtmVersion: RiskTerrainVersion.rtm, gdalVersion: GeoLibraries.gdal, projVersion: GeoLibraries.proj,
                           cpuDispatch: CPUFeatures.useHaswell ? "haswell" : "baseline",
                           started: iso.string(from: started), arguments: arguments,
                           spec: spec.path, specSha256: SHA256.hex(specData), specText: String(decoding: specData, as: UTF8.self),
                           seed: spec.model.seed, inputs: inputs, changedSincePreviousRun: changed, outputs: outputs,
                           timingsS: Dictionary(uniqueKeysWithValues: timings.map { ($0.stage, $0.seconds) }),
                           selectionTimingsS: Dictionary(uniqueKeysWithValues: f.selectionTimings.map { ($0.stage, $0.seconds) }),
                           totalS: timings.reduce(0) { $0 + $1.seconds }, layerCache: f.cache, warnings: f.inputs.warnings,
                           includesEvents: includesEvents, kept: stagedOutputs.keptEntries(), pointInputs: pointRecords(f.inputs))
        return try RunOutputs.encodeJSON(doc)
    }
}
