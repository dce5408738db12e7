import Foundation
import HTTPTypes
import HummingbirdTesting
import TactCore
import TactEngine
import TactFederated
import TactPrivacy
import TactServer
import Testing

extension ServerFixture {
    /// `n` more keys with only the `ingest` scope: one per device, as a deployment gives each install its own.
    func ingestKeys(_ n: Int) throws -> [String] {
        try (0..<n).map { try APIKeyService(engine: engine).create(name: "device-\($0)-\(UUID().uuidString.prefix(8))", scopes: [.ingest]).key }
    }

    /// Person tokens (as POST /v1/people/{person}/tokens issues them) for `n` new people, or for `person` n times.
    func personTokens(_ n: Int, person: String? = nil) -> [String] {
        let now = Int64(Date().timeIntervalSince1970)
        return (0..<n).map { _ in
            let subject = engine.pseudonymizer.pseudonym(for: person ?? "person-\(UUID().uuidString)")
            return engine.personTokens.sign(PersonToken(subject: subject, keyID: "test", issuedAt: now, expiresAt: now + 3600))
        }
    }
}

/// The limits on federated sessions over HTTP: devices per key and per aggregation, distinct keys
/// toward the minimum, and sums no devices within the norm bound could make.
@Suite struct FederatedLimitsTests {
    let routes = FederatedRoutesTests()

    /// A fresh device joins with `key` for a new person (or for the person of `personToken`).
    func join(_ client: any TestClientProtocol, _ key: String, _ fixture: ServerFixture, personToken: String? = nil) async throws -> Reply {
        let round = UInt64(try await client.call(.get, "/v1/federated/task", auth: key).json["secureRound"] as! Int)
        let keys = SecureAggregationClient(id: 1, round: round).advertise()
        return try await client.call(
            .post, "/v1/federated/join", auth: key, json: try routes.joinJSON(keys, personToken: personToken ?? fixture.personTokens(1)[0]))
    }

    @Test("one API key joins at most --federated-devices-per-key devices to an aggregation")
    func oneKeyJoinsAtMostItsDevices() async throws {
        let fixture = try ServerFixture { $0.federatedDevicesPerKey = 2 }
        let keys = try fixture.ingestKeys(2)
        try await fixture.test { client in
            #expect(try await client.call(.post, "/v1/federated/sessions", auth: fixture.admin, json: #"{"rounds": 1, "factors": 2}"#).status == 201)
            #expect(try await join(client, keys[0], fixture).status == 201)
            #expect(try await join(client, keys[0], fixture).status == 201)
            let third = try await join(client, keys[0], fixture)
            #expect(third.status == 409 && third.isProblem)
            #expect(third.body.contains("federated-devices-per-key"))
            #expect(try await join(client, keys[1], fixture).status == 201)
            let task = try await client.call(.get, "/v1/federated/task", auth: keys[1]).json
            #expect(task["devices"] as? Int == 3 && task["keys"] as? Int == 2 && task["devicesPerKey"] as? Int == 2)
        }
    }

    @Test("devices of one key count once toward minimumDevices: one key beside one honest device cannot make a sum")
    func oneKeyCountsOnceTowardTheMinimum() async throws {
        let fixture = try ServerFixture()
        let keys = try fixture.ingestKeys(3)
        try await fixture.test { client in
            #expect(try await client.call(.post, "/v1/federated/sessions", auth: fixture.admin, json: #"{"rounds": 1, "factors": 2}"#).status == 201)
            // The attacker's four devices would send zeros; the honest device's vector would be the sum.
            for _ in 0..<4 { #expect(try await join(client, keys[0], fixture).status == 201) }
            #expect(try await join(client, keys[1], fixture).status == 201)
            let refused = try await client.call(.post, "/v1/federated/advance", auth: fixture.admin)
            #expect(refused.status == 409 && refused.isProblem)
            #expect(refused.body.contains("abandoned") && refused.body.contains("2 distinct keys"))
            let status = try await client.call(.get, "/v1/federated/sessions/current", auth: fixture.admin).json
            #expect(status["abandoned"] as? Int == 1)
            // Three keys, one device each: the key step closes.
            for key in keys { #expect(try await join(client, key, fixture).status == 201) }
            #expect(try await client.call(.post, "/v1/federated/advance", auth: fixture.admin).status == 200)
            #expect(try await client.call(.get, "/v1/federated/task", auth: keys[0]).json["step"] as? String == "shares")
        }
    }

    @Test("an aggregation takes at most --federated-max-devices, and at most what its mask graph's shares allow")
    func anAggregationTakesAtMostItsDevices() async throws {
        let fixture = try ServerFixture { $0.federatedMaxDevices = 4 }
        let keys = try fixture.ingestKeys(5)
        try await fixture.test { client in
            #expect(
                try await client.call(.post, "/v1/federated/sessions", auth: fixture.admin, json: #"{"rounds": 1, "factors": 2, "minimumDevices": 5}"#).status
                    == 400)
            #expect(try await client.call(.post, "/v1/federated/sessions", auth: fixture.admin, json: #"{"rounds": 1, "factors": 2}"#).status == 201)
            for key in keys.prefix(4) { #expect(try await join(client, key, fixture).status == 201) }
            let fifth = try await join(client, keys[4], fixture)
            #expect(fifth.status == 409 && fifth.body.contains("federated-max-devices"))
        }
        let wide = try ServerFixture()
        try await wide.test { client in
            // No aggregation of a complete graph can reach a minimum past 1,000 keys.
            let unreachable = try await client.call(
                .post, "/v1/federated/sessions", auth: wide.admin, json: #"{"rounds": 1, "factors": 2, "minimumDevices": 1001}"#)
            #expect(unreachable.status == 400 && unreachable.body.contains("harary"))
            let complete = try await client.call(.post, "/v1/federated/sessions", auth: wide.admin, json: #"{"rounds": 1, "factors": 2}"#)
            #expect((complete.json["task"] as? [String: Any])?["maxDevices"] as? Int == 1_000)  // n (n − 1) shares ≤ 1,000,000
            #expect(try await client.call(.delete, "/v1/federated/sessions/current", auth: wide.admin).status == 200)
            let harary = try await client.call(
                .post, "/v1/federated/sessions", auth: wide.admin, json: #"{"rounds": 1, "factors": 2, "graph": "harary", "degree": 500}"#)
            #expect((harary.json["task"] as? [String: Any])?["maxDevices"] as? Int == 2_000)
        }
    }

    @Test("a sum past devices × normBound is refused and the model is unchanged; clipped inputs are summed")
    func aSumPastTheNormBoundIsRefused() async throws {
        let fixture = try ServerFixture()
        let keys = try fixture.ingestKeys(3)
        try await fixture.test { client in
            let started = try await client.call(
                .post, "/v1/federated/sessions", auth: fixture.admin,
                json: #"{"rounds": 1, "factors": 2, "cgSteps": 1, "bound": 64, "normBound": 1}"#)
            #expect(started.status == 201)
            #expect((started.json["task"] as? [String: Any])?["normBound"] as? Double == 1)
            let before = try await client.call(.get, "/v1/federated/model", auth: keys[0]).json["itemFactors"] as? String
            let task = try await client.call(.get, "/v1/federated/task", auth: keys[0]).json
            let length = task["vectorLength"] as! Int
            // Every value within the clamp of 64, but the vector's norm is 5 √length: far past 3 devices × 1.
            let poisoned = [Float](repeating: 5, count: length)
            let refused = try await routes.aggregate(
                client, keys: keys, admin: fixture.admin, task: task,
                fixedPoint: [poisoned, [Float](repeating: 0, count: length), [Float](repeating: 0, count: length)], people: fixture.personTokens(3))
            #expect(refused.status == 409 && refused.isProblem)
            #expect(refused.body.contains("norm") && refused.body.contains("abandoned"))
            let status = try await client.call(.get, "/v1/federated/sessions/current", auth: fixture.admin).json
            #expect(status["abandoned"] as? Int == 1 && (status["history"] as? [Any])?.isEmpty == true)
            #expect(try await client.call(.get, "/v1/federated/model", auth: keys[0]).json["itemFactors"] as? String == before)
            // The same vector clipped on the device (to norm 1) is summed.
            let again = try await client.call(.get, "/v1/federated/task", auth: keys[0]).json
            let accepted = try await routes.aggregate(
                client, keys: keys, admin: fixture.admin, task: again,
                fixedPoint: [poisoned, [Float](repeating: 0, count: length), [Float](repeating: 0, count: length)], clip: true, people: fixture.personTokens(3))
            #expect(accepted.status == 200, "\(accepted.body)")
        }
    }

    @Test("DP-ALS counts past what devices of at most c items can send are refused")
    func countsPastTheBoundAreRefused() async throws {
        let fixture = try ServerFixture()
        let keys = try fixture.ingestKeys(3)
        try await fixture.test { client in
            #expect(
                try await client.call(
                    .post, "/v1/federated/sessions", auth: fixture.admin, json: #"{"rounds": 1, "factors": 4, "epsilon": 4, "maxItemsPerPerson": 3}"#
                ).status == 201)
            let task = try await client.call(.get, "/v1/federated/task", auth: keys[0]).json
            #expect(task["kind"] as? String == "count")
            let length = task["vectorLength"] as! Int
            var words = [[UInt32]](repeating: [UInt32](repeating: 0, count: length), count: 3)
            words[0][0] = 1; words[1][0] = 1; words[2][1] = 1
            words[2][0] = 1_000  // one device boosts one item
            let refused = try await routes.aggregate(client, keys: keys, admin: fixture.admin, task: task, words: words, people: fixture.personTokens(3))
            #expect(refused.status == 409 && refused.body.contains("count"))
            #expect(try await client.call(.get, "/v1/federated/sessions/current", auth: fixture.admin).json["abandoned"] as? Int == 1)
        }
    }
}
