import Testing
@testable import Hotspots

/// The StreetSafe lens: R's `binom.test` p-values (Golden/binom_test.R and its output,
/// binom_test.txt) and verdicts on a hand-made study area.
@Suite struct ConcernLensTests {
    /// (x, n, π, R's two-sided p), from Golden/binom_test.txt.
    static let golden: [(Int, Int, Double, Double)] = [
        (3, 20, 0.30, 0.22041826738070938),
        (12, 20, 0.30, 0.0059360841980975144),
        (0, 15, 0.10, 0.38995220120104024),
        (40, 100, 0.25, 0.0010801099946617443),
        (7, 7, 0.50, 0.015625000000000007),
        (250, 1000, 0.20, 0.00012262983509634838),
        (0, 100, 0.10, 3.9634216318837877e-05),
        (20, 40, 0.10, 1.8718579354174061e-10),
        (5, 50, 0.10, 1),
    ]

    @Test func exactBinomialMatchesR() {
        for (x, n, pi, p) in Self.golden {
            let ours = ConcernLens.binomialTwoSided(x, n, pi)
            #expect(abs(ours - p) <= 1e-10 * p, "binom.test(\(x), \(n), \(pi)): \(ours) vs R \(p)")
        }
    }

    /// A study area of 900 events and 100 reports (π = 0.1); four places.
    @Test func placesWhereConcernAndCrimeDisagree() {
        let places = [
            ConcernLens.Place(events: 20, reports: 20),   // half reports where a tenth is expected
            ConcernLens.Place(events: 100, reports: 0),   // crime with no report at all
            ConcernLens.Place(events: 45, reports: 5),    // exactly the expected share
            ConcernLens.Place(events: 3, reports: 2),     // 5 < the minimum of 10
        ]
        let c = ConcernLens.compare(places, totalEvents: 900, totalReports: 100)
        #expect(c.map(\.verdict) == [.moreConcern, .moreCrime, .inLine, .tooFew])
        // BH over the three tested places, as R's p.adjust(…, "BH") gives them
        let rAdjusted = [5.6155738062522187e-10, 5.9451324478256815e-05, 1]
        for (ours, r) in zip(c.prefix(3).map(\.adjusted), rAdjusted) { #expect(abs(ours - r) <= 1e-10 * r) }
        #expect(c[3].p.isNaN && c[3].adjusted.isNaN)
        #expect(c.allSatisfy { $0.expectedShare == 0.1 })
        #expect(c[0].reportShare == 0.5 && c[1].reportShare == 0)
    }

    /// Without any report (or any event) in the study area there is nothing to compare.
    @Test func degenerateTotalsCompareNothing() {
        let c = ConcernLens.compare([ConcernLens.Place(events: 30, reports: 0)], totalEvents: 300, totalReports: 0)
        #expect(c[0].verdict == .tooFew)
    }
}
