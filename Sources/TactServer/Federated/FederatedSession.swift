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
    /// What devices send in the current aggregation: federated iALS sends a residual, then one product
    /// per CG step (fixed point); federated DP-ALS sends counts once, then statistics (integers).
    enum Kind: String, Codable { case residual, product, count, statistics }

    let id: String
    let options: FederatedTrainingOptions
    let items: [String]
    let minimumDevices: Int
    var coordinator: FederatedALSCoordinator
    /// With an ε: the DP-ALS plan, its item factors and the items it covers.
    let plan: FederatedPrivateALS?
    var privateItems: FactorMatrix?
    var covered: [Int]
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

    init(id: String, options: FederatedTrainingOptions, items: [String], minimumDevices: Int) {
        self.id = id
        self.options = options
        self.items = items
        self.minimumDevices = minimumDevices
        coordinator = FederatedALSCoordinator(items: items.count, configuration: options.als)
        covered = Array(0..<items.count)
        if options.epsilon != nil {
            let plan = FederatedPrivateALS(options.privateConfiguration)
            self.plan = plan
            privateItems = plan.initialItems(items: items.count, covered: Array(repeating: true, count: items.count), noisyCounts: nil)
            kind = plan.countRho > 0 ? .count : .statistics
        } else {
            plan = nil
        }
        server = SecureAggregationServer(round: 0, vectorLength: 0)
        server = newServer()
        roundItemFactors = itemFactors
    }

    /// The current item factors (they change during a round's CG steps).
    var itemFactors: FactorMatrix { privateItems ?? coordinator.itemFactors }
    /// The item factors at the start of the round: what devices download and solve their vectors
    /// from, so every aggregation of a round uses the same vectors (as centralized CG does).
    var roundItemFactors = FactorMatrix(rows: 0, factors: 1)

    var vectorLength: Int {
        let k = options.als.factors
        switch kind {
        case .residual: return FederatedALSParticipant.residualLength(items: items.count, factors: k)
        case .product: return items.count * k
        case .count: return items.count
        case .statistics: return plan!.statisticsLength(coveredItems: covered.count)
        }
    }

    /// Whether devices send integers as they are (DP-ALS) rather than fixed-point reals.
    var integerInputs: Bool { kind == .count || kind == .statistics }

    func newServer() -> SecureAggregationServer {
        SecureAggregationServer(round: UInt64(round) << 32 | UInt64(aggregation), vectorLength: vectorLength,
                                graph: options.graph ?? .complete, minimumDevices: minimumDevices)
    }

    /// A device joins the current aggregation with its public keys; returns its id and a token it
    /// shows at every later step.
    mutating func join(channelKey: Data, maskKey: Data) throws -> (id: UInt32, token: String) {
        guard step == .keys else { throw FederatedError.wrongStep(expected: .keys, now: step) }
        let capacity = integerInputs ? FederatedPrivateALS.maximumDevices : Int(Double(Int32.max) / Double(options.bound))
        guard tokens.count < capacity else { throw FederatedError.full(capacity) }
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
    /// next aggregation (or the end of training). If the aggregation cannot complete (too few devices
    /// joined or survived, shares that do not recover), it is abandoned, revealing nothing, and
    /// started again from its keys step; the error says so.
    mutating func advance() throws {
        do {
            try advanceStep()
        } catch let error as SecureAggregationError {
            restartAggregation()
            abandoned += 1
            throw FederatedError.abandoned(error.description)
        }
    }

    /// Aggregations abandoned and started again.
    var abandoned = 0

    mutating func restartAggregation() {
        server = newServer()
        tokens = [:]
        neighborhoods = [:]
        survivors = []
        step = .keys
    }

    private mutating func advanceStep() throws {
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
            var epsilon: Double?
            let finished = kind
            let finishedRound = round
            switch kind {
            case .residual, .product:
                let sum = FixedPointCodec(participants: max(tokens.count, 1), bound: options.bound).decode(wrapped)
                if kind == .residual { direction = coordinator.begin(residualSum: sum) } else { direction = coordinator.advance(productSum: sum) }
                if direction != nil { kind = .product } else { kind = .residual; round += 1 }
            case .count:
                let coverage = plan!.coverage(countSum: wrapped, source: .secure)
                for e in coverage.events { accountant.compose(e) }
                covered = coverage.covered.indices.filter { coverage.covered[$0] }
                privateItems = plan!.initialItems(items: items.count, covered: coverage.covered, noisyCounts: coverage.noisyCounts)
                roundItemFactors = privateItems!
                epsilon = accountant.epsilon(delta: options.delta)
                kind = .statistics
            case .statistics:
                var y = privateItems!
                for e in plan!.solveItems(statisticsSum: wrapped, coveredItems: covered, iteration: round, source: .secure, into: &y, threads: 1) {
                    accountant.compose(e)
                }
                privateItems = y
                epsilon = accountant.epsilon(delta: options.delta)
                round += 1
            }
            history.append(FederatedAggregationRecord(round: finishedRound, aggregation: aggregation, kind: finished.rawValue, devices: devices.count, epsilonTotal: epsilon))
            aggregation += 1
            if round != finishedRound { roundItemFactors = itemFactors }
            if round > options.als.iterations { step = .finished; return }
            restartAggregation()
        case .finished:
            throw FederatedError.finished
        }
    }

    /// Codec devices encode reals with: it depends on how many joined, so it is fixed when keys close
    /// (nil for integer inputs).
    var codec: FixedPointCodec? {
        step == .keys || tokens.isEmpty || integerInputs ? nil : FixedPointCodec(participants: tokens.count, bound: options.bound)
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
    case full(Int)
    case abandoned(String)

    var description: String {
        switch self {
        case .noSession: "no federated training is running; an admin starts one with POST /v1/federated/sessions"
        case .wrongStep(let expected, let now): "this call belongs to the \(expected.rawValue) step, and the round is at \(now.rawValue); read GET /v1/federated/task"
        case .unknownDevice(let id): "device \(id) did not join this aggregation, or its token does not match"
        case .finished: "this training has finished; start another one"
        case .full(let n): "this aggregation already has \(n) devices, the most its sum can hold; join the next one"
        case .abandoned(let why): "the aggregation was abandoned and starts again from its keys step (nothing was revealed): \(why)"
        }
    }
}
