import Foundation
import TactCore
import TactEngine
import TactFederated
import TactPrivacy
import TactRecommend

/// The report behind `tact federated simulate`: on one train/test split, federated iALS (each person a
/// device, every sum through secure aggregation) against centralized iALS with the same settings, and,
/// with an ε, against centralized DP-ALS at the same ε. Scored by NDCG@10 and recall@20.
public struct FederatedSimulationReport: Sendable, Codable {
    public struct Score: Sendable, Codable, Equatable {
        public var model: String
        public var ndcgAt10: Double
        public var recallAt20: Double
        public var seconds: Double
        public var epsilon: Double?
    }

    public var people: Int
    public var items: Int
    public var options: FederatedTrainingOptions
    public var rounds: [FederatedRoundReport]
    public var scores: [Score]

    /// Federated NDCG@10 as a share of the centralized model it is compared with (iALS without DP, DP-ALS with).
    public var ndcgRatio: Double? {
        guard let federated = scores.first(where: { $0.model.hasPrefix("federated") }),
            let central = scores.first(where: { $0.model == (options.epsilon == nil ? "iALS" : "DP-ALS") }), central.ndcgAt10 > 0
        else { return nil }
        return federated.ndcgAt10 / central.ndcgAt10
    }

    public static func run(
        _ data: EvaluationData, options: FederatedTrainingOptions, compare: Bool = true,
        threads: Int, progress: ((FederatedRoundReport) -> Void)? = nil
    ) throws -> FederatedSimulationReport {
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        func score(_ name: String, _ model: TrainedModel, epsilon: Double? = nil) -> Score {
            let recommend = model.recommender(train: data.train)
            let at10 = RankingMetrics.evaluate(k: 10, train: data.train, test: data.test, threads: workers, recommend: recommend)
            let at20 = RankingMetrics.evaluate(k: 20, train: data.train, test: data.test, threads: workers, recommend: recommend)
            return Score(model: name, ndcgAt10: at10.ndcg, recallAt20: at20.recall, seconds: model.seconds, epsilon: epsilon)
        }
        var scores: [Score] = []
        let federated = try FederatedTraining.run(data.train, options: options, threads: workers, progress: progress)
        scores.append(
            score(
                options.epsilon == nil ? "federated iALS" : "federated DP-ALS",
                TrainedModel(als: federated.model, seconds: federated.seconds, secondsPerIteration: federated.seconds / Double(max(options.als.iterations, 1))),
                epsilon: federated.epsilon))
        if compare {
            let central = try ModelTrainer.train(data.train, spec: .als(options.als))
            scores.append(score("iALS", central))  // without DP, with the same factors, rounds, α and λ
            if options.epsilon != nil {
                // The same DP-ALS settings the federated run used, centralized.
                var c = options.privateConfiguration
                c.threads = threads
                let result = PrivateALS.train(data.train, configuration: c, noise: .seeded(options.seed &* 7919))
                scores.append(
                    score(
                        "DP-ALS", TrainedModel(als: result.model, seconds: result.seconds, secondsPerIteration: result.seconds / Double(c.iterations)),
                        epsilon: result.epsilon))
            }
        }
        return FederatedSimulationReport(people: data.train.rows, items: data.train.columns, options: options, rounds: federated.rounds, scores: scores)
    }
}
