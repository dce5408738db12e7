import Foundation
import TactRecommend
import TactStore

/// Measures a model the way it was trained, on data it did not see: the same settings trained again on
/// 80% of each person's items and scored (NDCG and recall at `k`) on the other 20%, beside everyone's
/// favourites on the same split. The result is stored, so the operator console can draw quality over time.
///
/// It costs one more training. Differentially private models are not checked: scoring them on the
/// people's data would be a release of its own, outside the budget.
public enum ModelQualityCheck {
    public static let k = 10

    /// Nil for private models and for data too small to split (fewer than two items per person anywhere).
    public static func evaluate(
        _ data: InteractionMatrix, spec: ModelSpec, artifactVersion: Int64, people: Int, trainingSeconds: Double,
        at: Int64, seed: UInt64 = 1
    ) throws -> ModelEvaluation? {
        guard !spec.isPrivate else { return nil }
        let split = EvaluationData.split(data, holdOut: .random(fraction: 0.2, seed: seed))
        guard split.test.nonZeros > 0 else { return nil }
        let model = try ModelTrainer.evaluate(split, spec: spec, k: k).metrics
        let popular = try ModelTrainer.evaluate(split, spec: .popular, k: k).metrics
        return ModelEvaluation(
            algorithm: spec.name, artifactVersion: artifactVersion, recordedAt: at, k: k, ndcg: model.ndcg, recall: model.recall,
            baselineNDCG: popular.ndcg, baselineRecall: popular.recall, people: people, pairs: data.matrix.nonZeros,
            trainingSeconds: trainingSeconds)
    }

    /// Evaluates and stores the result; a failure is logged, never fatal to the training it follows.
    public static func record(
        _ data: InteractionMatrix, spec: ModelSpec, artifactVersion: Int64, people: Int, trainingSeconds: Double,
        engine: Engine
    ) {
        let at = Int64(Date().timeIntervalSince1970)
        do {
            guard
                let evaluation = try evaluate(
                    data, spec: spec, artifactVersion: artifactVersion, people: people,
                    trainingSeconds: trainingSeconds, at: at)
            else { return }
            try save(evaluation, engine: engine)
            engine.logger.info(
                "model evaluated",
                metadata: [
                    "algorithm": "\(spec.name)", "ndcg@\(k)": "\(evaluation.ndcg)",
                    "popularity_ndcg@\(k)": "\(evaluation.baselineNDCG)"
                ])
        } catch {
            engine.logger.warning("could not record the model's evaluation", metadata: ["error": "\(error)"])
        }
    }

    /// Keeps an evaluation for the console's quality chart.
    public static func save(_ evaluation: ModelEvaluation, engine: Engine) throws {
        try engine.store.write { try $0.appendModelEvaluation(evaluation) }
    }

    /// The newest `limit` evaluations kept, oldest first.
    public static func recent(engine: Engine, limit: Int) throws -> [ModelEvaluation] {
        try engine.store.read { try $0.modelEvaluations(limit: limit) }
    }
}
