import Foundation
import GRDB
import TactCore
import TactTestSupport
import Testing

@testable import TactStore

@Suite struct APIKeyStoreTests {
    let dir = TemporaryDirectory()
    func hash(_ n: UInt8) -> [UInt8] { Array(repeating: n, count: 32) }
    func pseudonym(_ n: UInt8) -> Pseudonym { Pseudonym(bytes: Array(repeating: n, count: 32)) }

    @Test(arguments: StoreBackend.available) func insertListLookUpAndRevoke(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let a = APIKeyRecord(id: "kb", name: "web", scopes: ["recommend", "ingest"], role: "batch 02-05", createdAt: 20)
        let b = APIKeyRecord(id: "ka", name: "ops", scopes: ["admin"], createdAt: 20)
        let c = APIKeyRecord(id: "k0", name: "old", scopes: ["audit"], createdAt: 10)
        try store.write { w in
            try w.insertAPIKey(a, secretHash: hash(1))
            try w.insertAPIKey(b, secretHash: hash(2))
            try w.insertAPIKey(c, secretHash: hash(3))
        }
        #expect(a.scopes == ["ingest", "recommend"])  // sorted on creation
        try store.read { r throws in
            #expect(try r.apiKeys().map(\.id) == ["k0", "ka", "kb"])  // by creation time, then id
            #expect(try r.apiKey(secretHash: hash(1)) == a)
            #expect(try r.apiKey(secretHash: hash(2)) == b)
            #expect(try r.apiKey(secretHash: hash(9)) == nil)
            #expect(try r.apiKey(secretHash: []) == nil)
        }

        // A role is kept as given, and changed in place; a key made without one has none ("").
        #expect(try store.read { try $0.apiKey(secretHash: hash(3)) }?.role == "")
        #expect(try store.write { try $0.setAPIKeyRole(id: "k0", role: "analyst") })
        #expect(try !store.write { try $0.setAPIKeyRole(id: "nope", role: "app") })
        #expect(try store.read { try $0.apiKey(secretHash: hash(3)) }?.role == "analyst")
        #expect(try store.write { try $0.revokeAPIKey(id: "kb", at: 30) })
        #expect(try store.write { try $0.revokeAPIKey(id: "kb", at: 40) })  // still there; keeps the first time
        #expect(try !store.write { try $0.revokeAPIKey(id: "nope", at: 40) })
        let revoked = try #require(try store.read { try $0.apiKey(secretHash: hash(1)) })
        #expect(revoked.revokedAt == 30 && revoked.isRevoked)
        #expect(try store.read { try $0.apiKey(secretHash: hash(2)) }?.isRevoked == false)
    }

    @Test(arguments: StoreBackend.available) func hashesAreUniqueAndThirtyTwoBytes(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        try store.write { try $0.insertAPIKey(APIKeyRecord(id: "k1", name: "a", scopes: ["ingest"], createdAt: 1), secretHash: hash(1)) }
        #expect(throws: (any Error).self) {
            try store.write { try $0.insertAPIKey(APIKeyRecord(id: "k2", name: "b", scopes: ["ingest"], createdAt: 1), secretHash: hash(1)) }
        }
        #expect(throws: (any Error).self) {
            try store.write { try $0.insertAPIKey(APIKeyRecord(id: "k1", name: "c", scopes: ["ingest"], createdAt: 1), secretHash: hash(4)) }
        }
        #expect(throws: (any Error).self) {
            try store.write { try $0.insertAPIKey(APIKeyRecord(id: "k3", name: "d", scopes: ["ingest"], createdAt: 1), secretHash: [1, 2, 3]) }
        }
        #expect(try store.read { try $0.apiKeys() }.count == 1)
    }

    @Test func aVersionOneDatabaseGainsTheKeyTableAndKeepsItsData() throws {
        let path = dir.file("v1.sqlite")
        do {
            // A database as a Tact that only knew v1 left it.
            let old = try DatabaseQueue(path: path)
            try SQLiteSchema.migrator.migrate(old, upTo: "v1-foundation")
            try old.write { db in
                try db.execute(sql: "INSERT INTO subjects (pseudonym, created_at) VALUES (?, 5)", arguments: [Data(pseudonym(7).bytes)])
                try db.execute(sql: "INSERT INTO items (external_id, title) VALUES ('i1', 'One')")
            }
            #expect(try old.read { try $0.tableExists("api_keys") } == false)
        }
        let store = try SQLiteStore(path: path)
        #expect(try store.read { try $0.subjectRow(for: pseudonym(7)) } != nil)
        #expect(try store.read { try $0.item(for: "i1") }?.title == "One")
        #expect(try store.read { try $0.apiKeys() }.isEmpty)
        try store.write { try $0.insertAPIKey(APIKeyRecord(id: "k1", name: "a", scopes: ["ingest"], createdAt: 1), secretHash: hash(1)) }

        // Reopening migrates nothing again and keeps the key.
        let again = try SQLiteStore(path: path)
        #expect(try again.read { try $0.apiKeys() }.map(\.id) == ["k1"])
        let applied = try DatabaseQueue(path: path).read { try SQLiteSchema.migrator.appliedIdentifiers($0) }
        #expect(applied == Set(SQLiteSchema.migrator.migrations))
        #expect(applied.isSuperset(of: ["v1-foundation", "v2-api-keys", "v3-covering-history-index"]))
    }

    @Test(arguments: StoreBackend.available) func deletingAnItemRemovesItsInteractions(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        try store.write { w in
            let s = try w.insertSubject(pseudonym(1), createdAt: 0), t = try w.insertSubject(pseudonym(2), createdAt: 0)
            let gone = try w.upsertItem(Item(id: "gone", title: "Gone")), kept = try w.ensureItem(id: "kept")
            try w.insertInteraction(subject: s, item: gone, kind: .play, value: 1, timestamp: 1, context: nil)
            try w.insertInteraction(subject: t, item: gone, kind: .view, value: 1, timestamp: 2, context: nil)
            try w.insertInteraction(subject: s, item: kept, kind: .play, value: 1, timestamp: 3, context: nil)
            _ = try w.ensureItem(id: "unused")
        }
        #expect(try store.write { try $0.deleteItem(id: "gone") } == 2)
        #expect(try store.write { try $0.deleteItem(id: "unused") } == 0)
        #expect(try store.write { try $0.deleteItem(id: "gone") } == nil)
        #expect(try store.write { try $0.deleteItem(id: "never") } == nil)
        try store.read { r in
            #expect(try r.item(for: "gone") == nil)
            #expect(try r.items().map(\.item.id) == ["kept"])
            let stats = try r.statistics()
            #expect(stats.items == 1 && stats.interactions == 1 && stats.subjects == 2)
            var items: [ItemRow] = []
            try r.forEachInteraction { items.append($0.item) }
            #expect(try items.map { try r.itemID(of: $0) } == ["kept"])
        }
    }
}

@Suite struct ServingReadTests {
    @Test("serving reads a person's events and consent from the covering index, as the full reads do", arguments: StoreBackend.available)
    func servingHistoryMatchesInteractions(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let p = Pseudonym(bytes: Array(repeating: 7, count: 32))
        try store.write { w in
            let s = try w.insertSubject(p, createdAt: 1)
            let a = try w.ensureItem(id: "a"), b = try w.ensureItem(id: "b")
            try w.insertInteraction(subject: s, item: a, kind: .play, value: 2, timestamp: 5, context: "ctx")
            try w.insertInteraction(subject: s, item: b, kind: .skip, value: -1, timestamp: 6, context: nil)
            try w.appendConsent(
                ConsentRecord(subject: p, purpose: .personalization, decision: .grant, source: .person, recordedAt: 3, policyVersion: "1"), subject: s)
            try w.appendConsent(
                ConsentRecord(subject: p, purpose: .personalization, decision: .deny, source: .globalPrivacyControl, recordedAt: 4, policyVersion: "1"),
                subject: s)
        }
        try store.readLatest { r in
            let s = try #require(try r.subjectRow(for: p))
            let fast = try r.servingHistory(of: s).sorted { $0.item < $1.item }
            let full = try r.interactions(of: s).sorted { $0.item < $1.item }
            #expect(fast.map(\.item) == full.map(\.item))
            #expect(fast.map(\.kind) == full.map(\.kind))
            #expect(fast.map(\.value) == full.map(\.value))
            var state = ConsentState()
            for record in try r.consentHistory(of: s) { state.apply(record) }
            #expect(try r.consentState(of: s) == state)
            #expect(state.decision(for: .personalization) == .deny)
            #expect(state[.personalization]?.source == .globalPrivacyControl)
        }
    }
}

@Suite struct ChangeWatcherTests {
    @Test("the watcher sees commits from other connections, not its own store's, and nothing else", arguments: StoreBackend.available)
    func seesOtherConnections(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        let watcher = try #require(try store.changeWatcher())
        #expect(try watcher.changedSinceLastLook() == false, "the first look takes a baseline")
        #expect(try watcher.changedSinceLastLook() == false)
        _ = try store.write { try $0.ensureItem(id: "a") }
        #expect(try watcher.changedSinceLastLook() == false, "its own store's commits (the server's audit batches) do not count")
        // Another process's connection, as the CLI would open one, also when the store commits as well.
        let cli = try db.open()
        _ = try cli.write { try $0.ensureItem(id: "c") }
        _ = try store.write { try $0.ensureItem(id: "d") }
        #expect(try watcher.changedSinceLastLook() == true)
        #expect(try watcher.changedSinceLastLook() == false)
        // Another process's connection, as the CLI would open one.
        let other = try db.open()
        _ = try other.write { try $0.ensureItem(id: "b") }
        #expect(try watcher.changedSinceLastLook() == true)
        _ = try store.read { try $0.items() }
        #expect(try watcher.changedSinceLastLook() == false, "reads change nothing")
    }
}

@Suite struct GuardStoreTests {
    @Test(arguments: StoreBackend.available) func suspendReinstateAndAlerts(_ backend: StoreBackend) throws {
        let db = try TestStore(backend)
        let store = try db.open()
        try store.write { w in
            try w.insertAPIKey(APIKeyRecord(id: "k1", name: "web", scopes: ["recommend"], createdAt: 1), secretHash: [UInt8](repeating: 7, count: 32))
            let first = try w.suspendAPIKey(id: "k1", at: 10, reason: "volume")
            let again = try w.suspendAPIKey(id: "k1", at: 20, reason: "again")  // keeps the first time and reason
            let missing = try w.suspendAPIKey(id: "nope", at: 10, reason: "x")
            #expect(first && again && !missing)
        }
        var key = try store.read { try $0.apiKeys() }[0]
        #expect(key.isSuspended && key.suspendedAt == 10 && key.suspensionReason == "volume")
        try store.write { w in
            let lifted = try w.reinstateAPIKey(id: "k1")
            let twice = try w.reinstateAPIKey(id: "k1")
            #expect(lifted && !twice)
        }
        key = try store.read { try $0.apiKeys() }[0]
        #expect(!key.isSuspended && key.suspensionReason == nil)
        try store.write { w in
            _ = try w.appendGuardAlert(
                GuardAlertRecord(at: 5, principal: "key:k1", severity: "high", kind: "volume", explanation: "a", persons: 3, action: "suspend"))
            _ = try w.appendGuardAlert(
                GuardAlertRecord(at: 6, principal: "key:k1", severity: "critical", kind: "canary", explanation: "b", persons: 1, action: "suspend"))
        }
        let alerts = try store.read { try $0.guardAlerts(limit: 10) }
        #expect(alerts.map(\.explanation) == ["b", "a"])
    }
}
