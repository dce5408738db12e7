import Foundation
import Logging
import TactCore
import TactEngine
import TactRecommend

/// Trains (or loads) the model the server serves, from consented data in the store.
struct ModelBuilder: Sendable {
    let engine: Engine
    let spec: ModelSpec
    let parameters: [String: String]

    var modelPath: String { ModelDirectory(directory: engine.directory).modelPath(algorithm: spec.name) }

    /// The saved model if there is one, else a freshly trained one.
    func loadOrTrain(version: Int) throws -> ServingModel {
        if FileManager.default.fileExists(atPath: modelPath) {
            let (served, metadata) = try ModelStorage.loadServable(path: modelPath)
            let recommender = try ModelRecommender(engine: engine, served: served, itemIDs: metadata.items)
            engine.logger.info("serving the saved model", metadata: ["algorithm": "\(metadata.algorithm)", "items": "\(metadata.items.count)"])
            return ServingModel(recommender: recommender, popularity: try PopularityRecommender(engine: engine).train(),
                                version: version, trainedAt: metadata.createdAt, algorithm: metadata.algorithm)
        }
        return try train(version: version)
    }

    /// Trains on what the store holds now and saves the model file (atomically, so a crash leaves the old one).
    func train(version: Int) throws -> ServingModel {
        let started = Date()
        let snapshot = try TrainingSnapshot.read(from: engine)
        let popularity = try PopularityRecommender(engine: engine).train()
        let now = Int64(Date().timeIntervalSince1970)
        guard snapshot.data.matrix.nonZeros > 0 else {
            engine.logger.notice("no consented events to train on yet; serving popularity only")
            return ServingModel(recommender: nil, popularity: popularity, version: version, trainedAt: now, algorithm: "popular")
        }
        let trained = ModelTrainer.train(snapshot.data.matrix, spec: spec)
        try ModelDirectory(directory: engine.directory).create()
        try ModelStorage.save(trained, algorithm: spec.name, data: snapshot.data, parameters: parameters, to: modelPath)
        let served: ServedModel
        if let als = trained.als { served = .als(ALSServing(model: als)) } else if let knn = trained.knn { served = .knn(knn) } else { served = .popular(trained.popularity!) }
        let recommender = try ModelRecommender(engine: engine, served: served, itemIDs: snapshot.data.items)
        engine.logger.info("trained", metadata: ["algorithm": "\(spec.name)", "pairs": "\(snapshot.data.matrix.nonZeros)",
                                                 "people": "\(snapshot.subjectsUsed)", "seconds": "\(Date().timeIntervalSince(started))"])
        return ServingModel(recommender: recommender, popularity: popularity, version: version, trainedAt: now, algorithm: spec.name)
    }
}
