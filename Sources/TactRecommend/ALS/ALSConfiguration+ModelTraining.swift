import TactCore

/// iALS trains from its configuration.
extension ALSConfiguration: ModelTraining {
    public var algorithmName: String { "als" }

    /// The loss is computed only when someone listens (`progress`): a server's retraining and the model
    /// search train without it.
    public func train(_ matrix: SparseMatrix, progress: ImplicitALS.Progress?) -> TrainingOutcome {
        var iterationSeconds: [Double] = []
        let model = ImplicitALS.train(matrix, configuration: self, computesLoss: progress != nil) { iteration, loss, seconds in
            iterationSeconds.append(seconds)
            progress?(iteration, loss, seconds)
        }
        let perIteration = iterationSeconds.isEmpty ? 0 : iterationSeconds.reduce(0, +) / Double(iterationSeconds.count)
        return TrainingOutcome(model: .als(model), iterationTime: .measured(perIteration))
    }
}
