import Testing
import Patrols
import RiskModel

@Suite struct RiskCoverageTests {
    @Test func gainIsTheDifferenceOfValuesAndShrinks() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<500 {
            let gamma = rng.uniform(0, 1)
            let values = (0..<rng.int(0...6)).map { _ in rng.uniform() }.sorted(by: >)
            let x = rng.uniform()
            let exact = RiskCoverage.value(values + [x], decay: gamma) - RiskCoverage.value(values, decay: gamma)
            #expect(abs(RiskCoverage.gain(adding: x, to: values, decay: gamma) - exact) < 1e-12)
            // submodular: the same visit gains no more once another has been added
            let more = (values + [rng.uniform()]).sorted(by: >)
            #expect(RiskCoverage.gain(adding: x, to: more, decay: gamma) <= RiskCoverage.gain(adding: x, to: values, decay: gamma) + 1e-12)
        }
    }

    @Test func heldOutSharesCountEventsAtVisitedPlacesWhileTeamsAreThere() {
        let v = [Visit(site: 0, day: 4, team: 1, start: 4 * 1440 + 22 * 60, end: 4 * 1440 + 23 * 60, allocation: .greedy),
                 Visit(site: 0, day: 6, team: 1, start: 6 * 1440 + 23 * 60 + 30, end: 6 * 1440 + 24 * 60 + 30, allocation: .greedy)]
        // site 0: events Fri 22:10 (covered), Fri 23:10 (not), Mon 00:15 (covered: the Sunday visit runs past midnight);
        // site 1 is never visited
        let minutes = [[4 * 1440 + 22 * 60 + 10, 4 * 1440 + 23 * 60 + 10, 15], [4 * 1440 + 22 * 60 + 10]]
        #expect(RiskCoverage.observedShare(of: v, eventMinutesPerSite: minutes, totalEvents: 8) == 2.0 / 8)
        // expected share under a profile: flat profile, 2 hours of 168, 10 of 20 events at the site
        let share = RiskCoverage.expectedShare(of: v, profiles: [.uniform, .uniform], eventsPerSite: [10, 5], totalEvents: 20)
        #expect(abs(share - 10 * (2.0 / 168) / 20) < 1e-12)
    }
}
