import Dispatch
import Foundation

/// A pointer that may cross into worker threads because each worker writes disjoint rows.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

/// Runs `body(start..<end)` over `count` items in chunks of `chunkSize`, on `threads` workers.
/// Chunks are fixed by size, not by thread count, so results never depend on the thread count.
func parallelChunks(count: Int, chunkSize: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let chunks = (count + chunkSize - 1) / chunkSize
    guard chunks > 0 else { return }
    let workers = max(1, min(threads, chunks))
    if workers == 1 {
        for c in 0..<chunks { body((c * chunkSize)..<min(count, (c + 1) * chunkSize)) }
        return
    }
    // Workers take chunks in turn from a shared counter.
    let next = ChunkCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let c = next.take()
            if c >= chunks { return }
            body((c * chunkSize)..<min(count, (c + 1) * chunkSize))
        }
    }
}

/// Hands out chunk numbers to workers, each exactly once.
final class ChunkCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        let v = value
        value += 1
        return v
    }
}

/// The worker count for a setting where 0 means one per active processor.
func resolvedThreads(_ setting: Int) -> Int {
    setting > 0 ? setting : ProcessInfo.processInfo.activeProcessorCount
}
