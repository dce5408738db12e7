import Foundation
import HTTPTypes
import HummingbirdTesting
import TactCore
import TactEngine
import TactFederated
import TactPrivacy
import TactServer
import Testing

/// The unit of privacy in federated training is the person (issue 23, point 6): a device joins an
/// aggregation for the person whose token it shows, and one person contributes at most once to each
/// sum, however many devices they have and whichever `ingest` key their devices join with.
@Suite struct FederatedPersonTests {
    let routes = FederatedRoutesTests()

    func join(_ client: any TestClientProtocol, key: String, personToken: String?) async throws -> Reply {
        let round = UInt64(try await client.call(.get, "/v1/federated/task", auth: key).json["secureRound"] as! Int)
        let keys = SecureAggregationClient(id: 1, round: round).advertise()
        var body: [String: AnyEncodable] = [
            "channelKey": AnyEncodable(keys.channelKey), "maskKey": AnyEncodable(keys.maskKey),
            "signingKey": AnyEncodable(keys.signingKey), "signature": AnyEncodable(keys.signature)
        ]
        if let personToken { body["personToken"] = AnyEncodable(personToken) }
        return try await client.call(.post, "/v1/federated/join", auth: key, json: try routes.json(body))
    }

    @Test("one person's two devices, from two ingest keys, cannot both join one aggregation; the refusal says what to do")
    func onePersonOncePerAggregation() async throws {
        let fixture = try ServerFixture()
        let keys = try fixture.ingestKeys(4)
        let alice = fixture.personTokens(2, person: "alice")  // two tokens for one person: her phone and her tablet
        try await fixture.test { client in
            #expect(try await client.call(.post, "/v1/federated/sessions", auth: fixture.admin, json: #"{"rounds": 1, "factors": 2}"#).status == 201)
            #expect(try await join(client, key: keys[0], personToken: alice[0]).status == 201)
            let second = try await join(client, key: keys[1], personToken: alice[1])
            #expect(second.status == 409)
            #expect(second.body.contains("already has a device in this aggregation") && second.body.contains("unit of privacy is the person"))
            // The same token again, from the first key: refused the same way.
            #expect(try await join(client, key: keys[0], personToken: alice[0]).status == 409)
            // Without a person token, or with one that is not this server's, a device cannot join.
            let missing = try await join(client, key: keys[2], personToken: nil)
            #expect(missing.status == 401 && missing.body.contains("personToken"))
            #expect(try await join(client, key: keys[2], personToken: "tpt1.forged.token").status == 401)
            // Other people join; the task counts one device per person.
            #expect(try await join(client, key: keys[2], personToken: fixture.personTokens(1)[0]).status == 201)
            let task = try await client.call(.get, "/v1/federated/task", auth: keys[0]).json
            #expect(task["devices"] as? Int == 2)
            // Too few to close: the aggregation is abandoned and starts again; nothing was summed, so
            // Alice may join the new one.
            #expect(try await client.call(.post, "/v1/federated/advance", auth: fixture.admin).status == 409)
            #expect(try await join(client, key: keys[1], personToken: alice[1]).status == 201)
            #expect(try await join(client, key: keys[3], personToken: alice[0]).status == 409)
        }
    }

    @Test("a person's device takes part in every aggregation of a training, once in each")
    func oncePerAggregationAcrossRounds() async throws {
        let fixture = try ServerFixture()
        let keys = try fixture.ingestKeys(3)
        let people = fixture.personTokens(3)
        try await fixture.test { client in
            #expect(
                try await client.call(.post, "/v1/federated/sessions", auth: fixture.admin, json: #"{"rounds": 2, "factors": 2, "cgSteps": 1}"#).status == 201)
            let task = try await client.call(.get, "/v1/federated/task", auth: keys[0]).json
            let length = task["vectorLength"] as! Int
            let zeros = [[Float]](repeating: [Float](repeating: 0, count: length), count: 3)
            let closed = try await routes.aggregate(client, keys: keys, admin: fixture.admin, task: task, fixedPoint: zeros, people: people)
            #expect(closed.status == 200, "\(closed.body)")
            // The next aggregation (the CG product step) takes the same people again.
            let next = try await client.call(.get, "/v1/federated/task", auth: keys[0]).json
            #expect(next["aggregation"] as? Int == 1 && next["step"] as? String == "keys")
            #expect(try await join(client, key: keys[0], personToken: people[0]).status == 201)
        }
    }
}
