import Foundation
import TactCore
import TactEngine
import TactGuard
import TactStore
import TactTestSupport
import Testing

@testable import TactServer

/// The Guard of a server with its defaults, against a busy app and the attacks its role rules out: the
/// app's traffic is never refused, ids read in order and a batch key out of its hours are stopped at
/// once, a throttle is lifted (recorded, audited, listed) once the key's shape is usual again.
@Suite struct GuardRoleServingTests {
    /// A person as an app meets them: Zipf over `persons`, the same people coming back.
    static func zipf(_ r: inout SplitMix64, persons: Int) -> Int { Int(pow(Double(persons), r.unit())) - 1 }

    @Test("a fresh app key's busy traffic (Zipf, returning people, a thousand requests in seconds) is never refused by a default server")
    func busyAppIsNotRefused() async throws {
        // Before roles, a new key was held to everyone's baseline: empty on a new server, so its 41st distinct person suspended it.
        let fixture = try ServerFixture()
        let key = try APIKeyService(engine: fixture.engine).create(name: "app", scopes: [.recommend], role: RoleAssignment(.app)).key
        var r = SplitMix64(seed: 7)
        let people = (0..<1_000).map { _ in Self.zipf(&r, persons: 2_000) }
        try await fixture.test { client in
            var statuses: [Int: Int] = [:]
            for p in people {
                let reply = try await client.call(.get, "/v1/people/u\(p)/recommendations?k=3", auth: key)
                statuses[reply.status, default: 0] += 1
            }
            #expect(statuses == [200: 1_000], "\(statuses)")
            await fixture.api.settleGuard()
        }
        let alerts = try fixture.engine.guardRecords.alerts(limit: 100)
        #expect(!alerts.contains { $0.action == "throttle" || $0.action == "suspend" }, "\(alerts.map(\.explanation))")
    }

    @Test("a batch key is suspended at its first read outside its declared hours; inside them it reads everyone in order untouched")
    func batchOutOfHours() async throws {
        let clock = ManualClock(1_800_000_000 - 1_800_000_000 % 86_400 + 3 * 3600)  // 03:00 UTC
        let fixture = try ServerFixture { settings in
            settings.keyCacheSeconds = 0
            settings.clock = clock.read
        }
        let key = try APIKeyService(engine: fixture.engine).create(
            name: "nightly", scopes: [.recommend], role: RoleAssignment(.batch, hours: ActiveHours(from: 2, to: 5))
        ).key
        try await fixture.test { client in
            for i in 1...60 {
                let reply = try await client.call(.get, "/v1/people/u\(i)/recommendations?k=3", auth: key)
                #expect(reply.status == 200, "u\(i): \(reply.status)")
            }
            clock.advance(by: 11 * 3600)  // 14:00
            let late = try await client.call(.get, "/v1/people/u61/recommendations?k=3", auth: key)
            #expect(late.status == 200, "the read that raised it is answered")
            let next = try await client.call(.get, "/v1/people/u62/recommendations?k=3", auth: key)
            #expect(next.status == 401)
            await fixture.api.settleGuard()
        }
        let alert = try #require(try fixture.engine.guardRecords.alerts(limit: 10).first)
        #expect(alert.kind == "role" && alert.action == "suspend" && alert.explanation.contains("outside its declared hours 02-05"), "\(alert.explanation)")
    }

    @Test("a throttle is lifted once the key's windows have their usual shape again: recorded as 'lift', audited, and the key's rate is back")
    func throttleIsLifted() async throws {
        let tmp = TemporaryDirectory()
        let dir = DataDirectory(path: tmp.file("data"), environment: [:])
        try dir.initialize(mode: .optIn)
        let engine = try dir.open()
        let created = try APIKeyService(engine: engine).create(name: "app", scopes: [.recommend], role: RoleAssignment(.app))
        let principal = "key:" + created.record.id
        var settings = AccessMonitor.Settings()
        settings.observeSeconds = 0
        settings.window = 60
        let limiter = RateLimiter(rate: 1000, burst: 2000)
        let guardian = GuardService(
            engine: engine, keys: KeyCache(service: APIKeyService(engine: engine), lifetime: 0), limiter: limiter, settings: settings)
        let route = "GET /v1/people/{person}/recommendations"
        var r = SplitMix64(seed: 9)
        var at: Int64 = 1_800_000_000
        // An hour of its usual audience, a read a second.
        for _ in 0..<3_600 {
            guardian.observe(AccessEvent(at: at, principal: principal, person: "p\(Self.zipf(&r, persons: 300))", route: route, role: RoleAssignment(.app)))
            at += 1
        }
        // A burst of strangers in one window (fewer than reading through people takes): its shape changed, high, throttled.
        for i in 0..<200 {
            guardian.observe(AccessEvent(at: at, principal: principal, person: "s\(i * 7_919 % 100_000)", route: route, role: RoleAssignment(.app)))
        }
        await guardian.settled()
        #expect(limiter.rate(of: created.record.id) < 1, "throttled")
        // Its usual audience again: the burst's window, then two calm ones, closed by the next read.
        for _ in 0..<300 {
            at += 1
            guardian.observe(AccessEvent(at: at, principal: principal, person: "p\(Self.zipf(&r, persons: 300))", route: route, role: RoleAssignment(.app)))
        }
        await guardian.settled()
        #expect(limiter.rate(of: created.record.id) == 1000, "lifted")
        let records = try engine.guardRecords.alerts(limit: 10)
        #expect(records.contains { $0.action == "throttle" && $0.principal == principal }, "\(records.map { "\($0.action) \($0.kind) \($0.explanation)" })")
        let lift = try #require(records.first { $0.action == "lift" })
        #expect(lift.severity == "notice" && lift.kind == "throttle-lifted" && lift.explanation.contains("usual shape"))
        let audit = try engine.audit.recentEntries(limit: 20)
        #expect(audit.contains { $0.action == "guard.alert" && $0.detail.contains("action=lift") })
    }

    @Test("POST /v1/keys takes a role and hours, and lists them; an unknown role or malformed hours is a 400 naming the field")
    func keysRouteTakesRoles() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let made = try await client.call(
                .post, "/v1/keys", auth: fixture.admin, json: #"{"name":"nightly","scopes":["recommend"],"role":"batch","hours":"02-05"}"#)
            #expect(made.status == 201 && made.json["role"] as? String == "batch 02-05", "\(made.body)")
            let plain = try await client.call(.post, "/v1/keys", auth: fixture.admin, json: #"{"name":"web","scopes":["recommend"]}"#)
            #expect(plain.json["role"] as? String == "app")
            let badRole = try await client.call(.post, "/v1/keys", auth: fixture.admin, json: #"{"name":"x","scopes":["recommend"],"role":"owner"}"#)
            #expect(badRole.status == 400 && badRole.body.contains("role"), "\(badRole.body)")
            let badHours = try await client.call(
                .post, "/v1/keys", auth: fixture.admin, json: #"{"name":"x","scopes":["recommend"],"role":"batch","hours":"9"}"#)
            #expect(badHours.status == 400 && badHours.body.contains("hours"), "\(badHours.body)")
            let listed = try await client.call(.get, "/v1/keys", auth: fixture.admin).json["keys"] as? [[String: Any]] ?? []
            #expect(listed.contains { $0["name"] as? String == "nightly" && $0["role"] as? String == "batch 02-05" })
        }
    }
}
