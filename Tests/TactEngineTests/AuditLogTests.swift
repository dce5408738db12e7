import Foundation
import GRDB
import TactCore
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

/// Tampering with the audit log, each way the issue names, is found and the first bad entry named.
@Suite struct AuditLogTests {
    let tmp = TemporaryDirectory("tact-audit")

    /// A data directory whose log holds `entries` entries, with checkpoints after the entries listed.
    func makeLog(entries: Int = 100, checkpointsAfter: [Int] = [60, 100], name: String = "data") throws -> (AuditLog, AuditSigningKey, DatabaseQueue) {
        let dir = DataDirectory(path: tmp.file(name), environment: [:])
        try dir.initialize(mode: .optIn)
        let engine = try dir.open()
        let key = try AuditSigningKey.loadOrCreate(in: dir).key
        for n in 1...entries {
            try engine.store.write { w in
                try w.appendAudit(
                    AuditEntry(
                        at: 1_700_000_000 + Int64(n), actor: "key:k\(n % 3)", action: "GET /v1/people/{person}/recommendations",
                        subject: Pseudonym(bytes: Array(repeating: UInt8(n % 256), count: 32)),
                        purpose: .personalization, detail: "status=200 requests=\(n)"))
            }
            if checkpointsAfter.contains(n) { try engine.audit.checkpoint(key: key, now: 1_700_000_000 + Int64(n)) }
        }
        return (engine.audit, key, try DatabaseQueue(path: dir.databasePath))
    }

    /// Runs raw SQL with the append-only triggers removed, as someone with the database file could.
    func tamper(_ db: DatabaseQueue, _ sql: String) throws {
        try db.write { db in
            try db.execute(
                sql: """
                    DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;
                    DROP TRIGGER IF EXISTS audit_checkpoints_no_update; DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;
                    """)
            try db.execute(sql: sql)
        }
    }

    @Test("an untouched log verifies, with its newest checkpoint")
    func intact() throws {
        let (log, _, _) = try makeLog()
        let result = try log.verify()
        #expect(result.isIntact, "\(result.problems)")
        #expect(result.entries == 100)
        #expect(result.lastCheckpoint?.number == 2 && result.lastCheckpoint?.entryID == 100)
        #expect(result.checkpointsChecked == 2)
        #expect(result.summary == "100 entries, chain intact, last checkpoint #2 at entry 100")
        #expect(try String(contentsOfFile: log.directory.auditCheckpointsPath, encoding: .utf8).split(separator: "\n").count == 2)
    }

    @Test("checkpointing only when new entries arrived writes nothing twice")
    func onlyIfNew() throws {
        let (log, key, _) = try makeLog(entries: 5, checkpointsAfter: [5])
        #expect(try log.checkpoint(key: key, onlyIfNew: true) == nil)
        try log.store.write { try $0.appendAudit(AuditEntry(at: 1, actor: "cli", action: "x")) }
        let made = try #require(try log.checkpoint(key: key, onlyIfNew: true))
        #expect(made.number == 2 && made.entryID == 6 && made.entryCount == 6)
        #expect(try log.verify().isIntact)
    }

    @Test("an altered entry is named")
    func altered() throws {
        let (log, _, db) = try makeLog()
        try tamper(db, "UPDATE audit_log SET detail = 'status=200 requests=1' WHERE id = 42")
        let result = try log.verify()
        #expect(!result.isIntact)
        #expect(result.problems.first == .altered(entry: 42))
        #expect(result.firstBadEntry == 42)
        #expect(result.summary.hasPrefix("first bad entry: 42 (altered)"))
    }

    @Test("an altered hash is named too")
    func alteredHash() throws {
        let (log, _, db) = try makeLog()
        try tamper(db, "UPDATE audit_log SET hash = zeroblob(32) WHERE id = 7")
        #expect(try log.verify().problems.first == .altered(entry: 7))
    }

    @Test("a removed entry in the middle is named")
    func removedMiddle() throws {
        let (log, _, db) = try makeLog()
        try tamper(db, "DELETE FROM audit_log WHERE id = 30")
        let result = try log.verify()
        #expect(result.problems.first == .removed(entry: 30, resumesAt: 31))
        #expect(result.firstBadEntry == 30)
    }

    @Test("removing the first entries is named")
    func removedFirst() throws {
        let (log, _, db) = try makeLog()
        try tamper(db, "DELETE FROM audit_log WHERE id <= 3")
        #expect(try log.verify().problems.first == .removed(entry: 1, resumesAt: 4))
    }

    @Test("two entries whose contents were swapped are named as reordered, with or without their hashes")
    func swapped() throws {
        for withHash in [false, true] {
            let (log, _, db) = try makeLog(name: "data-\(withHash)")
            let columns = "at, actor, action, subject, purpose, detail" + (withHash ? ", hash" : "")
            try tamper(
                db,
                """
                CREATE TEMP TABLE swap AS SELECT id, \(columns) FROM audit_log WHERE id IN (20, 35);
                UPDATE audit_log SET (\(columns)) = (SELECT \(columns) FROM swap WHERE swap.id = 55 - audit_log.id) WHERE id IN (20, 35);
                """)
            let result = try log.verify()
            #expect(result.problems.first == .reordered(entry: 20, with: 35), "with hash: \(withHash): \(result.problems)")
        }
    }

    @Test("removing the newest entries and the database's checkpoints is seen through the checkpoint file")
    func truncated() throws {
        let (log, _, db) = try makeLog()
        try tamper(db, "DELETE FROM audit_log WHERE id > 80; DELETE FROM audit_checkpoints WHERE id = 2;")
        let result = try log.verify()
        #expect(result.problems.first == .truncated(entry: 81, checkpoint: 2, checkpointEntry: 100))
        #expect(result.problems.contains(.checkpointMissing(checkpoint: 2, place: "database")))
        #expect(result.firstBadEntry == 81)
    }

    @Test("removing the newest entries alone is seen through the database's checkpoint")
    func truncatedEntriesOnly() throws {
        let (log, _, db) = try makeLog()
        try tamper(db, "DELETE FROM audit_log WHERE id > 99")
        #expect(try log.verify().problems == [.truncated(entry: 100, checkpoint: 2, checkpointEntry: 100)])
    }

    @Test("a chain rewritten with recomputed hashes is caught by the checkpoint that signed the old hash")
    func rewritten() throws {
        let (log, _, db) = try makeLog()
        try tamper(db, "UPDATE audit_log SET detail = 'status=200 requests=0' WHERE id = 50")
        // Recompute every hash from entry 50 on, as someone who knows the scheme would.
        try db.write { db in
            var previous = try Data.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE id = 49").map { [UInt8]($0) }!
            for row in try Row.fetchAll(db, sql: "SELECT id, at, actor, action, subject, purpose, detail FROM audit_log WHERE id >= 50 ORDER BY id") {
                let subject: Data? = row[4]
                let stored = AuditRow(
                    id: row[0], at: row[1], actor: row[2], action: row[3], subject: subject.map { [UInt8]($0) },
                    purpose: row[5], detail: row[6], hash: nil)
                previous = AuditChain.hash(of: stored, previous: previous)
                try db.execute(sql: "UPDATE audit_log SET hash = ? WHERE id = ?", arguments: [Data(previous), stored.id])
            }
        }
        let result = try log.verify()
        #expect(result.problems.first == .rewritten(from: 1, through: 60, checkpoint: 1))
        #expect(result.problems.contains(.rewritten(from: 1, through: 100, checkpoint: 2)))
    }

    @Test("a checkpoint with a bad signature is found, in the database and in the file")
    func badSignature() throws {
        let (log, _, db) = try makeLog()
        try tamper(db, "UPDATE audit_checkpoints SET entry_count = entry_count + 1 WHERE id = 1")
        var result = try log.verify()
        #expect(result.problems.contains(.badSignature(checkpoint: 1, place: "database")))
        #expect(result.problems.contains(.checkpointsDisagree(checkpoint: 1)))

        let path = log.directory.auditCheckpointsPath
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let signature = try #require(text.range(of: "signature=", options: .backwards))
        let at = text.index(signature.upperBound, offsetBy: 3)
        text.replaceSubrange(at...at, with: text[at] == "0" ? "1" : "0")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        result = try log.verify()
        #expect(result.problems.contains(.badSignature(checkpoint: 2, place: "checkpoint file")))
        #expect(!result.isIntact)
    }

    @Test("checkpoints signed by another key are refused against the trusted public key")
    func otherKey() throws {
        let (log, _, _) = try makeLog(entries: 10, checkpointsAfter: [10])
        let stranger = AuditSigningKey.generate()
        let result = try log.verify(publicKey: stranger.publicKey)
        #expect(result.problems.contains(.badSignature(checkpoint: 1, place: "database")))
        #expect(result.problems.contains(.badSignature(checkpoint: 1, place: "checkpoint file")))
    }

    @Test("verification without a key to trust is refused when there are checkpoints")
    func noKey() throws {
        let (log, key, _) = try makeLog(entries: 3, checkpointsAfter: [3])
        try FileManager.default.removeItem(atPath: log.directory.auditSigningKeyPath)
        #expect(throws: AuditError.self) { try log.verify() }
        #expect(try log.verify(publicKey: key.publicKey).isIntact)
    }

    @Test("the signing key file is created 0600, refused when others can read it, and may come from TACT_AUDIT_KEY")
    func keyFile() throws {
        let dir = DataDirectory(path: tmp.file("k"), environment: [:])
        try dir.initialize(mode: .optIn)
        let (key, created) = try AuditSigningKey.loadOrCreate(in: dir)
        #expect(created)
        let mode = try #require(FileManager.default.attributesOfItem(atPath: dir.auditSigningKeyPath)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(try AuditSigningKey.loadOrCreate(in: dir).key.publicKey == key.publicKey)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir.auditSigningKeyPath)
        #expect(throws: AuditError.self) { try AuditSigningKey.loadOrCreate(in: dir) }

        let text = try String(contentsOfFile: dir.auditSigningKeyPath, encoding: .utf8)
        let fromEnvironment = DataDirectory(path: dir.path, environment: [AuditSigningKey.environmentVariable: text])
        #expect(try AuditSigningKey.existing(in: fromEnvironment)?.publicKey == key.publicKey)
        let bad = DataDirectory(path: dir.path, environment: [AuditSigningKey.environmentVariable: "not-a-key"])
        #expect(throws: AuditError.self) { try AuditSigningKey.existing(in: bad) }
    }
}
