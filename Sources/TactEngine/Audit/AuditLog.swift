import Foundation
import TactStore

/// The tamper-evident audit log of one data directory: signed checkpoints and verification.
/// Entries themselves are appended by whoever reads or writes personal data (`StoreWriter.appendAudit`).
public struct AuditLog: Sendable {
    public let directory: DataDirectory
    let store: any Store

    public init(directory: DataDirectory, store: any Store) {
        self.directory = directory
        self.store = store
    }

    var checkpointFile: AuditCheckpointFile { AuditCheckpointFile(path: directory.auditCheckpointsPath) }

    /// Signs how far the log reaches now, keeps the checkpoint in the store and appends it to the checkpoint
    /// file. With `onlyIfNew`, does nothing (returns nil) when no entry was appended since the newest checkpoint.
    @discardableResult
    public func checkpoint(key: AuditSigningKey, onlyIfNew: Bool = false, now: Int64 = Int64(Date().timeIntervalSince1970)) throws -> AuditCheckpoint? {
        let made: AuditCheckpoint? = try store.write { w in
            let previous = try w.lastAuditCheckpoint()
            let last = try w.lastAuditRow()
            let entryID = last?.id ?? 0
            if onlyIfNew, previous?.entryID ?? 0 == entryID { return nil }
            var hash = AuditChain.genesis
            if let last {
                guard let stored = last.hash, stored.count == AuditChain.hashByteCount else {
                    throw StoreError.corrupt(what: "the chain hash of audit entry \(last.id); run 'tact audit verify'")
                }
                hash = stored
            }
            let count = (previous?.entryCount ?? 0) + (try w.auditEntryCount(after: previous?.entryID ?? 0))
            var c = AuditCheckpoint(
                number: (previous?.number ?? 0) + 1, at: now, entryID: entryID, entryHash: hash, entryCount: count,
                publicKey: key.publicKey, signature: [])
            c.signature = try key.sign(c.signedBytes)
            try w.appendAuditCheckpoint(c)
            return c
        }
        // After the commit: a checkpoint the file lacks is harmless, a line the database lacks would read as truncation.
        if let made { try checkpointFile.append(made) }
        return made
    }

    /// Walks the whole chain and checks every checkpoint (database and file) against `publicKey`, or the key
    /// of this directory when nil. `progress` is called now and then with (entries checked, entries in all).
    public func verify(publicKey: [UInt8]? = nil, progress: ((Int64, Int64) -> Void)? = nil) throws -> AuditVerification {
        // The file first: every checkpoint in it was committed before it was appended, so the snapshot read
        // after it holds them all.
        let lines = try checkpointFile.read()
        return try store.read { r in
            let trusted: [UInt8]?
            if let publicKey {
                trusted = publicKey
            } else {
                trusted = try AuditSigningKey.existing(in: directory)?.publicKey
            }
            let stored = try r.auditCheckpoints()
            if trusted == nil, !stored.isEmpty || lines.contains(where: { $0.checkpoint != nil }) {
                throw AuditError.noPublicKey(path: directory.auditSigningKeyPath)
            }
            return try AuditVerifier(reader: r, publicKey: trusted ?? [], stored: stored, file: lines, progress: progress).run()
        }
    }

    /// Appends entries to the chain in one transaction, in order.
    public func append(_ entries: [AuditEntry]) throws {
        guard !entries.isEmpty else { return }
        try store.write { w in
            for e in entries { try w.appendAudit(e) }
        }
    }

    /// Appends one entry to the chain.
    public func append(_ entry: AuditEntry) throws { try append([entry]) }

    /// The newest entries, newest first (subjects as their pseudonyms, never raw ids).
    public func recentEntries(limit: Int) throws -> [AuditEntry] {
        try store.read { try $0.recentAuditEntries(limit: limit) }
    }

    /// The newest entries as stored, with their chain hashes, newest first.
    public func recentRows(limit: Int) throws -> [AuditRow] {
        try store.read { try $0.recentAuditRows(limit: limit) }
    }

    /// How far the log reaches: the newest entry's id (0 when empty) and the newest signed checkpoint kept in the store.
    public func reach() throws -> (lastEntry: Int64, checkpoint: AuditCheckpoint?) {
        try store.read { r in (try r.lastAuditRow()?.id ?? 0, try r.lastAuditCheckpoint()) }
    }
}

extension Engine {
    /// The audit log of this installation.
    public var audit: AuditLog { AuditLog(directory: directory, store: store) }
}
