import TactPrivacy
import TactRecommend

/// How federated iALS is trained: the model's settings, who takes part in each round, how secure
/// aggregation is set up, and the differential privacy of the sums.
public struct FederatedTrainingOptions: Sendable, Codable, Equatable {
    /// Factors, α, λ, CG steps, seed; `iterations` is the number of rounds.
    public var als: ALSConfiguration
    /// Devices asked to take part in each round; nil: every device.
    public var devicesPerRound: Int?
    /// The chance that a device drops out of an aggregation (at a step drawn uniformly).
    public var dropout: Double = 0
    /// Who pairs masks: `.complete` (Bonawitz et al.) or `.harary` (SecAgg+); nil picks complete up to
    /// 200 devices and a Harary graph of degree 32 above.
    public var graph: MaskGraph?
    /// The fixed-point clamp: each coordinate a device sends is kept within ±bound.
    public var bound: Float = 256
    /// Differential privacy: the total ε (nil: none) and its δ. With an ε, training is federated
    /// DP-ALS (`privateALS` gives its other settings: contribution bounds, budget shares).
    public var epsilon: Double?
    public var delta: Double = 1e-5
    public var privateALS = PrivateALSConfiguration()
    /// Seed of the device sample, the dropouts and (in simulations) the noise.
    public var seed: UInt64 = 1

    public init(als: ALSConfiguration) { self.als = als }

    /// Aggregations per round: the residual, then one per CG step (DP-ALS: one).
    public var aggregationsPerRound: Int {
        if epsilon != nil { return 1 }
        if case .conjugateGradient(let steps) = als.solver { return 1 + steps }
        return 4
    }

    /// The DP-ALS settings: `privateALS` with the model's factors, rounds, α, λ, seed and this ε, δ.
    public var privateConfiguration: PrivateALSConfiguration {
        var c = privateALS
        c.factors = als.factors
        c.iterations = als.iterations
        c.alpha = als.alpha
        c.regularization = als.regularization
        c.seed = als.seed
        c.epsilon = epsilon ?? c.epsilon
        c.delta = delta
        return c
    }

    public func maskGraph(devices: Int) -> MaskGraph {
        graph ?? (devices <= 200 ? .complete : .harary(degree: 32, seed: seed))
    }
}

/// What one round cost and gave.
public struct FederatedRoundReport: Sendable, Codable, Equatable {
    public var round: Int
    /// Devices asked, and those whose inputs reached the first aggregation of the round.
    public var devices: Int
    public var summed: Int
    public var aggregations: Int
    /// Per device and round, mean: bytes up and down (model and directions broadcast included).
    public var bytesUp: Double
    public var bytesDown: Double
    /// Per device and round: median CPU milliseconds (user step, messages, secure aggregation).
    public var deviceMilliseconds: Double
    /// Server CPU milliseconds in the round (secure aggregation, CG, noise).
    public var serverMilliseconds: Double
    /// Simulated wall time: the slowest device's CPU at each step plus the server's, plus transfers
    /// at the assumed link speeds.
    public var roundSeconds: Double
    /// The largest gap between a secure sum and the plain sum of the same inputs (fixed-point rounding).
    public var largestAggregationError: Double
    public var clampedValues: Int
    /// ε of this round alone, and of every round so far (composed by the accountant), at δ.
    public var epsilonRound: Double?
    public var epsilonTotal: Double?
}
