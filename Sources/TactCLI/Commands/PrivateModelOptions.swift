import ArgumentParser
import TactRecommend

/// The DP-ALS and DP-popularity flags `train` and `evaluate --privacy` share.
struct PrivateModelOptions: ParsableArguments {
    @Option(help: "ε of a dp-als or dp-popular model: what training it spends from the budget.") var dpEpsilon = 4.0
    @Option(name: .customLong("dp-factors"), help: "DP-ALS: latent factors.") var factors = PrivateALSConfiguration().factors
    @Option(name: .customLong("dp-iterations"), help: "DP-ALS: iterations (each one spends budget).") var iterations = PrivateALSConfiguration().iterations
    @Option(name: .customLong("dp-regularization"), help: "DP-ALS: L2 regularization before the noise term.") var regularization = PrivateALSConfiguration()
        .regularization
    @Option(name: .customLong("dp-alpha"), help: "DP-ALS: confidence weight of an interaction (1 + alpha).") var alpha = PrivateALSConfiguration().alpha
    @Option(help: "Contribution bound: the most items one person counts toward (DP-ALS and DP popularity).") var maxItemsPerPerson = PrivateALSConfiguration()
        .maxItemsPerPerson
    @Option(help: "DP-ALS: share of the budget for the noisy item counts that choose the covered items (0: cover all).") var countShare =
        PrivateALSConfiguration().countShare
    @Option(help: "DP-ALS: noisy counts below this many noise deviations leave an item out.") var vocabularyThreshold = PrivateALSConfiguration()
        .vocabularyThreshold
    @Option(help: "DP-ALS: extra regularization per unit of the matrix noise's spectral scale.") var noiseRegularization = PrivateALSConfiguration()
        .noiseRegularization
    @Option(help: "DP-ALS: share of each iteration's budget for the per-item matrices (0: solve items with the shared Gram matrix alone).") var matrixShare =
        PrivateALSConfiguration().matrixShare
    @Option(help: "DP-ALS: share of each iteration's budget for the shared Gram matrix.") var gramShare = PrivateALSConfiguration().gramShare
    @Option(help: "DP-ALS: share of each iteration's budget for the per-item vectors.") var vectorShare = PrivateALSConfiguration().vectorShare
    @Option(help: "δ of the (ε, δ) guarantee (the default budget's δ is 10⁻⁵ in all).") var delta = 1e-6

    /// Every DP flag is checked whichever algorithm is trained: a value out of range is a usage error at once.
    func validate() throws {
        guard dpEpsilon > 0, dpEpsilon.isFinite else { throw ValidationError("--dp-epsilon must be positive") }
        if let problem = settings(epsilon: dpEpsilon, seed: 1, threads: 0).settingProblem { throw ValidationError("DP-ALS settings: \(problem)") }
    }

    func configuration(epsilon: Double, seed: UInt64, threads: Int) throws -> PrivateALSConfiguration {
        let c = settings(epsilon: epsilon, seed: seed, threads: threads)
        if let problem = c.problem { throw ValidationError("DP-ALS settings: \(problem)") }
        return c
    }

    private func settings(epsilon: Double, seed: UInt64, threads: Int) -> PrivateALSConfiguration {
        var c = PrivateALSConfiguration()
        c.factors = factors
        c.iterations = iterations
        c.regularization = regularization
        c.alpha = alpha
        c.maxItemsPerPerson = maxItemsPerPerson
        c.countShare = countShare
        c.vocabularyThreshold = vocabularyThreshold
        c.noiseRegularization = noiseRegularization
        c.matrixShare = matrixShare
        c.gramShare = gramShare
        c.vectorShare = vectorShare
        c.epsilon = epsilon
        c.delta = delta
        c.seed = seed
        c.threads = threads
        return c
    }
}
