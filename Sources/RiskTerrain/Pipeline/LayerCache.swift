import Foundation
import GeoIO
import RasterCore

/// A content-addressed store of operationalised candidate layers, so a rerun recomputes only the
/// factors whose inputs, grid or influences changed (adding a factor computes that factor alone).
///
/// One entry per factor holds all of that factor's candidate layers. Its key is the SHA-256 of:
/// a salt (entry format and rtm version), the analysis CRS, the grid geometry and a SHA-256 of the
/// study-area mask (density thresholds and proximity bits depend on both), the block length, the
/// SHA-256 of every file of the factor's dataset (sidecars included), how the layer is read
/// (layer, where, time, declared CRS, columns) and how it is operationalised (influences,
/// increments, bandwidth, resampling, band). The factor's name is not in the key: a renamed
/// factor reuses its layers under the new name. The path is not in it either: a moved file hits.
///
/// Entries are binary (`.rtml`): magic, format version, a JSON header (key, grid, one record per
/// layer), then the payloads — binary layers as the grid's bit-packed words (2.5 M cells ≈ 312 kB),
/// continuous layers as Float32 — and a 64-bit checksum of everything before it. They are written
/// to a temporary file and renamed into place, so a reader sees a whole entry or none; on read the
/// size, checksum, key, grid and every length are checked, and an entry that fails any check is
/// treated as missing (recomputed and rewritten), never trusted. Nothing is evicted: delete the
/// folder to reclaim the space.
public final class LayerCache: @unchecked Sendable {
    public let folder: String
    /// Entries read and entries computed (then written) by this cache, in layers.
    public private(set) var layersFromCache = 0
    public private(set) var layersComputed = 0
    /// Entries found but refused (corrupt, truncated, or for another key or grid).
    public private(set) var entriesRejected = 0

    /// The cache's folder inside an output folder unless `--cache` says otherwise.
    public static let defaultFolderName = ".rtm-cache"

    static let magic = Array("RTMLAYR1".utf8)
    static let formatVersion: UInt32 = 1
    private var fileHashes: [String: String] = [:]

    public init(folder: String) { self.folder = folder }

    /// What a run's summary and manifest say about the cache.
    public struct Report: Sendable, Codable, Equatable {
        public let folder: String
        public let layersFromCache: Int
        public let layersComputed: Int
        public let entriesRejected: Int
    }

    public var report: Report {
        Report(folder: folder, layersFromCache: layersFromCache, layersComputed: layersComputed, entriesRejected: entriesRejected)
    }

    struct Header: Codable {
        struct Layer: Codable {
            let influence: Influence
            let distanceM: Double?
            let bandwidthM: Double?
            let binary: Bool
            let geometry: GridGeometry
            let count: Int
        }
        let key: String
        let layers: [Layer]
    }

    /// The entry key of one factor on one grid (hex SHA-256).
    public func key(for factor: FactorSpec, crs: CRS, grid: AnalysisGrid, blockLength: Double) throws -> String {
        func d(_ v: Double?) -> String { v.map { "\($0)" } ?? "-" }
        let s = factor.source
        var text = "rtm layer cache \(Self.formatVersion) \(RiskTerrainVersion.rtm)\n"
        text += "crs \(crs.wkt)\n"
        let g = grid.geometry
        text += "grid \(g.originX) \(g.originY) \(g.cellSize) \(g.width) \(g.height) mask \(maskHash(grid))\n"
        text += "block \(blockLength)\n"
        for file in Manifest.datasetFiles(VirtualPaths.archive(of: s.path) ?? s.path) { text += "file \(try fileHash(file))\n" }
        if s.path != (VirtualPaths.archive(of: s.path) ?? s.path) { text += "inside \(s.path)\n" }
        text += "layer \(s.layer ?? "-") where \(s.whereClause ?? "-") crs \(s.crs ?? "-") x \(s.x ?? "-") y \(s.y ?? "-")\n"
        if let t = s.time { text += "time \(t)\n" }
        if let tags = s.tags { text += "tags " + tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.joined(separator: "|"))" }.joined(separator: ";") + "\n" }
        text += "influences \(factor.influences.map(\.rawValue).joined(separator: ",")) increments \(factor.increments(blockLength: blockLength))\n"
        text += "bandwidth \(d(factor.bandwidth)) resampling \(factor.resampling.rawValue) band \(factor.band)\n"
        return SHA256.hex(Data(text.utf8))
    }

    private var maskHashes: [GridGeometry: String] = [:]
    private func maskHash(_ grid: AnalysisGrid) -> String {
        if let h = maskHashes[grid.geometry] { return h }
        let h = grid.mask.words.withUnsafeBufferPointer { SHA256.hex(Data(buffer: $0)) }
        maskHashes[grid.geometry] = h
        return h
    }

    private func fileHash(_ path: String) throws -> String {
        if let h = fileHashes[path] { return h }
        let h = try SHA256.file(path)
        fileHashes[path] = h
        return h
    }

    func path(_ key: String) -> String { (folder as NSString).appendingPathComponent("\(key).rtml") }

    /// The layers stored under `key`, renamed to `factor`; nil when there is no valid entry.
    public func load(_ key: String, factor: String, grid: GridGeometry) -> [CandidateLayer]? {
        guard let data = FileManager.default.contents(atPath: path(key)) else { return nil }
        guard let layers = Self.decode(data, key: key, factor: factor, grid: grid) else {
            entriesRejected += 1
            return nil
        }
        layersFromCache += layers.count
        return layers
    }

    /// Stores `layers` under `key` (atomically: a temporary file renamed into place). A failure to
    /// write is not an error of the run: the layers are simply not cached.
    public func store(_ layers: [CandidateLayer], key: String) {
        layersComputed += layers.count
        guard let data = Self.encode(layers, key: key) else { return }
        let final = path(key)
        // a temporary of its own (mkstemp), so writers sharing the folder never share one
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil else { return }
        var template = Array((final + ".tmp-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return }
        let temp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
            guard rename(temp, final) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
        }
    }

    // MARK: Entry format

    /// The entry's bytes; nil when its header cannot be written (a non-finite distance).
    static func encode(_ layers: [CandidateLayer], key: String) -> Data? {
        let header = Header(key: key, layers: layers.map { l in
            switch l.values {
            case .binary(let b):
                return .init(influence: l.influence, distanceM: l.distanceM, bandwidthM: l.bandwidthM, binary: true, geometry: b.geometry, count: b.words.count)
            case .continuous(let r):
                return .init(influence: l.influence, distanceM: l.distanceM, bandwidthM: l.bandwidthM, binary: false, geometry: r.geometry, count: r.values.count)
            }
        })
        guard let json = try? JSONEncoder().encode(header) else { return nil }
        var out = Data(magic)
        append(&out, formatVersion)
        append(&out, UInt32(json.count))
        out.append(json)
        for l in layers {
            switch l.values {
            case .binary(let b): b.words.withUnsafeBufferPointer { out.append(Data(buffer: $0)) }
            case .continuous(let r): r.values.withUnsafeBufferPointer { out.append(Data(buffer: $0)) }
            }
        }
        append(&out, out.withUnsafeBytes { checksum($0) })
        return out
    }

    /// The layers of an entry, or nil when any check fails. Every length read from the entry is
    /// checked against the bytes left before it is multiplied or added, so a crafted count (2⁶³,
    /// negative, past the end) is refused, never an integer overflow (fuzzed: FuzzCache).
    static func decode(_ data: Data, key: String, factor: String, grid: GridGeometry) -> [CandidateLayer]? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [CandidateLayer]? in
            guard raw.count >= magic.count + 16, Array(raw[0..<magic.count]) == magic else { return nil }
            let body = raw.count - 8
            guard read(raw, at: body, as: UInt64.self) == checksum(UnsafeRawBufferPointer(rebasing: raw[0..<body])),
                  read(raw, at: 8, as: UInt32.self) == formatVersion else { return nil }
            let jsonCount = Int(read(raw, at: 12, as: UInt32.self))
            guard jsonCount <= body - 16,
                  let header = try? JSONDecoder().decode(Header.self, from: Data(raw[16..<16 + jsonCount])),
                  header.key == key else { return nil }
            var offset = 16 + jsonCount
            var out: [CandidateLayer] = []
            for l in header.layers {
                let width = l.binary ? 8 : 4
                guard l.count >= 0, l.count <= (body - offset) / width else { return nil }
                let size = l.count * width
                let from = raw.baseAddress! + offset
                offset += size
                if l.binary {
                    // Binary layers cover the analysis grid (study-area bits only).
                    guard l.geometry == grid, l.count == (grid.cellCount + 63) >> 6 else { return nil }
                    let words = [UInt64](unsafeUninitializedCapacity: l.count) { b, n in
                        UnsafeMutableRawPointer(b.baseAddress!).copyMemory(from: from, byteCount: size)
                        n = l.count
                    }
                    let tail = grid.cellCount & 63
                    guard tail == 0 || words[words.count - 1] >> UInt64(tail) == 0 else { return nil }
                    out.append(CandidateLayer(factor: factor, influence: l.influence, distanceM: l.distanceM, bandwidthM: l.bandwidthM,
                                              values: .binary(BitMatrix(geometry: l.geometry, words: words))))
                } else {
                    guard l.geometry == grid, l.count == grid.cellCount else { return nil }
                    let values = [Float](unsafeUninitializedCapacity: l.count) { b, n in
                        UnsafeMutableRawPointer(b.baseAddress!).copyMemory(from: from, byteCount: size)
                        n = l.count
                    }
                    out.append(CandidateLayer(factor: factor, influence: l.influence, distanceM: l.distanceM, bandwidthM: l.bandwidthM,
                                              values: .continuous(Raster(geometry: l.geometry, values: values))))
                }
            }
            return offset == body ? out : nil
        }
    }

    private static func append<T: FixedWidthInteger>(_ d: inout Data, _ v: T) {
        withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) }
    }

    private static func read<T: FixedWidthInteger>(_ b: UnsafeRawBufferPointer, at offset: Int, as _: T.Type) -> T {
        T(littleEndian: b.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// A 64-bit checksum against corruption and truncation (not against tampering): FNV-1a over
    /// 8-byte little-endian words with a final avalanche (the splitmix64 finaliser). O(bytes).
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let words = bytes.count / 8
        for i in 0..<words {
            h = (h ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))) &* 0x0000_0100_0000_01b3
        }
        for i in 8 * words..<bytes.count { h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01b3 }
        h ^= UInt64(bytes.count)
        h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
        h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
        return h ^ (h >> 31)
    }
}
