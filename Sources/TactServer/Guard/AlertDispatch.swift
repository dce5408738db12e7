import NIOConcurrencyHelpers

/// Alerts are stored, mitigated and sent to the webhook in the background, so that no request waits
/// on them. This keeps the ones still in flight, so that shutdown, and anyone who must know that every
/// alert raised so far is stored (a test, an operator's check), can wait for them instead of guessing
/// how long they take.
final class AlertDispatch: Sendable {
    private struct Running {
        var next: UInt64 = 0
        var tasks: [UInt64: Task<Void, Never>] = [:]
    }
    private let running = NIOLockedValueBox(Running())

    /// Runs `work` in the background; `settled()` waits for it.
    func start(_ work: @escaping @Sendable () async -> Void) {
        running.withLockedValue { r in
            let id = r.next
            r.next += 1
            // The task removes itself under the same lock, so never before it was added.
            r.tasks[id] = Task.detached { [running] in
                await work()
                running.withLockedValue { _ = $0.tasks.removeValue(forKey: id) }
            }
        }
    }

    /// Returns once every piece of work started before or during the wait has finished.
    func settled() async {
        while true {
            let tasks = running.withLockedValue { Array($0.tasks.values) }
            if tasks.isEmpty { return }
            for task in tasks { await task.value }
        }
    }
}
