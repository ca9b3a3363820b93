import Foundation
import GeoIO

/// The files a run reads, fingerprinted (SHA-256 and size) before anything is read, so that a
/// file changed or deleted while the run reads it is caught before any output is committed, and
/// a file changed since the last run in an output folder is named on the next one.
struct InputFiles {
    /// In the order of the spec: study area, outcome, factors, StreetSafe; Shapefile sidecars
    /// and raster world files follow their main file.
    let hashes: [Manifest.FileHash]
    /// Inputs whose SHA-256 differs from the one in the previous run's `manifest.json` in the
    /// output folder, and inputs that run did not have; empty when there is no readable manifest.
    let changedSincePreviousRun: [String]

    init(_ spec: ModelSpec, previousManifestIn folder: String) throws {
        var seen = Set<String>()
        // a virtual path is fingerprinted by the local archive it reads (the parser refused the
        // ones that fetch unless the spec allows them: those are hashed through GDAL below)
        let opened = [spec.studyArea.path] + spec.outcome.files + spec.factors.map(\.source.path) + (spec.streetSafe?.files ?? [])
            + spec.areas.map(\.source.path) + spec.context.map(\.source.path)
        let paths = opened.map { VirtualPaths.archive(of: $0) ?? $0 }
            .flatMap(Manifest.datasetFiles).filter { seen.insert($0).inserted }
        // a missing file is left to its reader, whose error comes in the order of the spec
        hashes = try paths.compactMap { p in
            if FileManager.default.fileExists(atPath: p) { return try Manifest.hash(p) }
            return VirtualPaths.isVirtual(p) ? try Self.hashVirtual(p) : nil
        }
        changedSincePreviousRun = Self.changed(hashes, sinceManifestIn: folder)
    }

    /// A fetched input's SHA-256, from the bytes GDAL reads (`allow_virtual_paths: true`).
    static func hashVirtual(_ path: String) throws -> Manifest.FileHash {
        var sha = SHA256()
        let bytes = try VirtualFile.forEachChunk(path) { sha.update($0) }
        return Manifest.FileHash(path: path, sha256: sha.finalize(), bytes: bytes)
    }

    /// Throws, naming the file, when an input differs from its fingerprint (or is gone).
    func verifyUnchanged() throws {
        for h in hashes {
            if VirtualPaths.isVirtual(h.path) {
                if (try? Self.hashVirtual(h.path))?.sha256 != h.sha256 { throw GeoDataError.changedDuringRun(path: h.path, deleted: false) }
                continue
            }
            guard FileManager.default.fileExists(atPath: h.path) else { throw GeoDataError.changedDuringRun(path: h.path, deleted: true) }
            let now = try? Manifest.hash(h.path)
            if now?.sha256 != h.sha256 { throw GeoDataError.changedDuringRun(path: h.path, deleted: now == nil) }
        }
    }

    static func changed(_ hashes: [Manifest.FileHash], sinceManifestIn folder: String) -> [String] {
        let url = URL(fileURLWithPath: folder).appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url),
              let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let inputs = doc["inputs"] as? [[String: Any]] else { return [] }
        var previous: [String: String] = [:]
        for i in inputs { if let p = i["path"] as? String, let s = i["sha256"] as? String { previous[p] = s } }
        return hashes.filter { previous[$0.path] != $0.sha256 }.map(\.path)
    }
}
