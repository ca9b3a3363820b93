import Foundation

/// Options of the stepwise search.
public struct StepwiseOptions: Sendable {
    /// Options of every GLM fit (warm starts are filled in by the search).
    public var glm = GLMOptions()
    /// A move is taken only if it lowers BIC by more than this (R's step() rule).
    public var minImprovement: Double = 1e-7
    public var maxSteps: Int = 1000
    /// Candidate moves of one step are fitted on this many workers.
    public var workers: Int = 2
    public init() {}
}

public enum StepMove: String, Sendable, Codable {
    case start, add, drop
}

/// One accepted move of the stepwise search.
public struct StepwiseStep: Sendable, Equatable {
    public let step: Int
    public let move: StepMove
    /// Design column added or dropped (nil for the start).
    public let column: Int?
    public let name: String?
    public let bic: Double
    public let terms: [Int]
}

/// Result of a stepwise search for one family.
public struct StepwiseResult: Sendable {
    public let family: Family
    public let model: GLMFit
    public let path: [StepwiseStep]
    /// GLM fits made (cached repeats excluded).
    public let fitCount: Int
}

/// Bidirectional stepwise selection from the null model by BIC = −2ℓ + k ln(n cells), for the
/// Poisson or the NB2 family (as R's `step(direction = "both", k = log(n))`): at each step every
/// single addition of a candidate and every single removal competes; the move with the lowest
/// BIC is taken if it lowers BIC by more than 1e-7; the search stops when none does. Fits are
/// warm-started from the current model (0 for an added term; the current θ for NB). When all
/// candidates are binary the fits run on exact groups built from the current model's sufficient
/// statistics (`GroupedModel`): an addition costs O(nnz of the column + events + groups), a
/// removal O(groups + events), plus the GLM on ≤ 2^k patterns. Candidate fits that fail
/// (separation, collinearity) are skipped. Moves of one step are fitted on `workers` threads.
public func stepwiseBIC(_ design: DesignMatrix, candidates: [Int], family: Family,
                        options: StepwiseOptions = StepwiseOptions()) throws -> StepwiseResult {
    let ev = EventIndex(design)
    return try stepwiseBIC(design, candidates: candidates, family: family, options: options, events: ev)
}

func stepwiseBIC(_ design: DesignMatrix, candidates: [Int], family: Family, options: StepwiseOptions, events ev: EventIndex) throws -> StepwiseResult {
    let allBinary = candidates.allSatisfy { design.columns[$0].isBinary } && candidates.count <= 64
    let useGroups = options.glm.grouping && allBinary && (family == .poisson || design.offset == nil)
    var fits = 0
    var cache = [[Int]: GLMFit]()

    func fit(columns: [Int], candidate: GroupedModel.Candidate?, start: [Double]?, theta: Double?) throws -> GLMFit {
        var o = options.glm
        o.start = start
        o.startTheta = theta
        o.workers = 1
        let rows: GLMRows
        if let c = candidate {
            rows = family == .poisson ? c.poissonRows(design, ev) : c.negativeBinomialRows(design, ev)
        } else {
            o.workers = options.workers
            rows = modelRows(design, columns, family, grouping: options.glm.grouping)
        }
        switch family {
        case .poisson: return try fitPoisson(rows: rows, design: design, columns: columns, options: o, saturated: ev.saturated)
        case .negativeBinomial: return try fitNegativeBinomial(rows: rows, design: design, columns: columns, options: o, poisson: nil)
        }
    }

    var state = useGroups ? GroupedModel.null(design, ev) : nil
    var current = try fit(columns: [], candidate: useGroups ? state!.dropping(at: -1) : nil, start: nil, theta: nil)
    fits += 1
    cache[[]] = current
    var path = [StepwiseStep(step: 0, move: .start, column: nil, name: nil, bic: current.bic, terms: [])]
    struct Move { let move: StepMove; let column: Int; let columns: [Int]; let start: [Double] }
    for step in 1...options.maxSteps {
        let cur = current.columns
        var moves = [Move]()
        let b = current.coefficients
        for c in candidates where !cur.contains(c) { moves.append(Move(move: .add, column: c, columns: cur + [c], start: b + [0])) }
        for (t, c) in cur.enumerated() {
            var s = b; s.remove(at: t + 1)
            moves.append(Move(move: .drop, column: c, columns: cur.filter { $0 != c }, start: s))
        }
        if moves.isEmpty { break }
        var results = [GLMFit?](repeating: nil, count: moves.count)
        var candidatesFor = [GroupedModel.Candidate?](repeating: nil, count: moves.count)
        var fresh = [Bool](repeating: false, count: moves.count)
        let st = state, theta = current.theta
        let snapshot = cache
        let workers = max(1, min(options.workers, moves.count))
        results.withUnsafeMutableBufferPointer { rp in
            candidatesFor.withUnsafeMutableBufferPointer { cp in
                fresh.withUnsafeMutableBufferPointer { fp in
                    let r = rp.baseAddress!, cpp = cp.baseAddress!, f = fp.baseAddress!
                    parallelWorkers(workers) { w in
                        var m = w
                        while m < moves.count {
                            let mv = moves[m]
                            let key = mv.columns
                            if let hit = snapshot[key] { r[m] = hit } else {
                                var cand: GroupedModel.Candidate? = nil
                                if let s = st {
                                    cand = mv.move == .add ? s.adding(mv.column) : s.dropping(at: cur.firstIndex(of: mv.column)!)
                                }
                                r[m] = try? fit(columns: mv.columns, candidate: cand, start: mv.start, theta: theta)
                                cpp[m] = cand
                                f[m] = true
                            }
                            m += workers
                        }
                    }
                }
            }
        }
        for (m, mv) in moves.enumerated() where fresh[m] {
            fits += 1
            if let r = results[m] { cache[mv.columns] = r }
        }
        var best: Int? = nil
        for m in 0..<moves.count {
            guard let r = results[m] else { continue }
            if best == nil || r.bic < results[best!]!.bic { best = m }
        }
        guard let bi = best, results[bi]!.bic < current.bic - options.minImprovement else { break }
        let mv = moves[bi]
        current = results[bi]!
        if let s = state {
            let cand = candidatesFor[bi] ?? (mv.move == .add ? s.adding(mv.column) : s.dropping(at: cur.firstIndex(of: mv.column)!))
            state = s.accept(cand)
        }
        path.append(StepwiseStep(step: step, move: mv.move, column: mv.column, name: design.names[mv.column], bic: current.bic, terms: current.columns))
    }
    return StepwiseResult(family: family, model: current, path: path, fitCount: fits)
}
