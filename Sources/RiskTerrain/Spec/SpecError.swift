import GeoIO

/// A problem in a model spec, named with the file, the line and the key, and what to write instead.
public struct SpecError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    /// Key path, e.g. "factors[2].influence".
    public let key: String
    public let message: String

    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        let at = line.map { "\(file) line \($0)" } ?? file
        return key.isEmpty ? "\(at): \(message)" : "\(at): \(key): \(message)"
    }
}
