import Dispatch
import NIOConcurrencyHelpers

/// Runs store writes and other blocking work off Swift's cooperative threads, with a deadline:
/// past it the client gets a 503 at once while the work (one transaction) finishes or rolls back on its own.
enum BlockingWork {
    private static let queue = DispatchQueue(label: "tact.blocking-work", attributes: .concurrent)
    /// Deadlines fire from their own serial queue, which gets a thread even when every worker is busy.
    private static let deadlines = DispatchQueue(label: "tact.deadlines")

    static func run<T: Sendable>(timeout seconds: Double, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await run(timeout: seconds, on: { work in queue.async(execute: work) }, body)
    }

    /// The same on threads `start` provides (it runs the work it is given once, on a thread that may block).
    static func run<T: Sendable>(
        timeout seconds: Double, on start: (@escaping @Sendable () -> Void) -> Void, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let answered = NIOLockedValueBox(false)
            @Sendable func answer(_ result: Result<T, any Error>) {
                let first = answered.withLockedValue { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(with: result) }
            }
            start { answer(Result { try body() }) }
            deadlines.asyncAfter(deadline: .now() + seconds) {
                answer(.failure(Problem.unavailable("the request took longer than \(seconds) s and was abandoned; retry it, or send a smaller batch")))
            }
        }
    }
}
