import Foundation

/// Safe screening of the grouped KKT pass: the sums of a column that provably neither violates
/// the KKT conditions nor joins the next λ's strong set are skipped.
///
/// Between two KKT rounds of a path, the standardised gradient of column j,
/// g_j = Σ_i q_i (x_ij − m_j)(y_i − μ_i) / s_j (q summing to 1, m_j = Σ q x_j), moves by
/// Δg_j = −(S_j − m_j S) / s_j, with S_j = Σ_{x_ij=1} q_i Δμ_i and S = Σ_i q_i Δμ_i = U − D, where
/// U = Σ_i q_i (Δμ_i)⁺ and D = Σ_i q_i (Δμ_i)⁻. As −D ≤ S_j ≤ U, S_j − m_j S lies between
/// −((1 − m_j)D + m_j U) and (1 − m_j)U + m_j D, so |Δg_j| ≤ max(U, D) / s_j. And by
/// Cauchy–Schwarz, s_j·Δg_j = −Σ_i q_i (x_ij − m_j) Δμ_i ≤ √(Σ q (x_j − m_j)²) · √(Σ q Δμ²), with
/// Σ q (x_j − m_j)² = s_j², so |Δg_j| ≤ √V, V = Σ_i q_i (Δμ_i)² — the same for every column, and
/// tighter than the first when the means move a little everywhere (a column with m_j = 0.12 has
/// s_j = 0.32: the first bound is ≥ 3·max(U, D), the second ≈ max(U, D) for an even move). U, D
/// and V are sums over the groups (μ is constant on a group). Summing each bound's drifts since a
/// column's gradient was last summed bounds its gradient now by the smaller sum (the gap safe
/// rules of Fercoq, Gramfort & Salmon 2015 bound it through the duality gap instead; these need
/// only the means, which the passes have).
/// A column whose bound is below both the KKT threshold αλ and the next λ's strong-rule
/// threshold α(2λ' − λ), less a 1e-6 relative margin for rounding (the computed gradients' error
/// is ~1e-13), is not summed: the sums would have found it below both too, so every decision —
/// the violators, the next strong set — is the one the full sums give, and the path is the same,
/// bit for bit. Its gradient stays the last summed one until it is summed again.
struct KKTScreen {
    /// Whether the set's `meansAtKKT` hold this path's e^η per group at its last KKT round, on
    /// the current groups (carried through refinements: `ENPathSet.refine`).
    var atKKTValid = false
    /// Σ over this path's KKT rounds of max(U, D), and of √V, since the round before.
    var drift = 0.0, driftL2 = 0.0
    /// Per column: `drift` and `driftL2` when its gradient was last summed.
    var driftAt: [Double] = [], driftL2At: [Double] = []
    /// Per column: its gradient is from an earlier round (skipped by the screen in the last one).
    var skipped: [Bool] = []
    /// Columns summed and skipped over the path's KKT rounds (for the profile).
    var summedTotal = 0, skippedTotal = 0
}

/// How far a path's means moved between two KKT rounds: Σq(Δμ)⁺, Σq(Δμ)⁻ and Σq(Δμ)².
struct MeanMovement {
    var up = 0.0, down = 0.0, squared = 0.0
}

extension ENSolver {
    /// Whether the screen can bound this path's gradients: it is on, and the means at the last
    /// KKT round are on the current groups.
    var screenTraces: Bool {
        guard o.screenKKT, let gr = groups, seenGeneration == gr.generation else { return false }
        return screen.atKKTValid && meansValid
    }

    /// The binary columns outside `inGroups` (the groups' columns have their sums from the
    /// passes) whose KKT sums this path needs at its current means: all of them at the first
    /// round (`moved` nil: not `screenTraces`), else those the screen cannot rule out given how
    /// far the means `moved` since the last round (Σq(Δμ)⁺, Σq(Δμ)⁻, Σq(Δμ)²:
    /// `ENPathSet.screenMovement`).
    func kktNeeds(outside inGroups: [UInt64], moved: MeanMovement?) -> [UInt64] {
        let W = d.wordsPerRow
        var need = [UInt64](repeating: 0, count: W)
        let traced = moved != nil
        if let m = moved { screen.drift += max(m.up, m.down); screen.driftL2 += m.squared.squareRoot() }
        let next = li + 1 < lambdas.count ? o.alpha * (2 * lambdas[li + 1] - lam) : l1
        let threshold = min(l1, next) * (1 - 1e-6)
        for j in 0..<d.binaryCount where usable[j] && strongIndex[j] < 0 && !maskHas(inGroups, j) {
            let reach = min((screen.drift - screen.driftAt[j]) / sd[j], screen.driftL2 - screen.driftL2At[j])
            if !(traced && abs(grad[j]) + reach < threshold) { need[j >> 6] |= 1 << UInt64(j & 63) }
        }
        return need
    }

    /// The KKT sums Σ_{x_j=1} q·μ of the columns in `summed` (from `ENPathSet.kkt`; the others
    /// outside the groups were screened out: see `KKTScreen`); true when a column violated the
    /// conditions (it joined the strong set: refine the groups, then `nextWant`), false when the
    /// λ is solved.
    func takeKKT(_ s: [Double], summed: [UInt64]) -> Bool {
        // On groups every column is binary. Those the groups are split by have their sums from
        // the last pass; of the others, those not summed were screened out.
        let inGroups = groups!.mask
        var outside = 0, skippedNow = 0
        for j in 0..<p {
            let fromPass = maskHas(inGroups, j), isSummed = maskHas(summed, j)
            if isSummed && strongIndex[j] < 0 { ps.xw[j] += s[j]; ps.xr[j] += qyx[j] - s[j] }
            screen.skipped[j] = usable[j] && !fromPass && !isSummed
            if usable[j] && !fromPass { outside += 1 }
            if screen.skipped[j] { skippedNow += 1 } else if usable[j] { screen.driftAt[j] = screen.drift; screen.driftL2At[j] = screen.driftL2 }
        }
        screen.summedTotal += outside - skippedNow; screen.skippedTotal += skippedNow
        screen.atKKTValid = true        // (the round copied its means: `ENPathSet.screenMovement`)
        sumsCurrent = true
        if checkKKT() { needFull = false; resumePass = true; return true }
        return false
    }
}
