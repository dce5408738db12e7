import Dispatch
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import TactCore
import TactEngine
import TactStore

/// Records requests that read a person's data in the audit log without one write per request: records wait
/// in memory and are appended in batches, one transaction each, every `interval` or as soon as `batchSize`
/// entries wait, and once more at shutdown. Identical requests within one second (same caller, route,
/// person, purpose and status) become one entry that counts them, so nothing is lost at the log's one-second
/// resolution. A crash loses at most the records not yet flushed.
final class AuditRecorder: Service, Sendable {
    /// One request, as recorded.
    struct Read: Hashable, Sendable {
        var at: Int64
        /// The principal's audit actor: an API key id or a person token's issuing key.
        var actor: String
        /// The method and route template, e.g. "GET /v1/people/{person}/recommendations".
        var action: String
        var subject: Pseudonym
        var purpose: Purpose?
        var status: Int
    }

    /// What the recorder has done so far.
    struct Totals: Sendable, Equatable {
        /// Requests recorded.
        var reads = 0
        /// Entries appended to the log (each counts one or more identical requests).
        var entries = 0
        /// Write transactions used to append them.
        var transactions = 0
        /// Flushes that failed (their records were kept for the next one).
        var failures = 0
        /// Records dropped because too many waited while the store failed.
        var dropped = 0
    }

    private struct Pending {
        var counts: [Read: Int] = [:]
        var order: [Read] = []
        var flushQueued = false
    }

    private let log: AuditLog
    private let logger: Logger
    let interval: Duration
    let batchSize: Int
    /// Records kept at most while the store fails; past it new records are dropped (and counted).
    let maxPending: Int
    private let pending = NIOLockedValueBox(Pending())
    private let counters = NIOLockedValueBox(Totals())
    /// Flushes run here, one at a time.
    private let queue = DispatchQueue(label: "tact.audit-recorder")

    init(log: AuditLog, logger: Logger, interval: Duration = .milliseconds(100), batchSize: Int = 512, maxPending: Int = 1 << 20) {
        self.log = log
        self.logger = logger
        self.interval = interval
        self.batchSize = max(1, batchSize)
        self.maxPending = maxPending
    }

    var totals: Totals { counters.withLockedValue { $0 } }

    /// Notes one request; cheap (a dictionary update under a lock). Starts a flush when a batch is full.
    func record(_ read: Read) {
        let (startFlush, dropped) = pending.withLockedValue { p -> (Bool, Bool) in
            if let n = p.counts[read] {
                p.counts[read] = n + 1
                return (false, false)
            }
            guard p.order.count < maxPending else { return (false, true) }
            p.counts[read] = 1
            p.order.append(read)
            if p.order.count >= batchSize, !p.flushQueued {
                p.flushQueued = true
                return (true, false)
            }
            return (false, false)
        }
        counters.withLockedValue { t in
            if dropped { t.dropped += 1 } else { t.reads += 1 }
        }
        if startFlush { queue.async { self.flushWaiting() } }
    }

    /// Appends everything recorded so far; returns once it is written (or has failed and been kept).
    func flush() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async {
                self.flushWaiting()
                done.resume()
            }
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            await flush()
        }
        // Runs after the HTTP server has stopped (services shut down in reverse order): the last records.
        await flush()
    }

    /// Takes what waits and appends it, `batchSize` entries per transaction. Only ever runs on `queue`.
    private func flushWaiting() {
        let (order, counts) = pending.withLockedValue { p -> ([Read], [Read: Int]) in
            let taken = (p.order, p.counts)
            p = Pending()
            return taken
        }
        var start = 0
        while start < order.count {
            let chunk = order[start..<min(order.count, start + batchSize)]
            let entries = chunk.map { r in
                AuditEntry(
                    at: r.at, actor: r.actor, action: r.action, subject: r.subject, purpose: r.purpose,
                    detail: "status=\(r.status) requests=\(counts[r] ?? 1)")
            }
            do {
                try log.append(entries)
                counters.withLockedValue { t in
                    t.entries += entries.count
                    t.transactions += 1
                }
                start += chunk.count
            } catch {
                let kept = order[start...]
                pending.withLockedValue { p in
                    for r in kept.reversed() where p.order.count < maxPending {
                        if let n = p.counts[r] {
                            p.counts[r] = n + (counts[r] ?? 1)
                        } else {
                            p.counts[r] = counts[r] ?? 1
                            p.order.insert(r, at: 0)
                        }
                    }
                }
                counters.withLockedValue { $0.failures += 1 }
                logger.error(
                    "could not append read records to the audit log; they are kept for the next try",
                    metadata: ["entries": "\(kept.count)", "error": "\(type(of: error))"])
                return
            }
        }
    }
}
