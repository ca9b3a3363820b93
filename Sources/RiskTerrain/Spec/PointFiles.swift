import Foundation
import GeoIO

/// The files behind a point input written as a file, a folder, a glob or a list — data.police.uk
/// as downloaded: a folder per month (`2024-01/2024-01-metropolitan-street.csv`), several forces
/// side by side.
///
/// - A **file** is read as it is (any OGR format; a missing one is left to the reader's error).
/// - A **folder** is walked recursively, in path order. Its CSVs with data.police.uk's
///   street-level header are read; when it holds none, its CSVs that share the first CSV's header
///   are (a folder of StreetSafe exports). Every other file is listed in `skipped`, with why.
/// - A **glob** (`police/*/2024-*-street.csv`; `*`, `?`, `[…]` as the shell has them) is
///   expanded in path order; a folder it matches is walked as above. A glob that matches nothing
///   is an error.
/// - A **list** is each of its entries in turn. A file named twice is read once.
enum PointFiles {
    /// More files than a folder of police downloads holds (15 years × 45 forces × 3 kinds ≈ 24 K):
    /// past this a folder is probably not the one meant (`/`, a home folder).
    static let maximumFiles = 50_000

    struct Resolved {
        var files: [String] = []
        var skipped: [LayerSource.SkippedFile] = []
    }

    static func resolve(_ entries: [String], fail: (String) -> SpecError) throws -> Resolved {
        var files: [String] = [], skipped: [LayerSource.SkippedFile] = []
        var seen = Set<String>()
        func add(_ file: String) { if seen.insert(file).inserted { files.append(file) } }
        func folder(_ root: String, fail: (String) -> SpecError) throws -> [String] {
            let (read, notRead) = try Self.folder(root, fail: fail)
            skipped += notRead
            return read
        }
        for entry in entries {
            // a name that exists as written is that file or folder, brackets and all
            if isGlob(entry), !FileManager.default.fileExists(atPath: entry) {
                let matches = try glob(entry, fail: fail)
                if matches.isEmpty { throw fail("'\(entry)' matches no file — check the pattern (relative patterns resolve against the spec's folder)") }
                for m in matches {
                    if isDirectory(m) { try folder(m, fail: fail).forEach(add) } else { add(m) }
                }
            } else if isDirectory(entry) {
                try folder(entry, fail: fail).forEach(add)
            } else {
                add(entry)
            }
        }
        return Resolved(files: files, skipped: skipped)
    }

    static func isGlob(_ path: String) -> Bool { path.contains { "*?[".contains($0) } }

    static func isDirectory(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }

    /// glob(3), its matches sorted again here by path in byte order (not in the C locale's collation).
    private static func glob(_ pattern: String, fail: (String) -> SpecError) throws -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        let status = Glibc.glob(pattern, 0, nil, &g)
        if status == GLOB_NOMATCH { return [] }
        guard status == 0 else { throw fail("'\(pattern)' could not be expanded (glob error \(status)) — check the pattern and the folders' permissions") }
        let paths = (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }
        if paths.count > maximumFiles { throw fail("'\(pattern)' matches \(paths.count) files (more than \(maximumFiles)) — narrow the pattern") }
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// A folder's point files (see the type's documentation), recursively, in path order, and
    /// the files it holds that are not read.
    private static func folder(_ root: String, fail: (String) -> SpecError) throws -> (read: [String], skipped: [LayerSource.SkippedFile]) {
        // a folder that is a link (to the downloads elsewhere) is walked where it points
        guard let walker = FileManager.default.enumerator(atPath: URL(fileURLWithPath: root).resolvingSymlinksInPath().path) else {
            throw fail("'\(root)' cannot be read — check the folder's permissions")
        }
        var all: [String] = []
        while let relative = walker.nextObject() as? String {
            let path = (root as NSString).appendingPathComponent(relative)
            if isDirectory(path) { continue }
            all.append(path)
            if all.count > maximumFiles {
                throw fail("'\(root)' holds more than \(maximumFiles) files — name the folder of the downloads, a glob or a list")
            }
        }
        all.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let csvs = all.filter { ($0 as NSString).pathExtension.lowercased() == "csv" }
        let headers = csvs.map { CSVHeader.columns(of: $0) }
        let police = zip(csvs, headers).filter { $0.1.map(CSVHeader.isPoliceUK) ?? false }.map(\.0)
        let wanted: Set<String>
        let why: (String) -> String
        if !police.isEmpty {
            wanted = Set(police)
            why = { _ in "a CSV without data.police.uk's street-level header" }
        } else if let first = headers.compactMap({ $0 }).first {
            wanted = Set(zip(csvs, headers).filter { $0.1 == first }.map(\.0))
            why = { _ in "a CSV whose header differs from the folder's first CSV" }
        } else {
            throw fail("'\(root)' holds no CSV file (\(all.count) other file\(all.count == 1 ? "" : "s")) — name the file to read, or the folder of the data.police.uk download")
        }
        var read: [String] = [], skipped: [LayerSource.SkippedFile] = []
        for path in all {
            if wanted.contains(path) { read.append(path); continue }
            let isCSV = (path as NSString).pathExtension.lowercased() == "csv"
            skipped.append(.init(path: path, reason: isCSV ? why(path) : "not a CSV"))
        }
        return (read, skipped)
    }
}

/// GDAL virtual file systems in input paths: which ones fetch, and the local file behind an archive.
enum VirtualPaths {
    /// Prefixes GDAL opens without a network: archives and compressed files of a local file.
    static let local = ["/vsizip/", "/vsigzip/", "/vsitar/", "/vsi7z/", "/vsirar/"]

    /// Whether GDAL would open the path through a virtual file system at all.
    static func isVirtual(_ path: String) -> Bool { path.contains("/vsi") || hasURLScheme(path) }

    /// Whether opening it may reach the network: `/vsicurl/`, `/vsis3/`, … or a URL (GDAL opens
    /// `http://` paths through /vsicurl/), anywhere in the chain (`/vsizip/vsicurl/…` fetches too).
    static func fetches(_ path: String) -> Bool {
        if hasURLScheme(path) { return true }
        var rest = Substring(path)
        while let r = rest.range(of: "/vsi") {
            let name = rest[r.upperBound...].prefix { $0 != "/" && $0 != "{" }
            if !local.contains("/vsi\(name)/") { return true }
            rest = rest[r.upperBound...]
        }
        return false
    }

    private static func hasURLScheme(_ path: String) -> Bool {
        path.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*://"#, options: .regularExpression) != nil
    }

    /// `/vsizip/` + the archive's path + the path inside it, with a relative archive path (GDAL's
    /// `/vsizip/sample.zip/x.csv`) made absolute against `folder`; `/vsizip//abs/…` and GDAL's
    /// `{…}` form are kept as written.
    static func resolvingArchive(_ path: String, against folder: URL) -> String {
        guard let prefix = local.first(where: { path.hasPrefix($0) }) else { return path }
        let rest = String(path.dropFirst(prefix.count))
        if rest.hasPrefix("/") || rest.hasPrefix("{") { return path }
        return prefix + folder.appendingPathComponent(rest).standardizedFileURL.path      // /vsizip//abs/…
    }

    /// The local archive a `/vsizip/…` path reads, for its fingerprint; nil for other paths.
    static func archive(of path: String) -> String? {
        guard let prefix = local.first(where: { path.hasPrefix($0) }) else { return nil }
        var rest = String(path.dropFirst(prefix.count))
        if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") { return String(rest[rest.index(after: rest.startIndex)..<close]) }
        if !rest.hasPrefix("/") { rest = "/" + rest }
        var components: [Substring] = []
        for c in rest.split(separator: "/") {
            components.append(c)
            let lower = c.lowercased()
            if [".zip", ".gz", ".tar", ".tgz", ".7z", ".rar"].contains(where: lower.hasSuffix) {
                return "/" + components.joined(separator: "/")
            }
        }
        return nil
    }
}
