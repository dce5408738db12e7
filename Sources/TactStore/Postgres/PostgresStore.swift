import Foundation
import NIOConcurrencyHelpers
import PostgresNIO

/// The store on PostgreSQL, for several servers sharing one database (see docs/scaling.md).
///
/// Transactions keep SQLite's guarantees:
/// - `write` is one transaction, rolled back when its body throws. Writes are serialized across every
///   process on the database by a transaction-scoped advisory lock, as SQLite serializes writers, so a
///   check-then-write in one body (a privacy budget, the audit chain's tail) cannot interleave with another.
/// - `read` sees one snapshot (REPEATABLE READ, READ ONLY); `readLatest` runs each query on its own,
///   seeing the latest commits, for the serving hot path.
/// - Every committed write notifies the other processes (`NOTIFY tact_changes`), which is what
///   `changeWatcher()` listens to.
public final class PostgresStore: Store {
    public let url: PostgresURL
    let pool: PostgresConnectionPool
    /// Names this process's commits in notifications, so its own watcher can ignore them.
    let instance = UUID().uuidString
    /// Writers in this process queue here first, so a writer waiting for the database-wide lock holds
    /// one connection, never the whole pool.
    private let writeLock = NIOLock()
    private let writeFaults = WriteFaults()

    /// The channel commits are announced on.
    static let changeChannel = "tact_changes"
    /// The advisory lock that serializes writers (any fixed number; this one reads "TACT").
    static let writeLockKey: Int64 = 0x5441_4354

    /// Connects and brings the schema up to date (taking a lock, so that servers starting together migrate once).
    public init(url: PostgresURL) throws {
        self.url = url
        pool = try PostgresConnectionPool(url: url)
        try pool.withConnection { try PostgresMigrator(url: url).migrate($0) }
    }

    public convenience init(address: String) throws {
        try self.init(url: PostgresURL(address))
    }

    public func read<T>(_ body: (any StoreReader) throws -> T) throws -> T {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", notify: false, body)
    }

    public func readLatest<T>(_ body: (any StoreReader) throws -> T) throws -> T {
        try pool.withConnection { try body(PostgresSession($0)) }
    }

    public func write<T>(_ body: (any StoreWriter) throws -> T) throws -> T {
        do {
            let result = try writeLock.withLock {
                try transaction(begin: "BEGIN; SELECT pg_advisory_xact_lock(\(Self.writeLockKey))", notify: true, body)
            }
            writeFaults.clear()
            return result
        } catch StoreError.cannotWrite(let reason) {
            writeFaults.record(reason)
            throw StoreError.cannotWrite(reason: reason)
        }
    }

    public var recentWriteFault: String? { writeFaults.recent }

    public var waitsOnNetwork: Bool { true }

    public func changeWatcher() throws -> (any StoreChangeWatcher)? {
        try PostgresChangeWatcher(pool: pool, channel: Self.changeChannel, ignoring: instance)
    }

    /// A session-level advisory lock named by `name`'s hash, held on a connection of its own while `body` runs.
    public func withLock<T>(_ name: String, _ body: () throws -> T) throws -> T {
        try pool.withConnection { statements in
            try statements.execute("SELECT pg_advisory_lock(hashtext($1))", [.text(name)])
            defer { _ = try? statements.execute("SELECT pg_advisory_unlock(hashtext($1))", [.text(name)]) }
            return try body()
        }
    }

    public func sizeInBytes() throws -> Int64? {
        try pool.withConnection { try $0.rows("SELECT pg_database_size(current_database())").first?.int(0) }
    }

    private func transaction<T>(begin: String, notify: Bool, _ body: (PostgresSession) throws -> T) throws -> T {
        try pool.withConnection { statements in
            for statement in SQLScript.statements(begin) { try statements.execute(statement) }
            let session = PostgresSession(statements)
            do {
                let result = try body(session)
                try session.flushAll()
                if notify { try statements.execute("SELECT pg_notify($1, $2)", [.text(Self.changeChannel), .text(instance)]) }
                try statements.execute("COMMIT")
                return result
            } catch {
                // A rollback that fails leaves the connection broken; the pool then drops it.
                do { try statements.execute("ROLLBACK") } catch { statements.connection.closeSoon() }
                throw error
            }
        }
    }

    /// Runs one statement on its own connection, outside any store: for tests and administration.
    public static func rawExecute(_ sql: String, address: String) throws {
        let pool = try PostgresConnectionPool(url: PostgresURL(address))
        defer { pool.close() }
        try pool.withConnection { try $0.execute(sql) }
    }

    /// The rows of one query on its own connection, every value as text: for tests and administration.
    public static func rawRows(_ sql: String, address: String) throws -> [[String?]] {
        let pool = try PostgresConnectionPool(url: PostgresURL(address))
        defer { pool.close() }
        return try pool.withConnection { statements in
            try statements.rows(sql).map { row in
                (0..<row.count).map { i -> String? in
                    switch row[i].dataType {
                    case .int2, .int4, .int8: return (try? row[i].decode(Int64.self)).map(String.init)
                    default: return try? row[i].decode(String.self)
                    }
                }
            }
        }
    }

    /// Closes the connections (they also close when the store is released).
    public func close() { pool.close() }
}
