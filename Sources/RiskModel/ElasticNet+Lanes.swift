/// Per-group values of every path of an `ENPathSet` on row groups, side by side: path t in lane
/// t % 4 of block t / 4, `blocks` SIMD4 per group. A pass over the groups reads and writes a
/// group's paths with one vector load or store per block (not a scalar per path, each path's
/// array a stream of its own), and the KKT pass gathers a row's group's means in `blocks` loads.
/// Or, for one path's own values (`lanes: false`), one Double per group.
///
/// Groups keep their numbers through a refinement and the new ones come after
/// (`StrongGroups.lineage`), so the values follow by appending each new group's parent's —
/// exact for anything that depends only on a group's linear predictor, as columns join the
/// groups with zero coefficients. Room for as many groups as rows is allocated once and not
/// initialised: its pages are made as the groups reach them (by the workers that write them),
/// and no refinement copies the values already there.
final class GroupLanes {
    /// SIMD4 blocks per group, or 0: one Double per group.
    let blocks: Int
    private let room: Int                   // groups
    private let raw: UnsafeMutableRawPointer
    /// Groups with values (every lane of them written).
    private(set) var groups = 0
    /// The groups' generation the values are on (−1: none yet).
    private var generation = -1

    init(paths: Int, rows: Int, lanes: Bool = true) {
        precondition(lanes || paths == 1, "GroupLanes: several paths are held in lanes")
        blocks = lanes ? (paths + 3) / 4 : 0
        room = max(1, rows)
        if lanes {
            raw = UnsafeMutableRawPointer(UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: room * blocks))
        } else {
            raw = UnsafeMutableRawPointer(UnsafeMutablePointer<Double>.allocate(capacity: room))
        }
    }

    deinit { raw.deallocate() }

    /// Follows the groups to their last update: the new groups take their parents' values
    /// (true), or — when the values were not on the groups just before it — all start at zero
    /// (false: no path's values are valid any more). The copies on `workers`.
    @discardableResult
    func follow(_ gr: StrongGroups, workers: Int) -> Bool {
        if generation == gr.generation && groups == gr.count { return true }
        precondition(gr.count <= room, "GroupLanes: more groups than rows")
        let carried = generation == gr.generation - 1 && groups == gr.countBefore && gr.countBefore + gr.lineage.count == gr.count
        let from = carried ? groups : 0, added = gr.count - from
        let chunks = chunkCount(added, workers: workers)
        func fill<T>(_ base: UnsafeMutablePointer<T>, width B: Int, zero: T) {
            gr.lineage.withUnsafeBufferPointer { ln in
                parallelChunks(chunks, workers: workers) { ch in
                    for i in (added * ch / chunks)..<(added * (ch + 1) / chunks) {
                        let to = base + (from + i) * B
                        if carried {
                            let parent = base + Int(ln[i]) * B
                            for k in 0..<B { to[k] = parent[k] }
                        } else {
                            for k in 0..<B { to[k] = zero }
                        }
                    }
                }
            }
        }
        if blocks > 0 {
            fill(raw.assumingMemoryBound(to: SIMD4<Double>.self), width: blocks, zero: .zero)
        } else {
            fill(raw.assumingMemoryBound(to: Double.self), width: 1, zero: 0)
        }
        groups = gr.count
        generation = gr.generation
        return carried
    }

    /// The lanes' values, `blocks` vectors per group (group g's block b at g · blocks + b), valid
    /// while this object lives.
    var vectors: UnsafeMutablePointer<SIMD4<Double>> {
        precondition(blocks > 0, "GroupLanes: one path's values are not in lanes")
        return raw.assumingMemoryBound(to: SIMD4<Double>.self)
    }

    /// Runs `body` with `vectors`.
    func withVectors<R>(_ body: (UnsafeMutablePointer<SIMD4<Double>>) -> R) -> R { body(vectors) }

    /// One path's values, one per group, valid while this object lives.
    var doubles: UnsafeMutablePointer<Double> {
        precondition(blocks == 0, "GroupLanes: lanes are read as vectors")
        return raw.assumingMemoryBound(to: Double.self)
    }
}
