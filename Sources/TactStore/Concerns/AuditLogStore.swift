import Foundation
import TactCore

/// The audit log's hash chain and its signed checkpoints.
/// Read inside any `Store.read` or `Store.write`; `StoreReader` composes every concern's reader.
public protocol AuditLogReader {
    /// The random handle audit entries name the subject by (16 bytes); nil for an unknown row.
    func auditHandle(of subject: SubjectRow) throws -> [UInt8]?
    /// Audit entries about a subject, oldest first.
    func auditEntries(of subject: SubjectRow) throws -> [AuditEntry]
    /// The newest audit entries, newest first.
    func recentAuditEntries(limit: Int) throws -> [AuditEntry]
    /// The newest audit entry as stored, with its chain hash; nil when the log is empty.
    func lastAuditRow() throws -> AuditRow?
    /// Streams the audit entries with ids above `afterID` as stored, in id order, until `body` returns false.
    func forEachAuditRow(after afterID: Int64, _ body: (AuditRow) throws -> Bool) throws
    /// The newest audit entries as stored, newest first.
    func recentAuditRows(limit: Int) throws -> [AuditRow]
    /// How many audit entries have ids above `afterID`.
    func auditEntryCount(after afterID: Int64) throws -> Int64
    /// Every signed checkpoint of the audit log kept in the store, oldest first.
    func auditCheckpoints() throws -> [AuditCheckpoint]
    /// The newest checkpoint kept in the store; nil when none.
    func lastAuditCheckpoint() throws -> AuditCheckpoint?
}

/// Changes to the audit log's hash chain and its signed checkpoints, inside a `Store.write`; `StoreWriter` composes every concern's writer.
public protocol AuditLogWriter {
    /// Appends an entry to the audit log's hash chain (see `AuditChain`). Entries are never changed once written.
    func appendAudit(_ entry: AuditEntry) throws
    /// Appends a signed checkpoint; its number must be one more than the newest one's.
    func appendAuditCheckpoint(_ checkpoint: AuditCheckpoint) throws
}
