import Dispatch
import Foundation
import NIOConcurrencyHelpers
import ServiceLifecycle
import TactEngine
import TactStore

/// Runs the retention job when the server starts and then every `interval` seconds, off the threads
/// that answer requests, and logs what each run deleted. A failed run is logged and tried again at the next
/// interval. A run that would delete more than `maximumShare` of all events deletes nothing: it is recorded as
/// refused (listed by `GET /v1/retention` and the console), logged as an error with what to do, and refused
/// again at each interval until it is run confirmed (`tact retention run --confirm`).
final class RetentionService: Service, Sendable {
    private let engine: Engine
    /// Seconds between runs; nil: the service does nothing.
    let interval: Double?
    /// The largest share of all events one run deletes unconfirmed.
    let maximumShare: Double
    private let cache: RecommendationCache?
    private let clock: @Sendable () -> Int64
    /// Scheduled runs finished so far (failed ones too), and who waits for a count.
    private struct Finished {
        var count = 0
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }
    private let finished = NIOLockedValueBox(Finished())

    init(
        engine: Engine, interval: Double?, maximumShare: Double = RetentionJob.standardMaximumShare, cache: RecommendationCache?,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.engine = engine
        self.interval = interval
        self.maximumShare = maximumShare
        self.cache = cache
        self.clock = clock
    }

    /// Runs the job once, now, and returns what it did.
    @discardableResult
    func runOnce() async throws -> RetentionRun {
        let job = RetentionJob(engine: engine, maximumShare: maximumShare)
        let now = clock()
        let run = try await withCheckedThrowingContinuation { (c: CheckedContinuation<RetentionRun, any Error>) in
            DispatchQueue.global().async { c.resume(with: Result { try job.run(now: now) }) }
        }
        // Answers computed from deleted events must not be served again.
        if run.total > 0 { cache?.forgetAll() }
        engine.logger.info(
            "retention run",
            metadata: [
                "run": "\(run.id ?? 0)", "removed": "\(run.total)",
                "counts": "\(run.categories.filter { $0.count > 0 }.map { "\($0.name)=\($0.count)" }.joined(separator: " "))"
            ])
        return run
    }

    func run() async throws {
        guard let interval else {
            try? await gracefulShutdown()
            return
        }
        var due = ProcessInfo.processInfo.systemUptime
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if ProcessInfo.processInfo.systemUptime >= due {
                do { try await runOnce() } catch let refusal as RetentionRefused {
                    engine.logger.error(
                        "retention run refused; nothing was deleted",
                        metadata: ["run": "\(refusal.run.id ?? 0)", "deleting": "\(refusal.deleting)", "of": "\(refusal.total)", "why": "\(refusal)"])
                } catch {
                    engine.logger.error("retention run failed; it is tried again at the next interval", metadata: ["error": "\(type(of: error))"])
                }
                due = ProcessInfo.processInfo.systemUptime + interval
                noteFinished()
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Returns once `count` scheduled runs have finished (an explicit signal for tests and operations, instead of polling).
    func scheduledRuns(_ count: Int) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready = finished.withLockedValue { f -> Bool in
                if f.count >= count { return true }
                f.waiters.append((count, c))
                return false
            }
            if ready { c.resume() }
        }
    }

    private func noteFinished() {
        let ready = finished.withLockedValue { f -> [CheckedContinuation<Void, Never>] in
            f.count += 1
            let done = f.waiters.filter { $0.count <= f.count }.map(\.continuation)
            f.waiters.removeAll { $0.count <= f.count }
            return done
        }
        for c in ready { c.resume() }
    }
}
