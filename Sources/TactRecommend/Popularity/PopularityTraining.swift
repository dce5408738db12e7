import TactCore

/// Popularity's training, which takes no settings: each (person, item) pair counts once.
public struct PopularityTraining: ModelTraining, Equatable {
    public init() {}

    public var algorithmName: String { "popular" }

    public func train(_ matrix: SparseMatrix, progress: ImplicitALS.Progress?) -> TrainingOutcome {
        let model = PopularityModel(itemCount: matrix.columns, now: 0) { add in
            for n in 0..<matrix.nonZeros { add(Int(matrix.indices[n]), 1, 0) }
        }
        return TrainingOutcome(model: .popularity(model))
    }
}
