import TactCore
import TactRecommend

/// Which code trains a model: Tact's own (every kind of model), or Apache Spark (implicit ALS only).
/// `tact train` and `tact evaluate` both train through this, so both engines are scored the same way.
public enum TrainingEngine: Sendable, Equatable {
    case builtIn
    case spark(SparkSettings)

    /// Trains `spec` on `matrix`. The built-in engine reports each ALS iteration to `progress`;
    /// Spark reports its stages to `stage` and throws `SparkError` when it cannot run.
    public func train(
        _ matrix: SparseMatrix, spec: ModelSpec, progress: ImplicitALS.Progress? = nil,
        stage: SparkALSTrainer.Stage? = nil
    ) throws -> TrainedModel {
        switch self {
        case .builtIn: return try ModelTrainer.train(matrix, spec: spec, progress: progress)
        case .spark(let settings): return try SparkALSTrainer.train(matrix, spec: spec, settings: settings, stage: stage)
        }
    }

    /// What model files and JSON output call this engine.
    public var name: String {
        switch self {
        case .builtIn: "builtin"
        case .spark: "spark"
        }
    }
}
