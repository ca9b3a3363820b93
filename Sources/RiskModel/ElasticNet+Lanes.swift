/// Per-group values of every path of an `ENPathSet` on row groups, side by side: path t in lane
/// t % 4 of block t / 4, `blocks` SIMD4 per group. A pass over the groups reads and writes a
/// group's paths with one vector load or store per block (not a scalar per path, each path's
/// array a stream of its own), and the KKT pass gathers a row's group's means in `blocks` loads.
///
/// Groups keep their numbers through a refinement and the new ones come after
/// (`StrongGroups.lineage`), so the values follow by appending each new group's parent's —
/// exact for anything that depends only on a group's linear predictor, as columns join the
/// groups with zero coefficients. Room for as many groups as rows is allocated once and not
/// initialised: its pages are made as the groups reach them (by the workers that write them),
/// and no refinement copies the values already there.
final class GroupLanes {
    let blocks: Int
    private let room: Int
    private let storage: UnsafeMutablePointer<SIMD4<Double>>
    /// Groups with values (every lane of them written).
    private(set) var groups = 0
    /// The groups' generation the values are on (−1: none yet).
    private var generation = -1

    init(paths: Int, rows: Int) {
        blocks = (paths + 3) / 4
        room = max(1, rows) * blocks
        storage = .allocate(capacity: room)
    }

    deinit { storage.deallocate() }

    /// Follows the groups to their last update: the new groups take their parents' values
    /// (true), or — when the values were not on the groups just before it — all start at zero
    /// (false: no path's values are valid any more). The copies on `workers`.
    @discardableResult
    func follow(_ gr: StrongGroups, workers: Int) -> Bool {
        if generation == gr.generation && groups == gr.count { return true }
        precondition(gr.count * blocks <= room, "GroupLanes: more groups than rows")
        let B = blocks, base = storage
        let carried = generation == gr.generation - 1 && groups == gr.countBefore && gr.countBefore + gr.lineage.count == gr.count
        let from = carried ? groups : 0, added = gr.count - from
        let chunks = chunkCount(added, workers: workers)
        gr.lineage.withUnsafeBufferPointer { ln in
            parallelChunks(chunks, workers: workers) { ch in
                for i in (added * ch / chunks)..<(added * (ch + 1) / chunks) {
                    let to = base + (from + i) * B
                    if carried {
                        let parent = base + Int(ln[i]) * B
                        for k in 0..<B { to[k] = parent[k] }
                    } else {
                        for k in 0..<B { to[k] = .zero }
                    }
                }
            }
        }
        groups = gr.count
        generation = gr.generation
        return carried
    }

    /// Runs `body` with the values as vectors (`blocks` per group) and as Doubles (path t of
    /// group g at g · 4 · blocks + t).
    func withValues<R>(_ body: (UnsafeMutablePointer<SIMD4<Double>>, UnsafeMutablePointer<Double>) -> R) -> R {
        body(storage, UnsafeMutableRawPointer(storage).assumingMemoryBound(to: Double.self))
    }
}
