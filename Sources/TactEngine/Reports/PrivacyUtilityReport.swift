import Foundation
import TactCore
import TactPrivacy
import TactRecommend

/// The privacy–utility report behind `tact evaluate --privacy`: on one train/test split, non-private
/// iALS and plain popularity (the ceilings without privacy) against DP-ALS and DP popularity at each ε,
/// scored by recall@20 and NDCG@10.
public struct PrivacyUtilityReport: Sendable, Codable {
    public struct Row: Sendable, Codable, Equatable {
        public var model: String
        /// The configured ε (nil for the non-private rows) and the ε the accountant reached (≤ it).
        public var epsilon: Double?
        public var accountedEpsilon: Double?
        public var recallAt20: Double
        public var ndcgAt10: Double
        public var seconds: Double
        /// DP-ALS: items the model covers; DP popularity: the contribution bound's largest use.
        public var coveredItems: Int?
        public var largestContribution: Int?
    }

    public var rows: [Row]
    public var delta: Double
    public var people: Int
    public var items: Int
    public var trainInteractions: Int
    public var testInteractions: Int
    public var dpALS: PrivateALSConfiguration
    public var als: ALSConfiguration
    public var popularityBound: Int

    /// The ε values the issue asks for.
    public static let standardEpsilons: [Double] = [0.5, 1, 2, 4, 8, 16]

    /// Runs every model. The noise of the private models is seeded from `seed` so the report can be
    /// reproduced; an evaluation is a measurement for the operator, not a release, and its models are
    /// never saved. `progress` hears each finished row.
    public static func run(
        _ data: EvaluationData, epsilons: [Double], delta: Double, als: ALSConfiguration,
        dpALS: PrivateALSConfiguration, popularityBound: Int, seed: UInt64, threads: Int,
        progress: ((Row) -> Void)? = nil
    ) throws -> PrivacyUtilityReport {
        var rows: [Row] = []
        func add(_ row: Row) { rows.append(row); progress?(row) }
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        func score(_ recommend: @escaping @Sendable (Int, Int) -> [Int32]) -> (recall: Double, ndcg: Double) {
            let at20 = RankingMetrics.evaluate(k: 20, train: data.train, test: data.test, threads: workers, recommend: recommend)
            let at10 = RankingMetrics.evaluate(k: 10, train: data.train, test: data.test, threads: workers, recommend: recommend)
            return (at20.recall, at10.ndcg)
        }

        let trained = try ModelTrainer.train(data.train, spec: .als(als))
        let alsScores = score(trained.recommender(train: data.train))
        add(Row(model: "iALS", recallAt20: alsScores.recall, ndcgAt10: alsScores.ndcg, seconds: trained.seconds))
        let popular = try ModelTrainer.train(data.train, spec: .popular)
        let popularScores = score(popular.recommender(train: data.train))
        add(Row(model: "popularity", recallAt20: popularScores.recall, ndcgAt10: popularScores.ndcg, seconds: popular.seconds))

        for (index, epsilon) in epsilons.enumerated() {
            var configuration = dpALS
            configuration.epsilon = epsilon
            configuration.delta = delta
            configuration.threads = threads
            let result = PrivateALS.train(data.train, configuration: configuration, noise: .seeded(seed &+ UInt64(index) &* 7919))
            let model = TrainedModel(als: result.model, seconds: result.seconds, secondsPerIteration: result.seconds / Double(configuration.iterations))
            let dpScores = score(model.recommender(train: data.train))
            add(
                Row(
                    model: "DP-ALS", epsilon: epsilon, accountedEpsilon: result.epsilon, recallAt20: dpScores.recall, ndcgAt10: dpScores.ndcg,
                    seconds: result.seconds, coveredItems: result.coveredItems.filter { $0 }.count, largestContribution: result.largestContribution))

            let started = Date()
            var generator = ChaCha20Generator(seed: seed &+ UInt64(index) &* 104_729)
            let rho = PrivacyAccountant.zCDPBudget(epsilon: epsilon, delta: delta)
            let release = PrivatePopularity(
                data.train, maxItemsPerPerson: popularityBound, noise: .gaussian(rho: rho), key: ContributionKey(seed: seed &+ UInt64(index) &* 104_729),
                using: &generator)
            var accountant = PrivacyAccountant()
            accountant.compose(release.event)
            let popularityModel = TrainedModel(popularity: release.model, seconds: Date().timeIntervalSince(started), secondsPerIteration: 0)
            let popScores = score(popularityModel.recommender(train: data.train))
            add(
                Row(
                    model: "DP popularity", epsilon: epsilon, accountedEpsilon: accountant.epsilon(delta: delta), recallAt20: popScores.recall,
                    ndcgAt10: popScores.ndcg, seconds: popularityModel.seconds, largestContribution: release.largestContribution))
        }
        return PrivacyUtilityReport(
            rows: rows, delta: delta, people: data.train.rows, items: data.train.columns,
            trainInteractions: data.train.nonZeros, testInteractions: data.test.nonZeros,
            dpALS: dpALS, als: als, popularityBound: popularityBound)
    }
}
