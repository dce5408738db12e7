import Foundation
import HTTPTypes
import HummingbirdTesting
import TactCore
import TactEngine
import TactStore
import Testing

@testable import TactServer

@Suite("Policy history, record of processing activities and retention over HTTP")
struct TransparencyRouteTests {
    @Test("GET /v1/policy/versions lists the recorded versions, public")
    func versions() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            let reply = try await client.call(.get, "/v1/policy/versions")
            #expect(reply.status == 200 && reply.contentType == "application/json")
            #expect(reply.json["current"] as? String == PrivacyPolicy.builtIn.version)
            let versions = try #require(reply.json["versions"] as? [[String: Any]])
            #expect(versions.count == 1)
            #expect(versions.first?["version"] as? String == PrivacyPolicy.builtIn.version)
            #expect(versions.first?["current"] as? Bool == true)
            #expect((versions.first?["changes"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("GET /v1/policy/record answers JSON, or Markdown when asked; an unknown format is 400")
    func record() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            let json = try await client.call(.get, "/v1/policy/record")
            #expect(json.status == 200 && json.contentType == "application/json")
            #expect((json.json["controller"] as? [String: Any])?["name"] as? String == PrivacyPolicy.builtIn.controller)
            #expect((json.json["purposes"] as? [Any])?.count == Purpose.allCases.count)

            let byQuery = try await client.call(.get, "/v1/policy/record?format=markdown")
            #expect(byQuery.status == 200 && byQuery.contentType == "text/markdown; charset=utf-8")
            #expect(byQuery.body.hasPrefix("# Record of processing activities (GDPR Art. 30(1))"))

            let byAccept = try await client.call(.get, "/v1/policy/record", headers: [.accept: "text/markdown"])
            #expect(byAccept.contentType == "text/markdown; charset=utf-8" && byAccept.body == byQuery.body)

            let explicitJSON = try await client.call(.get, "/v1/policy/record?format=json", headers: [.accept: "text/markdown"])
            #expect(explicitJSON.contentType == "application/json")

            let bad = try await client.call(.get, "/v1/policy/record?format=xml")
            #expect(bad.status == 400 && bad.isProblem && bad.json["field"] as? String == "format")
        }
    }

    @Test("the policy page shows the version history with the changes between versions")
    func page() async throws {
        let f = try ServerFixture()
        var next = PrivacyPolicy.builtIn
        next.version = "2027-02-01.1"
        next.dataCategories[0].retentionDays = 365
        try next.jsonData().write(to: URL(fileURLWithPath: f.engine.directory.policyPath))
        let engine = try f.engine.directory.open()
        let api = try TactAPI(engine: engine, settings: ServerSettings())
        try await api.application().test(.router) { client in
            let reply = try await client.call(.get, "/policy")
            #expect(reply.status == 200 && reply.contentType == "text/html; charset=utf-8")
            #expect(reply.body.contains("Versions of this policy"))
            #expect(reply.body.contains("Version 2027-02-01.1 (in force)"))
            #expect(reply.body.contains("<li>interactions: kept 730 days → 365 days</li>"))
            #expect(reply.body.contains("Version \(PrivacyPolicy.builtIn.version), in force from"))
        }
    }

    @Test("GET /v1/retention lists the job's runs to the audit scope")
    func retention() async throws {
        // An operator who lets every run delete, whatever share of the events it is.
        let f = try ServerFixture { $0.retentionMaximumShare = 1 }
        let keys = f.keys
        let before = try f.engine.store.read { try $0.interactionCount() }
        let run = try await f.api.runRetention()
        // The fixture's events are from 2023: past the built-in 730 days by the real clock.
        #expect(run.categories.first { $0.name == "interactions" }?.count == before)
        try await f.test { client in
            let reply = try await client.call(.get, "/v1/retention", auth: keys[.audit])
            #expect(reply.status == 200 && reply.contentType == "application/json")
            let runs = try #require(reply.json["runs"] as? [[String: Any]])
            #expect(runs.count == 1)
            #expect(runs[0]["actor"] as? String == "retention")
            #expect(reply.json["intervalSeconds"] == nil)
            let categories = try #require(runs[0]["categories"] as? [[String: Any]])
            #expect(categories.contains { $0["name"] as? String == "audit" && $0["summary"] as? String == "not applied: the audit log is append-only" })
            #expect(try await client.call(.get, "/v1/retention", auth: keys[.recommend]).status == 403)
            #expect(try await client.call(.get, "/v1/retention").status == 401)
            #expect(try await client.call(.get, "/v1/retention?limit=0", auth: keys[.audit]).status == 400)
        }
    }

    @Test(
        "a default server does not empty an imported history when it starts: the run that would delete every event is refused, recorded and listed with what to do; nothing is deleted",
        .timeLimit(.minutes(1)))
    func refusedAtStart() async throws {
        // The fixture's events are from 2023, past the built-in 730 days: all of them would go.
        let f = try ServerFixture { $0.retentionIntervalSeconds = 3_600 }
        let before = try f.engine.store.read { try $0.interactionCount() }
        let keys = f.keys
        try await f.test { client in
            await f.api.scheduledRetentionRuns(1)
            let reply = try await client.call(.get, "/v1/retention", auth: keys[.audit])
            let runs = try #require(reply.json["runs"] as? [[String: Any]])
            let categories = try #require(runs.first?["categories"] as? [[String: Any]])
            #expect(categories.count == 1 && categories[0]["action"] as? String == "refused" && categories[0]["count"] as? Int == before)
            #expect((categories[0]["summary"] as? String)?.contains("nothing was deleted") == true, "\(categories)")
            #expect(runs.first?["total"] as? Int == 0)
        }
        #expect(try f.engine.store.read { try $0.interactionCount() } == before, "nothing deleted")
        let entry = try #require(try f.engine.store.read { try $0.recentAuditEntries(limit: 20) }.first { $0.action == "retention.refused" })
        #expect(entry.detail == "interactions=\(before) of=\(before) share=0.5")
        // Confirmed, it deletes them.
        let run = try RetentionJob(engine: f.engine).run(now: Int64(Date().timeIntervalSince1970), confirmed: true)
        #expect(run.total >= before && !run.refused)
        #expect(try f.engine.store.read { try $0.interactionCount() } == 0)
    }

    @Test("the server runs the retention job when it starts, and not when it is off", .timeLimit(.minutes(1)))
    func backgroundService() async throws {
        let on = try ServerFixture {
            $0.retentionIntervalSeconds = 3_600
            $0.retentionMaximumShare = 1
        }
        try await on.test { _ in await on.api.scheduledRetentionRuns(1) }
        #expect(try RetentionJob(engine: on.engine).recentRuns().count == 1)
        #expect(try on.engine.store.read { try $0.interactionCount() } == 0)

        let off = try ServerFixture()
        try await off.test { client in
            _ = try await client.call(.get, "/health/live")
        }
        #expect(try RetentionJob(engine: off.engine).recentRuns().isEmpty)
        #expect(try off.engine.store.read { try $0.interactionCount() } > 0)
    }
}
