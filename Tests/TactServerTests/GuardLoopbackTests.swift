import Foundation
import Hummingbird
import HummingbirdTesting
import TactCore
import TactEngine
import TactGuard
import Testing

@testable import TactServer

/// A short version of the Guard's harness against the real server on a loopback port: benign reads,
/// then a leaked key scraping, a canary touched and a person token replayed against other people.
/// Windows are one second long, and the server's clock is a `ManualClock` the test moves: nothing sleeps,
/// and each mitigation takes effect on the key's next request, so the counts are exact.
@Suite(.serialized) struct GuardLoopbackTests {
    @Test("over real HTTP: scraping is suspended early, a canary is critical, a replayed token is caught, benign reads stay quiet")
    func harnessOnLoopback() async throws {
        let clock = ManualClock()
        let fixture = try ServerFixture { settings in
            settings.guardMonitor.window = 1
            settings.guardMonitor.warmup = 2
            settings.guardMonitor.minimumPersons = 10
            settings.guardMonitor.floors[1] = 2
            settings.keyCacheSeconds = 0
            settings.clock = clock.read
        }
        let service = APIKeyService(engine: fixture.engine)
        let benign = try service.create(name: "benign", scopes: [.recommend]).key
        let leaked = try service.create(name: "leaked", scopes: [.recommend]).key
        let prober = try service.create(name: "prober", scopes: [.recommend]).key
        try ConsentService(engine: fixture.engine).record(user: "canary-x", purposes: [.personalization], decision: .grant, note: nil)
        var settings = ServerSettings()
        settings.guardMonitor = AccessMonitor.Settings()
        settings.guardMonitor.window = 1
        settings.guardMonitor.warmup = 2
        settings.guardMonitor.minimumPersons = 10
        settings.guardMonitor.floors[1] = 2
        settings.guardMonitor.canaries = [fixture.engine.pseudonymizer.pseudonym(for: "canary-x").hex]
        settings.keyCacheSeconds = 0
        settings.clock = clock.read
        let api = try TactAPI(engine: fixture.engine, settings: settings)
        let subjects = fixture.keys[.subjects]!, audit = fixture.keys[.audit]!
        try await api.application().test(.live) { client in
            // Benign: a few people, again and again, for three one-second windows.
            for round in 0..<12 {
                for p in 0..<4 { _ = try await client.call(.get, "/v1/people/p\(p)/recommendations?k=3", auth: benign) }
                if round % 4 == 3 { clock.advance(by: 1) }
            }
            // A leaked key scrapes person after person.
            var scraped = 0
            for i in 0..<200 {
                let reply = try await client.call(.get, "/v1/people/p\(100 + i)/recommendations?k=3", auth: leaked)
                if reply.status == 401 { break }
                scraped += 1
            }
            // A new key is observed (its volume is not acted on), but ids read in order are decisive. Here the
            // scraper's ids are the highest anyone has asked for (p100 upward; the benign key read p0 to p3), so
            // they count as the newest and not as next to each other (new sign-ups are read in sequence too);
            // their order does: from the third read on each goes the same way as the one before (ln 1.9 = 0.64
            // each), so the 27th read takes that CUSUM past 16, and the next is refused.
            #expect(scraped == 27, "scraped \(scraped) persons before the key was suspended")
            // A canary, read through another key.
            _ = try await client.call(.get, "/v1/people/canary-x/recommendations?k=3", auth: prober)
            // A person token replayed against other people: every try refused.
            let issued = try await client.call(.post, "/v1/people/p0/tokens", auth: subjects)
            let token = try #require(issued.json["token"] as? String)
            for i in 0..<30 { _ = try await client.call(.get, "/v1/people/p\(i + 1)/consent", auth: token) }
            clock.advance(by: 2)
            _ = try await client.call(.get, "/v1/people/p0/consent", auth: token)  // closes the window
            await api.settleGuard()

            let alerts = try await client.call(.get, "/v1/guard/alerts", auth: audit).json["alerts"] as? [[String: Any]] ?? []
            let leakedID = try service.list().first { $0.name == "leaked" }!.id, proberID = try service.list().first { $0.name == "prober" }!.id
            let benignID = try service.list().first { $0.name == "benign" }!.id
            #expect(
                alerts.contains { $0["principal"] as? String == "key:\(leakedID)" && $0["kind"] as? String == "order" && $0["action"] as? String == "suspend" }
            )
            #expect(alerts.contains { $0["principal"] as? String == "key:\(proberID)" && $0["severity"] as? String == "critical" })
            #expect(alerts.contains { ($0["principal"] as? String ?? "").hasPrefix("person-token:") && $0["severity"] as? String == "high" })
            #expect(!alerts.contains { $0["principal"] as? String == "key:\(benignID)" })
            let prober401 = try await client.call(.get, "/v1/people/p1/recommendations?k=3", auth: prober)
            #expect(prober401.status == 401)
            let stillFine = try await client.call(.get, "/v1/people/p1/recommendations?k=3", auth: benign)
            #expect(stillFine.status == 200)
        }
    }
}
