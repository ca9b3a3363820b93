import Foundation
import Testing
import Patrols
@testable import RiskTerrain

/// The attack of issue 24 run on what `rtm patrols` publishes: least squares with the documented
/// parameters, on every published time-of-week profile of the sample's plan, trying to recover
/// each hotspot's report hours. The coarse profiles (`CoarseProfile`: 16 blocks of ≥ 6 hours,
/// rounded to 5 points, from ≥ 10 reports, the count not stated) must not give them back; the
/// fine profiles published before (168 hours, σ 1.5 h smoothing, 30-report prior, shares to
/// 1e-6) did, and the same attack on them is the control that shows the test can fail.
@Suite(.serialized) struct DisclosureInversionTests {
    /// The sample's hotspots with their true report hours (what the attacker wants).
    static let truth: [(hours: [Int], published: PatrolPlan.Profile)] = {
        let spec = PatrolPlanTests.spec, fitted = PatrolPlanTests.fitted, plan = PatrolPlanTests.plan
        let o = spec.patrols ?? PatrolOptions()
        let hotspots = try! HotspotStage.find(fitted, options: spec.hotspots, streetSafe: fitted.inputs.streetSafe)
        let (outcome, streetSafe) = try! PatrolPlanner.readEvents(spec, crs: fitted.inputs.crs, options: o)
        let sites = try! PatrolSites.build(fitted, hotspots: hotspots, options: o, outcome: outcome, streetSafe: streetSafe)
        let byID = Dictionary(uniqueKeysWithValues: plan.profiles.map { ($0.hotspotId, $0) })
        return sites.sites.map { ($0.reportHours, byID[$0.hotspot.cluster.id]!.streetsafe) }
            + [(sites.reportHours, plan.areaProfiles.streetsafe)]
    }()

    static func histogram(_ hours: [Int]) -> [Int] {
        var c = [Int](repeating: 0, count: 168)
        for h in hours { c[h] += 1 }
        return c
    }

    /// Least squares on a published coarse profile: the minimum-norm x ∈ ℝ¹⁶⁸ with A·x = shares
    /// (A sums the hours of each block) puts a block's share evenly over its hours; scaled by
    /// every report count the attacker might guess (10 … 400) and rounded to whole reports.
    /// Returns whether any guess gives the true hours back, and — granting the attacker the true
    /// count — the share of the reports placed in their own hour (Σ min(recovered, true) ÷ n).
    static func coarseAttack(_ shares: [Double], truth: [Int]) -> (exact: Bool, recovered: Double) {
        let blocks = CoarseProfile.Block.all
        var x = [Double](repeating: 0, count: 168)
        for b in blocks { for h in b.hours { x[h] = shares[b.index] / Double(b.hours.count) } }
        let n = truth.reduce(0, +)
        var exact = false
        for guess in 10...400 where x.map({ Int(($0 * Double(guess)).rounded()) }) == truth { exact = true }
        let c = x.map { Int(($0 * Double(n)).rounded()) }
        return (exact, Double(zip(c, truth).reduce(0) { $0 + min($1.0, $1.1) }) / Double(n))
    }

    @Test func noPublishedProfileGivesBackTheReportHours() throws {
        var published = 0, worst = 0.0
        for (i, (hours, profile)) in Self.truth.enumerated() {
            let isArea = i == Self.truth.count - 1
            guard let shares = profile.shares else {
                // nothing published about their times: fewer than 10 reports
                #expect(hours.count < CoarseProfile.minimumEvents && profile.events != "\(CoarseProfile.minimumEvents) or more")
                continue
            }
            published += 1
            #expect(hours.count >= CoarseProfile.minimumEvents && shares.count == 16)
            let (exact, recovered) = Self.coarseAttack(shares, truth: Self.histogram(hours))
            #expect(!exact, "a hotspot's \(hours.count) report hours come back from its published profile")
            if isArea {
                // hundreds of reports: a smooth guess matches many hour counts, and says nothing of any one report
                print(String(format: "disclosure: the area-wide profile (%d reports): least squares matches %.0f%% of the hour counts, never all", hours.count, recovered * 100))
            } else { worst = max(worst, recovered) }
        }
        print(String(format: "disclosure: least squares on %d published hotspot profiles recovers at best %.0f%% of a hotspot's report hours (never all)", published - 1, worst * 100))
        #expect(published >= 3)            // the sample has hotspots with 10 and 11 reports, and the area-wide profile
        #expect(worst < 0.5)
    }

    /// The control: the fine profile of before (`TimeOfWeekProfile.shrunk`, σ 1.5 h, prior 30
    /// reports of the area-wide profile, 168 shares to 1e-6, the count published) inverted by
    /// least squares — undo the prior, then solve the circulant smoothing system — gives every
    /// hour back for the hotspots with at least 5 reports.
    @Test func theSameAttackRecoversTheFineProfilesOfBefore() throws {
        let area = TimeOfWeekProfile.areaWide(Self.truth.last!.hours, bandwidth: 1.5)
        let q = area.shares.map { ($0 * 1e6).rounded() / 1e6 }
        let kernel = TimeOfWeekProfile.smooth([1] + [Double](repeating: 0, count: 167), bandwidth: 1.5)   // column 0 of the circulant
        var recovered = 0, tried = 0
        for (hours, _) in Self.truth.dropLast() where hours.count >= 5 {
            tried += 1
            let n = Double(hours.count), k = 30.0
            let p = TimeOfWeekProfile.shrunk(hours, toward: area, priorWeight: k, bandwidth: 1.5).shares.map { ($0 * 1e6).rounded() / 1e6 }
            let y = zip(p, q).map { $0 * (n + k) - k * $1 }
            // K[i][j] = kernel[(i − j) mod 168]; solve K c = y
            var m: [[Double]] = []
            for i in 0..<168 {
                var row = [Double](repeating: 0, count: 169)
                for j in 0..<168 { row[j] = kernel[((i - j) % 168 + 168) % 168] }
                row[168] = y[i]
                m.append(row)
            }
            for col in 0..<168 {
                let pivot = (col..<168).max { abs(m[$0][col]) < abs(m[$1][col]) }!
                m.swapAt(col, pivot)
                for r in 0..<168 where r != col {
                    let f = m[r][col] / m[col][col]
                    if f != 0 { for c in col...168 { m[r][c] -= f * m[col][c] } }
                }
            }
            let c = (0..<168).map { Int((m[$0][168] / m[$0][$0]).rounded()) }
            if c == Self.histogram(hours) { recovered += 1 }
        }
        print("disclosure control: the fine profiles of before give back every report hour of \(recovered) of \(tried) hotspots")
        #expect(tried >= 4 && recovered == tried)
    }
}
