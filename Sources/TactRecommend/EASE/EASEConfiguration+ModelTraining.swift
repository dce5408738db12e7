import TactCore

/// EASE trains from its configuration, in one pass (a Gram matrix and one inversion).
extension EASEConfiguration: ModelTraining {
    public var algorithmName: String { "ease" }

    public func train(_ matrix: SparseMatrix, progress: ImplicitALS.Progress?) throws -> TrainingOutcome {
        TrainingOutcome(model: .ease(try EASEModel.train(matrix, configuration: self)))
    }
}
