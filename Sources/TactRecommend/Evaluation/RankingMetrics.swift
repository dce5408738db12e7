import Dispatch
import Foundation
import TactCore

/// How well a recommender ranks held-out items in its top k, over the users that have test items.
/// precision, map, ndcg and auc follow the `implicit` library's `ranking_metrics_at_k`;
/// recall, hitRate and coverage are Tact's own. See docs/evaluation.md for the formulas.
public struct RankingMetrics: Sendable, Equatable {
    /// The cut-off: how many recommendations per user are scored.
    public var k: Int
    /// Total hits / Σ over users of min(k, |test items|) (implicit's definition).
    public var precision: Double
    /// Mean over users of hits / |test items| (Tact's own).
    public var recall: Double
    /// Mean over users of DCG / ideal DCG, with 1/log2(rank + 1) discounts (implicit's definition).
    public var ndcg: Double
    /// Mean over users of average precision, divided by min(k, |test items|) (implicit's definition).
    public var map: Double
    /// Mean over users of implicit's top-k limited AUC.
    public var auc: Double
    /// Fraction of users with at least one hit (Tact's own).
    public var hitRate: Double
    /// Distinct items recommended to the evaluated users / number of items (Tact's own).
    public var coverage: Double
    /// How many users were evaluated: those with at least one test item.
    public var users: Int
}

extension RankingMetrics {
    /// Ranks for every user with test items and scores the top k against `test`.
    /// `recommend(user, k)` must return at most k item indices, best first, excluding the user's train items.
    public static func evaluate(
        k: Int, train: SparseMatrix, test: SparseMatrix, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        recommend: @Sendable (_ user: Int, _ k: Int) -> [Int32]
    ) -> RankingMetrics {
        precondition(k >= 1, "k must be at least 1")
        precondition(train.rows == test.rows && train.columns == test.columns, "train and test must have the same shape")
        let evaluated = (0..<test.rows).filter { test.count(ofRow: $0) > 0 }
        let scorer = UserScorer(k: k, train: train, test: test)

        // Chunks are fixed by size, not by thread count, and combined in order: results never depend on `threads`.
        let chunkCount = (evaluated.count + chunkSize - 1) / chunkSize
        var partials = [Partial](repeating: Partial(), count: chunkCount)
        if chunkCount > 0 {
            let workers = max(1, min(threads, chunkCount))
            partials.withUnsafeMutableBufferPointer { buffer in
                let slots = ChunkSlots(buffer: buffer)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for c in stride(from: worker, to: chunkCount, by: workers) {
                        var partial = Partial()
                        for u in evaluated[(c * chunkSize)..<min(evaluated.count, (c + 1) * chunkSize)] {
                            scorer.score(user: u, recommended: recommend(u, k), into: &partial)
                        }
                        slots.buffer[c] = partial
                    }
                }
            }
        }
        var total = Partial()
        for partial in partials { total.add(partial) }
        return total.metrics(k: k, items: test.columns)
    }

    /// Users per chunk of work.
    private static let chunkSize = 64
}

/// Sums over a run of users; each field is the numerator (or count) of one metric.
private struct Partial {
    var users = 0
    var hits = 0.0
    var precisionDivisor = 0.0
    var averagePrecision = 0.0
    var ndcg = 0.0
    var auc = 0.0
    var recall = 0.0
    var usersWithHit = 0
    var recommended = Set<Int32>()

    mutating func add(_ other: Partial) {
        users += other.users
        hits += other.hits
        precisionDivisor += other.precisionDivisor
        averagePrecision += other.averagePrecision
        ndcg += other.ndcg
        auc += other.auc
        recall += other.recall
        usersWithHit += other.usersWithHit
        recommended.formUnion(other.recommended)
    }

    func metrics(k: Int, items: Int) -> RankingMetrics {
        guard users > 0 else {
            return RankingMetrics(k: k, precision: 0, recall: 0, ndcg: 0, map: 0, auc: 0, hitRate: 0, coverage: 0, users: 0)
        }
        let n = Double(users)
        return RankingMetrics(
            k: k,
            precision: hits / precisionDivisor,
            recall: recall / n,
            ndcg: ndcg / n,
            map: averagePrecision / n,
            auc: auc / n,
            hitRate: Double(usersWithHit) / n,
            coverage: items > 0 ? Double(recommended.count) / Double(items) : 0,
            users: users)
    }
}

/// Scores one user's recommendation list against their test items.
private struct UserScorer: Sendable {
    let k: Int
    let train: SparseMatrix
    let test: SparseMatrix
    /// discounts[i] = 1 / log2(i + 2), the gain of a hit at 0-based position i.
    let discounts: [Double]
    /// idealDCG[j] = discounts[0] + … + discounts[j], the best DCG with j + 1 relevant items.
    let idealDCG: [Double]

    init(k: Int, train: SparseMatrix, test: SparseMatrix) {
        self.k = k
        self.train = train
        self.test = test
        discounts = (0..<k).map { 1.0 / log2(Double($0 + 2)) }
        var running = 0.0
        idealDCG = discounts.map {
            running += $0; return running
        }
    }

    func score(user u: Int, recommended: [Int32], into partial: inout Partial) {
        let likes = Set(test.row(u).indices)
        let liked = Set(train.row(u).indices)
        let items = Int32(clamping: test.columns)
        // The first k recommendations that are real items and not already in the user's train row.
        let ids = Array(recommended.lazy.filter { $0 >= 0 && $0 < items && !liked.contains($0) }.prefix(k))

        let positives = Double(likes.count)
        let negatives = Double(test.columns) - positives
        let cutoff = min(k, likes.count)
        let idcg = idealDCG[cutoff - 1]
        var hit = 0.0, miss = 0.0, averagePrecision = 0.0, ndcg = 0.0, auc = 0.0
        // Positions past the end of a short list are misses, as in implicit (its -1 padding).
        for i in 0..<k {
            if i < ids.count, likes.contains(ids[i]) {
                hit += 1
                averagePrecision += hit / Double(i + 1)
                ndcg += discounts[i] / idcg
            } else {
                miss += 1
                auc += hit
            }
        }
        auc += ((hit + positives) / 2.0) * (negatives - miss)

        partial.users += 1
        partial.hits += hit
        partial.precisionDivisor += Double(cutoff)
        partial.averagePrecision += averagePrecision / Double(cutoff)
        partial.ndcg += ndcg
        // With no negative items AUC is undefined (implicit divides by zero); every ranking is then perfect.
        partial.auc += negatives > 0 ? auc / (positives * negatives) : 1
        partial.recall += hit / positives
        partial.usersWithHit += hit > 0 ? 1 : 0
        partial.recommended.formUnion(ids)
    }
}

/// Per-chunk result slots that workers may write from any thread: each chunk is written by exactly one worker.
private struct ChunkSlots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Partial>
}
