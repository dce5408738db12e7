import Foundation
import Logging
import TactCore
import TactEngine
import TactRecommend
import TactStore

/// Trains (or loads) the model the server serves, from consented data in the store.
struct ModelBuilder: Sendable {
    let engine: Engine
    /// The model the flags name; with a search, the model served until the first search has chosen.
    let spec: ModelSpec
    let parameters: [String: String]
    /// Whether each training is followed by a held-out evaluation (`ModelQualityCheck`), for the console.
    var evaluates = true
    /// The model search, when no model flag was given (`ServerSettings.modelSearch`).
    var search: ModelSearch?
    /// A retraining searches again when the last choice is at least this old; in between it retrains the choice.
    var searchEverySeconds: Double = 86_400
    /// Without a search, each training first checks the flags' settings against popularity on a validation
    /// part drawn with this seed, and a model below popularity is not served (nil: no check). `TactAPI` sets it
    /// from `ServerSettings` (on by default; off with `--serve-below-popularity`).
    var popularityGuardSeed: UInt64?
    /// The check itself (`ServerSettings.popularityCheck`, which `TactAPI` passes on).
    var popularityCheck = PopularityGuard.seededCheck

    var models: ModelDirectory { ModelDirectory(directory: engine.directory) }

    /// What is served now: the flags' model, or the last search's choice (DIR/models/search.json).
    var current: (spec: ModelSpec, parameters: [String: String]) {
        guard let search, let candidate = SearchChoice.load(from: models)?.candidate(seed: search.seed, threads: search.threads) else {
            return (spec, parameters)
        }
        return (candidate.spec, candidate.settings.merging(["chosen_by": "search"]) { a, _ in a })
    }

    var modelPath: String { models.modelPath(algorithm: current.spec.name) }

    /// Whether the next training searches first: no choice yet, or one older than `searchEverySeconds`.
    func searchIsDue(now: Int64) -> Bool {
        guard search != nil else { return false }
        guard let choice = SearchChoice.load(from: models) else { return true }
        return Double(now - choice.searchedAt) >= searchEverySeconds
    }

    /// Which popularity this server may show: the one place that decides it. Every route reads the
    /// `ServingModel.popularity` it gives (exact counts, or a private model's own release).
    var popularitySource: PopularitySource { PopularitySource(spec: spec) }

    /// The saved model if there is one, else a freshly trained one.
    func loadOrTrain(version: Int) throws -> ServingModel {
        // The store's newest version first: another server may have saved a newer model than the local file.
        let artifact = try ModelArtifacts(engine: engine).sync(algorithm: current.spec.name)
        let modelPath = modelPath
        if FileManager.default.fileExists(atPath: modelPath) {
            // Saved models are patched by every erasure before it completes, so the file is as new as this mark.
            let mark = try ModelArtifacts(engine: engine).requestMark()
            let (served, metadata) = try ModelStorage.loadServable(path: modelPath)
            let popularity = try popularitySource.popularity(
                engine: engine, model: served, itemIDs: metadata.items,
                releasedPopularity: metadata.releasedPopularity)
            let recommender = try ModelRecommender(engine: engine, served: served, itemIDs: metadata.items).withPopularity(from: popularity)
            engine.logger.info("serving the saved model", metadata: ["algorithm": "\(metadata.algorithm)", "items": "\(metadata.items.count)"])
            return ServingModel(
                recommender: recommender, popularity: popularity,
                version: version, trainedAt: metadata.createdAt, algorithm: metadata.algorithm, requestMark: mark,
                artifactVersion: artifact?.version ?? 0)
        }
        return try train(version: version)
    }

    /// `current` brought up to date with the saved model, which erasures, restrictions and withdrawals
    /// patch: only the item vectors that differ are replaced (`ALSServing.replacingItemFactors`), so
    /// the index is kept; a saved model over other items is loaded whole.
    func refreshed(_ current: ServingModel, mark: Int64) throws -> ServingModel {
        let modelPath = modelPath
        guard let recommender = current.recommender, recommender.model.patchesInService, FileManager.default.fileExists(atPath: modelPath) else {
            // Nothing patchable in service (popularity, item-kNN): the scheduled retrain brings the change.
            return ServingModel(
                recommender: current.recommender, popularity: current.popularity, version: current.version,
                trainedAt: current.trainedAt, algorithm: current.algorithm, requestMark: mark, artifactVersion: current.artifactVersion,
                refusal: current.refusal)
        }
        let (stored, metadata) = try ModelFile.read(from: modelPath)
        guard metadata.items == recommender.items.map(\.id), let patch = recommender.model.patched(by: stored) else {
            var reloaded = try loadOrTrain(version: current.version + 1)
            reloaded = ServingModel(
                recommender: reloaded.recommender, popularity: reloaded.popularity, version: reloaded.version,
                trainedAt: reloaded.trainedAt, algorithm: reloaded.algorithm, requestMark: max(mark, reloaded.requestMark),
                artifactVersion: reloaded.artifactVersion)
            return reloaded
        }
        engine.logger.info("serving the patched model", metadata: ["items_changed": "\(patch.changed.count)"])
        return ServingModel(
            recommender: recommender.serving(patch.model), popularity: current.popularity, version: current.version + 1,
            trainedAt: current.trainedAt, algorithm: current.algorithm, requestMark: mark, artifactVersion: current.artifactVersion)
    }

    /// Trains on what the store holds now and saves the model file (atomically, so a crash leaves the old one).
    func train(version: Int) throws -> ServingModel {
        let started = Date()
        // A search's result outlives a training that must be redone: the next attempt trains its winner.
        var searched: ModelSearchResult?
        for _ in 1...3 {
            if let model = try trainOnce(version: version, started: started, search: &searched) { return model }
            engine.logger.notice("an erasure, restriction or withdrawal completed during training; training again without that person")
        }
        throw EngineError.invalidArgument("data-subject requests kept completing during training; the previous model stays in service")
    }

    /// One training; nil when a request that changes models completed after the data was read
    /// (the model would hold someone it must not).
    private func trainOnce(version: Int, started: Date, search earlier: inout ModelSearchResult?) throws -> ServingModel? {
        let snapshot = try TrainingSnapshot.read(from: engine, for: spec)
        let now = Int64(Date().timeIntervalSince1970)
        guard snapshot.data.matrix.nonZeros > 0 else {
            engine.logger.notice("no consented events to train on yet; serving popularity only")
            // A private configuration has released nothing yet, so its popularity is empty.
            let popularity = try popularitySource.popularity(engine: engine, model: nil, itemIDs: [], releasedPopularity: nil)
            return ServingModel(
                recommender: nil, popularity: popularity, version: version, trainedAt: now, algorithm: "popular",
                requestMark: snapshot.requestMark)
        }
        var (spec, parameters) = current
        var searched: ModelSearchResult?
        if var search, earlier != nil || searchIsDue(now: now) {
            search.start = SearchChoice.load(from: models)?.candidate(seed: search.seed, threads: search.threads)
            let result = earlier ?? search.run(snapshot.data.matrix)
            earlier = result
            spec = result.winner.spec
            parameters = result.winner.settings.merging(["chosen_by": "search", "search": result.jsonText]) { a, _ in a }
            searched = result
            engine.logger.notice(
                "the model search chose \(result.winner.label)",
                metadata: [
                    "algorithm": "\(spec.name)", "reason": "\(result.reason)", "trials": "\(result.trials.count)",
                    "validation_ndcg": "\(result.winnerScore ?? 0)", "popularity_ndcg": "\(result.popularityScore ?? 0)"
                ])
        }
        if searched == nil, let seed = popularityGuardSeed,
            let verdict = try popularityCheck(snapshot.data.matrix, spec, seed), !verdict.passes
        {
            // Nothing is saved: the model file, if any, keeps the last model that passed.
            let refusal = "\(spec.name) with the configured settings is not served: \(verdict.refusal)"
            engine.logger.warning(
                "the configured model scores below popularity; serving popularity instead",
                metadata: [
                    "algorithm": "\(spec.name)", "validation_ndcg": "\(verdict.modelScore)", "popularity_ndcg": "\(verdict.popularityScore)",
                    "people": "\(verdict.people)"
                ])
            let popularity = try popularitySource.popularity(engine: engine, model: nil, itemIDs: [], releasedPopularity: nil)
            // The store's version as it is, so that only a model saved after this (by `tact train`, another server) replaces popularity.
            let stored = try ModelArtifacts(engine: engine).latest(algorithm: spec.name)?.version ?? 0
            return ServingModel(
                recommender: nil, popularity: popularity, version: version, trainedAt: now, algorithm: ModelSpec.popular.name,
                requestMark: snapshot.requestMark, artifactVersion: stored, refusal: refusal)
        }
        let trained = try ModelTrainer.train(snapshot.data.matrix, spec: spec)
        // A private model is a release: recorded first, and refused past the budget (the model in service stays).
        guard
            case .saved(let published) = try ModelStorage.saveUnlessChanged(
                trained, algorithm: spec.name, data: snapshot.data, parameters: parameters,
                mark: snapshot.requestMark, engine: engine, choice: searched),
            let saved = published
        else { return nil }
        if try ModelArtifacts(engine: engine).requestMark() != snapshot.requestMark {
            // Saved, then patched for the requests that completed while it trained: serve the file as patched,
            // never what was trained (its item vectors still carry those people).
            engine.logger.info("trained; serving it as patched for requests that completed meanwhile", metadata: ["algorithm": "\(spec.name)"])
            return try loadOrTrain(version: version)
        }
        let served = try ModelStorage.servable(trained.model, algorithm: spec.name)
        let popularity = try popularitySource.popularity(
            engine: engine, model: served, itemIDs: snapshot.data.items,
            releasedPopularity: trained.releasedPopularity)
        let recommender = try ModelRecommender(engine: engine, served: served, itemIDs: snapshot.data.items).withPopularity(from: popularity)
        engine.logger.info(
            "trained",
            metadata: [
                "algorithm": "\(spec.name)", "pairs": "\(snapshot.data.matrix.nonZeros)",
                "people": "\(snapshot.subjectsUsed)", "seconds": "\(Date().timeIntervalSince(started))"
            ])
        if evaluates {
            ModelQualityCheck.record(
                snapshot.data, spec: spec, artifactVersion: saved.version, people: snapshot.subjectsUsed,
                trainingSeconds: trained.seconds, engine: engine)
        }
        return ServingModel(
            recommender: recommender, popularity: popularity, version: version, trainedAt: now, algorithm: spec.name,
            requestMark: snapshot.requestMark, artifactVersion: saved.version)
    }
}
