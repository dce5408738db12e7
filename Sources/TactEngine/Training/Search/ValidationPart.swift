import Foundation
import TactCore
import TactRecommend

/// A validation part held out of training data, for choosing and checking models without touching
/// any test data: each person's items split per person (stratified, seeded), the held-out part scored
/// on at most `maximumPeople` people (a seeded choice) so large stores stay cheap.
public struct ValidationPart: Sendable {
    /// What candidates train on.
    public let fit: SparseMatrix
    /// What they are scored against; same shape as `fit`.
    public let validation: SparseMatrix
    /// People with validation items.
    public let people: Int
    public let k: Int
    public let threads: Int

    public init(_ matrix: SparseMatrix, fraction: Double = 0.25, maximumPeople: Int = 5_000, seed: UInt64, k: Int = 10, threads: Int = 0) {
        let (fit, held) = EvaluationSplit.stratified(matrix, testFraction: fraction, seed: seed)
        self.fit = fit
        let validation = Self.limitRows(held, to: maximumPeople, seed: seed)
        self.validation = validation
        people = (0..<validation.rows).reduce(0) { $0 + (validation.count(ofRow: $1) > 0 ? 1 : 0) }
        self.k = k
        self.threads = threads
    }

    /// Trains `spec` on `fit` and returns its NDCG@k on `validation`, with the seconds both took.
    public func score(_ spec: ModelSpec) throws -> (ndcg: Double, seconds: Double) {
        let began = Date()
        let trained = try ModelTrainer.train(fit, spec: spec)
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        let ndcg = RankingMetrics.evaluate(k: k, train: fit, test: validation, threads: workers, recommend: trained.recommender(train: fit)).ndcg
        return (ndcg, Date().timeIntervalSince(began))
    }

    /// `matrix` keeping at most `limit` non-empty rows (a seeded choice), the rest emptied; same shape.
    static func limitRows(_ matrix: SparseMatrix, to limit: Int, seed: UInt64) -> SparseMatrix {
        var rows = (0..<matrix.rows).filter { matrix.count(ofRow: $0) > 0 }
        guard rows.count > limit else { return matrix }
        var rng = SplitMix64(seed: seed &+ 0x7E57)
        rows.shuffle(using: &rng)
        let kept = Set(rows.prefix(limit))
        var rowStart = [0], indices: [Int32] = [], values: [Float] = []
        for r in 0..<matrix.rows {
            if kept.contains(r) {
                let row = matrix.row(r)
                indices.append(contentsOf: row.indices)
                values.append(contentsOf: row.values)
            }
            rowStart.append(indices.count)
        }
        return SparseMatrix(rows: matrix.rows, columns: matrix.columns, rowStart: rowStart, indices: indices, values: values)
    }
}
