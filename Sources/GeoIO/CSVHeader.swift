import Foundation

/// A CSV file's header line, read without GDAL: enough to tell a data.police.uk street-level
/// file from anything else in a downloaded folder.
public enum CSVHeader {
    /// The column names of the first line (a UTF-8 byte-order mark dropped, quotes removed), or nil
    /// when the file cannot be read or its first 64 kB hold no line.
    public static func columns(of path: String) -> [String]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 65_536), !data.isEmpty else { return nil }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let end = bytes.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) ?? (data.count < 65_536 ? bytes.endIndex : nil) else { return nil }
        let line = String(decoding: bytes[..<end], as: UTF8.self)
        return line.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
    }

    /// Whether the columns are data.police.uk's street-level crime header (Crime ID, Month,
    /// Longitude, Latitude, Crime type among them).
    public static func isPoliceUK(_ columns: [String]) -> Bool { CSVColumns.isPoliceUK(columns) }
}
