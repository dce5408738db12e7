import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// A few connections to one database, lent one at a time to blocking callers (the `Store` protocol is
/// synchronous). Connections are opened on demand up to `size`; a broken one is closed, not returned.
final class PostgresConnectionPool: @unchecked Sendable {
    let url: PostgresURL
    private let configuration: PostgresConnection.Configuration
    private let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    private let logger = Logger(label: "tact.postgres")
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []  // guarded by condition
    private var open = 0  // guarded by condition
    private var nextID = 0  // guarded by condition
    private var closed = false  // guarded by condition

    init(url: PostgresURL) throws {
        self.url = url
        configuration = try url.configuration()
    }

    /// Opens one connection outside the pool (for LISTEN, or administration), waiting at most the address's
    /// timeout for the server to accept it and answer the start-up: a server that is down or stuck is
    /// `StoreError.unreachable`; one that answers and refuses (a wrong password, no such database) is `cannotOpen`.
    func connect() throws -> PostgresConnection {
        let id = condition.withLock { () -> Int in
            nextID += 1; return nextID
        }
        do {
            let connecting = PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger)
            return try PostgresDeadline.wait(for: connecting, seconds: url.timeoutSeconds, late: { $0.closeSoon() })
        } catch let error as StoreError {
            throw error
        } catch {
            if PostgresFailure.isUnreachable(error) { throw StoreError.unreachable(reason: "\(url.description): \(PostgresFailure.describe(error))") }
            throw StoreError.cannotOpen(path: url.description, reason: PostgresFailure.describe(error))
        }
    }

    /// Runs `body` with a connection of the pool, waiting up to 30 seconds for one to be free. A connection
    /// that broke or passed a deadline in `body` is closed, not given back: the next caller opens a new one,
    /// which is how the store reconnects after the server restarts.
    func withConnection<T>(_ body: (PostgresStatements) throws -> T) throws -> T {
        let connection = try take()
        var healthy = true
        defer { give(connection, healthy: healthy) }
        do {
            return try body(PostgresStatements(connection, timeoutSeconds: url.timeoutSeconds))
        } catch {
            if case StoreError.unreachable = error { healthy = false }
            healthy = healthy && !connection.isClosed
            throw error
        }
    }

    private func take() throws -> PostgresConnection {
        condition.lock()
        let deadline = Date().addingTimeInterval(30)
        while true {
            if closed { condition.unlock(); throw StoreError.cannotOpen(path: url.description, reason: "the store was closed") }
            while let connection = idle.popLast() {
                if !connection.isClosed { condition.unlock(); return connection }
                open -= 1
            }
            if open < url.poolSize {
                open += 1
                condition.unlock()
                do { return try connect() } catch {
                    condition.withLock {
                        open -= 1; condition.signal()
                    }
                    throw error
                }
            }
            guard condition.wait(until: deadline) else {
                condition.unlock()
                throw StoreError.busy(
                    "all \(url.poolSize) connections to \(url.description) stayed busy for 30 s; raise ?pool=N in the address or find the stuck request")
            }
        }
    }

    private func give(_ connection: PostgresConnection, healthy: Bool) {
        condition.lock()
        if healthy && !closed && !connection.isClosed {
            idle.append(connection)
        } else {
            open -= 1
            connection.closeSoon()
        }
        condition.signal()
        condition.unlock()
    }

    /// Closes every idle connection; connections in use close when they are given back.
    func close() {
        let connections = condition.withLock { () -> [PostgresConnection] in
            closed = true
            defer { idle.removeAll() }
            return idle
        }
        for c in connections { let closing: EventLoopFuture<Void> = c.close(); try? closing.wait() }
    }

    deinit { for c in idle { c.closeSoon() } }
}

extension PostgresConnection {
    /// Starts closing the connection without waiting for it (the connection is kept until it is closed).
    func closeSoon() {
        guard !isClosed else { return }
        let closing: EventLoopFuture<Void> = close()
        closing.whenComplete { _ in withExtendedLifetime(self) {} }
    }
}
