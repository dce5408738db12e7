import Foundation
import GRDB
import TactCore

/// A copy of the SQLite store taken for a backup, opened on its own (never by a server): where `tact backup`
/// swaps each person's pseudonym for their backup link and `tact restore` swaps it back.
///
/// Every column that names a person by pseudonym is renamed together: the subject itself and an erasure
/// left under way. What only the running servers share (the Guard's recent accesses and state, rate
/// counters, published model copies) is cleared: it is rebuilt after a restore, and some of it names
/// people by pseudonym too.
public final class SQLiteSnapshot {
    public let path: String
    private let queue: DatabaseQueue

    /// Writes a consistent copy of `store` to `destination` (absent or empty; made 0600) while the store stays in use.
    public static func copy(of store: SQLiteStore, to destination: String) throws {
        PrivateMode.createFile(destination)
        do {
            try store.vacuum(into: destination)
        } catch let error as DatabaseError {
            throw StoreError.failed(what: "copy the store to \(destination)", reason: error.message ?? "\(error)")
        }
        PrivateMode.apply(to: destination)
    }

    /// Opens the copy at `path` (brought up to date first, so a backup made by an older Tact restores).
    public init(path: String) throws {
        self.path = path
        _ = try SQLiteStore(path: path)
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA secure_delete = ON") }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
    }

    /// The name (32 bytes: a pseudonym, or a backup link) of every subject.
    public func subjectNames() throws -> [[UInt8]] {
        try queue.read { db in try Data.fetchAll(db, sql: "SELECT pseudonym FROM subjects").map { [UInt8]($0) } }
    }

    /// How many subjects and events the copy holds.
    public func counts() throws -> (people: Int, interactions: Int) {
        try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subjects") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM interactions") ?? 0)
        }
    }

    /// Renames every subject named in `names` (old name to new, 32 bytes each), with the erasures under way
    /// that name them, and clears what only running servers share; then compacts the file, so no old name
    /// is left in a free page. Subjects absent from `names` keep theirs.
    public func rename(_ names: [[UInt8]: [UInt8]]) throws {
        try queue.write { db in
            // Through a temporary table: one statement per column. (A new name is an HMAC output: it clashes with
            // an old one not renamed yet with probability 2^-256.)
            try db.execute(sql: "CREATE TEMP TABLE renames (old BLOB PRIMARY KEY, new BLOB NOT NULL) WITHOUT ROWID")
            let insert = try db.makeStatement(sql: "INSERT INTO renames (old, new) VALUES (?, ?)")
            for (old, new) in names {
                guard old.count == Pseudonym.byteCount, new.count == Pseudonym.byteCount else {
                    throw StoreError.corrupt(what: "a subject name to rename is not 32 bytes")
                }
                try insert.execute(arguments: [Data(old), Data(new)])
            }
            try db.execute(
                sql: "UPDATE subjects SET pseudonym = (SELECT new FROM renames WHERE old = pseudonym) WHERE pseudonym IN (SELECT old FROM renames)")
            try db.execute(
                sql: """
                    UPDATE subject_requests SET pending_subject = (SELECT new FROM renames WHERE old = pending_subject)
                    WHERE pending_subject IN (SELECT old FROM renames)
                    """)
            for table in ["guard_events", "guard_states", "guard_leases", "rate_usage", "model_artifacts"] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            try db.execute(sql: "DROP TABLE renames")
        }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
    }
}
