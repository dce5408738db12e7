import Foundation
import GRDB

/// Watches one SQLite file for commits through its own connection: `PRAGMA data_version` changes on a
/// connection whenever another connection, in this process or another one, commits.
///
/// Commits made through the store's own writer connection are not counted (the server drops what it
/// changes itself, and it appends audit records many times a second): when its own connection saw a
/// change, the watcher asks the writer connection, whose `data_version` changes only for others' commits.
final class SQLiteChangeWatcher: StoreChangeWatcher, @unchecked Sendable {
    private let queue: DatabaseQueue
    private let writer: DatabasePool?
    private let lock = NSLock()
    private var last: Int64?  // guarded by lock
    private var lastOfWriter: Int64?  // guarded by lock

    init(path: String, ignoringCommitsOf writer: DatabasePool? = nil) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(1)
        queue = try DatabaseQueue(path: path, configuration: config)
        self.writer = writer
    }

    private func writerVersion() throws -> Int64? {
        try writer?.writeWithoutTransaction { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    func changedSinceLastLook() throws -> Bool {
        let version = try queue.read { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        lock.lock()
        defer { lock.unlock() }
        defer { last = version }
        guard let previous = last else {
            lastOfWriter = try writerVersion()
            return false
        }
        guard previous != version else { return false }
        guard writer != nil else { return true }
        let ofWriter = try writerVersion()
        defer { lastOfWriter = ofWriter }
        return ofWriter != lastOfWriter
    }
}
