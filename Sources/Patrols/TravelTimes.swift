import Foundation

/// Minutes to go from one place to another.
///
/// `walking` is the straight-line distance × a circuity factor ÷ walking speed: the detour a street
/// network forces is about 1.2–1.4 × the straight line in European cities (Levinson & El-Geneidy
/// 2009 measure 1.18–1.35; 1.3 is the usual planning figure). O(n²) for n places.
public struct TravelTimes: Sendable, Equatable {
    /// minutes[i][j]: from place i to place j.
    public let minutes: [[Double]]

    public init(minutes: [[Double]]) {
        precondition(minutes.allSatisfy { $0.count == minutes.count }, "a square matrix of minutes")
        self.minutes = minutes
    }

    /// Every move takes no time (tests, or places so close together that it does not matter).
    public static func none(_ count: Int) -> TravelTimes {
        TravelTimes(minutes: Array(repeating: Array(repeating: 0, count: count), count: count))
    }

    /// Walking between points (metres, projected) at `metresPerMinute` along a path `circuity` ×
    /// the straight line.
    public static func walking(_ points: [(x: Double, y: Double)], metresPerMinute: Double = 80, circuity: Double = 1.3) -> TravelTimes {
        precondition(metresPerMinute > 0 && circuity >= 1)
        return TravelTimes(minutes: points.map { a in points.map { b in
            ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() * circuity / metresPerMinute
        } })
    }

    public subscript(from: Int, to: Int) -> Double { minutes[from][to] }
}
