import Foundation
import TactCore
import TactPrivacy

/// What `PrivateALS.train` produced and what it cost.
public struct PrivateALSResult: Sendable {
    /// Item factors (the release) and every person's factors computed from them, as their device would.
    public var model: ALSModel
    /// Items the model covers: those whose noisy count passed the threshold. The others have zero factors.
    public var coveredItems: [Bool]
    /// The noisy count of every column (part of the release: each person's ≤ c items plus discrete
    /// Gaussian noise, charged with the count share), or nil without a count share. Served as the
    /// private popularity beside the model.
    public var noisyCounts: [Int64]?
    /// Every mechanism run, as the accountant composed it.
    public var accountant: PrivacyAccountant
    /// The guarantee reached: (epsilon, delta) user-level joint DP, from the accountant (≤ the configured ε).
    public var epsilon: Double
    public var delta: Double
    /// The most items one person contributed to the item statistics (never above the bound).
    public var largestContribution: Int
    public var seconds: Double
}

/// Matrix factorization with user-level joint differential privacy, after Chien et al. 2021,
/// *Private Alternating Least Squares*. The item factors are the only release: each iteration
///
/// 1. every person solves their own vector from the current item factors and their own history (the
///    computation a device does; it needs no noise, since it depends on nobody else's data), then clips
///    it to norm Γ;
/// 2. the item side is solved from noisy sufficient statistics: G = Σ u uᵀ over everyone, and for each
///    covered item A_j = Σ u uᵀ and b_j = Σ u over the people who have it among their at most c
///    contributed items. Each person's contribution is rounded to an integer grid and its norm checked
///    after rounding, so the integer sums have an exact ℓ₂ sensitivity (Γ²·S for G, √c·Γ²·S for the A_j,
///    √c·Γ·S for the b_j), and exact discrete Gaussian noise (`ExactSampler`) is added to them;
/// 3. v_j = (G + α A_j + λ_j I)⁻¹ (1 + α) b_j, with λ_j raised by the matrix noise's spectral scale.
///
/// A first, small share of the budget releases noisy item counts that decide which items the model
/// covers (items too rare to learn under the noise get no factors). The accountant composes every
/// Gaussian mechanism in zCDP; the budget is split so the total converts to the configured (ε, δ).
public enum PrivateALS {
    /// Where the noise, and the key of each person's choice of contributed items, come from: the
    /// secure generator (every release), or a seed (tests and evaluations that must be repeatable;
    /// such a model must never be published).
    public enum NoiseSource: Sendable, Equatable {
        case secure
        case seeded(UInt64)
    }

    /// Progress after each iteration: (iteration from 1, seconds it took).
    public typealias Progress = (_ iteration: Int, _ seconds: Double) -> Void

    /// The largest integer σ the exact sampler takes comfortably (its variance limit is 2³⁰).
    static let largestSigma = 30_000.0
    /// The finest grid: 2¹² units per Γ² (or Γ).
    static let finestScale = 4096.0
    static let itemsPerChunk = 32

    /// Trains on `matrix` (people × items; any stored cell counts as one interaction). For a release,
    /// the columns must be a public, data-independent universe in a data-independent order (the
    /// registered catalog sorted by id, `ReleaseUniverse` in TactEngine): every column gets a noisy
    /// count whether anyone touched it or not, coverage is decided from those noisy counts alone, and
    /// the starting factors are assigned by column, so neither depends on who touched what.
    public static func train(
        _ matrix: SparseMatrix, configuration c: PrivateALSConfiguration, noise: NoiseSource = .secure,
        progress: Progress? = nil
    ) -> PrivateALSResult {
        precondition(c.problem == nil, c.problem ?? "")
        let started = Date()
        let threads = c.threads > 0 ? c.threads : ProcessInfo.processInfo.activeProcessorCount
        let k = c.factors, bound = c.maxItemsPerPerson
        let binary = matrix.mapValues { _ in 1 }
        let bounded = boundedContributions(binary, configuration: c, noise: noise)
        let itemUsers = bounded.transposed()
        var accountant = PrivacyAccountant()
        let rho = PrivacyAccountant.zCDPBudget(epsilon: c.epsilon, delta: c.delta)
        let countRho = rho * c.countShare
        let iterationRho = (rho - countRho) / Double(c.iterations)

        // Which items the model covers: noisy counts of contributions over every column, ℓ₂ sensitivity √c.
        var covered = [Bool](repeating: true, count: matrix.columns)
        var noisyCounts: [Int64]?
        if countRho > 0 {
            let variance = exactVariance(Double(bound) / (2 * countRho))
            var counts = itemCounts(itemUsers)
            addNoise(&counts, variance: variance, source: noise, stream: 0)
            let threshold = c.vocabularyThreshold * variance.doubleValue.squareRoot()
            covered = counts.map { Double($0) >= threshold }
            noisyCounts = counts
            accountant.compose(.gaussian(sigma: variance.doubleValue.squareRoot(), sensitivity: Double(bound).squareRoot()))
        }
        let coveredItems = covered.indices.filter { covered[$0] }

        var configuration = ALSConfiguration()
        configuration.factors = k
        configuration.iterations = c.iterations
        configuration.regularization = c.regularization
        configuration.alpha = c.alpha
        configuration.solver = .cholesky
        configuration.seed = c.seed
        configuration.threads = threads
        var users = FactorMatrix(rows: matrix.rows, factors: k)
        var items = FactorMatrix.random(rows: matrix.columns, factors: k, seed: c.seed &+ 1)
        for j in 0..<matrix.columns where !covered[j] { zeroRow(&items, j) }
        // The released counts start the first factor off in the popularity direction (a warm start that
        // costs no extra budget), the way a power iteration would begin.
        if let noisyCounts, let largest = noisyCounts.max(), largest > 0 {
            for j in 0..<matrix.columns where covered[j] {
                items.storage[j * items.stride] = Float(max(0, Double(noisyCounts[j])) / Double(largest))
            }
        }

        for iteration in 1...c.iterations {
            let iterationStarted = Date()
            solveUsers(binary, configuration: configuration, users: &users, items: &items, threads: threads)
            let statistics = NoisyItemStatistics(
                users: users, itemUsers: itemUsers, coveredItems: coveredItems, configuration: c, rho: iterationRho,
                source: noise, iteration: iteration, threads: threads)
            for event in statistics.events { accountant.compose(event) }
            statistics.solveItems(
                into: &items, alpha: Double(c.alpha), regularization: Double(c.regularization),
                noiseRegularization: c.noiseRegularization, threads: threads)
            progress?(iteration, Date().timeIntervalSince(iterationStarted))
        }
        // Each person's final vector from the released item factors.
        solveUsers(binary, configuration: configuration, users: &users, items: &items, threads: threads)
        return PrivateALSResult(
            model: ALSModel(configuration: configuration, userFactors: users, itemFactors: items), coveredItems: covered, noisyCounts: noisyCounts,
            accountant: accountant, epsilon: accountant.epsilon(delta: c.delta), delta: c.delta,
            largestContribution: ContributionBound.largestRow(bounded), seconds: Date().timeIntervalSince(started))
    }

    /// The items each person contributes to the item statistics: at most c of their own (people × items, binary).
    static func boundedContributions(_ binary: SparseMatrix, configuration c: PrivateALSConfiguration, noise: NoiseSource) -> SparseMatrix {
        ContributionBound.sample(binary, maxItems: c.maxItemsPerPerson, key: contributionKey(noise)).matrix
    }

    /// The key of each person's choice of items: fresh and secret for a release, from the seed for a seeded run.
    static func contributionKey(_ source: NoiseSource) -> ContributionKey {
        switch source {
        case .secure: ContributionKey()
        case .seeded(let seed): ContributionKey(seed: seed)
        }
    }

    /// The noisy counts' statistic before noise: how many people contribute each item (`itemUsers` is items × people).
    static func itemCounts(_ itemUsers: SparseMatrix) -> [Int64] {
        (0..<itemUsers.rows).map { Int64(itemUsers.count(ofRow: $0)) }
    }

    /// Every person's exact solve with the item factors fixed: confidence 1 + α on each of their items.
    static func solveUsers(_ binary: SparseMatrix, configuration: ALSConfiguration, users: inout FactorMatrix, items: inout FactorMatrix, threads: Int) {
        ImplicitALS.halfStep(
            binary, offset: 1, scale: configuration.alpha, solving: &users, fixed: &items,
            configuration: configuration, threads: threads)
    }

    static func zeroRow(_ m: inout FactorMatrix, _ r: Int) {
        for f in 0..<m.stride { m.storage[r * m.stride + f] = 0 }
    }

    /// σ² as an exact rational, never below the value asked for.
    static func exactVariance(_ variance: Double) -> ExactRational {
        guard let v = ExactRational(atLeast: variance, numeratorBelow: ExactSampler.varianceLimit) else {
            preconditionFailure("a noise variance of \(variance) is outside the exact sampler's range")
        }
        return v
    }

    /// A generator for one stream of noise: secure, or derived from the seed and the stream number.
    static func generator(_ source: NoiseSource, stream: UInt64) -> ChaCha20Generator {
        switch source {
        case .secure:
            return ChaCha20Generator()
        case .seeded(let seed):
            return ChaCha20Generator(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        }
    }

    /// Adds discrete Gaussian noise of the given variance to every value.
    static func addNoise(_ values: inout [Int64], variance: ExactRational, source: NoiseSource, stream: UInt64) {
        var g = generator(source, stream: stream)
        for i in values.indices { values[i] += ExactSampler.discreteGaussian(variance: variance, using: &g) }
    }
}
