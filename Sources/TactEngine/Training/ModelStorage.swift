import Foundation
import TactRecommend

/// Saves trained models with the ids of their rows and columns, and loads them back.
public enum ModelStorage {
    public static func save(_ trained: TrainedModel, algorithm: String, data: InteractionMatrix, parameters: [String: String], to path: String) throws {
        let stored: StoredModel
        if let als = trained.als {
            stored = .als(als)
        } else if let knn = trained.knn {
            stored = .knn(knn)
        } else {
            stored = .popularity(trained.popularity!)
        }
        // Only a model with a vector per person needs their ids (to serve and erase them); a popularity
        // or item-kNN model keeps none, so a DP popularity file holds nothing about who was in the data.
        let metadata = ModelMetadata(algorithm: algorithm, createdAt: Int64(Date().timeIntervalSince1970),
                                     users: trained.als != nil ? data.users : [], items: data.items, parameters: parameters,
                                     releasedPopularity: trained.releasedPopularity)
        try ModelFile.write(stored, metadata: metadata, to: path)
    }

    /// Records a differentially private model in the privacy ledger before it is saved or served:
    /// throws `EngineError.privacyBudgetExceeded` (and records nothing) past the budget. Other models cost nothing.
    public static func recordRelease(_ trained: TrainedModel, algorithm: String, engine: Engine) throws {
        guard let charge = trained.privacy else { return }
        try PrivacyLedger(engine: engine).spend(dataset: PrivacyLedger.interactionsDataset, release: "\(algorithm) model",
                                                mechanism: charge.mechanism, epsilon: charge.epsilon, delta: charge.delta)
    }

    /// Loads the model at `path` for serving, or says how to make one.
    public static func loadServable(path: String) throws -> (model: ServedModel, metadata: ModelMetadata) {
        do {
            let (stored, metadata) = try ModelFile.read(from: path)
            switch stored {
            case .als(let m): return (.als(ALSServing(model: m)), metadata)
            case .knn(let m): return (.knn(m), metadata)
            case .popularity(let m): return (.popular(m), metadata)
            }
        } catch ModelFileError.notFound {
            throw EngineError.invalidArgument("no trained model at \(path); train one with 'tact train'")
        }
    }
}
