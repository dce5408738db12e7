import Foundation
import HTTPTypes
import Hummingbird
import TactDevice
import TactEngine
import TactFederated
import TactPrivacy
import TactRecommend

/// Federated iALS over HTTP: an admin starts a training; devices (any key with the `ingest` scope)
/// read the task, download the item factors, and take part in each aggregation's five steps of secure
/// aggregation; the admin closes each step with `advance`. See docs/federated.md for the sequence.
struct FederatedRoutes {
    let state: ServerState

    struct StartJSON: Decodable {
        var rounds: Int?, factors: Int?, alpha: Float?, regularization: Float?, cgSteps: Int?
        var epsilon: Double?, delta: Double?, maxItemsPerPerson: Int?, bound: Float?
        var minimumDevices: Int?, graph: String?, degree: Int?, normBound: Float?
    }

    struct TaskJSON: Encodable {
        var session: String, round: Int, rounds: Int, aggregation: Int, kind: String, step: String
        /// The secure-aggregation round number devices bind their keys to.
        var secureRound: UInt64
        var items: Int, factors: Int, vectorLength: Int, alpha: Float, regularization: Float
        /// Fixed-point inputs: the clamp and the scale (set once keys close). Integer inputs (DP-ALS) have no scale.
        var bound: Float, scale: Double?, devices: Int
        /// Distinct API keys among the devices that joined (each key counts once toward `minimumDevices`).
        var keys: Int
        /// Fixed-point inputs: the largest L2 norm of one device's message (devices clip to it).
        var normBound: Float
        /// The most devices this aggregation takes, and the most one API key may join to it.
        var maxDevices: Int, devicesPerKey: Int
        var minimumDevices: Int
        /// "fixed-point" (reals times scale) or "integer" (DP-ALS contributions as they are).
        var encoding: String
        /// With DP: the DP-ALS settings devices compute their contributions with.
        var privateALS: PrivateALSConfiguration?
        var epsilonSoFar: Double?
    }

    struct StatusJSON: Encodable {
        var task: TaskJSON
        var history: [FederatedAggregationRecord]
        var epsilonTarget: Double?, delta: Double
        /// Aggregations abandoned (too few devices, shares that did not recover) and started again.
        var abandoned: Int
    }

    struct ModelJSON: Encodable {
        var items: [String], factors: Int
        /// Little-endian Float32, items × factors, base64.
        var itemFactors: Data
        /// The CG direction of a product aggregation, same layout.
        var direction: Data?
        /// DP-ALS: the items the model covers, in slot order.
        var covered: [Int]?
    }

    /// A join: the device's two X25519 keys, its Ed25519 signing key and its signature over them for
    /// this aggregation's secure round, and the token of the person it contributes for.
    struct JoinJSON: Codable { var channelKey: Data, maskKey: Data, signingKey: Data, signature: Data, personToken: String? }
    struct SignaturesJSON: Encodable { var signatures: [SurvivorSignature] }
    struct JoinedJSON: Encodable { var id: UInt32, token: String }
    struct SharesJSON: Decodable { var id: UInt32, shares: [EncryptedShare], seedCommitment: Data }
    struct InputJSON: Decodable { var id: UInt32, words: Data }
    struct SurvivorsJSON: Encodable { var survivors: [UInt32] }

    static let tokenHeader = HTTPField.Name("Tact-Device-Token")!

    func register(on router: Router<TactRequestContext>) {
        let service = state.federated
        router.route(.post, "/v1/federated/sessions", .key(.admin), state: state) { request, context in
            let body = try await request.decodeJSON(StartJSON.self, limit: 16_384)
            var als = ALSConfiguration()
            als.factors = try Self.check(body.factors ?? 16, 1...512, "factors")
            als.iterations = try Self.check(body.rounds ?? 5, 1...100, "rounds")
            als.alpha = body.alpha ?? 4
            als.regularization = body.regularization ?? 1
            als.solver = .conjugateGradient(steps: try Self.check(body.cgSteps ?? 3, 1...20, "cgSteps"))
            var options = FederatedTrainingOptions(als: als)
            options.epsilon = body.epsilon
            options.delta = body.delta ?? 1e-5
            options.privateALS.maxItemsPerPerson = try Self.check(body.maxItemsPerPerson ?? 40, 1...10_000, "maxItemsPerPerson")
            options.bound = body.bound ?? 256
            let normBound = body.normBound ?? options.bound
            switch body.graph ?? "complete" {
            case "complete": options.graph = .complete
            case "harary":
                let degree = try Self.check(body.degree ?? 32, 2...1024, "degree")
                guard degree % 2 == 0 else {
                    throw Problem.badRequest("degree must be even: each device pairs with degree/2 on each side of the ring", field: "degree")
                }
                options.graph = .harary(degree: degree, seed: UInt64.random(in: 1...UInt64.max))
            default: throw Problem.badRequest("graph must be complete or harary", field: "graph")
            }
            if let e = options.epsilon, !(e > 0 && e.isFinite) { throw Problem.badRequest("epsilon must be positive", field: "epsilon") }
            guard options.delta > 0, options.delta < 1 else { throw Problem.badRequest("delta must be in (0, 1)", field: "delta") }
            guard options.bound >= 1e-3, options.bound <= 1e6 else { throw Problem.badRequest("bound must be between 0.001 and 1000000", field: "bound") }
            guard normBound >= 1e-3, normBound <= 1e9 else { throw Problem.badRequest("normBound must be between 0.001 and 1000000000", field: "normBound") }
            guard options.als.regularization > 0, options.als.regularization.isFinite, options.als.alpha >= 0, options.als.alpha.isFinite else {
                throw Problem.badRequest("regularization must be positive and alpha not negative")
            }
            if options.epsilon != nil, let problem = options.privateConfiguration.problem { throw Problem.badRequest(problem, field: "epsilon") }
            let minimum = try Self.check(body.minimumDevices ?? 3, 3...1_000_000, "minimumDevices")
            let settings = state.settings
            guard minimum <= settings.federatedMaxDevices else {
                throw Problem.badRequest(
                    "minimumDevices must be at most \(settings.federatedMaxDevices), the most devices one aggregation takes (tact serve --federated-max-devices)",
                    field: "minimumDevices")
            }
            // A DP training releases over the public universe (the registered catalog in id order), never
            // over rows that exist only because someone's event named them.
            let items =
                options.epsilon != nil
                ? try ReleaseUniverse.read(from: state.engine).items
                : try state.engine.catalog.items().map(\.id)
            guard !items.isEmpty else {
                throw Problem.conflict(
                    options.epsilon != nil
                        ? "no item is registered: a private federated training runs over the registered catalog; import it with 'tact import items FILE' or PUT /v1/items/{item}"
                        : "the catalog is empty: add items before training")
            }
            let id = UUID().uuidString.lowercased()
            let session = FederatedSession(
                id: id, options: options, items: items, minimumDevices: minimum,
                devicesPerKey: settings.federatedDevicesPerKey, maxDevices: settings.federatedMaxDevices,
                normBound: normBound)
            // A minimum no aggregation can reach would abandon every one.
            let capacity = session.capacity
            guard minimum <= capacity.devices else {
                throw Problem.badRequest("minimumDevices must be at most \(capacity.devices), \(capacity.reason)", field: "minimumDevices")
            }
            try await service.start(session)
            // A private training spends its whole budget before anything is released (nothing is until
            // an aggregation completes); if the ledger refuses, the training is stopped.
            if let epsilon = options.epsilon {
                do {
                    try PrivacyLedger(engine: state.engine).spend(
                        dataset: PrivacyLedger.interactionsDataset, release: "federated-dp-als \(id)",
                        mechanism: "federated DP-ALS: secure aggregation, discrete Gaussian on the sums (zCDP)",
                        epsilon: epsilon, delta: options.delta)
                } catch {
                    try? await service.abort()
                    throw error
                }
            }
            return try JSONResponse.make(try await status(), status: .created)
        }
        router.route(.delete, "/v1/federated/sessions/current", .key(.admin), state: state) { _, context in
            let stopped = try await status()
            try await service.abort()
            return try JSONResponse.make(stopped)
        }
        router.route(.get, "/v1/federated/sessions/current", .key(.audit), state: state) { _, context in
            return try JSONResponse.make(try await status())
        }
        router.route(.post, "/v1/federated/advance", .key(.admin), state: state) { _, context in
            try await service.advance()
            return try JSONResponse.make(try await status())
        }
        router.route(.get, "/v1/federated/task", .key(.ingest), state: state) { _, context in
            return try JSONResponse.make(try await service.read(Self.task))
        }
        router.route(.get, "/v1/federated/model", .key(.ingest), state: state) { _, context in
            let model = try await service.read { s -> ModelJSON in
                let y = s.roundItemFactors, k = y.factors
                var flat = [Float](repeating: 0, count: y.rows * k)
                for i in 0..<y.rows { for f in 0..<k { flat[i * k + f] = y.storage[i * y.stride + f] } }
                return ModelJSON(
                    items: s.items, factors: k, itemFactors: Self.bytes(flat), direction: s.kind == .product ? s.direction.map(Self.bytes) : nil,
                    covered: s.plan == nil ? nil : s.covered)
            }
            return try JSONResponse.make(model)
        }
        router.route(.post, "/v1/federated/join", .key(.ingest), state: state) { request, context in
            let principal = try context.caller
            let body = try await request.decodeJSON(JoinJSON.self, limit: 4096)
            // Devices of one key are one participant: they are capped, and count once toward the minimum.
            let key: String
            switch principal {
            case .key(let record, _): key = record.id
            case .person(let token): key = "person-token:" + token.keyID
            }
            // The unit of privacy is the person: a device joins for the person whose token it shows, and
            // one person joins once per aggregation.
            guard let text = body.personToken, !text.isEmpty else { throw FederatedError.personTokenMissing("none was sent") }
            let person: PersonToken
            do { person = try state.engine.personTokens.verify(text, now: Int64(Date().timeIntervalSince1970)) } catch {
                throw FederatedError.personTokenMissing("\(error)")
            }
            let keys = AdvertisedKeys(id: 0, channelKey: body.channelKey, maskKey: body.maskKey, signingKey: body.signingKey, signature: body.signature)
            let (id, token) = try await service.update { try $0.join(keys, key: key, person: person.subject.hex) }
            return try JSONResponse.make(JoinedJSON(id: id, token: token), status: .created)
        }
        router.route(.get, "/v1/federated/neighborhood", .key(.ingest), state: state) { request, context in
            let id = try Self.device(request)
            return try JSONResponse.make(
                try await service.read { s -> Neighborhood in
                    try s.check(id, token: Self.token(request))
                    guard s.step == .shares, let hood = s.server.neighborhood(for: id) else { throw FederatedError.wrongStep(expected: .shares, now: s.step) }
                    return hood
                })
        }
        router.route(.post, "/v1/federated/shares", .key(.ingest), state: state) { request, context in
            let body = try await request.decodeJSON(SharesJSON.self, limit: 16 << 20)
            try await service.update { s in
                try s.check(body.id, token: Self.token(request))
                guard s.step == .shares else { throw FederatedError.wrongStep(expected: .shares, now: s.step) }
                try s.server.receive(shares: body.shares, from: body.id, seedCommitment: body.seedCommitment)
            }
            return try JSONResponse.make(try await service.read(Self.task))
        }
        router.route(.get, "/v1/federated/deliveries", .key(.ingest), state: state) { request, context in
            let id = try Self.device(request)
            return try JSONResponse.make(
                try await service.read { s -> [EncryptedShare] in
                    try s.check(id, token: Self.token(request))
                    guard s.step == .input else { throw FederatedError.wrongStep(expected: .input, now: s.step) }
                    return s.server.deliveries(for: id)
                })
        }
        router.route(.post, "/v1/federated/input", .key(.ingest), state: state) { request, context in
            let limit = try await service.read { $0.vectorLength } * 6 + 4096
            let body = try await request.decodeJSON(InputJSON.self, limit: limit)
            try await service.update { s in
                try s.check(body.id, token: Self.token(request))
                guard s.step == .input else { throw FederatedError.wrongStep(expected: .input, now: s.step) }
                guard body.words.count == 4 * s.vectorLength else {
                    throw Problem.badRequest("words must hold \(s.vectorLength) little-endian 32-bit words (\(4 * s.vectorLength) bytes)", field: "words")
                }
                let words = body.words.withUnsafeBytes { raw in
                    (0..<s.vectorLength).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
                }
                try s.server.receive(MaskedInput(id: body.id, words: words))
            }
            return try JSONResponse.make(try await service.read(Self.task))
        }
        router.route(.get, "/v1/federated/survivors", .key(.ingest), state: state) { request, context in
            let id = try Self.device(request)
            return try JSONResponse.make(
                try await service.read { s -> SurvivorsJSON in
                    try s.check(id, token: Self.token(request))
                    guard s.step == .consistency else { throw FederatedError.wrongStep(expected: .consistency, now: s.step) }
                    return SurvivorsJSON(survivors: s.survivors.sorted())
                })
        }
        router.route(.post, "/v1/federated/consistency", .key(.ingest), state: state) { request, context in
            let body = try await request.decodeJSON(SurvivorSignature.self, limit: 4096)
            try await service.update { s in
                try s.check(body.id, token: Self.token(request))
                guard s.step == .consistency else { throw FederatedError.wrongStep(expected: .consistency, now: s.step) }
                try s.server.receive(body)
            }
            return try JSONResponse.make(try await service.read(Self.task))
        }
        router.route(.get, "/v1/federated/signatures", .key(.ingest), state: state) { request, context in
            let id = try Self.device(request)
            return try JSONResponse.make(
                try await service.read { s -> SignaturesJSON in
                    try s.check(id, token: Self.token(request))
                    guard s.step == .unmask else { throw FederatedError.wrongStep(expected: .unmask, now: s.step) }
                    return SignaturesJSON(signatures: s.server.signatures(for: id))
                })
        }
        router.route(.post, "/v1/federated/unmask", .key(.ingest), state: state) { request, context in
            let body = try await request.decodeJSON(UnmaskResponse.self, limit: 16 << 20)
            try await service.update { s in
                try s.check(body.id, token: Self.token(request))
                guard s.step == .unmask else { throw FederatedError.wrongStep(expected: .unmask, now: s.step) }
                try s.server.receive(body)
            }
            return try JSONResponse.make(try await service.read(Self.task))
        }

        @Sendable func status() async throws -> StatusJSON {
            try await service.read { s in
                StatusJSON(task: Self.task(s), history: s.history, epsilonTarget: s.options.epsilon, delta: s.options.delta, abandoned: s.abandoned)
            }
        }
    }

    static func task(_ s: FederatedSession) -> TaskJSON {
        TaskJSON(
            session: s.id, round: min(s.round, s.options.als.iterations), rounds: s.options.als.iterations, aggregation: s.aggregation,
            kind: s.kind.rawValue, step: s.step.rawValue, secureRound: s.server.round, items: s.items.count, factors: s.options.als.factors,
            vectorLength: s.vectorLength,
            alpha: s.options.als.alpha, regularization: s.options.als.regularization,
            bound: s.options.bound, scale: s.codec?.scale, devices: s.tokens.count,
            keys: s.joinedPerKey.count, normBound: s.normBound, maxDevices: s.capacity.devices, devicesPerKey: s.devicesPerKey,
            minimumDevices: s.minimumDevices, encoding: s.integerInputs ? "integer" : "fixed-point",
            privateALS: s.plan?.configuration, epsilonSoFar: s.history.last(where: { $0.epsilonTotal != nil })?.epsilonTotal)
    }

    static func check(_ value: Int, _ range: ClosedRange<Int>, _ field: String) throws -> Int {
        guard range.contains(value) else { throw Problem.badRequest("\(field) must be between \(range.lowerBound) and \(range.upperBound)", field: field) }
        return value
    }

    static func device(_ request: Request) throws -> UInt32 {
        guard let text = request.uri.queryParameters.get("id"), let id = UInt32(text) else {
            throw Problem.badRequest("give the device id as ?id=N", field: "id")
        }
        return id
    }

    static func token(_ request: Request) throws -> String {
        guard let token = request.headers[tokenHeader], !token.isEmpty else {
            throw Problem.unauthorized("send the device token from /v1/federated/join in the Tact-Device-Token header")
        }
        return token
    }

    static func bytes(_ values: [Float]) -> Data {
        var data = Data(capacity: 4 * values.count)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }
}
