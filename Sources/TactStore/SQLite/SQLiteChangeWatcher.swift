import Foundation
import GRDB

/// Watches one SQLite file for commits through its own connection: `PRAGMA data_version` changes on a
/// connection whenever another connection, in this process or another one, commits.
final class SQLiteChangeWatcher: StoreChangeWatcher, @unchecked Sendable {
    private let queue: DatabaseQueue
    private let lock = NSLock()
    private var last: Int64?   // guarded by lock

    init(path: String) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(1)
        queue = try DatabaseQueue(path: path, configuration: config)
    }

    func changedSinceLastLook() throws -> Bool {
        let version = try queue.read { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        lock.lock()
        defer { lock.unlock() }
        defer { last = version }
        guard let previous = last else { return false }
        return previous != version
    }
}
