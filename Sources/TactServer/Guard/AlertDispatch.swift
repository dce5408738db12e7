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
    /// Work waits here before it starts while the gate is closed: a test closes it to see what takes effect before
    /// the background work (a Guard hold), whatever the machine's speed. Open by default.
    private struct Gate {
        var open: Bool
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let gate: NIOLockedValueBox<Gate>

    init(open: Bool = true) { gate = NIOLockedValueBox(Gate(open: open)) }

    /// Lets the work held at a closed gate, and all later work, run.
    func open() {
        let waiting = gate.withLockedValue { g -> [CheckedContinuation<Void, Never>] in
            g.open = true
            defer { g.waiting = [] }
            return g.waiting
        }
        for c in waiting { c.resume() }
    }

    private static func pass(_ gate: NIOLockedValueBox<Gate>) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let go = gate.withLockedValue { g -> Bool in
                if g.open { return true }
                g.waiting.append(c)
                return false
            }
            if go { c.resume() }
        }
    }

    /// Runs `work` in the background; `settled()` waits for it.
    func start(_ work: @escaping @Sendable () async -> Void) {
        running.withLockedValue { r in
            let id = r.next
            r.next += 1
            // The task removes itself under the same lock, so never before it was added.
            r.tasks[id] = Task.detached { [running, gate] in
                await Self.pass(gate)
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
