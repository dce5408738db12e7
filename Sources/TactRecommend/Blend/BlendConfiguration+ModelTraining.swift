import Foundation
import TactCore

/// A blend trains EASE, then iALS (whose iterations `progress` hears), on the same matrix.
extension BlendConfiguration: ModelTraining {
    public var algorithmName: String { "blend" }

    public func train(_ matrix: SparseMatrix, progress: ImplicitALS.Progress?) throws -> TrainingOutcome {
        let easeModel = try EASEModel.train(matrix, configuration: ease)
        let outcome = als.train(matrix, progress: progress)
        guard case .als(let alsModel) = outcome.model else { preconditionFailure("iALS trains an iALS model") }
        return TrainingOutcome(
            model: .blend(BlendModel(ease: easeModel, als: alsModel, easeWeight: easeWeight)),
            iterationTime: outcome.iterationTime)
    }
}
