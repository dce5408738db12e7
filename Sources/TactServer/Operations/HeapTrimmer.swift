import CTactMemory
import Dispatch
import Foundation
import Logging
import ServiceLifecycle

/// Gives the C heap's free pages back to the system every `interval` seconds.
///
/// glibc keeps what a thread freed in that thread's arena for reuse, and never returns pages in the middle of
/// a heap by itself. A retraining allocates its matrices on whichever threads run it, so each arena comes to
/// hold the peak of some training, and resident memory creeps up with the store even though the memory in use
/// stays flat. The soak measured it: 470 MiB held free against 250 MiB in use. `malloc_trim` hands those pages
/// back. It costs a walk of the heap's free lists, off the threads that answer requests.
final class HeapTrimmer: Service, Sendable {
    let interval: Double
    private let logger: Logger

    init(interval: Double, logger: Logger) {
        self.interval = interval
        self.logger = logger
    }

    /// Trims now, off the cooperative threads; returns how long it took in seconds.
    @discardableResult
    func trim() async -> Double {
        await withCheckedContinuation { (c: CheckedContinuation<Double, Never>) in
            DispatchQueue.global(qos: .utility).async {
                let started = ProcessInfo.processInfo.systemUptime
                _ = tact_heap_trim()
                c.resume(returning: ProcessInfo.processInfo.systemUptime - started)
            }
        }
    }

    func run() async throws {
        guard interval > 0 else {
            try? await gracefulShutdown()
            return
        }
        // Short naps, not one of `interval`: a shutdown must not wait for the next trim.
        var due = ProcessInfo.processInfo.systemUptime + interval
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if ProcessInfo.processInfo.systemUptime >= due {
                let seconds = await trim()
                logger.debug("gave the heap's free pages back", metadata: ["seconds": "\(seconds)"])
                due = ProcessInfo.processInfo.systemUptime + interval
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
