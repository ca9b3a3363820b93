import Foundation

/// `runs.jsonl` in an output folder: one JSON line per run that reached the folder — when it
/// ended, whether it `completed`, `failed` or was `interrupted`, and why — so a folder whose
/// outputs are older than the last attempt says so. Appended with O_APPEND and never rewritten;
/// best effort (a full disk that stopped the run may stop the line too).
public enum RunLog {
    public struct Entry: Codable, Equatable, Sendable {
        public var ended: String
        public var status: String
        public var reason: String?
        public var pid: Int32
        public var manifestSha256: String?

        init(status: String, reason: String? = nil, manifestSha256: String? = nil) {
            ended = ISO8601DateFormatter().string(from: Date())
            self.status = status
            self.reason = reason
            pid = getpid()
            self.manifestSha256 = manifestSha256
        }
    }

    public static let fileName = "runs.jsonl"

    static func append(_ entry: Entry, to folder: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard var line = try? encoder.encode(entry) else { return }
        line.append(0x0A)
        let fd = open((folder as NSString).appendingPathComponent(fileName), O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// The entries of a folder's log, oldest first (unreadable lines are left out).
    public static func entries(in folder: String) -> [Entry] {
        guard let text = try? String(contentsOfFile: (folder as NSString).appendingPathComponent(fileName), encoding: .utf8) else { return [] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return text.split(separator: "\n").compactMap { try? decoder.decode(Entry.self, from: Data($0.utf8)) }
    }
}
