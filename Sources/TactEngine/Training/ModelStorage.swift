import Foundation
import TactRecommend
import TactStore

/// Saves trained models with the ids of their rows and columns, and loads them back.
public enum ModelStorage {
    public static func save(_ trained: TrainedModel, algorithm: String, data: InteractionMatrix, parameters: [String: String], to path: String) throws {
        // Only a model with a vector per person needs their ids (to serve and erase them); a popularity
        // or item-kNN model keeps none, so a DP popularity file holds nothing about who was in the data.
        let metadata = ModelMetadata(
            algorithm: algorithm, createdAt: Int64(Date().timeIntervalSince1970),
            users: try registered(algorithm).model.keepsPersonRows ? data.users : [], items: data.items,
            parameters: parameters, releasedPopularity: trained.releasedPopularity)
        try ModelFile.write(trained.model, metadata: metadata, to: path)
    }

    /// Saves a model trained on data read at request mark `mark` (`TrainingSnapshot.requestMark`). The one place
    /// `tact train` and the server decide what happens when an erasure, restriction or withdrawal completed since
    /// (the model could hold someone it must not):
    /// - a model with a row per person, saved to the models folder, is saved and then patched at once, under the
    ///   same lock, as the model in service was when each request completed: the people's vectors go and the items
    ///   they touched are solved again (`LateRequests`, `ModelPatcher`). So retraining lands even while requests
    ///   keep completing (the soak erased a person every half second, and every retraining used to be refused);
    /// - any other model (item-kNN, EASE, popularity: nothing to patch exactly), or one saved elsewhere (`path`),
    ///   is not saved, recorded or published (`.refused`).
    /// With no `path`, the model goes to the data directory's models folder, is published to the store for every
    /// server, and `choice` (a search that chose it) is kept beside it.
    public static func saveUnlessChanged(
        _ trained: TrainedModel, algorithm: String, data: InteractionMatrix, parameters: [String: String],
        mark: Int64, engine: Engine, to path: String? = nil,
        choice: ModelSearchResult? = nil
    ) throws -> ModelSave {
        let artifacts = ModelArtifacts(engine: engine)
        return try artifacts.withLock { () -> ModelSave in
            var late: LateRequests?
            if try engine.store.read({ try $0.latestModelChangingRequest() }) != mark {
                guard path == nil, try registered(algorithm).model.keepsPersonRows else { return .refused }
                late = try LateRequests(since: mark, data: data, engine: engine)
            }
            // A private model is a release: recorded first, and refused past the budget.
            try recordRelease(trained, algorithm: algorithm, engine: engine)
            try save(trained, algorithm: algorithm, data: data, parameters: parameters, to: path ?? artifacts.models.modelPath(algorithm: algorithm))
            guard path == nil else { return .saved(published: nil) }
            // Every server sharing the store serves this version next.
            var published = try artifacts.publish(algorithm: algorithm)
            if let late, !late.people.isEmpty {
                _ = try ModelPatcher(engine: engine).remove(subjects: late.people, touching: late.items, only: algorithm)
                published = try artifacts.latest(algorithm: algorithm) ?? published
            }
            if let choice { try SearchChoice(choice).save(to: artifacts.models) }
            return .saved(published: published)
        }
    }

    /// Records a differentially private model in the privacy ledger before it is saved or served:
    /// throws `EngineError.privacyBudgetExceeded` (and records nothing) past the budget. Other models cost nothing.
    public static func recordRelease(_ trained: TrainedModel, algorithm: String, engine: Engine) throws {
        guard let charge = trained.privacy else { return }
        try PrivacyLedger(engine: engine).spend(
            dataset: PrivacyLedger.interactionsDataset, release: "\(algorithm) model",
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

/// What `ModelStorage.saveUnlessChanged` did.
public enum ModelSave: Sendable {
    /// Saved; `published` is the store's version when it went to the data directory's models folder.
    case saved(published: ModelArtifactInfo?)
    /// Not saved: a request that changes models completed after the data was read.
    case refused
}
