import Foundation
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// Waits for PostgreSQL with a deadline. PostgresNIO's futures wait for ever on a server that stopped
/// answering (stuck, paused, its network gone) while the socket stays open, and a statement sent on a
/// connection that closed a moment before is never answered at all. Past the deadline these waits give
/// up, throw `StoreError.unreachable`, and undo what is under way.
enum PostgresDeadline {
    /// Waits for `future` at most `seconds`. Past it the wait throws and `expire` runs (a statement's closes
    /// its connection); a result that comes after that goes to `late` (a connection's closes it).
    static func wait<T: Sendable>(
        for future: EventLoopFuture<T>, seconds: Double, expire: @escaping @Sendable () -> Void = {}, late: @escaping @Sendable (T) -> Void = { _ in }
    ) throws -> T {
        let eventLoop = future.eventLoop
        let promise = eventLoop.makePromise(of: T.self)
        let settled = NIOLockedValueBox(false)
        @Sendable func settle(_ result: Result<T, any Error>) -> Bool {
            let first = settled.withLockedValue { done in
                defer { done = true }
                return !done
            }
            if first { promise.completeWith(result) }
            return first
        }
        let timer = eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
            if settle(.failure(StoreError.unreachable(reason: silence(seconds)))) { expire() }
        }
        future.whenComplete { result in
            timer.cancel()
            if !settle(result), case .success(let value) = result { late(value) }
        }
        return try promise.futureResult.wait()
    }

    private static func silence(_ seconds: Double) -> String {
        "PostgreSQL did not answer within \(String(format: "%g", seconds)) s (the address's timeout); it may be stuck or its network gone"
    }
}
