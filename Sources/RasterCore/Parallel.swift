import Dispatch

/// Work split for the raster operators: a few contiguous chunks per core, never a task per row.
package enum Parallel {
    /// Worker count: the machine's active cores, at most 2 by default — the deployment VMs share
    /// 2 cores, and more chunks than cores only adds contention.
    package static let workers: Int = max(1, min(2, ProcessInfoCores.active))

    /// Runs `body(range)` over `0..<count` split into `workers` contiguous ranges (fewer when the
    /// work is small), concurrently via `DispatchQueue.concurrentPerform`.
    package static func forEachChunk(_ count: Int, minChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = max(1, min(workers, count / max(1, minChunk)))
        if chunks == 1 { body(0..<count); return }
        withoutActuallyEscaping(body) { body in
            // The chunks write disjoint ranges; the box only silences the Sendable check.
            let box = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { k in
                box.value((count * k / chunks)..<(count * (k + 1) / chunks))
            }
        }
    }
}

struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

#if canImport(Glibc)
import Glibc
enum ProcessInfoCores { static var active: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) } }
#else
import Foundation
enum ProcessInfoCores { static var active: Int { ProcessInfo.processInfo.activeProcessorCount } }
#endif
