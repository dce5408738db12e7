import Foundation
import TactCore
import TactPrivacy
import TactRecommend

/// Which model to train, with its settings: any registered algorithm's `ModelTraining`.
public struct ModelSpec: Sendable, Equatable {
    /// The algorithm's settings, which train it.
    public let training: any ModelTraining

    public init(_ training: any ModelTraining) { self.training = training }

    /// iALS.
    public static func als(_ configuration: ALSConfiguration) -> ModelSpec { ModelSpec(configuration) }
    /// Item-kNN.
    public static func knn(_ configuration: ItemKNNConfiguration) -> ModelSpec { ModelSpec(configuration) }
    /// Popularity.
    public static var popular: ModelSpec { ModelSpec(PopularityTraining()) }
    /// DP-ALS: item factors released with (ε, δ) user-level joint differential privacy.
    public static func privateALS(_ configuration: PrivateALSConfiguration) -> ModelSpec { ModelSpec(configuration) }
    /// Popularity released with (ε, δ) user-level differential privacy, each person counting toward at most `maxItemsPerPerson` items.
    public static func privatePopular(maxItemsPerPerson: Int, epsilon: Double, delta: Double) -> ModelSpec {
        ModelSpec(PrivatePopularityTraining(maxItemsPerPerson: maxItemsPerPerson, epsilon: epsilon, delta: delta))
    }

    public var name: String { training.algorithmName }

    /// The registered algorithm (`ModelAlgorithms`) this trains.
    public var algorithm: ModelAlgorithm {
        guard let algorithm = ModelAlgorithms.named(name) else { preconditionFailure("algorithm \(name) is not in ModelAlgorithms.all") }
        return algorithm
    }

    /// Whether a model of this kind is a differentially private release, which the ledger must record.
    public var isPrivate: Bool { algorithm.isPrivate }

    public static func == (lhs: ModelSpec, rhs: ModelSpec) -> Bool { lhs.training.isSame(as: rhs.training) }
}

/// A model fresh from training, with how long it took.
public struct TrainedModel: Sendable {
    /// The model, as a model file stores it.
    public var model: StoredModel
    public var seconds: Double
    /// For differentially private models: the (ε, δ) they spend.
    public var privacy: PrivacyCharge?
    /// A DP-ALS model's noisy item counts, one per column, released with it (`PrivateALSResult.noisyCounts`).
    public var releasedPopularity: [Float]?
    /// Mean wall-clock seconds of one iteration (the whole training for one-pass models).
    public var secondsPerIteration: Double

    public init(
        model: StoredModel, seconds: Double, privacy: PrivacyCharge? = nil, releasedPopularity: [Float]? = nil,
        secondsPerIteration: Double
    ) {
        self.model = model
        self.seconds = seconds
        self.privacy = privacy
        self.releasedPopularity = releasedPopularity
        self.secondsPerIteration = secondsPerIteration
    }

    /// A trained model of one of the three kinds; exactly one of `als`, `popularity` and `knn` is given.
    public init(
        als: ALSModel? = nil, popularity: PopularityModel? = nil, knn: ItemKNNModel? = nil, seconds: Double,
        privacy: PrivacyCharge? = nil, releasedPopularity: [Float]? = nil, secondsPerIteration: Double
    ) {
        let model: StoredModel = als.map { .als($0) } ?? knn.map { .knn($0) } ?? .popularity(popularity!)
        self.init(model: model, seconds: seconds, privacy: privacy, releasedPopularity: releasedPopularity, secondsPerIteration: secondsPerIteration)
    }

    /// The iALS model, if this is one.
    public var als: ALSModel? { try? model.alsModel() }
    /// The item-kNN model, if this is one.
    public var knn: ItemKNNModel? { try? model.knnModel() }
    /// The popularity model, if this is one.
    public var popularity: PopularityModel? { try? model.popularityModel() }

    /// The top `k` for matrix row `user`, leaving out that row's items in `train`.
    public func recommender(train: SparseMatrix) -> @Sendable (Int, Int) -> [Int32] {
        if let als {
            // Evaluation measures the model, so it ranks exactly, never through the approximate index.
            let serving = ALSServing(model: als, indexThreshold: .max)
            return { user, k in serving.recommendExact(serving.userVector(user), k: k, excluding: Set(train.row(user).indices)).map(\.item) }
        }
        if let knn {
            return { user, k in
                let (items, values) = train.row(user)
                return knn.recommend(history: zip(items, values).map { (item: $0, value: $1) }, k: k).map { Int32($0.item) }
            }
        }
        if case .ease(let ease) = model {
            return { user, k in ease.recommend(history: Array(train.row(user).indices), k: k).map { Int32($0.item) } }
        }
        if let popularity {
            return { user, k in popularity.recommend(k: k, excluding: Set(train.row(user).indices.map(Int.init))).map { Int32($0.item) } }
        }
        // Any other algorithm ranks as it serves: the training row is the person's history.
        guard let served = ModelAlgorithms.all.lazy.compactMap({ $0.model(from: self.model) }).first else {
            preconditionFailure("no registered algorithm serves a \(model.algorithm) model")
        }
        return { user, k in
            let (items, values) = train.row(user)
            return served.rank(
                history: zip(items, values).map { (item: $0, value: $1) }, candidates: k, excluding: [], allowed: nil,
                reasonsPerItem: 0, choose: { $0 }
            ).map(\.item)
        }
    }
}

/// Trains and evaluates models on matrices: the work behind `tact train`, `evaluate` and `tune`.
public enum ModelTrainer {
    /// Trains `spec` on `matrix` (users × items of strengths); `progress` hears each ALS iteration.
    public static func train(_ matrix: SparseMatrix, spec: ModelSpec, progress: ImplicitALS.Progress? = nil) throws -> TrainedModel {
        let started = Date()
        let outcome = try spec.training.train(matrix, progress: progress)
        let seconds = Date().timeIntervalSince(started)
        let perIteration: Double
        switch outcome.iterationTime {
        case .onePass: perIteration = seconds
        case .measured(let measured): perIteration = measured
        case .shared(let iterations): perIteration = seconds / Double(iterations)
        }
        return TrainedModel(
            model: outcome.model, seconds: seconds, privacy: outcome.privacy, releasedPopularity: outcome.releasedPopularity,
            secondsPerIteration: perIteration)
    }

    /// Trains on `data.train` and scores top-`k` lists against `data.test`.
    public static func evaluate(
        _ data: EvaluationData, spec: ModelSpec, k: Int, threads: Int = 0,
        progress: ImplicitALS.Progress? = nil
    ) throws -> (model: TrainedModel, metrics: RankingMetrics) {
        let model = try train(data.train, spec: spec, progress: progress)
        return (model, score(model, on: data, k: k, threads: threads))
    }

    /// Scores top-`k` lists of a model trained on `data.train` (by any engine) against `data.test`.
    public static func score(_ model: TrainedModel, on data: EvaluationData, k: Int, threads: Int = 0) -> RankingMetrics {
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        return RankingMetrics.evaluate(k: k, train: data.train, test: data.test, threads: workers, recommend: model.recommender(train: data.train))
    }
}

/// Accuracy beside diversity, novelty and coverage, for a model's lists re-ranked by `RerankOptions`.
public struct ListQuality: Sendable {
    public var accuracy: RankingMetrics
    public var beyond: BeyondAccuracy
    public var options: RerankOptions
}

extension ModelTrainer {
    /// Scores `model` (trained on `data.train`) with its lists re-ranked by `options`: MMR over the
    /// model's own item similarity (iALS factors; co-occurrence for other models), the novelty
    /// discount by popularity in the training data. Diversity is measured with co-occurrence
    /// cosine, which belongs to no model, so models compare alike.
    public static func listQuality(
        _ model: TrainedModel, on data: EvaluationData, k: Int, options: RerankOptions = .init(),
        threads: Int = 0
    ) -> ListQuality {
        let cooccurrence = CooccurrenceSimilarity(data.train)
        let popularity = ItemPopularity(data.train)
        let modelSimilarity: @Sendable (Int32, Int32) -> Float
        if let als = model.als {
            let factors = ItemSimilarity(factors: als.itemFactors)
            modelSimilarity = { factors($0, $1) }
        } else {
            modelSimilarity = { cooccurrence($0, $1) }
        }
        // Candidates with their scores (iALS, ranked exactly); other models' lists score by rank.
        let scored: @Sendable (Int, Int) -> [(item: Int32, score: Float)]
        if let als = model.als {
            let serving = ALSServing(model: als, indexThreshold: .max)
            let train = data.train
            scored = { u, n in serving.recommendExact(serving.userVector(u), k: n, excluding: Set(train.row(u).indices)) }
        } else {
            let base = model.recommender(train: data.train)
            scored = { u, n in base(u, n).enumerated().map { (item: $0.element, score: Float(n - $0.offset)) } }
        }
        let pool = options.candidates(for: k)
        let users = (0..<data.test.rows).filter { data.test.count(ofRow: $0) > 0 }
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        var lists = [[Int32]](repeating: [], count: data.test.rows)
        lists.withUnsafeMutableBufferPointer { buffer in
            let slots = ListSlots(buffer: buffer)
            DispatchQueue.concurrentPerform(iterations: max(1, workers)) { worker in
                for n in stride(from: worker, to: users.count, by: max(1, workers)) {
                    let u = users[n]
                    slots.buffer[u] = MMRReranker.rerank(
                        scored(u, pool), k: k, options: options, similarity: modelSimilarity,
                        groups: { _ in [] }, popularity: { popularity.scaled($0) }
                    ).map(\.item)
                }
            }
        }
        let computed = lists
        let accuracy = RankingMetrics.evaluate(k: k, train: data.train, test: data.test, threads: workers) { u, _ in computed[u] }
        let beyond = BeyondAccuracy.measure(
            lists: users.map { computed[$0] }, items: data.train.columns,
            similarity: { cooccurrence($0, $1) }, popularity: popularity)
        return ListQuality(accuracy: accuracy, beyond: beyond, options: options)
    }
}

/// Lets concurrent workers write disjoint elements of one buffer.
private struct ListSlots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<[Int32]>
}
