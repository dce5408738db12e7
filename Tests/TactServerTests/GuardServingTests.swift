import Foundation
import Testing
import TactCore
import TactEngine
import TactGuard
import TactServer
import TactStore

/// The Guard inside the server: a key that starts reading person after person is suspended as it
/// happens, the alert is stored, audited and listed, and `reinstate` restores the key.
@Suite struct GuardServingTests {
    @Test("bulk reading through one key suspends it mid-stream; the alert is listed; reinstating restores it")
    func scrapingSuspendsTheKey() async throws {
        let fixture = try ServerFixture { settings in
            settings.guardMonitor.minimumPersons = 10
            settings.guardMonitor.floors[1] = 2   // a new key: the limit is 8σ above nothing, 16 persons
            settings.keyCacheSeconds = 0
        }
        let recommend = fixture.keys[.recommend]!, audit = fixture.keys[.audit]!
        try await fixture.test { client in
            var refusedAt: Int?
            for i in 0..<60 {
                let reply = try await client.call(.get, "/v1/people/p\(i)/recommendations?k=3", auth: recommend)
                if reply.status == 401 { refusedAt = i; break }
                // The Guard acts in the background: give it a moment between requests near the limit.
                if i >= 14 { try await Task.sleep(for: .milliseconds(50)) }
            }
            let stoppedAt = try #require(refusedAt, "the key was never suspended")
            #expect(stoppedAt >= 16 && stoppedAt <= 25)
            let alerts = try await client.call(.get, "/v1/guard/alerts", auth: audit).json["alerts"] as? [[String: Any]] ?? []
            let first = try #require(alerts.first)
            #expect(first["kind"] as? String == "volume" && first["action"] as? String == "suspend")
            #expect((first["explanation"] as? String ?? "").contains("distinct persons"))
        }
        let keys = try APIKeyService(engine: fixture.engine).list()
        let suspended = try #require(keys.first { $0.isSuspended })
        #expect(suspended.suspensionReason?.contains("volume") == true)
        let entries = try fixture.engine.store.read { try $0.recentAuditEntries(limit: 1000) }
        #expect(entries.contains { $0.action == "key.suspend" } && entries.contains { $0.action == "guard.alert" })
        try APIKeyService(engine: fixture.engine).reinstate(id: suspended.id)
        try await fixture.test { client in
            let reply = try await client.call(.get, "/v1/people/p1/recommendations?k=3", auth: recommend)
            #expect(reply.status == 200)
        }
    }
}
