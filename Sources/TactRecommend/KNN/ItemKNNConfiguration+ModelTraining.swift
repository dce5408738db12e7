import TactCore

/// Item-kNN trains from its configuration, in one pass.
extension ItemKNNConfiguration: ModelTraining {
    public var algorithmName: String { "knn" }

    public func train(_ matrix: SparseMatrix, progress: ImplicitALS.Progress?) -> TrainingOutcome {
        TrainingOutcome(model: .knn(ItemKNNModel.train(matrix, configuration: self)))
    }
}
