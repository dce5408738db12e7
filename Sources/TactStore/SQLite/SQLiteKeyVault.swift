import Foundation
import GRDB
import TactCore

/// The key vault as its own SQLite file (`keys.sqlite` beside the store), with secure delete on, so a
/// shredded key is overwritten in the file, and the write-ahead log truncated after each shred.
public final class SQLiteKeyVault: KeyVault {
    public let path: String
    private let queue: DatabaseQueue

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            PrivateMode.createFile(path)
            for file in [path, path + "-wal", path + "-journal"] { PrivateMode.apply(to: file) }
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS subject_keys (
                            pseudonym BLOB PRIMARY KEY CHECK (length(pseudonym) = 32),
                            wrapped BLOB NOT NULL
                        ) WITHOUT ROWID
                        """)
            }
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
    }

    public func wrappedKeys(for subjects: [Pseudonym]) throws -> [Pseudonym: [UInt8]] {
        guard !subjects.isEmpty else { return [:] }
        return try queue.read { db in
            var result: [Pseudonym: [UInt8]] = [:]
            let statement = try db.cachedStatement(sql: "SELECT wrapped FROM subject_keys WHERE pseudonym = ?")
            for s in subjects {
                if let data = try Data.fetchOne(statement, arguments: [Data(s.bytes)]) { result[s] = [UInt8](data) }
            }
            return result
        }
    }

    public func insertIfAbsent(_ keys: [Pseudonym: [UInt8]]) throws -> [Pseudonym: [UInt8]] {
        guard !keys.isEmpty else { return [:] }
        return try writing { db in
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO subject_keys (pseudonym, wrapped) VALUES (?, ?)")
            let select = try db.cachedStatement(sql: "SELECT wrapped FROM subject_keys WHERE pseudonym = ?")
            var stored: [Pseudonym: [UInt8]] = [:]
            for (subject, wrapped) in keys {
                try insert.execute(arguments: [Data(subject.bytes), Data(wrapped)])
                guard let data = try Data.fetchOne(select, arguments: [Data(subject.bytes)]) else {
                    throw StoreError.corrupt(what: "a key vanished from the key vault while being stored")
                }
                stored[subject] = [UInt8](data)
            }
            return stored
        }
    }

    public func shred(_ subject: Pseudonym) throws -> Bool {
        let removed = try writing { db -> Bool in
            try db.execute(sql: "DELETE FROM subject_keys WHERE pseudonym = ?", arguments: [Data(subject.bytes)])
            return db.changesCount > 0
        }
        if removed {
            // The deleted page images stay in the write-ahead log (if any) until it is checkpointed.
            try queue.writeWithoutTransaction { db in _ = try? db.checkpoint(.truncate) }
        }
        return removed
    }

    /// A write transaction; a full disk or read-only storage becomes `StoreError.cannotWrite`, as in the store.
    private func writing<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.write(body)
        } catch let error as DatabaseError where SQLiteStore.isStorageFault(error) {
            throw StoreError.cannotWrite(reason: error.message ?? "\(error.resultCode)")
        }
    }

    public func subjects() throws -> [Pseudonym] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT pseudonym FROM subject_keys").map { data in
                guard data.count == Pseudonym.byteCount else { throw StoreError.corrupt(what: "a pseudonym in the key vault") }
                return Pseudonym(bytes: [UInt8](data))
            }
        }
    }

    /// Writes a consistent copy of the vault to `destination` (absent or empty; made 0600), while it stays in use.
    public func snapshot(to destination: String) throws {
        PrivateMode.createFile(destination)
        do {
            try queue.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [destination]) }
        } catch let error as DatabaseError {
            throw StoreError.failed(what: "copy the key vault to \(destination)", reason: error.message ?? "\(error)")
        }
        PrivateMode.apply(to: destination)
    }

    public func count() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subject_keys") ?? 0 }
    }
}
