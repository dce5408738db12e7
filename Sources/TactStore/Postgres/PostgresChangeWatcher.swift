import Foundation
import NIOConcurrencyHelpers
import PostgresNIO

/// Learns of commits by other processes from PostgreSQL notifications: every write transaction of a
/// `PostgresStore` announces itself on a channel with its store's id, and this watcher, on a connection
/// of its own, notes every announcement but its own store's. A lost connection counts as a change
/// (something may have been missed) and is reopened at the next look.
final class PostgresChangeWatcher: StoreChangeWatcher, @unchecked Sendable {
    private let pool: PostgresConnectionPool
    private let channel: String
    private let ignoring: String
    private struct State {
        var connection: PostgresConnection?
        var changed = false
        var started = false
    }
    private let state = NIOLockedValueBox(State())

    init(pool: PostgresConnectionPool, channel: String, ignoring: String) throws {
        self.pool = pool
        self.channel = channel
        self.ignoring = ignoring
        try listen()
    }

    private func listen() throws {
        let connection = try pool.connect()
        let ignoring = self.ignoring
        let box = state
        connection.addListener(channel: channel) { _, notification in
            if notification.payload != ignoring { box.withLockedValue { $0.changed = true } }
        }
        try PostgresStatements(connection, timeoutSeconds: pool.url.timeoutSeconds).execute("LISTEN \(channel)")
        state.withLockedValue { $0.connection = connection }
    }

    func changedSinceLastLook() throws -> Bool {
        let (lost, first) = state.withLockedValue { s -> (Bool, Bool) in
            defer { s.started = true }
            return (s.connection?.isClosed ?? true, !s.started)
        }
        if lost {
            state.withLockedValue { $0.connection = nil }
            try listen()
            return !first
        }
        // A round trip on the listening connection: PostgreSQL sends the notifications of every commit
        // that finished before it ahead of the reply, so none is still on its way after this.
        if let connection = state.withLockedValue({ $0.connection }) {
            do { try PostgresStatements(connection, timeoutSeconds: pool.url.timeoutSeconds).execute("SELECT 1") } catch {
                state.withLockedValue { $0.connection = nil }
                connection.closeSoon()
                return !first
            }
        }
        return state.withLockedValue { s in
            defer { s.changed = false }
            return first ? false : s.changed
        }
    }

    deinit { if let c = state.withLockedValue({ $0.connection }) { c.closeSoon() } }
}
