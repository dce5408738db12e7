import TactCore

/// An algorithm's settings, ready to train with: each algorithm's configuration conforms, in its own
/// folder, and the engine's `ModelTrainer` calls only this.
public protocol ModelTraining: Sendable {
    /// The registered algorithm this trains (a name in `ModelAlgorithms`).
    var algorithmName: String { get }

    /// Trains on `matrix` (people × items of strengths); `progress` hears each iteration.
    func train(_ matrix: SparseMatrix, progress: ImplicitALS.Progress?) throws -> TrainingOutcome

    /// Whether `other` is the same algorithm with the same settings.
    func isSame(as other: any ModelTraining) -> Bool
}

extension ModelTraining where Self: Equatable {
    public func isSame(as other: any ModelTraining) -> Bool { (other as? Self) == self }
}
