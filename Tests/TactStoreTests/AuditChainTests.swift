import Foundation
import GRDB
import TactCore
import TactTestSupport
import Testing

@testable import TactStore

@Suite struct AuditChainTests {
    let dir = TemporaryDirectory()

    static func entry(_ n: Int, subject: Pseudonym? = nil) -> AuditEntry {
        AuditEntry(at: 1_700_000_000 + Int64(n), actor: "test", action: "read", subject: subject, purpose: .personalization, detail: "n=\(n)")
    }

    /// Ids 1, 2, 3… and every stored hash recomputed from the one before.
    static func chainHolds(_ store: any Store) throws -> Int {
        var previous = AuditChain.genesis
        var expected: Int64 = 1
        var intact = true
        try store.read { r in
            try r.forEachAuditRow(after: 0) { row in
                let hash = AuditChain.hash(of: row, previous: previous)
                guard row.id == expected, row.hash == hash else {
                    intact = false
                    return false
                }
                previous = hash
                expected += 1
                return true
            }
        }
        return intact ? Int(expected - 1) : -1
    }

    @Test("the encoding is unambiguous: moving bytes between fields or absent vs empty changes the hash")
    func encodingIsUnambiguous() {
        let base = AuditRow(id: 1, at: 2, actor: "ab", action: "c", subject: nil, purpose: nil, detail: "", hash: nil)
        var shifted = base
        shifted.actor = "a"
        shifted.action = "bc"
        var empty = base
        empty.subject = []
        var emptyPurpose = base
        emptyPurpose.purpose = ""
        let hashes = [base, shifted, empty, emptyPurpose].map { AuditChain.hash(of: $0, previous: AuditChain.genesis) }
        #expect(Set(hashes.map { Hex.encode($0) }).count == 4)
        #expect(AuditChain.hash(of: base, previous: AuditChain.genesis) != AuditChain.hash(of: base, previous: [UInt8](repeating: 1, count: 32)))
        #expect(hashes[0].count == 32)
    }

    @Test("appends from two stores on one file, from several threads, form one intact chain", arguments: StoreBackend.available)
    func twoStoresOneChain(_ backend: StoreBackend) async throws {
        let db = try TestStore(backend)
        let a = try db.open()
        let b = try db.open()
        await withTaskGroup(of: Void.self) { group in
            for (t, store) in [a, b, a, b].enumerated() {
                group.addTask {
                    for i in 0..<150 {
                        try? store.write { w in
                            try w.appendAudit(Self.entry(t * 1000 + i, subject: Pseudonym(bytes: Array(repeating: UInt8(t), count: 32))))
                            if i % 10 == 0 { try w.appendAudit(Self.entry(t * 1000 + i + 500)) }  // two in one transaction
                        }
                    }
                }
            }
        }
        #expect(try Self.chainHolds(a) == 4 * 165)
        #expect(try Self.chainHolds(b) == 4 * 165)
        let last = try #require(try b.read { try $0.lastAuditRow() })
        #expect(last.id == 660)
        #expect(try a.read { try $0.auditEntryCount(after: 600) } == 60)
        // The decoded view still reads the same entries.
        let recent = try a.read { try $0.recentAuditEntries(limit: 1) }
        #expect(recent.first?.detail == last.detail)
    }

    @Test("migration v5 chains the entries already kept and keeps the log append-only")
    func migrationChainsExistingEntries() throws {
        let path = dir.file("old.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteSchema.migrator.migrate(queue, upTo: "v3-covering-history-index")
            try queue.write { db in
                for i in 1...25 {
                    try db.execute(
                        sql: "INSERT INTO audit_log (at, actor, action, subject, purpose, detail) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [
                            Int64(i), "cli", "consent.grant", i % 2 == 0 ? Data(repeating: UInt8(i), count: 32) : nil,
                            i % 3 == 0 ? nil : "analytics", "n=\(i)"
                        ])
                }
            }
        }
        let store = try SQLiteStore(path: path)
        #expect(try Self.chainHolds(store) == 25)
        try store.write { try $0.appendAudit(Self.entry(26)) }
        #expect(try Self.chainHolds(store) == 26)
        let raw = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: "UPDATE audit_log SET detail = 'x' WHERE id = 3") } }
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: "DELETE FROM audit_log WHERE id = 26") } }
        #expect(throws: DatabaseError.self) {
            try raw.write {
                try $0.execute(
                    sql: "INSERT INTO audit_checkpoints VALUES (1, 1, 0, zeroblob(32), 0, zeroblob(32), zeroblob(64)); DELETE FROM audit_checkpoints")
            }
        }
        #expect(try Self.chainHolds(store) == 26)
    }

    @Test("checkpoints round-trip through the store and a file line", arguments: StoreBackend.available)
    func checkpointRoundTrip(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let c = AuditCheckpoint(
            number: 1, at: 5, entryID: 0, entryHash: AuditChain.genesis, entryCount: 0,
            publicKey: Array(repeating: 7, count: 32), signature: Array(repeating: 9, count: 64))
        try store.write { try $0.appendAuditCheckpoint(c) }
        #expect(try store.read { try $0.auditCheckpoints() } == [c])
        #expect(try store.read { try $0.lastAuditCheckpoint() } == c)
        #expect(AuditCheckpoint(line: c.line) == c)
        #expect(AuditCheckpoint(line: c.line.replacingOccurrences(of: "entry=0", with: "entry=x")) == nil)
        #expect(AuditCheckpoint(line: "something else") == nil)
    }
}
