import Foundation

/// An axis-aligned rectangle in a projected CRS (metres), as `minX, minY, maxX, maxY`.
public struct Extent: Hashable, Sendable, Codable, CustomStringConvertible {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var isEmpty: Bool { !(maxX > minX && maxY > minY) }

    /// The smallest extent that holds both.
    public func union(_ other: Extent) -> Extent {
        Extent(minX: Swift.min(minX, other.minX), minY: Swift.min(minY, other.minY),
               maxX: Swift.max(maxX, other.maxX), maxY: Swift.max(maxY, other.maxY))
    }

    /// Whether the two rectangles share any area or edge.
    public func intersects(_ other: Extent) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    /// This extent grown by `margin` on every side.
    public func expanded(by margin: Double) -> Extent {
        Extent(minX: minX - margin, minY: minY - margin, maxX: maxX + margin, maxY: maxY + margin)
    }

    public var description: String {
        func f(_ v: Double) -> String { v.formatted6 }
        return "[\(f(minX)), \(f(minY))] – [\(f(maxX)), \(f(maxY))]"
    }
}

extension Double {
    /// Up to six significant decimals, without trailing zeros: for messages and reports.
    var formatted6: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int64(self)) }
        var s = String(format: "%.6f", self)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
