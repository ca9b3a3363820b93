import Testing
import Patrols
import RiskModel

@Suite struct TimeOfWeekProfileTests {
    @Test func smoothingKeepsEveryEventAndWrapsAroundTheWeek() {
        var counts = [Double](repeating: 0, count: 168)
        counts[0] = 10                                   // Monday 00:00–01:00
        counts[100] = 4
        let s = TimeOfWeekProfile.smooth(counts, bandwidth: 2)
        #expect(abs(s.reduce(0, +) - 14) < 1e-12)
        #expect(s[167] > 0 && abs(s[167] - s[1]) < 1e-12)  // Sunday 23:00 hears Monday 00:00 as much as Monday 01:00 does
        #expect(s[0] > s[1] && s[1] > s[2])
    }

    @Test func fewEventsStayNearTheAreaAndManyEventsSpeakForThemselves() {
        let area = TimeOfWeekProfile.areaWide(Array(0..<168), bandwidth: 0)          // flat
        let few = TimeOfWeekProfile.shrunk([118, 118], toward: area, priorWeight: 30, bandwidth: 0)
        let many = TimeOfWeekProfile.shrunk(Array(repeating: 118, count: 3000), toward: area, priorWeight: 30, bandwidth: 0)
        // posterior mean (c + k q) / (n + k): exact values
        #expect(abs(few.shares[118] - (2 + 30.0 / 168) / 32) < 1e-12)
        #expect(abs(few.shares[0] - (30.0 / 168) / 32) < 1e-12)
        #expect(abs(many.shares[118] - (3000 + 30.0 / 168) / 3030) < 1e-12)
        #expect(few.source == .observed(events: 2, priorWeight: 30))
        let none = TimeOfWeekProfile.shrunk([], toward: area, priorWeight: 30, bandwidth: 0)
        #expect(zip(none.shares, area.shares).allSatisfy { abs($0 - $1) < 1e-15 } && none.source == .areaWide(events: 0))
        #expect(TimeOfWeekProfile.areaWide([], bandwidth: 1) == .uniform)
    }

    @Test func sharesOfIntervalsAddUpAndWrap() {
        var rng = SplitMix64(seed: 3)
        let p = TimeOfWeekProfile.areaWide((0..<50).map { _ in rng.int(0...167) }, bandwidth: 1)
        #expect(abs(p.share(fromMinute: 0, toMinute: 10_080) - 1) < 1e-12)
        #expect(abs(p.share(fromMinute: 600, toMinute: 630) - p.shares[10] / 2) < 1e-15)
        // a Sunday shift across midnight runs into Monday morning
        #expect(abs(p.share(fromMinute: 10_080 - 60, toMinute: 10_080 + 60) - (p.shares[167] + p.shares[0])) < 1e-15)
        #expect(TimeOfWeekProfile.label(hour: 118) == "Fri 22:00")
        let peaks = p.peakHours(3, among: Array(0..<168))
        #expect(peaks.count == 3 && peaks.allSatisfy { h in p.shares[h] >= p.shares.sorted(by: >)[2] })
    }
}

/// The published form of a profile: 16 blocks, from 10 events, shares to 0.05.
@Suite struct CoarseProfileTests {
    @Test func blocksPoolAtLeastSixHoursAndSharesAreRounded() throws {
        #expect(CoarseProfile.Block.all.count == 16 && CoarseProfile.Block.all.allSatisfy { $0.hours.count >= 6 })
        #expect(Set(CoarseProfile.Block.all.flatMap(\.hours)) == Set(0..<168))
        #expect(CoarseProfile.Block.of(hourOfWeek: 4 * 24 + 22).label == "weekday 21:00–24:00")
        #expect(CoarseProfile.Block.of(hourOfWeek: 5 * 24 + 1).label == "weekend 00:00–03:00")
        #expect(CoarseProfile(hoursOfWeek: Array(repeating: 22, count: 9)) == nil)
        // 7 of 11 on Saturday night, 4 on Monday afternoon: 0.636 → 0.65, 0.364 → 0.35
        let p = try #require(CoarseProfile(hoursOfWeek: Array(repeating: 5 * 24 + 22, count: 7) + Array(repeating: 15, count: 4)))
        #expect(p.shares[CoarseProfile.Block(weekend: true, part: 7).index] == 0.65 && p.shares[CoarseProfile.Block(weekend: false, part: 5).index] == 0.35)
        #expect(p.busiest(3, among: Array(0..<168)).map(\.label) == ["weekend 21:00–24:00", "weekday 15:00–18:00"])
        #expect(p.busiest(3, among: Array(14..<20)).map(\.label) == ["weekday 15:00–18:00"])
    }
}
