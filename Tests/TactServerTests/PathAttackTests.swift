import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TactCore
import TactEngine
import TactGuard
import TactStore
import Testing

@testable import TactServer

/// Attacks through the request path (issue 22, points 1, 2 and 5): a path the router folds must not slip past
/// the audit log and the Guard, erasures must reach both, and a control character must not alias two ids.
@Suite struct PathAttackTests {
    /// Requests the audit log accounts for with this action (and person, when given).
    static func recorded(_ f: ServerFixture, _ action: String, person: String? = nil) async throws -> Int {
        await f.api.flushAudit()
        return try AuditRecordingTests.requestsRecorded(f.engine.store, action: action, subject: person.map { f.engine.pseudonymizer.pseudonym(for: $0) })
    }

    /// A server whose Guard watches the canary person "trap-7".
    static func guarded() throws -> ServerFixture {
        try ServerFixture { settings in
            settings.guardMonitor.canaries = []
            settings.keyCacheSeconds = 0
            settings.guardResponse = GuardResponse(bySeverity: [:], decisive: .alert)
        }
    }

    static let foldedSpellings = [
        "//v1/people/P/recommendations", "/v1//people/P/recommendations", "/v1/people//P/recommendations",
        "/v1/people/P//recommendations", "/v1/people/P/recommendations/", "/v1/./people/P/recommendations",
        "/v1/people/x/../P/recommendations", "/v1/people/%2e/P/recommendations", "/v1/people/P/%2E%2E/P/recommendations",
        "///v1/people/P/recommendations", "/v1/people/P/./recommendations"
    ]

    @Test("a person read through a folded path is refused, or audited and shown to the Guard exactly like its canonical form")
    func foldedPathsDoNotSkipTheAudit() async throws {
        let f = try Self.guarded()
        try ConsentService(engine: f.engine).record(user: "trap-7", purposes: [.personalization], decision: .grant, note: nil)
        var settings = ServerFixture.settings {
            $0.keyCacheSeconds = 0; $0.guardResponse = GuardResponse(bySeverity: [:], decisive: .alert)
        }
        settings.guardMonitor.canaries = [f.engine.pseudonymizer.pseudonym(for: "trap-7").hex]
        let api = try TactAPI(engine: f.engine, settings: settings)
        let action = "GET /v1/people/{person}/recommendations"
        let recommend = f.keys[.recommend]!, audit = f.keys[.audit]!
        try await api.application().test(.router) { client in
            for spelling in Self.foldedSpellings {
                let uri = spelling.replacingOccurrences(of: "P", with: "trap-7")
                await api.flushAudit()
                let before = try AuditRecordingTests.requestsRecorded(f.engine.store, action: action, subject: f.engine.pseudonymizer.pseudonym(for: "trap-7"))
                let reply = try await client.call(.get, uri, auth: recommend)
                await api.flushAudit()
                let after = try AuditRecordingTests.requestsRecorded(f.engine.store, action: action, subject: f.engine.pseudonymizer.pseudonym(for: "trap-7"))
                if reply.status < 400 {
                    #expect(after == before + 1, "\(uri) was answered \(reply.status) but audited \(after - before) times")
                } else {
                    #expect(!reply.body.contains("\"items\""), "\(uri) refused with \(reply.status) yet carried recommendations")
                }
            }
            // Nothing so far read the canary unless it was audited; the canonical read now raises the alert.
            let alertsBefore = try await client.call(.get, "/v1/guard/alerts", auth: audit).json["alerts"] as? [[String: Any]] ?? []
            let answered = try await client.call(.get, "/v1/people/trap-7/recommendations", auth: recommend)
            #expect(answered.status == 200)
            await api.settleGuard()
            let alerts = try await client.call(.get, "/v1/guard/alerts", auth: audit).json["alerts"] as? [[String: Any]] ?? []
            #expect(alerts.count == alertsBefore.count + 1 || !alertsBefore.isEmpty, "the canary read raised no alert")
            #expect(alerts.contains { $0["kind"] as? String == "canary" })
        }
        await api.flushAudit()
        #expect(try api.state.engine.audit.verify().isIntact)
    }

    @Test("non-canonical paths are refused with 400 before any route runs, whatever the route")
    func nonCanonicalPathsAreRefused() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            for uri in [
                "//health/live", "/v1//items", "/v1/items/", "/v1/./items", "/v1/items/r1/%2e%2e/r2", "/v1/people/p0%00/consent",
                "/v1/people/p0%0a/consent", "/v1/people/%7f/consent", "/v1/people/%zz/consent", "/v1/people/%C3%28/consent"
            ] {
                let reply = try await client.call(.get, uri, auth: f.admin)
                #expect(reply.status == 400 && reply.isProblem, "\(uri) → \(reply.status)")
            }
            // Canonical spellings, including an encoded slash inside an id, still reach their routes.
            #expect(try await client.call(.get, "/health/live").status == 200)
            #expect(try await client.call(.get, "/v1/people/a%2Fb/consent", auth: f.admin).status == 404)
            #expect(try await client.call(.get, "/v1/people/p%30/consent", auth: f.admin).status == 200)
        }
    }

    @Test("every route declares its caller, and one that names a {person} its purpose and kind; the server refuses to start otherwise")
    func personRoutesAreDeclared() throws {
        let f = try ServerFixture()
        let router = f.api.router()
        let routes = router.routes.map { (path: "\($0.path)", method: $0.method.rawValue) }
        let personRoutes = routes.filter { RouteDeclarations.normalised($0.path).contains("{person}") }
        #expect(personRoutes.count >= 14)
        let declared = f.api.state.routes
        #expect(declared.undeclared(in: routes).isEmpty)
        #expect(
            declared.undeclared(in: routes + [(path: "/v1/people/{person}/new", method: "GET"), (path: "/v1/new", method: "POST")])
                == ["GET /v1/people/{person}/new", "POST /v1/new"])
        #expect(declared.all.values.filter { $0.personal != nil }.count == personRoutes.count)
        #expect(declared.access(of: "DELETE /v1/people/{person}")?.kind == .erase)
        #expect(declared.access(of: "GET /v1/people/{person}/export")?.kind == .export)
        #expect(declared.access(of: "DELETE /v1/people/{person}/restriction")?.kind == .write, "lifting a restriction is no erasure")
        #expect(declared.access(of: "GET /v1/people/{person}/placements")?.purpose == .advertising)
        #expect(declared.access(of: "GET /v1/people/{person}/playlist")?.purpose == .personalization)
    }

    @Test("an erasure is audited even for an unknown person, and the Guard sees it (a canary erased is a critical alert)")
    func erasuresReachAuditAndGuard() async throws {
        let f = try ServerFixture()
        try ConsentService(engine: f.engine).record(user: "trap-9", purposes: [.personalization], decision: .grant, note: nil)
        var settings = ServerFixture.settings {
            $0.keyCacheSeconds = 0; $0.guardResponse = GuardResponse(bySeverity: [:], decisive: .alert)
        }
        settings.guardMonitor.canaries = [f.engine.pseudonymizer.pseudonym(for: "trap-9").hex]
        let api = try TactAPI(engine: f.engine, settings: settings)
        let subjects = f.keys[.subjects]!, audit = f.keys[.audit]!
        try await api.application().test(.router) { client in
            let unknown = try await client.call(.delete, "/v1/people/nobody-at-all", auth: subjects)
            #expect(unknown.status == 200 && unknown.json["found"] as? Bool == false)
            let canary = try await client.call(.delete, "/v1/people/trap-9", auth: subjects)
            #expect(canary.status == 200)
            await api.settleGuard()
            let alerts = try await client.call(.get, "/v1/guard/alerts", auth: audit).json["alerts"] as? [[String: Any]] ?? []
            #expect(alerts.contains { $0["kind"] as? String == "canary" && $0["severity"] as? String == "critical" }, "\(alerts)")
        }
        await api.flushAudit()
        #expect(try AuditRecordingTests.requestsRecorded(f.engine.store, action: "DELETE /v1/people/{person}") == 2)
    }

    @Test("a control character in an id is refused everywhere: it never aliases another record")
    func controlCharactersNeverAlias() async throws {
        let f = try ServerFixture()
        let catalog = f.keys[.catalog]!, ingest = f.keys[.ingest]!
        let eventsBefore = try f.engine.statistics().interactions
        try await f.test { client in
            let put = try await client.call(.put, "/v1/items/r1%00evil", auth: catalog, json: #"{"title":"Evil","tags":["x"]}"#)
            #expect(put.status == 400 && put.isProblem)
            let delete = try await client.call(.delete, "/v1/items/r2%00x", auth: catalog)
            #expect(delete.status == 400)
            let batch = try await client.call(.post, "/v1/items", auth: catalog, json: #"{"items":[{"id":"r3\u0000y","title":"Evil"}]}"#)
            #expect(batch.status == 400 && (batch.json["field"] as? String) == "items[0].id")
            let tag = try await client.call(.put, "/v1/items/new-1", auth: catalog, json: #"{"title":"T","tags":["a\u001Fb"]}"#)
            #expect(tag.status == 400 && (tag.json["field"] as? String) == "tags[0]")
            let event = try await client.call(.post, "/v1/events", auth: ingest, json: #"{"events":[{"user":"p0\u0000x","item":"r1","kind":"play"}]}"#)
            #expect(event.status == 400 && (event.json["field"] as? String) == "events[0].user")
            let item = try await client.call(.get, "/v1/items/r1", auth: catalog)
            #expect(item.json["title"] as? String == "Rock 1")
            #expect(try await client.call(.get, "/v1/items/r2", auth: catalog).status == 200)
        }
        #expect(try f.engine.statistics().interactions == eventsBefore)
    }
}
