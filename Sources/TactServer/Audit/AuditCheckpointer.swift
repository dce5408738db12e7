import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import TactCore
import TactEngine
import TactStore

/// Signs a checkpoint of the audit log every `interval` seconds when entries were appended since the last
/// one, and once more at graceful shutdown (after the `AuditRecorder` has written its last records).
/// Each checkpoint is also logged, so log shipping keeps a copy away from the machine.
final class AuditCheckpointer: Service, Sendable {
    let log: AuditLog
    let key: AuditSigningKey?
    /// Seconds between checkpoints; nil: none.
    let interval: Double?
    private let logger: Logger

    init(log: AuditLog, key: AuditSigningKey?, interval: Double?, logger: Logger) {
        self.log = log
        self.key = key
        self.interval = interval
        self.logger = logger
    }

    func run() async throws {
        guard let interval, key != nil else {
            try? await gracefulShutdown()
            return
        }
        var last = ProcessInfo.processInfo.systemUptime
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let wait = max(0.01, interval - (ProcessInfo.processInfo.systemUptime - last))
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int64(wait * 1000))) }
            if ProcessInfo.processInfo.systemUptime - last >= interval {
                await checkpointIfNew()
                last = ProcessInfo.processInfo.systemUptime
            }
        }
        await checkpointIfNew()
    }

    /// Writes a checkpoint when entries were appended since the newest one.
    func checkpointIfNew() async {
        guard let key else { return }
        let log = self.log
        let result = await withCheckedContinuation { (c: CheckedContinuation<Result<AuditCheckpoint?, any Error>, Never>) in
            DispatchQueue.global().async { c.resume(returning: Result { try log.checkpoint(key: key, onlyIfNew: true) }) }
        }
        switch result {
        case .success(let made?):
            logger.info(
                "audit checkpoint",
                metadata: [
                    "number": "\(made.number)", "entry": "\(made.entryID)", "count": "\(made.entryCount)",
                    "hash": "\(Hex.encode(made.entryHash))", "signature": "\(Hex.encode(made.signature))"
                ])
        case .success(nil):
            break
        case .failure(let error):
            logger.error("could not write an audit checkpoint", metadata: ["error": "\(error)"])
        }
    }
}
