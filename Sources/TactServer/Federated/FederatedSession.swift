import Crypto
import Foundation
import TactCore
import TactDevice
import TactFederated
import TactPrivacy
import TactRecommend

/// One federated iALS training run served over HTTP. Each aggregation (the residual, then one per CG
/// step, round after round) is its own secure-aggregation round with fresh device ids and keys; the
/// operator (or a timer) closes each step with `advance()`. The session holds the item factors and
/// only ever sees sums.
struct FederatedSession {
    enum Step: String, Codable { case keys, shares, input, unmask, finished }
    enum Kind: String, Codable { case residual, product }

    let id: String
    let options: FederatedTrainingOptions
    let items: [String]
    let minimumDevices: Int
    var coordinator: FederatedALSCoordinator
    var round = 1
    var aggregation = 0
    var kind = Kind.residual
    var step = Step.keys
    /// The CG direction devices need for a product aggregation (unit vectors per item).
    var direction: [Float]?
    var server: SecureAggregationServer
    /// Device tokens of this aggregation: id → SHA-256 of the token.
    var tokens: [UInt32: Data] = [:]
    var accountant = PrivacyAccountant()
    var history: [FederatedAggregationRecord] = []
    var noise = SecureRandom()

    init(id: String, options: FederatedTrainingOptions, items: [String], minimumDevices: Int) {
        self.id = id
        self.options = options
        self.items = items
        self.minimumDevices = minimumDevices
        coordinator = FederatedALSCoordinator(items: items.count, configuration: options.als)
        server = Self.newServer(round: 1, aggregation: 0, kind: .residual, options: options, items: items.count, minimumDevices: minimumDevices)
    }

    var vectorLength: Int {
        kind == .residual ? FederatedALSParticipant.residualLength(items: items.count, factors: options.als.factors) : items.count * options.als.factors
    }

    static func newServer(round: Int, aggregation: Int, kind: Kind, options: FederatedTrainingOptions, items: Int, minimumDevices: Int) -> SecureAggregationServer {
        let length = kind == .residual ? FederatedALSParticipant.residualLength(items: items, factors: options.als.factors) : items * options.als.factors
        return SecureAggregationServer(round: UInt64(round) << 32 | UInt64(aggregation), vectorLength: length,
                                       graph: options.graph ?? .complete, minimumDevices: minimumDevices)
    }

    /// A device joins the current aggregation with its public keys; returns its id and a token it
    /// shows at every later step.
    mutating func join(channelKey: Data, maskKey: Data) throws -> (id: UInt32, token: String) {
        guard step == .keys else { throw FederatedError.wrongStep(expected: .keys, now: step) }
        let id = UInt32(tokens.count + 1)
        try server.receive(AdvertisedKeys(id: id, channelKey: channelKey, maskKey: maskKey))
        let token = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        tokens[id] = Data(SHA256.hash(data: Data(token.utf8)))
        return (id, token)
    }

    func check(_ id: UInt32, token: String) throws {
        guard let expected = tokens[id], expected == Data(SHA256.hash(data: Data(token.utf8))) else { throw FederatedError.unknownDevice(id) }
    }

    var neighborhoods: [UInt32: Neighborhood] = [:]
    var survivors: Set<UInt32> = []

    /// Closes the current step. After unmasking: the sum, its noise, the coordinator's step, and the
    /// next aggregation (or the end of training).
    mutating func advance() throws {
        switch step {
        case .keys:
            neighborhoods = try server.neighborhoods()
            step = .shares
        case .shares:
            step = .input
        case .input:
            survivors = try server.survivors()
            step = .unmask
        case .unmask:
            let (wrapped, devices) = try server.aggregate()
            let codec = FixedPointCodec(participants: max(tokens.count, 1), bound: options.bound)
            var sum = codec.decode(wrapped)
            var epsilon: Double?
            if let rho = options.rhoPerAggregate {
                sum = DiscretizedNoise.gaussian(sum, sensitivity: Double(options.clipNorm), changedCoordinates: sum.count, rho: rho, using: &noise).values
                accountant.compose(.zCDP(rho: rho))
                epsilon = accountant.epsilon(delta: options.delta)
            }
            history.append(FederatedAggregationRecord(round: round, aggregation: aggregation, kind: kind.rawValue, devices: devices.count, epsilonTotal: epsilon))
            switch kind {
            case .residual: direction = coordinator.begin(residualSum: sum)
            case .product: direction = coordinator.advance(productSum: sum)
            }
            if direction != nil {
                kind = .product
            } else {
                kind = .residual
                round += 1
            }
            aggregation += 1
            if round > options.als.iterations { step = .finished; return }
            server = Self.newServer(round: round, aggregation: aggregation, kind: kind, options: options, items: items.count, minimumDevices: minimumDevices)
            tokens = [:]
            neighborhoods = [:]
            survivors = []
            step = .keys
        case .finished:
            throw FederatedError.finished
        }
    }

    /// Codec devices encode with: it depends on how many joined, so it is fixed when keys close.
    var codec: FixedPointCodec? {
        step == .keys || tokens.isEmpty ? nil : FixedPointCodec(participants: tokens.count, bound: options.bound)
    }
}

/// One finished aggregation, for the status route.
struct FederatedAggregationRecord: Codable, Sendable {
    var round: Int
    var aggregation: Int
    var kind: String
    var devices: Int
    var epsilonTotal: Double?
}

enum FederatedError: Error, CustomStringConvertible {
    case noSession
    case wrongStep(expected: FederatedSession.Step, now: FederatedSession.Step)
    case unknownDevice(UInt32)
    case finished

    var description: String {
        switch self {
        case .noSession: "no federated training is running; an admin starts one with POST /v1/federated/sessions"
        case .wrongStep(let expected, let now): "this call belongs to the \(expected.rawValue) step, and the round is at \(now.rawValue); read GET /v1/federated/task"
        case .unknownDevice(let id): "device \(id) did not join this aggregation, or its token does not match"
        case .finished: "this training has finished; start another one"
        }
    }
}
