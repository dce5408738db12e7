import TactPrivacy

/// How to train a matrix-factorization model with user-level (joint) differential privacy
/// (`PrivateALS`, after Chien et al. 2021, *Private Alternating Least Squares*).
public struct PrivateALSConfiguration: Sendable, Equatable, Codable {
    public var factors = 16
    /// Alternations. Every one releases noisy item statistics, so more iterations mean more noise each.
    public var iterations = 2
    /// L2 regularization of the per-person and per-item solves (before the noise term).
    public var regularization: Float = 1
    /// Confidence weight: every observed interaction has confidence 1 + alpha (values are not used:
    /// a bounded, binary contribution is what makes the sensitivity exact).
    public var alpha: Float = 4
    /// Contribution bound: the most items one person's data can touch in the item statistics (c).
    public var maxItemsPerPerson = 40
    /// Contribution bound: person vectors are clipped to this Euclidean norm (Γ) before they enter the item statistics.
    public var userNormBound: Double = 1
    /// The guarantee: (ε, δ) user-level joint differential privacy for the whole training.
    public var epsilon: Double = 8
    public var delta: Double = 1e-5
    /// Share of the budget spent on noisy item counts, which choose the items the model covers (0: cover every item).
    public var countShare = 0.2
    /// Items whose noisy count is below this many noise standard deviations are left out of the model.
    public var vocabularyThreshold = 2.0
    /// Shares of each iteration's budget for the Gram matrix ΣuuT, the per-item matrices and the per-item
    /// vectors. A matrix share of 0 releases no per-item matrices: items are solved with G alone.
    public var gramShare = 0.1, matrixShare = 0.0, vectorShare = 0.9
    /// Extra regularization per unit of the per-item matrix noise's spectral scale (σ·√k), which keeps noisy systems positive definite.
    public var noiseRegularization = 1.0
    /// Seeds the starting item factors. Which items a person over the bound contributes comes from the
    /// noise source's key instead (`PrivateALS.NoiseSource`): secret and fresh for every release.
    public var seed: UInt64 = 1
    /// Worker threads; 0 means one per active processor.
    public var threads = 0

    public init() {}

    /// The first problem with the settings, in words, or nil.
    public var problem: String? {
        if let problem = settingProblem { return problem }
        // The budget must be large enough for the exact samplers' range.
        let rho = PrivacyAccountant.zCDPBudget(epsilon: epsilon, delta: delta)
        let countRho = rho * countShare
        if countRho > 0, Double(maxItemsPerPerson) / (2 * countRho) >= Double(ExactSampler.varianceLimit) - 1 {
            return "ε = \(epsilon) is too small for the noisy item counts; raise ε or set the count share to 0"
        }
        return PrivateALSGrid.problem(factors: factors, configuration: self, rho: (rho - countRho) / Double(iterations))
    }

    /// The first setting out of its range, in words, or nil; unlike `problem`, it does not ask whether the budget
    /// is large enough, so it can check flags before any data is read.
    public var settingProblem: String? {
        if !(1...256).contains(factors) { return "factors must be between 1 and 256" }
        if !(1...50).contains(iterations) { return "iterations must be between 1 and 50" }
        if !(epsilon > 0 && epsilon.isFinite) { return "ε must be positive" }
        if !(delta > 0 && delta < 1) { return "δ must be between 0 and 1" }
        if maxItemsPerPerson < 1 { return "the contribution bound must allow at least one item per person" }
        if !(userNormBound > 0 && userNormBound.isFinite) { return "the user norm bound must be positive" }
        if !(regularization > 0 && alpha >= 0 && regularization.isFinite && alpha.isFinite) {
            return "regularization must be positive and alpha not negative (both finite)"
        }
        if !(countShare >= 0 && countShare < 1) { return "the count share must be in [0, 1)" }
        if !(gramShare > 0 && matrixShare >= 0 && vectorShare > 0) || !(gramShare + matrixShare + vectorShare).isFinite {
            return "the Gram and vector shares must be positive, the matrix share not negative (all finite)"
        }
        if !(vocabularyThreshold >= 0 && vocabularyThreshold.isFinite) { return "the vocabulary threshold must be zero or positive" }
        if !(noiseRegularization >= 0 && noiseRegularization.isFinite) { return "the noise regularization must be zero or positive" }
        if !(0...1024).contains(threads) { return "threads must be between 0 and 1024" }
        return nil
    }
}
