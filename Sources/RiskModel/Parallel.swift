import Dispatch

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
