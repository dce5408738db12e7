import Foundation
import TactCore
import TactEngine
import TactGuard
import TactStore
import Testing

@testable import TactServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The Guard inside the server: a key that starts reading person after person is suspended as it
/// happens, the alert is stored, audited and listed, and `reinstate` restores the key.
@Suite struct GuardServingTests {
    @Test("bulk reading through one key suspends it mid-stream; the alert is listed; reinstating restores it")
    func scrapingSuspendsTheKey() async throws {
        let clock = ManualClock()
        let fixture = try ServerFixture { settings in
            settings.guardMonitor.minimumPersons = 10
            settings.guardMonitor.floors[1] = 2  // a new key: the limit is 8σ above nothing, 16 persons
            settings.guardMonitor.observeSeconds = 0  // no first day observed
            settings.guardResponse = GuardResponse(bySeverity: [.high: .suspend])
            settings.keyCacheSeconds = 0
            settings.clock = clock.read  // one window: nothing here depends on how fast the machine runs
        }
        let recommend = fixture.keys[.recommend]!, audit = fixture.keys[.audit]!
        try await fixture.test { client in
            var refusedAt: Int?
            for i in 0..<60 {
                // Ids out of order, so that it is the volume that stops it (ids in order are caught sooner: GuardRoleServingTests).
                let reply = try await client.call(.get, "/v1/people/p\(i * 37 % 101)/recommendations?k=3", auth: recommend)
                if reply.status == 401 { refusedAt = i; break }
            }
            // The 17th distinct person (p16) passes the limit of 16 and raises the alert; the suspension takes
            // effect before that answer is sent, so the very next request (p17) is refused.
            let stoppedAt = try #require(refusedAt, "the key was never suspended")
            #expect(stoppedAt == 17)
            await fixture.api.settleGuard()
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
            let reply = try await client.call(.get, "/v1/people/p37/recommendations?k=3", auth: recommend)
            #expect(reply.status == 200)
        }
    }
}

@Suite struct GuardMitigationTests {
    @Test("a planted canary read through a key is a critical alert; with throttling configured the key is slowed, not suspended")
    func canaryAndThrottle() async throws {
        let fixture = try ServerFixture { settings in
            settings.guardResponse = GuardResponse(bySeverity: [.medium: .alert, .high: .throttle, .critical: .throttle], decisive: .throttle)
            settings.keyCacheSeconds = 0
        }
        try GuardCanaries.plant(2, engine: fixture.engine)
        let canaries = try GuardCanaries.load(from: fixture.engine.directory)
        #expect(canaries.count == 2)
        // A server started after planting watches them; find a canary's id the way an attacker would not:
        // plant one more with a known id through the same path the store uses.
        try ConsentService(engine: fixture.engine).record(user: "trap-7", purposes: [.personalization], decision: .grant, note: nil)
        var settings = ServerSettings()
        settings.guardResponse = GuardResponse(bySeverity: [.medium: .alert, .high: .throttle, .critical: .throttle], decisive: .throttle)
        // One request an hour: however slowly a loaded machine runs the two requests below, no token comes back between them.
        settings.guardThrottleRate = 1.0 / 3600
        settings.guardMonitor.canaries = [fixture.engine.pseudonymizer.pseudonym(for: "trap-7").hex]
        settings.keyCacheSeconds = 0
        let api = try TactAPI(engine: fixture.engine, settings: settings)
        let recommend = fixture.keys[.recommend]!, audit = fixture.keys[.audit]!
        try await api.application().test(.router) { client in
            _ = try await client.call(.get, "/v1/people/trap-7/recommendations?k=3", auth: recommend)
            await api.settleGuard()
            let alerts = try await client.call(.get, "/v1/guard/alerts", auth: audit).json["alerts"] as? [[String: Any]] ?? []
            let first = try #require(alerts.first)
            #expect(first["severity"] as? String == "critical" && first["kind"] as? String == "canary" && first["action"] as? String == "throttle")
            // Throttled: of the next two requests, one passes at most.
            let a = try await client.call(.get, "/v1/people/p1/recommendations?k=3", auth: recommend).status
            let b = try await client.call(.get, "/v1/people/p2/recommendations?k=3", auth: recommend).status
            #expect([a, b].contains(429))
        }
        #expect(try APIKeyService(engine: fixture.engine).list().allSatisfy { !$0.isSuspended })
    }

    @Test("the webhook retries with back-off until it is answered 2xx, and gives up after its attempts")
    func webhookRetries() async {
        let calls = Counter()
        var hook = AlertWebhook(url: URL(string: "http://127.0.0.1:9/alerts")!)
        hook.firstDelay = .milliseconds(1)
        hook.send = { _, body in
            let n = await calls.next()
            #expect(String(decoding: body, as: UTF8.self).contains("\"kind\":\"volume\""))
            if n < 3 { throw URLError(.cannotConnectToHost) }
            return n == 3 ? 503 : 204
        }
        let alert = GuardAlertRecord(id: 1, at: 10, principal: "key:k1", severity: "high", kind: "volume", explanation: "x", persons: 40, action: "suspend")
        #expect(await hook.deliver(alert))
        #expect(await calls.value == 4)
        var failing = hook
        failing.attempts = 2
        failing.send = { _, _ in 500 }
        #expect(await failing.deliver(alert) == false)
    }
}

actor Counter {
    private(set) var value = 0
    func next() -> Int { value += 1; return value }
}

@Suite struct EgressTests {
    static func alerts(_ f: ServerFixture, kind: String) throws -> [GuardAlertRecord] {
        try f.engine.store.read { try $0.guardAlerts(limit: 1000) }.filter { $0.kind == kind }
    }

    @Test("personal data written into the catalog is replaced as it is stored, and that write is flagged once; answers stay clean")
    func catalogWriteIsScrubbedAndFlagged() async throws {
        let fixture = try ServerFixture()
        let recommend = fixture.keys[.recommend]!, catalog = fixture.keys[.catalog]!
        try await fixture.test { client in
            for i in 0..<3 {
                let put = try await client.call(
                    .put, "/v1/items/j\(i)", auth: catalog, json: #"{"title": "Jazz \#(i), ask booking-\#(i)@example.com", "tags": ["jazz"]}"#)
                #expect(put.status < 300, "\(put.body)")
                #expect(put.json["title"] as? String == "Jazz \(i), ask <EMAIL>")
            }
            for p in 0..<10 {
                let reply = try await client.call(.get, "/v1/people/p\(p)/recommendations?k=10", auth: recommend)
                #expect(reply.status == 200 && !reply.body.contains("@example.com"))
            }
            await fixture.api.settleGuard()
        }
        let flagged = try Self.alerts(fixture, kind: "catalog-pii")
        #expect(flagged.count == 3, "one alert per write")
        #expect(flagged.allSatisfy { $0.action == "alert" && $0.explanation.lowercased().contains("email") && !$0.explanation.contains("@example.com") })
        #expect(try Self.alerts(fixture, kind: "egress").isEmpty, "nothing left to leak, nothing to alert per answer")
        #expect(try fixture.engine.store.read { try $0.item(for: "j1") }?.title == "Jazz 1, ask <EMAIL>")
    }

    @Test(
        "catalog text that got past the catalog check never leaves in an answer, computed or kept, with the answer cache on and off",
        arguments: [300.0, nil])
    func answersAreCheckedComputedOrKept(_ cacheSeconds: Double?) async throws {
        let fixture = try ServerFixture { $0.recommendationCacheSeconds = cacheSeconds }
        // As if it had been stored before the catalog check existed: straight into the served catalog.
        for i in 0..<20 { fixture.api.state.catalog.put(Item(id: "j\(i)", title: "Jazz \(i), call ann\(i)@example.org", tags: ["jazz"])) }
        let recommend = fixture.keys[.recommend]!
        try await fixture.test { client in
            for round in 0..<3 {
                let reply = try await client.call(.get, "/v1/people/p1/recommendations?k=5", auth: recommend)
                #expect(reply.status == 200)
                #expect(!reply.body.contains("@example.org") && reply.body.contains("<EMAIL>"), "answer \(round): \(reply.body.prefix(300))")
            }
            await fixture.api.settleGuard()
        }
        let egress = try Self.alerts(fixture, kind: "egress")
        #expect((1...5).contains(egress.count), "one per leaked value, not one per answer: \(egress.count)")
    }

    @Test("data that must never leave is replaced in every answer, but the same value raises one alert, not one per answer")
    func egressAlertsOncePerValue() async throws {
        let fixture = try ServerFixture()
        let body = Array(#"{"items":[{"item":{"id":"x","title":"write to ann@example.org"}}]}"#.utf8)
        let other = Array(#"{"items":[{"item":{"id":"y","title":"or to bob@example.org"}}]}"#.utf8)
        let guardian = fixture.api.state.guardian
        for _ in 0..<50 {
            let out = String(decoding: guardian.egress(body, principal: "key:k1", route: "GET /v1/people/{person}/recommendations"), as: UTF8.self)
            #expect(out.contains("<EMAIL>") && !out.contains("ann@"))
        }
        _ = guardian.egress(other, principal: "key:k1", route: "GET /v1/people/{person}/recommendations")
        await guardian.settled()
        let egress = try Self.alerts(fixture, kind: "egress")
        #expect(egress.count == 2, "one per leaked value: \(egress.count)")
        #expect(egress.allSatisfy { $0.action == "alert" })
    }
}
