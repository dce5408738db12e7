import Foundation
import TactCore
import TactEngine
import TactGuard
import TactStore
import Testing

@testable import TactServer

/// Where the Guard learns who is active: the store's recent events when the server starts, and the events
/// each key sends as they arrive.
@Suite struct GuardActivityServingTests {
    @Test("a server starts its activity memory from the store's recent events; events a key sends mark the person active and sent by that key")
    func activityFromStoreAndIngest() async throws {
        let fixture = try ServerFixture()
        let now = Int64(Date().timeIntervalSince1970)
        // Someone active an hour ago (the fixture's own people's events are from 2023).
        _ = try Ingestor(engine: fixture.engine).ingest(
            [IncomingInteraction(user: "recent", item: "r1", kind: .play, timestamp: now - 3600)],
            options: IngestOptions(grants: [.personalization], grantNote: "test"))
        let guardian = fixture.api.state.guardian
        guardian.sync()
        let hex = { (id: String) in fixture.engine.pseudonymizer.pseudonym(for: id).hex }
        var memory = guardian.activity()
        #expect(memory.isActive(hex("recent"), at: now))
        #expect(!memory.isActive(hex("p0"), at: now), "events from 2023")
        #expect(memory.population == 41, "the fixture's 40 people and the recent one")
        #expect(memory.knownSince.map { $0 <= memory.windowBegins(at: now) } == true, "filled: it knows the whole window")

        let created = try APIKeyService(engine: fixture.engine).create(name: "web", scopes: [.ingest, .recommend], role: RoleAssignment(.app))
        try await fixture.test { client in
            let reply = try await client.call(
                .post, "/v1/events", auth: created.key,
                json: #"{"events": [{"user": "p0", "item": "r2", "kind": "play"}, {"user": "p2", "item": "r3", "kind": "play", "timestamp": 1700000000}]}"#)
            #expect(reply.status == 200, "\(reply.body)")
        }
        memory = guardian.activity()
        #expect(memory.isActive(hex("p0"), at: now) && memory.sent("key:" + created.record.id, hex("p0"), at: now))
        #expect(!memory.sent("key:other", hex("p0"), at: now))
        #expect(!memory.isActive(hex("p2"), at: now), "an event from 2023, sent today, does not make its person active")
    }
}
