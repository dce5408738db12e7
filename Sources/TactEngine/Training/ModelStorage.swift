import Foundation
import TactRecommend

/// Saves trained models with the ids of their rows and columns, and loads them back.
public enum ModelStorage {
    public static func save(_ trained: TrainedModel, algorithm: String, data: InteractionMatrix, parameters: [String: String], to path: String) throws {
        // Only a model with a vector per person needs their ids (to serve and erase them); a popularity
        // or item-kNN model keeps none, so a DP popularity file holds nothing about who was in the data.
        let metadata = ModelMetadata(algorithm: algorithm, createdAt: Int64(Date().timeIntervalSince1970),
                                     users: try registered(algorithm).model.keepsPersonRows ? data.users : [], items: data.items,
                                     parameters: parameters, releasedPopularity: trained.releasedPopularity)
        try ModelFile.write(trained.model, metadata: metadata, to: path)
    }

    /// Records a differentially private model in the privacy ledger before it is saved or served:
    /// throws `EngineError.privacyBudgetExceeded` (and records nothing) past the budget. Other models cost nothing.
    public static func recordRelease(_ trained: TrainedModel, algorithm: String, engine: Engine) throws {
        guard let charge = trained.privacy else { return }
        try PrivacyLedger(engine: engine).spend(dataset: PrivacyLedger.interactionsDataset, release: "\(algorithm) model",
                                                mechanism: charge.mechanism, epsilon: charge.epsilon, delta: charge.delta)
    }

    /// Loads the model at `path` for serving, or says how to make one.
    public static func loadServable(path: String) throws -> (model: any RecommenderModel, metadata: ModelMetadata) {
        do {
            let (stored, metadata) = try ModelFile.read(from: path)
            return (try servable(stored, algorithm: metadata.algorithm), metadata)
        } catch ModelFileError.notFound {
            throw EngineError.invalidArgument("no trained model at \(path); train one with 'tact train'")
        }
    }

    /// `stored`, trained by `algorithm`, ready to serve.
    public static func servable(_ stored: StoredModel, algorithm: String) throws -> any RecommenderModel {
        guard let model = try registered(algorithm).model(from: stored) else {
            throw ModelFileError.wrongKind(expected: algorithm, found: stored.algorithm)
        }
        return model
    }

    /// The registered algorithm called `name`.
    static func registered(_ name: String) throws -> ModelAlgorithm {
        guard let algorithm = ModelAlgorithms.named(name) else {
            throw EngineError.invalidArgument("no algorithm \(name); the algorithms are \(ModelAlgorithms.names.joined(separator: ", "))")
        }
        return algorithm
    }
}
