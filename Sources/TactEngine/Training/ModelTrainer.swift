import Foundation
import TactCore
import TactRecommend

/// Which model to train, with its settings.
public enum ModelSpec: Sendable, Equatable {
    case als(ALSConfiguration)
    case knn(ItemKNNConfiguration)
    case popular

    public var name: String {
        switch self {
        case .als: "als"
        case .knn: "knn"
        case .popular: "popular"
        }
    }
}

/// A model fresh from training, with how long it took.
public struct TrainedModel: Sendable {
    public var als: ALSModel?
    public var popularity: PopularityModel?
    public var knn: ItemKNNModel?
    public var seconds: Double
    /// Mean wall-clock seconds of one iteration (the whole training for one-pass models).
    public var secondsPerIteration: Double

    /// The top `k` for matrix row `user`, leaving out that row's items in `train`.
    func recommender(train: SparseMatrix) -> @Sendable (Int, Int) -> [Int32] {
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
        let popularity = popularity!
        return { user, k in popularity.recommend(k: k, excluding: Set(train.row(user).indices.map(Int.init))).map { Int32($0.item) } }
    }
}

/// Trains and evaluates models on matrices: the work behind `tact train`, `evaluate` and `tune`.
public enum ModelTrainer {
    /// Trains `spec` on `matrix` (users × items of strengths); `progress` hears each ALS iteration.
    public static func train(_ matrix: SparseMatrix, spec: ModelSpec, progress: ImplicitALS.Progress? = nil) -> TrainedModel {
        let started = Date()
        switch spec {
        case .popular:
            let model = PopularityModel(itemCount: matrix.columns, now: 0) { add in
                for n in 0..<matrix.nonZeros { add(Int(matrix.indices[n]), 1, 0) }
            }
            let s = Date().timeIntervalSince(started)
            return TrainedModel(popularity: model, seconds: s, secondsPerIteration: s)
        case .knn(let configuration):
            let model = ItemKNNModel.train(matrix, configuration: configuration)
            let s = Date().timeIntervalSince(started)
            return TrainedModel(knn: model, seconds: s, secondsPerIteration: s)
        case .als(let configuration):
            var iterationSeconds: [Double] = []
            let als = ImplicitALS.train(matrix, configuration: configuration) { iteration, loss, seconds in
                iterationSeconds.append(seconds)
                progress?(iteration, loss, seconds)
            }
            let perIteration = iterationSeconds.isEmpty ? 0 : iterationSeconds.reduce(0, +) / Double(iterationSeconds.count)
            return TrainedModel(als: als, seconds: Date().timeIntervalSince(started), secondsPerIteration: perIteration)
        }
    }

    /// Trains on `data.train` and scores top-`k` lists against `data.test`.
    public static func evaluate(_ data: EvaluationData, spec: ModelSpec, k: Int, threads: Int = 0,
                                progress: ImplicitALS.Progress? = nil) -> (model: TrainedModel, metrics: RankingMetrics) {
        let model = train(data.train, spec: spec, progress: progress)
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        let metrics = RankingMetrics.evaluate(k: k, train: data.train, test: data.test, threads: workers, recommend: model.recommender(train: data.train))
        return (model, metrics)
    }
}
