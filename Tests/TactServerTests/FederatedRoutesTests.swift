import Foundation
import HTTPTypes
import HummingbirdTesting
import TactCore
import TactDevice
import TactEngine
import TactFederated
import TactPrivacy
import TactRecommend
import TactServer
import Testing

/// Devices train federated iALS through the HTTP routes: every step of every aggregation goes over
/// the API, and the item factors the server ends with are those of the same sums taken in plain.
@Suite struct FederatedRoutesTests {
    func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
    func floats(_ base64: Any?) -> [Float] {
        guard let text = base64 as? String, let data = Data(base64Encoded: text) else { return [] }
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }
    func decode<T: Decodable>(_ type: T.Type, _ reply: Reply) throws -> T { try JSONDecoder().decode(T.self, from: Data(reply.body.utf8)) }

    struct Survivors: Decodable { var survivors: [UInt32] }
    struct Signatures: Decodable { var signatures: [SurvivorSignature] }

    /// The body of a join: the device's signed keys and the token of the person it contributes for.
    func joinJSON(_ keys: AdvertisedKeys, personToken: String) throws -> String {
        try json([
            "channelKey": AnyEncodable(keys.channelKey), "maskKey": AnyEncodable(keys.maskKey), "signingKey": AnyEncodable(keys.signingKey),
            "signature": AnyEncodable(keys.signature), "personToken": AnyEncodable(personToken)
        ])
    }

    /// The body of a shares message: the encrypted shares and the seed commitment.
    func sharesJSON(_ device: SecureAggregationClient, _ shares: [EncryptedShare]) throws -> String {
        try json(["id": AnyEncodable(device.id), "shares": AnyEncodable(shares), "seedCommitment": AnyEncodable(device.seedCommitment)])
    }

    /// The consistency step then unmasking for every device, over HTTP; closes the consistency step.
    func consistencyAndUnmask(
        _ client: any TestClientProtocol, _ clients: inout [SecureAggregationClient], keys: [String], tokens: [HTTPFields],
        admin: String, expectSurvivors: Int? = nil
    ) async throws {
        for d in clients.indices {
            let survivors = try decode(
                Survivors.self, try await client.call(.get, "/v1/federated/survivors?id=\(clients[d].id)", auth: keys[d], headers: tokens[d]))
            if let expectSurvivors { #expect(survivors.survivors.count == expectSurvivors) }
            let signature = try clients[d].consistencyCheck(survivors: Set(survivors.survivors))
            let signed = try await client.call(.post, "/v1/federated/consistency", auth: keys[d], json: try json(signature), headers: tokens[d])
            #expect(signed.status == 200, "\(signed.body)")
        }
        let closed = try await client.call(.post, "/v1/federated/advance", auth: admin)
        #expect(closed.status == 200, "\(closed.body)")
        for d in clients.indices {
            let signatures = try decode(
                Signatures.self, try await client.call(.get, "/v1/federated/signatures?id=\(clients[d].id)", auth: keys[d], headers: tokens[d]))
            let response = try clients[d].unmask(signatures: signatures.signatures)
            let sent = try await client.call(.post, "/v1/federated/unmask", auth: keys[d], json: try json(response), headers: tokens[d])
            #expect(sent.status == 200, "\(sent.body)")
        }
    }

    @Test("five devices train two rounds over HTTP; the server's factors are those of the plain sums")
    func trainOverHTTP() async throws {
        let fixture = try ServerFixture()
        let admin = fixture.admin, ingest = fixture.keys[.ingest]!
        let deviceKeys = try fixture.ingestKeys(5)  // devices of one key count once toward the minimum
        let people = fixture.personTokens(5)  // and each device contributes for one person
        try await fixture.test { client in
            #expect(try await client.call(.get, "/v1/federated/task", auth: ingest).status == 409)
            #expect(try await client.call(.post, "/v1/federated/sessions", auth: ingest, json: "{}").status == 403)
            #expect(try await client.call(.post, "/v1/federated/sessions", auth: admin, json: #"{"rounds": 0}"#).status == 400)
            let started = try await client.call(
                .post, "/v1/federated/sessions", auth: admin,
                json: #"{"rounds": 2, "factors": 4, "cgSteps": 1, "regularization": 0.5, "alpha": 2, "bound": 64}"#)
            #expect(started.status == 201)
            #expect(try await client.call(.post, "/v1/federated/sessions", auth: admin, json: "{}").status == 409)  // one at a time

            let items = try await client.call(.get, "/v1/federated/model", auth: ingest).json["items"] as! [String]
            var c = ALSConfiguration()
            c.factors = 4; c.iterations = 2; c.solver = .conjugateGradient(steps: 1); c.regularization = 0.5; c.alpha = 2
            var participants: [FederatedALSParticipant] = []
            for d in 0..<5 {
                let history: [(item: Int32, value: Float)] = [(Int32(d), 1), (Int32(d + 5), 2), (Int32(12 + d * 3), 1)]
                participants.append(FederatedALSParticipant(history: history, items: items.count, configuration: c))
            }
            var plain = FederatedALSCoordinator(items: items.count, configuration: c)
            var aggregations = 0
            while true {
                let task = try await client.call(.get, "/v1/federated/task", auth: ingest).json
                if task["step"] as? String == "finished" { break }
                #expect(task["step"] as? String == "keys")
                let kind = task["kind"] as! String
                let down = try await client.call(.get, "/v1/federated/model", auth: ingest).json
                var y = FactorMatrix(rows: items.count, factors: 4)
                for (i, v) in floats(down["itemFactors"]).enumerated() { y.storage[(i / 4) * y.stride + i % 4] = v }
                if kind == "residual" {  // the round's starting factors, as the plain run has them
                    let drift = zip(y.storage, plain.itemFactors.storage).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
                    #expect(drift < 1e-3)  // fixed-point rounding only
                }
                let direction = floats(down["direction"])
                if kind == "residual" {
                    let serving = ALSServing(
                        model: ALSModel(configuration: c, userFactors: FactorMatrix(rows: 0, factors: 4), itemFactors: y), indexThreshold: .max)
                    for d in participants.indices { participants[d].updateUserVector(serving) }
                }
                let messages = participants.map { kind == "residual" ? $0.residualMessage(y) : $0.productMessage(direction) }

                // Keys: each device joins and learns its id.
                let secureRound = UInt64(task["secureRound"] as! Int)
                var clients: [SecureAggregationClient] = []
                var tokens: [String] = []
                for d in participants.indices {
                    var sac = SecureAggregationClient(id: 1, round: secureRound)
                    let keys = sac.advertise()
                    let joined = try await client.call(.post, "/v1/federated/join", auth: deviceKeys[d], json: try joinJSON(keys, personToken: people[d])).json
                    sac.assign(id: UInt32(joined["id"] as! Int))
                    clients.append(sac)
                    tokens.append(joined["token"] as! String)
                }
                #expect(
                    try await client.call(.get, "/v1/federated/neighborhood?id=1", auth: ingest, headers: [HTTPField.Name("Tact-Device-Token")!: tokens[0]])
                        .status == 409)
                #expect(try await client.call(.post, "/v1/federated/advance", auth: ingest).status == 403)
                #expect(try await client.call(.post, "/v1/federated/advance", auth: admin).status == 200)
                // Shares.
                for d in clients.indices {
                    let headers: HTTPFields = [HTTPField.Name("Tact-Device-Token")!: tokens[d]]
                    #expect(
                        try await client.call(
                            .get, "/v1/federated/neighborhood?id=\(clients[d].id)", auth: deviceKeys[d],
                            headers: [HTTPField.Name("Tact-Device-Token")!: "wrong"]
                        ).status == 403)
                    let hood = try decode(
                        Neighborhood.self, try await client.call(.get, "/v1/federated/neighborhood?id=\(clients[d].id)", auth: deviceKeys[d], headers: headers))
                    var random = SecureRandom()
                    let shares = try clients[d].shareKeys(hood, using: &random)
                    #expect(
                        try await client.call(.post, "/v1/federated/shares", auth: deviceKeys[d], json: try sharesJSON(clients[d], shares), headers: headers)
                            .status == 200)
                }
                _ = try await client.call(.post, "/v1/federated/advance", auth: admin)
                // Masked inputs, encoded with the scale the server announces.
                let scaleTask = try await client.call(.get, "/v1/federated/task", auth: ingest).json
                let codec = FixedPointCodec(participants: scaleTask["devices"] as! Int, bound: Float(scaleTask["bound"] as! Double))
                #expect(abs(codec.scale - (scaleTask["scale"] as! Double)) < 1e-9)
                for d in clients.indices {
                    let headers: HTTPFields = [HTTPField.Name("Tact-Device-Token")!: tokens[d]]
                    let delivered = try decode(
                        [EncryptedShare].self,
                        try await client.call(.get, "/v1/federated/deliveries?id=\(clients[d].id)", auth: deviceKeys[d], headers: headers))
                    let masked = try clients[d].maskedInput(codec.encode(messages[d]).words, shares: delivered)
                    var bytes = Data()
                    for w in masked.words { withUnsafeBytes(of: w.littleEndian) { bytes.append(contentsOf: $0) } }
                    let sent = try await client.call(
                        .post, "/v1/federated/input", auth: deviceKeys[d], json: try json(["id": AnyEncodable(clients[d].id), "words": AnyEncodable(bytes)]),
                        headers: headers)
                    #expect(sent.status == 200, "\(sent.body)")
                }
                _ = try await client.call(.post, "/v1/federated/advance", auth: admin)
                // Consistency (each survivor signs the survivor set), then unmasking.
                let headers: [HTTPFields] = tokens.map { [HTTPField.Name("Tact-Device-Token")!: $0] }
                try await consistencyAndUnmask(client, &clients, keys: deviceKeys, tokens: headers, admin: admin, expectSurvivors: 5)
                #expect(try await client.call(.post, "/v1/federated/advance", auth: admin).status == 200)

                // The same step with the plain sum.
                var sum = [Double](repeating: 0, count: messages[0].count)
                for m in messages { for i in m.indices { sum[i] += Double(m[i]) } }
                if kind == "residual" { _ = plain.begin(residualSum: sum) } else { _ = plain.advance(productSum: sum) }
                aggregations += 1
            }
            #expect(aggregations == 4)  // two rounds of a residual and one CG step
            let status = try await client.call(.get, "/v1/federated/sessions/current", auth: admin).json
            #expect((status["history"] as! [Any]).count == 4)
            let final = try await client.call(.get, "/v1/federated/model", auth: ingest).json
            let served = floats(final["itemFactors"])
            var largest: Float = 0
            for (i, v) in served.enumerated() { largest = max(largest, abs(v - plain.itemFactors.storage[(i / 4) * plain.itemFactors.stride + i % 4])) }
            #expect(largest < 1e-3)
            #expect(try await client.call(.post, "/v1/federated/advance", auth: admin).status == 409)
        }
    }

    @Test("a private training is federated DP-ALS: counts, then statistics, as integers; its ε is spent in the ledger first")
    func privateTrainingOverHTTP() async throws {
        let fixture = try ServerFixture()
        let admin = fixture.admin, ingest = fixture.keys[.ingest]!
        let deviceKeys = try fixture.ingestKeys(6)
        try await fixture.test { client in
            let started = try await client.call(
                .post, "/v1/federated/sessions", auth: admin,
                json: #"{"rounds": 1, "factors": 4, "epsilon": 4, "maxItemsPerPerson": 3}"#)
            #expect(started.status == 201)
            let state = try PrivacyLedger(engine: fixture.engine).state(dataset: PrivacyLedger.interactionsDataset)[0]
            #expect(state.releases.count == 1 && state.releases[0].release.hasPrefix("federated-dp-als"))
            #expect(state.spentEpsilon == 4)

            let first = try await client.call(.get, "/v1/federated/task", auth: ingest)
            #expect(first.json["kind"] as? String == "count" && first.json["encoding"] as? String == "integer")
            var configuration = try JSONDecoder().decode(TaskPrivate.self, from: Data(first.body.utf8)).privateALS
            configuration.threads = 1
            let plan = FederatedPrivateALS(configuration)
            let items = try await client.call(.get, "/v1/federated/model", auth: ingest).json["items"] as! [String]
            // Six devices, each keeping a bounded history of its own items.
            var random = SecureRandom()
            var histories: [[Int32]] = []
            for d in 0..<6 { histories.append([Int32(d % 3), Int32(3 + d % 2), Int32(6 + d)]) }
            let bounded = histories.map { plan.boundedHistory($0, using: &random) }
            var kinds: [String] = []
            // The item factors the count step left (checked below), and the items they cover.
            var afterCounts: [Float] = [], coveredByCounts: [Int] = []
            while true {
                let task = try await client.call(.get, "/v1/federated/task", auth: ingest).json
                if task["step"] as? String == "finished" { break }
                let kind = task["kind"] as! String
                kinds.append(kind)
                var words: [[UInt32]] = []
                if kind == "count" {
                    #expect(task["vectorLength"] as? Int == items.count)
                    words = bounded.map { plan.countMessage(bounded: $0, items: items.count) }
                } else {
                    let model = try await client.call(.get, "/v1/federated/model", auth: ingest).json
                    let covered = model["covered"] as! [Int]
                    // What the count step released, recomputed here: the items its noisy counts cover start
                    // from DP-ALS's seeded random factors, the first factor replaced by the noisy count over the
                    // largest (in [0, 1], exactly 1 at the largest, which clears the threshold whenever
                    // anything does); the others are zero. The statistics the devices send are sized for them.
                    afterCounts = floats(model["itemFactors"])
                    coveredByCounts = covered
                    #expect(task["vectorLength"] as? Int == plan.statisticsLength(coveredItems: covered.count))
                    #expect(afterCounts.count == items.count * 4 && afterCounts.allSatisfy { $0.isFinite })
                    let start = plan.initialItems(items: items.count, covered: items.indices.map { Set(covered).contains($0) }, noisyCounts: nil)
                    for j in items.indices where afterCounts.count == items.count * 4 {
                        let row = Array(afterCounts[(j * 4)..<(j * 4 + 4)])
                        if Set(covered).contains(j) {
                            #expect((0...1).contains(row[0]) && Array(row[1...]) == (1..<4).map { start.storage[j * start.stride + $0] }, "item \(j): \(row)")
                        } else {
                            #expect(row == [0, 0, 0, 0], "item \(j) is not covered: \(row)")
                        }
                    }
                    if !covered.isEmpty { #expect(covered.map { afterCounts[$0 * 4] }.max() == 1) }
                    var slots = [Int?](repeating: nil, count: items.count)
                    for (position, item) in covered.enumerated() { slots[item] = position }
                    var y = FactorMatrix(rows: items.count, factors: 4)
                    for (i, v) in floats(model["itemFactors"]).enumerated() { y.storage[(i / 4) * y.stride + i % 4] = v }
                    let serving = ALSServing(
                        model: ALSModel(configuration: plan.userSolve, userFactors: FactorMatrix(rows: 0, factors: 4), itemFactors: y), indexThreshold: .max)
                    words = histories.indices.map { d in
                        var device = FederatedALSParticipant(history: histories[d].map { ($0, 1) }, items: items.count, configuration: plan.userSolve)
                        device.updateUserVector(serving)
                        return plan.statisticsMessage(userVector: device.userVector, bounded: bounded[d], slots: slots)
                    }
                }
                try await runSecureAggregation(client, keys: deviceKeys, admin: admin, task: task, words: words, people: fixture.personTokens(deviceKeys.count))
            }
            #expect(kinds == ["count", "statistics"])
            let status = try await client.call(.get, "/v1/federated/sessions/current", auth: admin).json
            let history = status["history"] as! [[String: Any]]
            #expect(history.map { $0["kind"] as! String } == ["count", "statistics"])
            let spent = try #require(history.last?["epsilonTotal"] as? Double)
            #expect(spent <= 4 + 1e-9 && spent > 3.9)

            // The model it ends with: one finite row of 4 factors per catalog item; the items the counts did
            // not cover stay exactly zero (the statistics step solves only covered items); every covered
            // item was solved again from the noisy statistics (solved, or shrunk to 0 where the noise
            // dominates), so no covered row is still its starting row. The noise is the server's secure
            // draw, so the values themselves cannot be recomputed here.
            let final = try await client.call(.get, "/v1/federated/model", auth: ingest).json
            let y = floats(final["itemFactors"])
            #expect(final["items"] as? [String] == items && final["factors"] as? Int == 4)
            #expect(final["covered"] as? [Int] == coveredByCounts)
            try #require(y.count == items.count * 4 && afterCounts.count == y.count)
            #expect(y.allSatisfy { $0.isFinite })
            for j in items.indices {
                let row = Array(y[(j * 4)..<(j * 4 + 4)])
                if coveredByCounts.contains(j) {
                    #expect(row != Array(afterCounts[(j * 4)..<(j * 4 + 4)]), "covered item \(j) was not solved: \(row)")
                } else {
                    #expect(row == [0, 0, 0, 0], "item \(j) is not covered: \(row)")
                }
            }
        }
        let again = try ServerFixture()
        try await again.test { client in
            let refused = try await client.call(.post, "/v1/federated/sessions", auth: again.admin, json: #"{"rounds": 1, "epsilon": 11}"#)
            #expect(refused.status == 409)
            #expect(refused.body.contains("budget"))
        }
    }

    struct TaskPrivate: Decodable { var privateALS: PrivateALSConfiguration }

    @Test("an aggregation that cannot complete is abandoned and restarted, revealing nothing; an admin can stop a training")
    func abandonAndAbort() async throws {
        let fixture = try ServerFixture()
        let admin = fixture.admin, ingest = fixture.keys[.ingest]!
        try await fixture.test { client in
            #expect(try await client.call(.post, "/v1/federated/sessions", auth: admin, json: #"{"graph": "harary", "degree": 3}"#).status == 400)
            #expect(try await client.call(.post, "/v1/federated/sessions", auth: admin, json: #"{"bound": 1e9}"#).status == 400)
            #expect(try await client.call(.post, "/v1/federated/sessions", auth: admin, json: #"{"epsilon": 0.00001}"#).status == 400)
            #expect(try PrivacyLedger(engine: fixture.engine).state(dataset: PrivacyLedger.interactionsDataset).first?.releases.isEmpty ?? true)
            #expect(try await client.call(.post, "/v1/federated/sessions", auth: admin, json: #"{"rounds": 1, "factors": 4}"#).status == 201)
            let secureRound = UInt64(try await client.call(.get, "/v1/federated/task", auth: ingest).json["secureRound"] as! Int)
            for (key, person) in zip(try fixture.ingestKeys(2), fixture.personTokens(2)) {  // two devices: fewer than the minimum of three
                let keys = SecureAggregationClient(id: 1, round: secureRound).advertise()
                #expect(try await client.call(.post, "/v1/federated/join", auth: key, json: try joinJSON(keys, personToken: person)).status == 201)
            }
            let advanced = try await client.call(.post, "/v1/federated/advance", auth: admin)
            #expect(advanced.status == 409 && advanced.body.contains("abandoned"))
            let status = try await client.call(.get, "/v1/federated/sessions/current", auth: admin).json
            #expect(status["abandoned"] as? Int == 1)
            #expect((status["task"] as? [String: Any])?["step"] as? String == "keys")
            #expect((status["task"] as? [String: Any])?["devices"] as? Int == 0)
            #expect(try await client.call(.delete, "/v1/federated/sessions/current", auth: ingest).status == 403)
            #expect(try await client.call(.delete, "/v1/federated/sessions/current", auth: admin).status == 200)
            #expect(try await client.call(.get, "/v1/federated/task", auth: ingest).status == 409)
        }
    }

    /// The five steps of one aggregation over HTTP for devices sending `words` (integers, as they are).
    func runSecureAggregation(_ client: any TestClientProtocol, keys: [String], admin: String, task: [String: Any], words: [[UInt32]], people: [String])
        async throws
    {
        let closed = try await aggregate(client, keys: keys, admin: admin, task: task, words: words, people: people)
        #expect(closed.status == 200, "\(closed.body)")
    }

    /// The five steps of one aggregation over HTTP, device d joining with keys[d] and sending words[d]
    /// (integers) or fixedPoint[d] (reals, encoded with the scale the task announces once keys close,
    /// clipped to its normBound when `clip`). Returns the answer to the advance that closes unmasking.
    func aggregate(
        _ client: any TestClientProtocol, keys: [String], admin: String, task: [String: Any], words: [[UInt32]]? = nil,
        fixedPoint: [[Float]]? = nil, clip: Bool = false, people: [String]
    ) async throws -> Reply {
        let secureRound = UInt64(task["secureRound"] as! Int)
        let count = words?.count ?? fixedPoint!.count
        var clients: [SecureAggregationClient] = [], tokens: [HTTPFields] = []
        for d in 0..<count {
            var sac = SecureAggregationClient(id: 1, round: secureRound)
            let advertised = sac.advertise()
            let joined = try await client.call(.post, "/v1/federated/join", auth: keys[d], json: try joinJSON(advertised, personToken: people[d])).json
            sac.assign(id: UInt32(joined["id"] as! Int))
            clients.append(sac)
            tokens.append([HTTPField.Name("Tact-Device-Token")!: joined["token"] as! String])
        }
        let keysClosed = try await client.call(.post, "/v1/federated/advance", auth: admin)
        #expect(keysClosed.status == 200, "\(keysClosed.body)")
        for d in clients.indices {
            let hood = try decode(
                Neighborhood.self, try await client.call(.get, "/v1/federated/neighborhood?id=\(clients[d].id)", auth: keys[d], headers: tokens[d]))
            var random = SecureRandom()
            let shares = try clients[d].shareKeys(hood, using: &random)
            _ = try await client.call(.post, "/v1/federated/shares", auth: keys[d], json: try sharesJSON(clients[d], shares), headers: tokens[d])
        }
        _ = try await client.call(.post, "/v1/federated/advance", auth: admin)
        var inputs = words ?? []
        if let fixedPoint {
            let now = try await client.call(.get, "/v1/federated/task", auth: keys[0]).json
            let codec = FixedPointCodec(participants: now["devices"] as! Int, bound: Float(now["bound"] as! Double))
            let normBound = Float(now["normBound"] as? Double ?? .infinity)
            inputs = fixedPoint.map { clip ? codec.encode($0, normBound: normBound).words : codec.encode($0).words }
        }
        for d in clients.indices {
            let delivered = try decode(
                [EncryptedShare].self, try await client.call(.get, "/v1/federated/deliveries?id=\(clients[d].id)", auth: keys[d], headers: tokens[d]))
            let masked = try clients[d].maskedInput(inputs[d], shares: delivered)
            var bytes = Data()
            for w in masked.words { withUnsafeBytes(of: w.littleEndian) { bytes.append(contentsOf: $0) } }
            let sent = try await client.call(
                .post, "/v1/federated/input", auth: keys[d], json: try json(["id": AnyEncodable(clients[d].id), "words": AnyEncodable(bytes)]),
                headers: tokens[d])
            #expect(sent.status == 200, "\(sent.body)")
        }
        _ = try await client.call(.post, "/v1/federated/advance", auth: admin)
        try await consistencyAndUnmask(client, &clients, keys: keys, tokens: tokens, admin: admin)
        return try await client.call(.post, "/v1/federated/advance", auth: admin)
    }
}

/// Any encodable value, for mixed JSON objects.
struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: Encoder) throws {
        // Through a container, so the encoder's strategies (Data as base64) apply.
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
