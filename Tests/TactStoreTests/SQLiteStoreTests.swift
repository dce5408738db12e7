import Foundation
import GRDB
import TactCore
import TactTestSupport
import Testing

@testable import TactStore

/// The store's contract, checked on every backend (`StoreBackend.available`), and SQLite's own cases.
@Suite struct SQLiteStoreTests {
    let dir = TemporaryDirectory()
    func pseudonym(_ n: UInt8) -> Pseudonym { Pseudonym(bytes: Array(repeating: n, count: 32)) }

    @Test(arguments: StoreBackend.available) func subjectsItemsAndInteractionsRoundTrip(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let (s, i) = try store.write { w -> (SubjectRow, ItemRow) in
            let s = try w.insertSubject(pseudonym(1), createdAt: 5)
            let i = try w.upsertItem(Item(id: "i1", title: "First", tags: ["a", "b|c"], createdAt: 100))
            try w.insertInteraction(subject: s, item: i, kind: .play, value: 2, timestamp: 20, context: "note")
            try w.insertInteraction(subject: s, item: try w.ensureItem(id: "i2"), kind: .skip, value: -1, timestamp: 10, context: nil)
            return (s, i)
        }
        try store.read { r in
            #expect(try r.subjectRow(for: pseudonym(1)) == s)
            #expect(try r.subjectRow(for: pseudonym(2)) == nil)
            #expect(try r.pseudonym(of: s) == pseudonym(1))
            #expect(try r.item(for: "i1") == Item(id: "i1", title: "First", tags: ["a", "b|c"], createdAt: 100))
            #expect(try r.item(for: "i2") == Item(id: "i2"))
            let history = try r.interactions(of: s)
            #expect(history.map(\.timestamp) == [10, 20])
            #expect(history[1] == StoredInteraction(id: 1, subject: s, item: i, kind: .play, value: 2, timestamp: 20, context: "note"))
            var all = 0
            try r.forEachInteraction { _ in all += 1 }
            #expect(all == 2)
            let stats = try r.statistics()
            #expect(stats.subjects == 1 && stats.items == 2 && stats.interactions == 2)
            #expect(stats.firstInteraction == 10 && stats.lastInteraction == 20)
        }
        // Upsert replaces the catalog fields.
        _ = try store.write { try $0.upsertItem(Item(id: "i1", title: "Renamed")) }
        #expect(try store.read { try $0.item(for: "i1") }?.title == "Renamed")
    }

    @Test(arguments: StoreBackend.available) func consentLedgerDerivesTheCurrentState(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let p = pseudonym(3), q = pseudonym(4)
        let (s, t) = try store.write { w -> (SubjectRow, SubjectRow) in
            let s = try w.insertSubject(p, createdAt: 0), t = try w.insertSubject(q, createdAt: 0)
            try w.appendConsent(
                ConsentRecord(subject: p, purpose: .personalization, decision: .grant, source: .person, recordedAt: 1, policyVersion: "v1"), subject: s)
            try w.appendConsent(
                ConsentRecord(subject: p, purpose: .personalization, decision: .deny, source: .person, recordedAt: 2, policyVersion: "v1"), subject: s)
            try w.appendConsent(
                ConsentRecord(
                    subject: p, purpose: .advertising, decision: .deny, source: .globalPrivacyControl, recordedAt: 3, policyVersion: "v1", note: "Sec-GPC: 1"),
                subject: s)
            try w.appendConsent(
                ConsentRecord(subject: q, purpose: .personalization, decision: .grant, source: .bulkImport, recordedAt: 4, policyVersion: "v2"), subject: t)
            return (s, t)
        }
        try store.read { r in
            let state = try r.consentState(of: s)
            #expect(state.decision(for: .personalization) == .deny)
            #expect(state.entries[.advertising]?.source == .globalPrivacyControl)
            #expect(state.decision(for: .analytics) == nil)
            #expect(try r.consentHistory(of: s).count == 3)
            #expect(try r.consentHistory(of: s).last?.note == "Sec-GPC: 1")
            #expect(try r.latestDecisions(for: .personalization) == [s: .deny, t: .grant])
            let stats = try r.statistics()
            #expect(stats.granted[.personalization] == 1 && stats.denied[.personalization] == 1 && stats.denied[.advertising] == 1)
        }
    }

    @Test(arguments: StoreBackend.available) func aWriteThatThrowsLeavesNothing(_ backend: StoreBackend) throws {
        struct Boom: Error {}
        let db = try TestStore(backend)
        let store = try db.open()
        #expect(throws: Boom.self) {
            try store.write { w in
                let s = try w.insertSubject(pseudonym(5), createdAt: 0)
                try w.insertInteraction(subject: s, item: try w.ensureItem(id: "x"), kind: .view, value: 1, timestamp: 0, context: nil)
                try w.addRefusals([.personalization: 3])
                throw Boom()
            }
        }
        let stats = try store.read { try $0.statistics() }
        #expect(stats == StoreStatistics())
    }

    @Test(arguments: StoreBackend.available) func ledgerAndAuditLogAreAppendOnly(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        try store.write { w in
            let s = try w.insertSubject(pseudonym(6), createdAt: 0)
            try w.appendConsent(
                ConsentRecord(subject: pseudonym(6), purpose: .analytics, decision: .grant, source: .person, recordedAt: 1, policyVersion: "v1"), subject: s)
            try w.appendAudit(AuditEntry(at: 1, actor: "test", action: "consent.grant", subject: pseudonym(6), purpose: .analytics, detail: "x"))
            try w.addRefusals([.advertising: 2])
            try w.addRefusals([.advertising: 3])
        }
        let audit = try store.read { try $0.recentAuditEntries(limit: 5) }
        // The log names the person by their random audit handle, never by pseudonym.
        let handle = try #require(audit.first?.subjectHandle)
        #expect(handle.count == 16)
        #expect(audit == [AuditEntry(at: 1, actor: "test", action: "consent.grant", purpose: .analytics, detail: "x", subjectHandle: handle)])
        #expect(try store.read { r in try r.auditEntries(of: r.subjectRow(for: pseudonym(6))!) }.map(\.action) == ["consent.grant"])
        #expect(try store.read { try $0.statistics() }.refusals == [.advertising: 5])
        #expect(throws: (any Error).self) { try db.rawExecute("UPDATE consent_ledger SET decision = 'deny'") }
        #expect(throws: (any Error).self) { try db.rawExecute("UPDATE audit_log SET actor = 'x'") }
        #expect(throws: (any Error).self) { try db.rawExecute("DELETE FROM audit_log") }
        #expect(try store.read { try $0.recentAuditEntries(limit: 5) }.count == 1)
    }

    @Test(arguments: StoreBackend.available) func reopeningKeepsDataAndMigratesOnce(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        do {
            let store = try db.open()
            _ = try store.write { try $0.insertSubject(pseudonym(7), createdAt: 0) }
        }
        let again = try db.open()
        #expect(try again.read { try $0.subjectRow(for: pseudonym(7)) } != nil)
    }

    @Test func aDatabaseFromANewerTactIsRefused() throws {
        let path = dir.file("n.sqlite")
        _ = try SQLiteStore(path: path)
        let raw = try DatabaseQueue(path: path)
        try raw.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
        #expect { try SQLiteStore(path: path) } throws: { error in
            guard case StoreError.newerSchema = error else { return false }
            return true
        }
    }

    @Test func aFileThatIsNotADatabaseGivesAClearError() throws {
        let path = dir.write("junk.sqlite", String(repeating: "not sqlite ", count: 500))
        #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
    }
}
