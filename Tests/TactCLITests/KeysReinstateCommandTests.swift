import Foundation
import TactCore
import TactEngine
import TactTestSupport
import Testing

@testable import TactCLI

/// `tact keys reinstate` by its effect: a key the Guard suspended authenticates again, with the act in
/// the audit log; a key that is not suspended, or unknown, is refused; a revoked key stays revoked.
@Suite(.serialized) struct KeysReinstateCommandTests {
    let tmp = TemporaryDirectory()
    var data: String { tmp.file("data") }

    @Test("reinstate makes a suspended key usable again and is audited; it does not revive a revoked key")
    func reinstateRestoresASuspendedKey() throws {
        #expect(TactMain.run(["init", "--data", data]) == 0)
        let engine = try DataDirectory(path: data, environment: [:]).open()
        let service = APIKeyService(engine: engine)
        let (record, key) = try service.create(name: "app", scopes: [.recommend])
        #expect(try service.authenticate(key)?.id == record.id)
        try service.suspend(id: record.id, reason: "guard: volume")
        #expect(try service.authenticate(key) == nil)
        #expect(try service.list().first { $0.id == record.id }?.isSuspended == true)

        #expect(TactMain.run(["keys", "reinstate", record.id, "--data", data]) == 0)
        let restored = try #require(try service.authenticate(key))
        #expect(restored.id == record.id && !restored.isSuspended && restored.scopes == ["recommend"])
        let audited = try engine.store.read { try $0.recentAuditEntries(limit: 50) }
        #expect(audited.contains { $0.action == "key.reinstate" && $0.detail == "id=\(record.id)" && $0.actor == "cli" })

        // Not suspended (any more): refused, and nothing changes.
        #expect(TactMain.run(["keys", "reinstate", record.id, "--data", data]) == 1)
        #expect(try service.authenticate(key)?.id == record.id)
        #expect(TactMain.run(["keys", "reinstate", "k0000000000", "--data", data]) == 1)

        // A key revoked and suspended: reinstating lifts the suspension only; the revocation stands.
        let (other, otherKey) = try service.create(name: "leaked", scopes: [.recommend])
        try service.suspend(id: other.id, reason: "guard: canary")
        _ = try service.revoke(id: other.id)
        #expect(TactMain.run(["keys", "reinstate", other.id, "--data", data]) == 0)
        #expect(try service.authenticate(otherKey) == nil)
        #expect(try service.list().first { $0.id == other.id }.map { $0.isRevoked && !$0.isSuspended } == true)
    }
}
