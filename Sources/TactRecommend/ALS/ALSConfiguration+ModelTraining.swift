import TactCore

/// iALS trains from its configuration.
extension ALSConfiguration: ModelTraining {
    public var algorithmName: String { "als" }

    public func train(_ matrix: SparseMatrix, progress: ImplicitALS.Progress?) -> TrainingOutcome {
        var iterationSeconds: [Double] = []
        let model = ImplicitALS.train(matrix, configuration: self) { iteration, loss, seconds in
            iterationSeconds.append(seconds)
            progress?(iteration, loss, seconds)
        }
        let perIteration = iterationSeconds.isEmpty ? 0 : iterationSeconds.reduce(0, +) / Double(iterationSeconds.count)
        return TrainingOutcome(model: .als(model), iterationTime: .measured(perIteration))
    }
}
