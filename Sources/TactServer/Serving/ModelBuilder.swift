import Foundation
import Logging
import TactCore
import TactEngine
import TactRecommend
import TactStore

/// Trains (or loads) the model the server serves, from consented data in the store.
struct ModelBuilder: Sendable {
    let engine: Engine
    let spec: ModelSpec
    let parameters: [String: String]
    /// Whether each training is followed by a held-out evaluation (`ModelQualityCheck`), for the console.
    var evaluates = true

    var modelPath: String { ModelDirectory(directory: engine.directory).modelPath(algorithm: spec.name) }

    /// Which popularity this server may show: the one place that decides it. Every route reads the
    /// `ServingModel.popularity` it gives (exact counts, or a private model's own release).
    var popularitySource: PopularitySource { PopularitySource(spec: spec) }

    /// The saved model if there is one, else a freshly trained one.
    func loadOrTrain(version: Int) throws -> ServingModel {
        // The store's newest version first: another server may have saved a newer model than the local file.
        let artifact = try ModelArtifacts(engine: engine).sync(algorithm: spec.name)
        if FileManager.default.fileExists(atPath: modelPath) {
            // Saved models are patched by every erasure before it completes, so the file is as new as this mark.
            let mark = try engine.store.read { try $0.latestModelChangingRequest() }
            let (served, metadata) = try ModelStorage.loadServable(path: modelPath)
            let popularity = try popularitySource.popularity(engine: engine, model: served, itemIDs: metadata.items,
                                                             releasedPopularity: metadata.releasedPopularity)
            let recommender = try ModelRecommender(engine: engine, served: served, itemIDs: metadata.items).withPopularity(from: popularity)
            engine.logger.info("serving the saved model", metadata: ["algorithm": "\(metadata.algorithm)", "items": "\(metadata.items.count)"])
            return ServingModel(recommender: recommender, popularity: popularity,
                                version: version, trainedAt: metadata.createdAt, algorithm: metadata.algorithm, requestMark: mark,
                                artifactVersion: artifact?.version ?? 0)
        }
        return try train(version: version)
    }

    /// `current` brought up to date with the saved model, which erasures, restrictions and withdrawals
    /// patch: only the item vectors that differ are replaced (`ALSServing.replacingItemFactors`), so
    /// the index is kept; a saved model over other items is loaded whole.
    func refreshed(_ current: ServingModel, mark: Int64) throws -> ServingModel {
        guard let recommender = current.recommender, recommender.model.patchesInService, FileManager.default.fileExists(atPath: modelPath) else {
            // Nothing patchable in service (popularity, item-kNN): the scheduled retrain brings the change.
            return ServingModel(recommender: current.recommender, popularity: current.popularity, version: current.version,
                                trainedAt: current.trainedAt, algorithm: current.algorithm, requestMark: mark, artifactVersion: current.artifactVersion)
        }
        let (stored, metadata) = try ModelFile.read(from: modelPath)
        guard metadata.items == recommender.items.map(\.id), let patch = recommender.model.patched(by: stored) else {
            var reloaded = try loadOrTrain(version: current.version + 1)
            reloaded = ServingModel(recommender: reloaded.recommender, popularity: reloaded.popularity, version: reloaded.version,
                                    trainedAt: reloaded.trainedAt, algorithm: reloaded.algorithm, requestMark: max(mark, reloaded.requestMark),
                                    artifactVersion: reloaded.artifactVersion)
            return reloaded
        }
        engine.logger.info("serving the patched model", metadata: ["items_changed": "\(patch.changed.count)"])
        return ServingModel(recommender: recommender.serving(patch.model), popularity: current.popularity, version: current.version + 1,
                            trainedAt: current.trainedAt, algorithm: current.algorithm, requestMark: mark, artifactVersion: current.artifactVersion)
    }

    /// Trains on what the store holds now and saves the model file (atomically, so a crash leaves the old one).
    func train(version: Int) throws -> ServingModel {
        let started = Date()
        for _ in 1...3 {
            if let model = try trainOnce(version: version, started: started) { return model }
            engine.logger.notice("an erasure, restriction or withdrawal completed during training; training again without that person")
        }
        throw EngineError.invalidArgument("data-subject requests kept completing during training; the previous model stays in service")
    }

    /// One training; nil when a request that changes models completed after the data was read
    /// (the model would hold someone it must not).
    private func trainOnce(version: Int, started: Date) throws -> ServingModel? {
        let snapshot = try TrainingSnapshot.read(from: engine, for: spec)
        let now = Int64(Date().timeIntervalSince1970)
        guard snapshot.data.matrix.nonZeros > 0 else {
            engine.logger.notice("no consented events to train on yet; serving popularity only")
            // A private configuration has released nothing yet, so its popularity is empty.
            let popularity = try popularitySource.popularity(engine: engine, model: nil, itemIDs: [], releasedPopularity: nil)
            return ServingModel(recommender: nil, popularity: popularity, version: version, trainedAt: now, algorithm: "popular",
                                requestMark: snapshot.requestMark)
        }
        let trained = try ModelTrainer.train(snapshot.data.matrix, spec: spec)
        let artifacts = ModelArtifacts(engine: engine)
        let saved = try artifacts.withLock { () -> ModelArtifactInfo? in
            guard try engine.store.read({ try $0.latestModelChangingRequest() }) == snapshot.requestMark else { return nil }
            // A private model is a release: recorded first, and refused past the budget (the model in service stays).
            try ModelStorage.recordRelease(trained, algorithm: spec.name, engine: engine)
            try ModelStorage.save(trained, algorithm: spec.name, data: snapshot.data, parameters: parameters, to: modelPath)
            // Every server sharing the store serves this version next.
            return try artifacts.publish(algorithm: spec.name)
        }
        guard let saved else { return nil }
        let served = try ModelStorage.servable(trained.model, algorithm: spec.name)
        let popularity = try popularitySource.popularity(engine: engine, model: served, itemIDs: snapshot.data.items,
                                                         releasedPopularity: trained.releasedPopularity)
        let recommender = try ModelRecommender(engine: engine, served: served, itemIDs: snapshot.data.items).withPopularity(from: popularity)
        engine.logger.info("trained", metadata: ["algorithm": "\(spec.name)", "pairs": "\(snapshot.data.matrix.nonZeros)",
                                                 "people": "\(snapshot.subjectsUsed)", "seconds": "\(Date().timeIntervalSince(started))"])
        if evaluates {
            ModelQualityCheck.record(snapshot.data, spec: spec, artifactVersion: saved.version, people: snapshot.subjectsUsed,
                                     trainingSeconds: trained.seconds, engine: engine)
        }
        return ServingModel(recommender: recommender, popularity: popularity, version: version, trainedAt: now, algorithm: spec.name,
                            requestMark: snapshot.requestMark, artifactVersion: saved.version)
    }
}
