import TactCore

/// DP-ALS trains an iALS model whose item factors are released with (ε, δ) user-level joint
/// differential privacy, with the noisy item counts released beside them.
extension PrivateALSConfiguration: ModelTraining {
    public var algorithmName: String { "dp-als" }

    public func train(_ matrix: SparseMatrix, progress: ImplicitALS.Progress?) -> TrainingOutcome {
        let result = PrivateALS.train(matrix, configuration: self) { iteration, seconds in progress?(iteration, .nan, seconds) }
        return TrainingOutcome(
            model: .als(result.model),
            privacy: PrivacyCharge(epsilon: result.epsilon, delta: result.delta, mechanism: "dp-als (discrete Gaussian, zCDP)"),
            releasedPopularity: result.noisyCounts?.map { Float($0) }, iterationTime: .shared(iterations: iterations))
    }
}
