import Dispatch
import Synchronization

/// Runs `body(worker)` for `worker` in 0..<workers on the Dispatch pool (blocking; no spinning).
/// Work is split by the caller into contiguous row blocks, one per worker, and each worker
/// writes only its own partial sums, which the caller reduces — the reduction is therefore
/// deterministic for a fixed worker count.
@inline(__always) func parallelWorkers(_ workers: Int, _ body: (Int) -> Void) {
    if workers <= 1 { body(0); return }
    withoutActuallyEscaping(body) { b in
        let box = UncheckedClosure(f: b)
        DispatchQueue.concurrentPerform(iterations: workers) { box.f($0) }
    }
}

/// Runs `body(chunk)` for `chunk` in 0..<chunks on `workers` threads, each taking the next
/// chunk not yet taken when it is free (dynamic scheduling): the work of a pass is rarely even
/// over its halves — group or row blocks differ in their bits — and with one block per worker
/// one thread waited for the other (a fifth of the lockstep CV's time on the worker thread).
/// Each chunk writes only its own partial sums, which the caller reduces in chunk order, so the
/// result depends on the chunk count only, not on which thread took which chunk.
func parallelChunks(_ chunks: Int, workers: Int, _ body: (Int) -> Void) {
    if workers <= 1 || chunks <= 1 { for c in 0..<chunks { body(c) }; return }
    let next = Atomic<Int>(0)
    parallelWorkers(min(workers, chunks)) { _ in
        while true {
            let c = next.add(1, ordering: .relaxed).oldValue
            if c >= chunks { return }
            body(c)
        }
    }
}

/// How many chunks a pass over `units` (groups, or 64-row blocks) is cut into for
/// `parallelChunks`: enough for the threads to even out, few enough that a chunk's partial sums
/// and its start cost little. Fixed by the size and the `workers` option (2 by default, not the
/// machine's cores), so the sums' order is too.
@inline(__always) func chunkCount(_ units: Int, workers: Int) -> Int {
    workers <= 1 ? 1 : max(1, min(16, units / 2048))
}

/// The workers write disjoint memory (their own partial sums / row ranges); see callers.
private struct UncheckedClosure: @unchecked Sendable { let f: (Int) -> Void }

/// Contiguous row range of `worker` out of `workers` over `n` rows, aligned to 64 rows so that
/// bit-packed words are never shared.
@inline(__always) func rowRange(_ worker: Int, of workers: Int, n: Int) -> Range<Int> {
    let words = (n + 63) / 64
    let per = (words + workers - 1) / max(workers, 1)
    let lo = min(n, worker * per * 64), hi = min(n, (worker + 1) * per * 64)
    return lo..<hi
}
