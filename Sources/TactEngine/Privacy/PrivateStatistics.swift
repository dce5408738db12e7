import Foundation
import TactCore
import TactPrivacy
import TactRecommend

/// Differentially private statistics over the stored interactions, released through the ledger: the
/// charge is recorded (or refused past the budget) before anything is computed from the data.
public struct PrivateStatistics: Sendable {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    /// A popularity (or trending) release: item ids, best first, with their noisy scores.
    public struct PopularityRelease: Sendable {
        public var items: [(id: String, score: Double)]
        public var epsilon: Double
        public var delta: Double
        public var noiseStandardDeviation: Double
        public var maxItemsPerPerson: Int
        public var trending: Bool
    }

    /// Popular (or, with `halfLifeDays`, trending) items among people whose consent permits model
    /// training, with (ε, δ) user-level differential privacy: each person counts toward at most
    /// `maxItemsPerPerson` items (trending: their latest), discrete Gaussian noise on every item's total.
    /// Every item of the `ReleaseUniverse` (the registered catalog, sorted by id) is noised and ranked,
    /// untouched ones too, so the list never shows which items anyone touched; with fewer items than
    /// `top`, all of them are listed. Only the `top` best are returned; the ranking is post-processing
    /// of the noisy totals.
    public func popularity(
        epsilon: Double, delta: Double, maxItemsPerPerson: Int, halfLifeDays: Double? = nil, top: Int,
        now: Int64 = Int64(Date().timeIntervalSince1970)
    ) throws -> PopularityRelease {
        guard epsilon > 0, epsilon.isFinite, delta > 0, delta < 1 else {
            throw EngineError.invalidArgument("ε must be positive and δ between 0 and 1")
        }
        guard maxItemsPerPerson >= 1 else { throw EngineError.invalidArgument("--max-items-per-person must be at least 1") }
        guard top >= 1 else { throw EngineError.invalidArgument("--top must be at least 1") }
        if let halfLifeDays, !(halfLifeDays > 0 && halfLifeDays.isFinite) {
            throw EngineError.invalidArgument("--half-life must be a positive number of days")
        }
        let rho = PrivacyAccountant.zCDPBudget(epsilon: epsilon, delta: delta)
        if let problem = PrivatePopularity.problem(maxItemsPerPerson: maxItemsPerPerson, noise: .gaussian(rho: rho), trending: halfLifeDays != nil) {
            throw EngineError.invalidArgument(problem)
        }
        let snapshot = try TrainingSnapshot.read(from: engine, overUniverse: true)
        let kind = halfLifeDays == nil ? "popularity" : "trending"
        try PrivacyLedger(engine: engine).spend(
            dataset: PrivacyLedger.interactionsDataset, release: "\(kind) top \(top)",
            mechanism: "dp-\(kind) (discrete Gaussian)", epsilon: epsilon, delta: delta)
        var generator = SecureRandom()
        let trend = halfLifeDays.map { PrivatePopularity.Trend(halfLifeDays: $0, now: now) }
        let release = PrivatePopularity(
            snapshot.data.matrix, timestamps: snapshot.data.timestamps, trend: trend,
            maxItemsPerPerson: maxItemsPerPerson, noise: .gaussian(rho: rho),
            key: ContributionKey(), using: &generator)
        let ranked = release.model.ranking.prefix(top).map { (id: snapshot.data.items[$0], score: release.scores[$0]) }
        return PopularityRelease(
            items: Array(ranked), epsilon: epsilon, delta: delta, noiseStandardDeviation: release.noiseStandardDeviation,
            maxItemsPerPerson: maxItemsPerPerson, trending: halfLifeDays != nil)
    }
}
