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
    enum Step: String, Codable { case keys, shares, input, consistency, unmask, finished }
    /// What devices send in the current aggregation: federated iALS sends a residual, then one product
    /// per CG step (fixed point); federated DP-ALS sends counts once, then statistics (integers).
    enum Kind: String, Codable { case residual, product, count, statistics }

    let id: String
    let options: FederatedTrainingOptions
    let items: [String]
    /// Distinct API keys whose devices' inputs every sum must hold (devices of one key count once).
    let minimumDevices: Int
    /// The most devices one API key may join to one aggregation, and one aggregation may take (before
    /// the limits of its sum and of the shares the server holds, `capacity`).
    let devicesPerKey: Int
    let maxDevices: Int
    /// The largest L2 norm of one device's fixed-point message: devices clip to it, and an unmasked
    /// sum larger than survivors × normBound is refused (see `checkSum`).
    let normBound: Float
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
    /// Devices each API key joined to this aggregation.
    var joinedPerKey: [String: Int] = [:]
    /// The people (pseudonyms, hex, from their person tokens) whose device joined this aggregation:
    /// one person contributes at most once to a sum, however many devices or keys they have.
    var persons: Set<String> = []
    /// Set while the neighborhoods are built off the actor: joins are refused, and a second advance.
    var closingKeys = false
    var accountant = PrivacyAccountant()
    var history: [FederatedAggregationRecord] = []

    init(
        id: String, options: FederatedTrainingOptions, items: [String], minimumDevices: Int,
        devicesPerKey: Int = 16, maxDevices: Int = 10_000, normBound: Float? = nil
    ) {
        self.id = id
        self.options = options
        self.items = items
        self.minimumDevices = minimumDevices
        self.devicesPerKey = devicesPerKey
        self.maxDevices = maxDevices
        self.normBound = normBound ?? options.bound
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
        SecureAggregationServer(
            round: UInt64(round) << 32 | UInt64(aggregation), vectorLength: vectorLength,
            graph: options.graph ?? .complete, minimumDevices: minimumDevices)
    }

    /// Shares the server may hold for one aggregation (devices × neighbors; about 200 bytes each).
    static let shareBudget = 1_000_000

    /// The most devices this aggregation takes, and why: what its sum can hold, the operator's limit,
    /// and the shares the server would hold (the complete graph's grow with the square).
    var capacity: (devices: Int, reason: String) {
        let sum = integerInputs ? FederatedPrivateALS.maximumDevices : Int(Double(Int32.max) / Double(options.bound))
        var limits = [(sum, "the most its sum can hold"), (maxDevices, "the most the server takes in one aggregation (tact serve --federated-max-devices)")]
        switch options.graph ?? .complete {
        case .complete:
            // n (n − 1) shares: n ≤ (1 + √(1 + 4B)) / 2.
            let n = Int(((1 + (1 + 4 * Double(Self.shareBudget)).squareRoot()) / 2).rounded(.down))
            limits.append((n, "the most a complete mask graph takes (start the training with \"graph\": \"harary\" for more)"))
        case .harary(let degree, _):
            limits.append((Self.shareBudget / max(degree, 1), "the most a Harary graph of degree \(degree) takes (a smaller degree takes more)"))
        }
        return limits.min { $0.0 < $1.0 }!
    }

    /// A device joins the current aggregation with its signed public keys, for `person` (the
    /// pseudonym of the person token it showed); returns its id and a token it shows at every later
    /// step. `key` is the id of the API key it joined with. A person joins once per aggregation.
    mutating func join(_ keys: AdvertisedKeys, key: String, person: String) throws -> (id: UInt32, token: String) {
        guard step == .keys else { throw FederatedError.wrongStep(expected: .keys, now: step) }
        guard !closingKeys else { throw FederatedError.closing }
        guard !persons.contains(person) else { throw FederatedError.personJoined }
        let capacity = capacity
        guard tokens.count < capacity.devices else { throw FederatedError.full(capacity.devices, capacity.reason) }
        guard joinedPerKey[key, default: 0] < devicesPerKey else { throw FederatedError.keyFull(devicesPerKey) }
        let id = UInt32(tokens.count + 1)
        var keys = keys
        keys.id = id
        try server.receive(keys, owner: key)
        joinedPerKey[key, default: 0] += 1
        persons.insert(person)
        let token = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        tokens[id] = Data(SHA256.hash(data: Data(token.utf8)))
        return (id, token)
    }

    func check(_ id: UInt32, token: String) throws {
        guard let expected = tokens[id], expected == Data(SHA256.hash(data: Data(token.utf8))) else { throw FederatedError.unknownDevice(id) }
    }

    var survivors: Set<UInt32> = []

    /// What building the neighborhoods needs, taken on the actor; `MaskPlan.build` then runs off it.
    struct KeysToClose: Sendable {
        var owners: [UInt32: String]
        var graph: MaskGraph
        var minimum: Int
        var aggregation: Int
    }

    /// Starts closing the key step: joins are refused from now on.
    mutating func beginClosingKeys() throws -> KeysToClose {
        guard step == .keys else { throw FederatedError.wrongStep(expected: .keys, now: step) }
        guard !closingKeys else { throw FederatedError.closing }
        closingKeys = true
        return KeysToClose(owners: server.owners, graph: server.graph, minimum: minimumDevices, aggregation: aggregation)
    }

    /// Ends closing the key step with the plan built off the actor (or why it could not be built).
    mutating func finishClosingKeys(_ plan: Result<MaskPlan, any Error>) throws {
        closingKeys = false
        do {
            try server.install(try plan.get())
            step = .shares
        } catch let error as SecureAggregationError {
            restartAggregation()
            abandoned += 1
            throw FederatedError.abandoned(error.description)
        }
    }

    /// Closes the current step. After unmasking: the sum, its noise, the coordinator's step, and the
    /// next aggregation (or the end of training). If the aggregation cannot complete (too few devices
    /// joined or survived, shares that do not recover), it is abandoned, revealing nothing, and
    /// started again from its keys step; the error says so.
    mutating func advance() throws {
        guard !closingKeys else { throw FederatedError.closing }
        do {
            try advanceStep()
        } catch let error as SecureAggregationError {
            restartAggregation()
            abandoned += 1
            throw FederatedError.abandoned(error.description)
        } catch FederatedError.refusedSum(let why) {
            restartAggregation()
            abandoned += 1
            throw FederatedError.abandoned(why)
        }
    }

    /// Aggregations abandoned and started again.
    var abandoned = 0

    mutating func restartAggregation() {
        server = newServer()
        tokens = [:]
        joinedPerKey = [:]
        persons = []
        closingKeys = false
        survivors = []
        step = .keys
    }

    private mutating func advanceStep() throws {
        switch step {
        case .keys:
            // In process (the HTTP service closes keys off its actor with begin/finishClosingKeys).
            try server.install(try server.plan())
            step = .shares
        case .shares:
            step = .input
        case .input:
            survivors = try server.survivors()
            step = .consistency
        case .consistency:
            _ = try server.signers()
            step = .unmask
        case .unmask:
            let (wrapped, devices) = try server.aggregate()
            try checkSum(wrapped, devices: devices.count)
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
            history.append(
                FederatedAggregationRecord(
                    round: finishedRound, aggregation: aggregation, kind: finished.rawValue, devices: devices.count, epsilonTotal: epsilon))
            aggregation += 1
            if round != finishedRound { roundItemFactors = itemFactors }
            if round > options.als.iterations { step = .finished; return }
            restartAggregation()
        case .finished:
            throw FederatedError.finished
        }
    }

    /// Refuses a sum no `devices` honest devices could have made, before anything uses it: one device
    /// past the bounds must not move the model further than an honest one can. Fixed point: the L2
    /// norm of the decoded sum is at most devices × normBound (plus rounding). Counts: each entry in
    /// [0, devices], all together at most devices × maxItemsPerPerson. Statistics: each entry within
    /// devices × 2¹², DP-ALS's largest contribution.
    func checkSum(_ wrapped: [UInt32], devices: Int) throws {
        let n = Double(devices)
        switch kind {
        case .residual, .product:
            let codec = FixedPointCodec(participants: max(tokens.count, 1), bound: options.bound)
            let values = codec.decode(wrapped).map { Float($0) }
            let norm = values.withUnsafeBufferPointer { FixedPointCodec.norm($0) }
            // Each device's encoded message is within √length / (2 scale) of one of norm ≤ normBound.
            let allowed = n * Double(normBound) * (1 + 1e-4) + n * Double(wrapped.count).squareRoot() / codec.scale
            guard Double(norm) <= allowed else {
                throw FederatedError.refusedSum(
                    "the unmasked sum has L2 norm \(norm), more than \(devices) devices within the norm bound \(normBound) can send (\(Float(allowed))): at least one device sent an input past the bound; the sum is not used"
                )
            }
        case .count:
            var total: Int64 = 0
            for w in wrapped {
                let v = Int64(Int32(bitPattern: w))
                guard v >= 0, Double(v) <= n else {
                    throw FederatedError.refusedSum(
                        "an item count of the unmasked sum is \(v), outside 0…\(devices) for \(devices) devices sending 0 or 1: at least one device sent a count past the bound; the sum is not used"
                    )
                }
                total += v
            }
            let most = Int64(devices) * Int64(plan!.configuration.maxItemsPerPerson)
            guard total <= most else {
                throw FederatedError.refusedSum(
                    "the unmasked counts add up to \(total), more than \(devices) devices of at most \(plan!.configuration.maxItemsPerPerson) items each can send: the sum is not used"
                )
            }
        case .statistics:
            let most = Int64(devices) * (Int64(Int32.max) / Int64(FederatedPrivateALS.maximumDevices))
            for w in wrapped where abs(Int64(Int32(bitPattern: w))) > most {
                throw FederatedError.refusedSum(
                    "an entry of the unmasked statistics is \(Int32(bitPattern: w)), past \(most), the most \(devices) devices can send: the sum is not used")
            }
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
    case full(Int, String)
    case abandoned(String)
    /// The key step is closing (neighborhoods are being built).
    case closing
    /// This API key already joined its most devices to this aggregation.
    case keyFull(Int)
    /// An unmasked sum out of the bounds honest devices keep (the aggregation is then abandoned).
    case refusedSum(String)
    /// This person already has a device in this aggregation (one contribution per person per sum).
    case personJoined
    /// A join came without a valid person token.
    case personTokenMissing(String)

    var description: String {
        switch self {
        case .noSession: "no federated training is running; an admin starts one with POST /v1/federated/sessions"
        case .wrongStep(let expected, let now):
            "this call belongs to the \(expected.rawValue) step, and the round is at \(now.rawValue); read GET /v1/federated/task"
        case .unknownDevice(let id): "device \(id) did not join this aggregation, or its token does not match"
        case .finished: "this training has finished; start another one"
        case .full(let n, let why): "this aggregation already has \(n) devices, \(why); join the next one"
        case .closing: "the keys step is closing and takes no more devices; read GET /v1/federated/task and join the next aggregation"
        case .keyFull(let n):
            "this API key already joined \(n) devices to this aggregation, the most one key may (tact serve --federated-devices-per-key); give each device or person its own key with the ingest scope"
        case .refusedSum(let why): why
        case .personJoined:
            "this person already has a device in this aggregation: each person contributes at most once to a sum (the unit of privacy is the person), whichever device or API key joins; join the next aggregation from one device only"
        case .personTokenMissing(let why):
            "a device joins for a person: send their person token (tpt1.…, from POST /v1/people/{person}/tokens) as personToken; \(why)"
        case .abandoned(let why): "the aggregation was abandoned and starts again from its keys step (nothing was revealed): \(why)"
        }
    }
}
