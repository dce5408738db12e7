import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// SQLiteSession's part of `AuditLogReader` and `AuditLogWriter`: the audit log's hash chain and its signed checkpoints.
extension SQLiteSession {
    func auditHandle(of subject: SubjectRow) throws -> [UInt8]? {
        try Data.fetchOne(db, sql: "SELECT audit_handle FROM subjects WHERE id = ?", arguments: [subject]).map { [UInt8]($0) }
    }

    func auditEntries(of subject: SubjectRow) throws -> [AuditEntry] {
        guard let handle = try auditHandle(of: subject).map({ Data($0) }) else { return [] }
        return try Row.fetchAll(
            db, sql: "SELECT at, actor, action, subject, purpose, detail FROM audit_log WHERE subject = ? ORDER BY id",
            arguments: [handle]
        ).map(Self.auditEntry(from:))
    }

    func recentAuditEntries(limit: Int) throws -> [AuditEntry] {
        try Row.fetchAll(db, sql: "SELECT at, actor, action, subject, purpose, detail FROM audit_log ORDER BY id DESC LIMIT ?", arguments: [limit])
            .map(Self.auditEntry(from:))
    }

    static func auditEntry(from row: Row) -> AuditEntry {
        let handle: Data? = row[3]
        let purpose: String? = row[4]
        return AuditEntry(
            at: row[0], actor: row[1], action: row[2], purpose: purpose.flatMap(Purpose.init(rawValue:)), detail: row[5],
            subjectHandle: handle.map { [UInt8]($0) })
    }

    static let auditColumns = "id, at, actor, action, subject, purpose, detail, hash"

    /// An audit row from `SELECT id, at, actor, action, subject, purpose, detail[, hash]`.
    static func auditRow(from row: Row, hash: [UInt8]?) -> AuditRow {
        let subject: Data? = row[4]
        return AuditRow(
            id: row[0], at: row[1], actor: row[2], action: row[3], subject: subject.map { [UInt8]($0) },
            purpose: row[5], detail: row[6], hash: hash)
    }

    static func auditRow(from row: Row) -> AuditRow {
        let hash: Data? = row[7]
        return auditRow(from: row, hash: hash.map { [UInt8]($0) })
    }

    func lastAuditRow() throws -> AuditRow? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.auditColumns) FROM audit_log ORDER BY id DESC LIMIT 1")).map(Self.auditRow(from:))
    }

    func forEachAuditRow(after afterID: Int64, _ body: (AuditRow) throws -> Bool) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.auditColumns) FROM audit_log WHERE id > ? ORDER BY id", arguments: [afterID])
        while let row = try cursor.next() {
            guard try body(Self.auditRow(from: row)) else { return }
        }
    }

    func recentAuditRows(limit: Int) throws -> [AuditRow] {
        try Row.fetchAll(db, sql: "SELECT \(Self.auditColumns) FROM audit_log ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Self.auditRow(from:))
    }

    func auditEntryCount(after afterID: Int64) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log WHERE id > ?", arguments: [afterID]) ?? 0
    }

    static let checkpointColumns = "id, at, entry_id, entry_hash, entry_count, public_key, signature"

    static func checkpoint(from row: Row) -> AuditCheckpoint {
        let hash: Data = row[3], key: Data = row[5], signature: Data = row[6]
        return AuditCheckpoint(
            number: row[0], at: row[1], entryID: row[2], entryHash: [UInt8](hash), entryCount: row[4],
            publicKey: [UInt8](key), signature: [UInt8](signature))
    }

    func auditCheckpoints() throws -> [AuditCheckpoint] {
        try Row.fetchAll(db, sql: "SELECT \(Self.checkpointColumns) FROM audit_checkpoints ORDER BY id").map(Self.checkpoint(from:))
    }

    func lastAuditCheckpoint() throws -> AuditCheckpoint? {
        try Row.fetchOne(db, sql: "SELECT \(Self.checkpointColumns) FROM audit_checkpoints ORDER BY id DESC LIMIT 1").map(Self.checkpoint(from:))
    }

    /// Appends to the hash chain. Writes are serialized (an immediate transaction), so the tail read here is
    /// the newest entry for every process writing to the file, and the explicit id makes any race fail loudly.
    /// Bound through SQLite's C API: a large import appends an entry per person.
    func appendAudit(_ entry: AuditEntry) throws {
        // The log names a person by their audit handle, never by pseudonym; unknown people by nothing.
        var subject: [UInt8]? = entry.subjectHandle
        if subject == nil, let pseudonym = entry.subject { subject = try newSubjectHandles[pseudonym] ?? auditHandle(of: pseudonym) }
        let row = try AuditChain.nextRow(entry, subject: subject, tail: auditTail, last: lastAuditRow)
        let hash = row.hash ?? []
        let s = try db.cachedStatement(sql: "INSERT INTO audit_log (id, at, actor, action, subject, purpose, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .sqliteStatement
        sqlite3_bind_int64(s, 1, row.id)
        sqlite3_bind_int64(s, 2, row.at)
        sqlite3_bind_text(s, 3, row.actor, -1, sqliteTransient)
        sqlite3_bind_text(s, 4, row.action, -1, sqliteTransient)
        if let subject = row.subject { bindBlob(s, 5, subject) } else { sqlite3_bind_null(s, 5) }
        if let purpose = row.purpose { sqlite3_bind_text(s, 6, purpose, -1, sqliteTransient) } else { sqlite3_bind_null(s, 6) }
        sqlite3_bind_text(s, 7, row.detail, -1, sqliteTransient)
        bindBlob(s, 8, hash)
        try stepToEnd(s)
        auditTail = (row.id, hash)
    }

    /// The audit handle of the person with this pseudonym; nil for no such person.
    func auditHandle(of pseudonym: Pseudonym) throws -> [UInt8]? {
        let s = try db.cachedStatement(sql: "SELECT audit_handle FROM subjects WHERE pseudonym = ?").sqliteStatement
        defer { sqlite3_reset(s) }
        bindBlob(s, 1, pseudonym.bytes)
        let rc = sqlite3_step(s)
        if rc == SQLITE_DONE { return nil }
        guard rc == SQLITE_ROW else { throw failure(rc) }
        return columnBlob(s, 0)
    }

    func appendAuditCheckpoint(_ checkpoint: AuditCheckpoint) throws {
        try db.execute(
            sql: "INSERT INTO audit_checkpoints (\(Self.checkpointColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                checkpoint.number, checkpoint.at, checkpoint.entryID, Data(checkpoint.entryHash), checkpoint.entryCount,
                Data(checkpoint.publicKey), Data(checkpoint.signature)
            ])
    }
}
