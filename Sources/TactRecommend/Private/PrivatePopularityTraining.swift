import TactCore
import TactPrivacy

/// DP popularity's training: popularity released with (ε, δ) user-level differential privacy, each
/// person counting toward at most `maxItemsPerPerson` items.
public struct PrivatePopularityTraining: ModelTraining, Equatable {
    public var maxItemsPerPerson: Int
    public var epsilon: Double
    public var delta: Double

    public init(maxItemsPerPerson: Int, epsilon: Double, delta: Double) {
        self.maxItemsPerPerson = maxItemsPerPerson
        self.epsilon = epsilon
        self.delta = delta
    }

    public var algorithmName: String { "dp-popular" }

    /// Why these settings cannot be released (a budget too small for the exact sampler), or nil.
    public var problem: String? {
        guard epsilon > 0, epsilon.isFinite, delta > 0, delta < 1 else { return "ε must be positive and δ between 0 and 1" }
        return PrivatePopularity.problem(
            maxItemsPerPerson: maxItemsPerPerson,
            noise: .gaussian(rho: PrivacyAccountant.zCDPBudget(epsilon: epsilon, delta: delta)), trending: false)
    }

    public func train(_ matrix: SparseMatrix, progress: ImplicitALS.Progress?) -> TrainingOutcome {
        var generator = SecureRandom()
        let rho = PrivacyAccountant.zCDPBudget(epsilon: epsilon, delta: delta)
        let release = PrivatePopularity(matrix, maxItemsPerPerson: maxItemsPerPerson, noise: .gaussian(rho: rho), key: ContributionKey(), using: &generator)
        var accountant = PrivacyAccountant()
        accountant.compose(release.event)
        return TrainingOutcome(
            model: .popularity(release.model),
            privacy: PrivacyCharge(epsilon: accountant.epsilon(delta: delta), delta: delta, mechanism: "dp-popularity (discrete Gaussian)"))
    }
}
