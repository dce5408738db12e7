import Foundation
import TactCore
import TactPrivacy

/// Popularity and trending released with user-level differential privacy: each person counts at most
/// `maxItemsPerPerson` items, once each (trending: their latest ones, weighted by recency), and every
/// item's total, in whole grid units, gets exact integer noise. Every catalog item is noised, the
/// unseen ones too, so which items anyone touched is not revealed by which counts exist.
public struct PrivatePopularity: Sendable {
    /// The noise: discrete Gaussian for ρ-zCDP (ℓ₂ sensitivity √c·unit) or discrete Laplace for ε-DP (ℓ₁ sensitivity c·unit).
    public enum Noise: Sendable, Equatable {
        case gaussian(rho: Double)
        case laplace(epsilon: Double)
    }

    /// Trending instead of all-time popularity: an event counts 2^(−age / half-life) of a whole one.
    public struct Trend: Sendable, Equatable {
        public var halfLifeDays: Double
        public var now: Int64
        public init(halfLifeDays: Double, now: Int64) {
            self.halfLifeDays = halfLifeDays
            self.now = now
        }
    }

    /// The released scores, in events (a whole event is 1), one per item.
    public let scores: [Double]
    /// The released scores as a ranking model.
    public var model: PopularityModel { PopularityModel(scores: scores.map(Float.init)) }
    /// The standard deviation of the noise on each score, in events.
    public let noiseStandardDeviation: Double
    /// What the accountant and the ledger charge for this release.
    public let event: PrivacyEvent
    /// The contribution bound: items any one person counts toward.
    public let maxItemsPerPerson: Int
    /// The largest number of items one person actually counted toward (never above the bound).
    public let largestContribution: Int

    /// Releases popularity (or, with `trend` and `timestamps`, trending) of the items of `matrix`
    /// (people × items). `key` picks which items a person over the bound counts, from that person's
    /// own row alone (`ContributionBound.sample`): a fresh `ContributionKey()` for every release. The
    /// noise comes from `generator`, which must be `SecureRandom` outside tests.
    public init<G: RandomNumberGenerator>(
        _ matrix: SparseMatrix, timestamps: [Int64]? = nil, trend: Trend? = nil,
        maxItemsPerPerson c: Int, noise: Noise, key: ContributionKey, using generator: inout G
    ) {
        precondition(c >= 1, "a person must count toward at least one item")
        precondition(trend == nil || timestamps != nil, "trending needs timestamps")
        // Whole events are `unit` grid units: 1 for counts, finer for recency weights.
        let unit = trend == nil ? 1 : Self.trendUnit(maxItemsPerPerson: c, noise: noise)
        let (totals, bounded) = Self.totals(matrix, timestamps: timestamps, trend: trend, maxItemsPerPerson: c, unit: unit, key: key)
        let noisy: [Int64]
        switch noise {
        case .gaussian(let rho):
            // ℓ₂ sensitivity √c·unit: variance c·unit²/(2ρ), rounded up to an exact rational.
            let sensitivity2 = Double(c) * Double(unit) * Double(unit)
            guard let variance = ExactRational(atLeast: sensitivity2 / (2 * rho), numeratorBelow: ExactSampler.varianceLimit) else {
                preconditionFailure("ρ = \(rho) with \(c) items per person needs a variance outside the exact range")
            }
            noisy = totals.map { $0 + ExactSampler.discreteGaussian(variance: variance, using: &generator) }
            noiseStandardDeviation = variance.doubleValue.squareRoot() / Double(unit)
            event = .gaussian(sigma: variance.doubleValue.squareRoot(), sensitivity: sensitivity2.squareRoot())
        case .laplace(let epsilon):
            guard let scale = ExactRational(atLeast: Double(c * unit) / epsilon, numeratorBelow: ExactSampler.parameterLimit) else {
                preconditionFailure("ε = \(epsilon) with \(c) items per person needs a scale outside the exact range")
            }
            noisy = totals.map { $0 + ExactSampler.discreteLaplace(scale: scale, using: &generator) }
            noiseStandardDeviation = scale.doubleValue * 2.0.squareRoot() / Double(unit)
            event = .pure(epsilon: Double(c * unit) / scale.doubleValue)
        }
        scores = noisy.map { Double($0) / Double(unit) }
        maxItemsPerPerson = c
        largestContribution = ContributionBound.largestRow(bounded)
    }

    /// The statistic before noise: each item's total over the bounded contributions, in grid units
    /// (`unit` per whole event), with the bounded matrix it was summed from.
    static func totals(
        _ matrix: SparseMatrix, timestamps: [Int64]?, trend: Trend?, maxItemsPerPerson c: Int, unit: Int,
        key: ContributionKey
    ) -> (totals: [Int64], bounded: SparseMatrix) {
        let bounded =
            trend != nil
            ? ContributionBound.latest(matrix, timestamps: timestamps!, maxItems: c)
            : ContributionBound.sample(matrix, timestamps: timestamps, maxItems: c, key: key)
        var totals = [Int64](repeating: 0, count: matrix.columns)
        let decay = trend.map { log(2) / ($0.halfLifeDays * 86_400) }
        for n in 0..<bounded.matrix.nonZeros {
            let item = Int(bounded.matrix.indices[n])
            if let decay, let trend, let times = bounded.timestamps {
                let age = Double(max(0, trend.now - times[n]))
                totals[item] += Int64((Double(unit) * exp(-decay * age)).rounded(.down))  // never above one unit
            } else {
                totals[item] += Int64(unit)
            }
        }
        return (totals, bounded.matrix)
    }

    /// Grid units per whole event for trending: 256, halved until the Gaussian's integer variance fits the exact sampler.
    /// Why a release with these settings cannot be drawn exactly (the noise it needs is past the exact
    /// samplers' range: ε or ρ too small for the bound), or nil when it can. Callers ask before they
    /// charge the ledger, so a refused release spends nothing.
    public static func problem(maxItemsPerPerson c: Int, noise: Noise, trending: Bool) -> String? {
        guard c >= 1 else { return "a person must count toward at least one item" }
        let unit = trending ? trendUnit(maxItemsPerPerson: c, noise: noise) : 1
        switch noise {
        case .gaussian(let rho):
            guard rho > 0, ExactRational(atLeast: Double(c) * Double(unit) * Double(unit) / (2 * rho), numeratorBelow: ExactSampler.varianceLimit) != nil else {
                return
                    "a budget this small (ρ = \(rho)) with \(c) items per person needs more noise than the exact sampler draws; raise ε or lower --max-items-per-person"
            }
        case .laplace(let epsilon):
            guard epsilon > 0, ExactRational(atLeast: Double(c * unit) / epsilon, numeratorBelow: ExactSampler.parameterLimit) != nil else {
                return
                    "a budget this small (ε = \(epsilon)) with \(c) items per person needs more noise than the exact sampler draws; raise ε or lower --max-items-per-person"
            }
        }
        return nil
    }

    static func trendUnit(maxItemsPerPerson c: Int, noise: Noise) -> Int {
        guard case .gaussian(let rho) = noise else { return 256 }
        var unit = 256
        while unit > 1, Double(c) * Double(unit * unit) / (2 * rho) >= Double(ExactSampler.varianceLimit) / 2 { unit /= 2 }
        return unit
    }
}
