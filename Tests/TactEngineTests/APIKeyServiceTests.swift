import Foundation
import TactCore
import TactPrivacy
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

@Suite struct APIKeyServiceTests {
    let tmp = TemporaryDirectory()

    @Test func createdKeysAuthenticateUntilRevoked() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        let keys = APIKeyService(engine: engine)
        let (record, key) = try keys.create(name: "web frontend", scopes: [.recommend, .ingest])
        #expect(record.scopes == ["ingest", "recommend"] && !record.isRevoked)
        #expect(record.id.count == 11 && record.id.hasPrefix("k") && Hex.decode(String(record.id.dropFirst())) != nil)
        #expect(record.id == record.id.lowercased())
        #expect(key.hasPrefix("tact_\(record.id)_"))
        let secret = key.dropFirst("tact_\(record.id)_".count)
        #expect(secret.count == 43 && Base64URL.decode(secret)?.count == 32)

        #expect(try keys.authenticate(key) == record)
        #expect(APIKeyService.scopes(of: record) == [.ingest, .recommend])
        #expect(try keys.authenticate(key + "x") == nil)
        #expect(try keys.authenticate(String(key.dropLast())) == nil)
        #expect(try keys.authenticate("") == nil)
        #expect(try keys.authenticate("Bearer " + key) == nil)
        #expect(try keys.authenticate("tact_" + String(repeating: "a", count: 500)) == nil)

        let other = try keys.create(name: "ops", scopes: [.admin])
        #expect(other.key != key && other.record.id != record.id)
        #expect(Set(try keys.list().map(\.id)) == [record.id, other.record.id])

        let revoked = try keys.revoke(id: record.id)
        #expect(revoked.isRevoked && revoked.id == record.id)
        #expect(try keys.authenticate(key) == nil)
        #expect(try keys.authenticate(other.key) == other.record)
        // Revoking again keeps the first time.
        #expect(try keys.revoke(id: record.id).revokedAt == revoked.revokedAt)
        #expect(try keys.list().first { $0.id == record.id }?.revokedAt == revoked.revokedAt)
    }

    @Test func unknownKeysCannotBeRevoked() throws {
        let keys = APIKeyService(engine: try makeEngine(tmp, mode: .optIn))
        #expect { try keys.revoke(id: "k0000000000") } throws: { error in
            "\(error)" == "no API key 'k0000000000'; list them with 'tact keys list'"
        }
    }

    @Test func theAuditLogNamesKeysButNeverHoldsThem() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        let keys = APIKeyService(engine: engine)
        let (record, key) = try keys.create(name: "web", scopes: [.ingest, .recommend], actor: "admin-key")
        try keys.revoke(id: record.id)
        let audit = try engine.store.read { try $0.recentAuditEntries(limit: 10) }
        #expect(audit.map(\.action) == ["key.revoke", "key.create"])
        #expect(audit[1].detail == "id=\(record.id) scopes=ingest,recommend role=app" && audit[1].actor == "admin-key")
        #expect(audit[0].detail == "id=\(record.id)" && audit[0].actor == "cli")
        let secret = String(key.split(separator: "_", maxSplits: 2).last!)  // the secret itself may hold "_"
        for entry in audit {
            #expect(!entry.detail.contains(secret) && !entry.actor.contains(secret) && !entry.action.contains(secret))
        }
        // Nor does the database file, anywhere.
        try (engine.store as? SQLiteStore)?.checkpoint()
        #expect(!fileContains(engine.directory.databasePath, key))
        #expect(!fileContains(engine.directory.databasePath, secret))
    }

    @Test func badNamesAndEmptyScopesAreRefused() throws {
        let keys = APIKeyService(engine: try makeEngine(tmp, mode: .optIn))
        for name in ["", "   ", String(repeating: "n", count: 65), "line\nbreak", "tab\there", "nul\u{0}", "bidi\u{202E}"] {
            #expect(throws: EngineError.self) { try keys.create(name: name, scopes: [.ingest]) }
        }
        #expect(throws: EngineError.self) { try keys.create(name: "web", scopes: []) }
        _ = try keys.create(name: String(repeating: "n", count: 64), scopes: [.ingest])
        _ = try keys.create(name: "Café frontend — prod", scopes: [.ingest])
        #expect(try keys.list().count == 2)
    }

    @Test func adminAllowsEverything() {
        for scope in Scope.allCases {
            #expect(Set<Scope>([.admin]).allows(scope))
            #expect(Set<Scope>([scope]).allows(scope))
        }
        #expect(!Set<Scope>([.ingest, .recommend]).allows(.catalog))
        #expect(!Set<Scope>([.audit]).allows(.admin))
        #expect(!Set<Scope>().allows(.ingest))
        let record = APIKeyRecord(id: "k1", name: "x", scopes: ["ingest", "from-a-newer-tact"], createdAt: 0)
        #expect(APIKeyService.scopes(of: record) == [.ingest])
    }

    @Test func scopeLists() throws {
        #expect(try Scope.parseList("ingest,recommend") == [.ingest, .recommend])
        #expect(try Scope.parseList(" Admin , ingest,,admin ") == [.admin, .ingest])
        #expect(throws: ScopeListError(name: "read")) { try Scope.parseList("ingest,read") }
        #expect(throws: ScopeListError(name: nil)) { try Scope.parseList(" , ") }
        let message = ScopeListError(name: "read").description
        #expect(message.contains("'read'") && message.contains("ingest, recommend, catalog, subjects, audit, ads, admin"))
        #expect(Scope.allCases.sorted() == Scope.allCases)
    }

    @Test func theEngineSignsPersonTokensUnderItsSecret() throws {
        let dir = DataDirectory(path: tmp.file("tokens"), environment: [:])
        try dir.initialize(mode: .optIn)
        let token = PersonToken(subject: try dir.open().pseudonymizer.pseudonym(for: "alice"), keyID: "k1", issuedAt: 10, expiresAt: 20)
        let text = try dir.open().personTokens.sign(token)
        #expect(try dir.open().personTokens.verify(text, now: 15) == token)  // another open, same secret
    }
}
