import NIOPosix
import TactStore

/// Where a request's store queries run. On PostgreSQL every query waits on the network, and the store
/// is synchronous: a wait on one of Swift concurrency's threads (one per core) would stall every other
/// request on that thread, so that throughput fell as connections grew. There, the synchronous part of
/// a request runs on threads of its own, as many as the store has connections to wait on. SQLite
/// answers from pages in memory in microseconds, so there the work runs where it is, with no hop.
/// A request waiting on a database server also has a deadline: past it the client gets a 503 at once (the
/// store's own statement deadline frees the thread later), so a stuck database never holds a request.
enum StoreWork {
    /// Threads for requests that wait on a database server.
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    static func run<T: Sendable>(waitsOnNetwork: Bool, timeout seconds: Double, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        guard waitsOnNetwork else { return try body() }
        return try await BlockingWork.run(timeout: seconds, on: { work in threads.submit { _ in work() } }, body)
    }

    /// The same for background work (a sync, a model refresh), which has no client waiting: off the
    /// cooperative threads, with no deadline (the store's own statement deadline bounds each wait).
    static func background<T: Sendable>(waitsOnNetwork: Bool, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        guard waitsOnNetwork else { return try body() }
        return try await threads.runIfActive(body)
    }
}

extension ServerState {
    /// Runs the synchronous part of a request, which reads or writes the store (`StoreWork`).
    func storeWork<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await StoreWork.run(waitsOnNetwork: engine.storeWaitsOnNetwork, timeout: settings.requestTimeoutSeconds, body)
    }
}
