import Crypto
import Foundation
import PostgresNIO
import TactCore

/// PostgresSession's part of `AuditLogReader` and `AuditLogWriter`: the audit log's hash chain and its signed checkpoints.
extension PostgresSession {
    func auditHandle(of subject: SubjectRow) throws -> [UInt8]? {
        try rows("SELECT audit_handle FROM subjects WHERE id = $1", [.int(subject)]).first.map { try $0.bytes(0) }
    }

    func auditEntries(of subject: SubjectRow) throws -> [AuditEntry] {
        guard let handle = try auditHandle(of: subject) else { return [] }
        return try rows("SELECT at, actor, action, subject, purpose, detail FROM audit_log WHERE subject = $1 ORDER BY id", [.bytes(handle)])
            .map(Self.auditEntry(from:))
    }

    func recentAuditEntries(limit: Int) throws -> [AuditEntry] {
        try rows("SELECT at, actor, action, subject, purpose, detail FROM audit_log ORDER BY id DESC LIMIT $1", [.int(Int64(limit))])
            .map(Self.auditEntry(from:))
    }

    static func auditEntry(from row: PostgresRandomAccessRow) throws -> AuditEntry {
        AuditEntry(
            at: try row.int(0), actor: try row.text(1), action: try row.text(2),
            purpose: try row.optionalText(4).flatMap(Purpose.init(rawValue:)), detail: try row.text(5),
            subjectHandle: try row.optionalBytes(3))
    }

    static let auditColumns = "id, at, actor, action, subject, purpose, detail, hash"

    static func auditRow(from row: PostgresRandomAccessRow) throws -> AuditRow {
        AuditRow(
            id: try row.int(0), at: try row.int(1), actor: try row.text(2), action: try row.text(3), subject: try row.optionalBytes(4),
            purpose: try row.optionalText(5), detail: try row.text(6), hash: try row.optionalBytes(7))
    }

    func lastAuditRow() throws -> AuditRow? {
        try rows("SELECT \(Self.auditColumns) FROM audit_log ORDER BY id DESC LIMIT 1").first.map(Self.auditRow(from:))
    }

    func forEachAuditRow(after afterID: Int64, _ body: (AuditRow) throws -> Bool) throws {
        var after = afterID
        while true {
            let page = try rows("SELECT \(Self.auditColumns) FROM audit_log WHERE id > $1 ORDER BY id LIMIT 10000", [.int(after)])
            for row in page {
                let audit = try Self.auditRow(from: row)
                guard try body(audit) else { return }
                after = audit.id
            }
            if page.count < 10_000 { return }
        }
    }

    func recentAuditRows(limit: Int) throws -> [AuditRow] {
        try rows("SELECT \(Self.auditColumns) FROM audit_log ORDER BY id DESC LIMIT $1", [.int(Int64(limit))]).map(Self.auditRow(from:))
    }

    func auditEntryCount(after afterID: Int64) throws -> Int64 {
        try int("SELECT COUNT(*) FROM audit_log WHERE id > $1", [.int(afterID)]) ?? 0
    }

    static let checkpointColumns = "id, at, entry_id, entry_hash, entry_count, public_key, signature"

    static func checkpoint(from row: PostgresRandomAccessRow) throws -> AuditCheckpoint {
        AuditCheckpoint(
            number: try row.int(0), at: try row.int(1), entryID: try row.int(2), entryHash: try row.bytes(3), entryCount: try row.int(4),
            publicKey: try row.bytes(5), signature: try row.bytes(6))
    }

    func auditCheckpoints() throws -> [AuditCheckpoint] {
        try rows("SELECT \(Self.checkpointColumns) FROM audit_checkpoints ORDER BY id").map(Self.checkpoint(from:))
    }

    func lastAuditCheckpoint() throws -> AuditCheckpoint? {
        try rows("SELECT \(Self.checkpointColumns) FROM audit_checkpoints ORDER BY id DESC LIMIT 1").first.map(Self.checkpoint(from:))
    }

    /// Appends to the hash chain. Every server appends to one chain; writes are serialized (see
    /// `PostgresStore.write`), so the tail read here is the newest entry, and the explicit id makes any race fail loudly.
    func appendAudit(_ entry: AuditEntry) throws {
        var subject: [UInt8]? = entry.subjectHandle
        if subject == nil, let pseudonym = entry.subject { subject = newSubjects[pseudonym] }
        if subject == nil, let pseudonym = entry.subject {
            subject = try rows(
                "SELECT audit_handle FROM subjects WHERE id = $1 AND pseudonym = $2",
                [.int(PostgresSubjectID.of(pseudonym)), .bytes(pseudonym.bytes)]
            ).first.map { try $0.bytes(0) }
        }
        let row = try AuditChain.nextRow(entry, subject: subject, tail: auditTail, last: lastAuditRow)
        let hash = row.hash ?? []
        try queue(
            "audit_log", columns: "id, at, actor, action, subject, purpose, detail, hash",
            [.int(row.id), .int(row.at), .text(row.actor), .text(row.action), .bytes(row.subject), .text(row.purpose), .text(row.detail), .bytes(hash)])
        auditTail = (row.id, hash)
    }

    func appendAuditCheckpoint(_ checkpoint: AuditCheckpoint) throws {
        try execute(
            "INSERT INTO audit_checkpoints (\(Self.checkpointColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [
                .int(checkpoint.number), .int(checkpoint.at), .int(checkpoint.entryID), .bytes(checkpoint.entryHash), .int(checkpoint.entryCount),
                .bytes(checkpoint.publicKey), .bytes(checkpoint.signature)
            ])
    }
}
