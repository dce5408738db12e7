import Foundation
import HTTPTypes
import HummingbirdTesting
import TactCore
import TactEngine
import TactPrivacy
import Testing

@testable import TactServer

@Suite("Keys, scopes and person tokens")
struct AuthorizationTests {
    /// Every route that needs a caller, with a request it accepts and the scopes that may make it.
    static let guarded: [(method: HTTPRequest.Method, uri: String, body: String?, scopes: Set<Scope>)] = [
        (.post, "/v1/events", #"{"events":[{"user":"p0","item":"r1","kind":"play"}]}"#, [.ingest]),
        (.get, "/v1/items", nil, [.catalog]),
        (.post, "/v1/items", #"{"items":[{"id":"x1","title":"X"}]}"#, [.catalog]),
        (.get, "/v1/items/r1", nil, [.catalog, .recommend]),
        (.put, "/v1/items/x2", #"{"title":"X2"}"#, [.catalog]),
        (.delete, "/v1/items/j19", nil, [.catalog]),
        (.get, "/v1/people/p0/recommendations", nil, [.recommend]),
        (.get, "/v1/people/p0/placements", nil, [.recommend]),
        (.get, "/v1/items/r1/similar", nil, [.recommend]),
        (.get, "/v1/people/p0/consent", nil, [.subjects]),
        (.post, "/v1/people/p0/consent", #"{"decisions":{"analytics":"grant"}}"#, [.subjects]),
        (.post, "/v1/people/p0/tokens", nil, [.subjects]),
        (.get, "/v1/keys", nil, [.admin]),
        (.post, "/v1/keys", #"{"name":"k","scopes":["ingest"]}"#, [.admin]),
        (.delete, "/v1/keys/k0000000000", nil, [.admin]),
        (.get, "/v1/model", nil, [.admin, .recommend]),
        (.post, "/v1/model/retrain", nil, [.admin]),
        (.get, "/v1/audit", nil, [.audit]),
        (.get, "/v1/retention", nil, [.audit]),
        (.get, "/v1/privacy/budget", nil, [.audit])
    ]

    @Test("every guarded route refuses no key (401), a key without its scope (403), and serves its scopes and admin")
    func everyScope() async throws {
        let f = try ServerFixture()
        let keys = f.keys
        try await f.test { client in
            for route in Self.guarded {
                let anonymous = try await client.call(route.method, route.uri, json: route.body)
                #expect(anonymous.status == 401, "\(route.method) \(route.uri) without a key")
                #expect(anonymous.isProblem)
                #expect(anonymous.headers[.wwwAuthenticate] != nil)
                for scope in Scope.allCases {
                    let reply = try await client.call(route.method, route.uri, auth: keys[scope]!, json: route.body)
                    if route.scopes.contains(scope) || scope == .admin {
                        #expect(reply.status < 400 || reply.status == 404, "\(route.method) \(route.uri) with \(scope): \(reply.status) \(reply.body)")
                    } else {
                        #expect(reply.status == 403, "\(route.method) \(route.uri) with \(scope): \(reply.status)")
                        #expect(reply.isProblem)
                        #expect(reply.json["detail"] as? String != nil)
                    }
                }
            }
        }
    }

    @Test("an unknown key, a revoked key and a malformed header are refused with 401")
    func badKeys() async throws {
        let f = try ServerFixture { $0.keyCacheSeconds = 0 }
        let key = f.keys[.recommend]!
        let id = try APIKeyService(engine: f.engine).list().first { $0.name == "test-recommend" }!.id
        try await f.test { client in
            #expect(try await client.call(.get, "/v1/people/p0/recommendations", auth: key).status == 200)
            #expect(try await client.call(.get, "/v1/people/p0/recommendations", auth: "tact_kffffffffff_nope").status == 401)
            var headers = HTTPFields()
            headers[.authorization] = "Basic dXNlcjpwYXNz"
            #expect(try await client.call(.get, "/v1/people/p0/recommendations", headers: headers).status == 401)
            _ = try APIKeyService(engine: f.engine).revoke(id: id)
            let revoked = try await client.call(.get, "/v1/people/p0/recommendations", auth: key)
            #expect(revoked.status == 401)
            #expect(revoked.isProblem)
        }
    }

    @Test("a person token reads its own person's recommendations and consent, and nobody else's")
    func personToken() async throws {
        let f = try ServerFixture()
        let subjects = f.keys[.subjects]!
        try await f.test { client in
            let issued = try await client.call(.post, "/v1/people/p0/tokens?ttlSeconds=600", auth: subjects)
            #expect(issued.status == 201)
            let token = try #require(issued.json["token"] as? String)
            #expect(token.hasPrefix("tpt1."))
            #expect(try await client.call(.get, "/v1/people/p0/recommendations", auth: token).status == 200)
            #expect(try await client.call(.get, "/v1/people/p0/consent", auth: token).status == 200)
            #expect(try await client.call(.post, "/v1/people/p0/consent", auth: token, json: #"{"decisions":{"analytics":"refuse"}}"#).status == 200)
            for uri in ["/v1/people/p1/recommendations", "/v1/people/p1/consent", "/v1/people/p1/placements"] {
                let other = try await client.call(.get, uri, auth: token)
                #expect(other.status == 403, "\(uri)")
                #expect(other.isProblem)
            }
            #expect(try await client.call(.post, "/v1/people/p1/consent", auth: token, json: #"{"decisions":{"analytics":"grant"}}"#).status == 403)
            // Not a key: no catalog, events, tokens or admin routes.
            #expect(try await client.call(.get, "/v1/items", auth: token).status == 403)
            #expect(try await client.call(.post, "/v1/events", auth: token, json: #"{"events":[{"user":"p0","item":"r1"}]}"#).status == 403)
            #expect(try await client.call(.post, "/v1/people/p0/tokens", auth: token).status == 403)
            #expect(try await client.call(.get, "/v1/audit", auth: token).status == 403)
        }
    }

    @Test("expired, tampered and foreign tokens are refused with 401")
    func badTokens() async throws {
        let f = try ServerFixture { $0.keyCacheSeconds = 0 }
        let now = Int64(Date().timeIntervalSince1970)
        let keyID = try APIKeyService(engine: f.engine).list().first { $0.name == "test-subjects" }!.id
        let p0 = f.engine.pseudonymizer.pseudonym(for: "p0")
        let expired = f.engine.personTokens.sign(PersonToken(subject: p0, keyID: keyID, issuedAt: now - 7200, expiresAt: now - 3600))
        let valid = f.engine.personTokens.sign(PersonToken(subject: p0, keyID: keyID, issuedAt: now, expiresAt: now + 3600))
        let parts = valid.split(separator: ".").map(String.init)
        let p1 = f.engine.pseudonymizer.pseudonym(for: "p1")
        let otherPayload = f.engine.personTokens.sign(PersonToken(subject: p1, keyID: keyID, issuedAt: now, expiresAt: now + 3600)).split(separator: ".")[1]
        let swapped = [parts[0], String(otherPayload), parts[2]].joined(separator: ".")
        var flipped = Array(parts[2])
        flipped[3] = flipped[3] == "A" ? "B" : "A"
        let badSignature = [parts[0], parts[1], String(flipped)].joined(separator: ".")
        let foreign = PersonTokenSigner(secret: SecretKey.generate()).sign(PersonToken(subject: p0, keyID: keyID, issuedAt: now, expiresAt: now + 3600))
        try await f.test { client in
            #expect(try await client.call(.get, "/v1/people/p0/recommendations", auth: valid).status == 200)
            for (name, token) in [
                ("expired", expired), ("payload swapped", swapped), ("signature changed", badSignature), ("other secret", foreign), ("garbage", "tpt1.x.y")
            ] {
                let reply = try await client.call(.get, "/v1/people/p0/recommendations", auth: token)
                #expect(reply.status == 401, "\(name)")
                #expect(reply.isProblem, "\(name)")
            }
            _ = try APIKeyService(engine: f.engine).revoke(id: keyID)
            #expect(try await client.call(.get, "/v1/people/p0/recommendations", auth: valid).status == 401, "issuing key revoked")
        }
    }
}
