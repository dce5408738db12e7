import TactCore

/// How to hold out interactions from the data directory for evaluation.
public enum HoldOut: Sendable, Equatable {
    /// A seeded random fraction of each person's items.
    case random(fraction: Double, seed: UInt64)
    /// Microsoft Recommenders' per-person stratified random split (`EvaluationSplit.stratified`).
    case stratified(fraction: Double, seed: UInt64)
    /// Each person's latest `n` items.
    case last(n: Int)
}

/// A train/test pair of matrices over the same rows and columns.
public struct EvaluationData: Sendable {
    public var train: SparseMatrix
    public var test: SparseMatrix

    /// Splits a snapshot of the store.
    public static func split(_ data: InteractionMatrix, holdOut: HoldOut) -> EvaluationData {
        switch holdOut {
        case .random(let fraction, let seed):
            let (train, test) = EvaluationSplit.randomPerUser(data.matrix, testFraction: fraction, seed: seed)
            return EvaluationData(train: train, test: test)
        case .stratified(let fraction, let seed):
            let (train, test) = EvaluationSplit.stratified(data.matrix, testFraction: fraction, seed: seed)
            return EvaluationData(train: train, test: test)
        case .last(let n):
            let (train, test) = EvaluationSplit.leaveLastN(data.matrix, timestamps: data.timestamps, n: n)
            return EvaluationData(train: train, test: test)
        }
    }

    /// Reads pre-split files; test ids unknown to the training file are skipped.
    public static func read(train: any InteractionReader, test: any InteractionReader) throws -> EvaluationData {
        let trainData = try InteractionMatrix.read(train)
        let testData = try InteractionMatrix.read(test, usersAndItemsOf: trainData)
        return EvaluationData(train: trainData.matrix, test: testData.matrix)
    }
}
