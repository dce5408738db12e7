import Foundation
import HTTPTypes
import TactCore
import TactEngine
import Testing

@testable import TactServer

@Suite("Sec-GPC and consent over HTTP")
struct PrivacySignalTests {
    static var gpc: HTTPFields {
        var h = HTTPFields()
        h[.secGPC] = "1"
        return h
    }

    @Test("a recommendation request with Sec-GPC: 1 refuses sale-or-sharing and advertising, with source gpc")
    func gpcOnRecommendations() async throws {
        let f = try ServerFixture()
        let recommend = f.keys[.recommend]!, subjects = f.keys[.subjects]!
        try await f.test { client in
            let before = try await client.call(.get, "/v1/people/p0/placements", auth: recommend)
            #expect((before.json["placements"] as? [Any])?.isEmpty == false, "p0 granted advertising: \(before.body)")
            #expect(try await client.call(.get, "/v1/people/p0/recommendations", auth: recommend, headers: Self.gpc).status == 200)
            let consent = try await client.call(.get, "/v1/people/p0/consent", auth: subjects)
            let purposes = try #require(consent.json["purposes"] as? [[String: Any]])
            for name in ["advertising", "sale-or-sharing"] {
                let entry = try #require(purposes.first { $0["purpose"] as? String == name })
                #expect(entry["decision"] as? String == "deny")
                #expect(entry["source"] as? String == "gpc")
                #expect(entry["permitted"] as? Bool == false)
            }
            let personalization = try #require(purposes.first { $0["purpose"] as? String == "personalization" })
            #expect(personalization["permitted"] as? Bool == true, "GPC leaves other purposes alone")
            let after = try await client.call(.get, "/v1/people/p0/placements", auth: recommend)
            #expect((after.json["placements"] as? [Any])?.isEmpty == true)
            #expect(after.json["reason"] as? String == "no-advertising-consent")
        }
    }

    @Test("events carrying Sec-GPC: 1 record the opt-out for each person in the batch (opt-out mode)")
    func gpcOnEvents() async throws {
        let f = try ServerFixture(mode: .optOut)
        try await f.test { client in
            let reply = try await client.call(
                .post, "/v1/events", auth: f.keys[.ingest]!,
                json: #"{"events":[{"user":"visitor","item":"r1","kind":"view"}]}"#, headers: Self.gpc)
            #expect(reply.status == 200)
            #expect(reply.json["accepted"] as? Int == 1)
            #expect(reply.json["consentRecords"] as? Int == 2)
            let consent = try await client.call(.get, "/v1/people/visitor/consent", auth: f.keys[.subjects]!)
            let purposes = try #require(consent.json["purposes"] as? [[String: Any]])
            #expect(purposes.first { $0["purpose"] as? String == "advertising" }?["source"] as? String == "gpc")
            #expect(consent.json["mode"] as? String == "opt-out")
        }
    }

    @Test("consent can be granted, refused and withdrawn; people without personalization consent get the popular fallback")
    func consentLifecycle() async throws {
        let f = try ServerFixture()
        let subjects = f.keys[.subjects]!, recommend = f.keys[.recommend]!, ingest = f.keys[.ingest]!
        try await f.test { client in
            // Unknown person: nothing stored → consent 404 naming the person; recommendations fall back.
            let unknown = try await client.call(.get, "/v1/people/stranger/consent", auth: subjects)
            #expect(unknown.status == 404)
            #expect(unknown.json["field"] as? String == "person")
            let strangerRecs = try await client.call(.get, "/v1/people/stranger/recommendations?k=5", auth: recommend)
            #expect(strangerRecs.json["personalized"] as? Bool == false)
            #expect(strangerRecs.json["fallbackReason"] as? String == "no-personalization-consent")
            let items = try #require(strangerRecs.json["items"] as? [[String: Any]])
            #expect(items.count == 5)
            #expect(items.allSatisfy { (($0["reasons"] as? [[String: Any]])?.first?["kind"] as? String) == "popular" })

            // Events without consent are refused (opt-in) and counted.
            let refused = try await client.call(.post, "/v1/events", auth: ingest, json: #"{"events":[{"user":"fan","item":"j1","kind":"play"}]}"#)
            #expect(refused.json["accepted"] as? Int == 0)
            #expect(refused.json["refused"] as? Int == 1)

            let granted = try await client.call(.post, "/v1/people/fan/consent", auth: subjects, json: #"{"decisions":{"personalization":"grant"}}"#)
            #expect(granted.status == 200)
            let noHistory = try await client.call(.get, "/v1/people/fan/recommendations", auth: recommend)
            #expect(noHistory.json["fallbackReason"] as? String == "no-history")

            let withdrawn = try await client.call(.post, "/v1/people/p0/consent", auth: subjects, json: #"{"decisions":{"personalization":"withdraw"}}"#)
            let state = try #require(withdrawn.json["purposes"] as? [[String: Any]])
            #expect(state.first { $0["purpose"] as? String == "personalization" }?["permitted"] as? Bool == false)
            let objected = try await client.call(.get, "/v1/people/p0/recommendations", auth: recommend)
            #expect(objected.json["personalized"] as? Bool == false)
            #expect(objected.json["fallbackReason"] as? String == "no-personalization-consent")

            let bad = try await client.call(.post, "/v1/people/p0/consent", auth: subjects, json: #"{"decisions":{"marketing":"grant"}}"#)
            #expect(bad.status == 400)
            #expect(bad.json["field"] as? String == "decisions.marketing")
            let badDecision = try await client.call(.post, "/v1/people/p0/consent", auth: subjects, json: #"{"decisions":{"analytics":"maybe"}}"#)
            #expect(badDecision.status == 400)
            #expect(badDecision.json["field"] as? String == "decisions.analytics")
        }
    }

    @Test("the policy is public as JSON and as a page")
    func policy() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            let json = try await client.call(.get, "/v1/policy")
            #expect(json.status == 200)
            #expect(json.json["version"] as? String == f.engine.policy.version)
            let page = try await client.call(.get, "/policy")
            #expect(page.status == 200)
            #expect(page.contentType.hasPrefix("text/html"))
            #expect(page.body.contains("personalization"))
        }
    }
}
