import Foundation
import TactCore

/// EASE^R (Steck 2019): a closed-form item × item model. With G = XᵀX over the binarized training
/// data and P = (G + λI)⁻¹, the weights are B = I − P · diag(1/diag P), so B's diagonal is 0 and a
/// person's score for item j is Σ over their history items i of B[i, j]. Folding a new person in is
/// free (their history is the input), the reasons are the history items' weights, and erasure is
/// exact: B is a function of XᵀX alone, so recounting G without the erased people and solving again
/// gives the model trained without them (`removingPeople`, in EASEModel+RecommenderModel.swift).
public struct EASEModel: Sendable, Equatable {
    public var configuration: EASEConfiguration
    public let itemCount: Int
    /// G = XᵀX (row-major, items × items), co-occurrence counts of the binarized training data: kept
    /// so that erasure re-solves exactly.
    public private(set) var gram: [Float]
    /// B (row-major): `weights[i · n + j]` is what having item i adds to item j's score; 0 when i = j.
    public private(set) var weights: [Float]

    /// A model from stored matrices (for example, read back from a model file).
    public init(configuration: EASEConfiguration, itemCount: Int, gram: [Float], weights: [Float]) {
        precondition(gram.count == itemCount * itemCount && weights.count == itemCount * itemCount)
        self.configuration = configuration
        self.itemCount = itemCount
        self.gram = gram
        self.weights = weights
    }

    /// Trains on `userItems` (people × items); every stored cell with a positive value counts as 1.
    public static func train(_ userItems: SparseMatrix, configuration: EASEConfiguration) throws -> EASEModel {
        let n = userItems.columns
        guard n <= configuration.maximumItems else { throw EASEError.tooManyItems(items: n, maximum: configuration.maximumItems) }
        var gram = [Float](repeating: 0, count: n * n)
        for u in 0..<userItems.rows { accumulate(positives(of: u, in: userItems), into: &gram, n: n) }
        return EASEModel(
            configuration: configuration, itemCount: n, gram: gram,
            weights: try solve(gram: gram, n: n, configuration: configuration))
    }

    /// B from G: P = (G + λI)⁻¹, B[i, j] = −P[i, j] / P[j, j] off the diagonal, 0 on it.
    static func solve(gram: [Float], n: Int, configuration: EASEConfiguration) throws -> [Float] {
        guard configuration.regularization > 0 else { throw EASEError.notPositiveDefinite }
        var p = gram
        for i in 0..<n { p[i * n + i] += configuration.regularization }
        let threads = resolvedThreads(configuration.threads)
        let inverted = p.withUnsafeMutableBufferPointer { SymmetricInverse.invert($0.baseAddress!, n: n, threads: threads) }
        guard inverted else { throw EASEError.notPositiveDefinite }
        let diagonal = (0..<n).map { p[$0 * n + $0] }
        for i in 0..<n {
            for j in 0..<n { p[i * n + j] = i == j ? 0 : -p[i * n + j] / diagonal[j] }
        }
        return p
    }

    /// The items of row `u` with a positive value, ascending.
    static func positives(of u: Int, in matrix: SparseMatrix) -> [Int32] {
        let (indices, values) = matrix.row(u)
        return zip(indices, values).filter { $0.1 > 0 }.map(\.0).sorted()
    }

    /// Adds one person's co-occurrences: G[i, j] + 1 for every i, j in `items`.
    static func accumulate(_ items: [Int32], into gram: inout [Float], n: Int) {
        for i in items {
            let row = Int(i) * n
            for j in items { gram[row + Int(j)] += 1 }
        }
    }

    // MARK: - Serving

    /// Every item's score for a person with `history` (items outside the model are ignored; each item
    /// counts once, whatever its value or how often it occurs, as in training).
    public func scores(history: [Int32]) -> [Float] {
        var scores = [Float](repeating: 0, count: itemCount)
        scores.withUnsafeMutableBufferPointer { out in
            weights.withUnsafeBufferPointer { b in
                // In ascending order: a Set's order varies between instances, and float sums with it.
                for i in Set(history).sorted() where i >= 0 && Int(i) < itemCount {
                    SymmetricInverse.subtract(-1, b.baseAddress! + Int(i) * itemCount, from: out.baseAddress!, count: itemCount)
                }
            }
        }
        return scores
    }

    /// The `k` best items for a person with `history`, leaving out the history itself, `excluding` and
    /// items `allowed` rejects; each with up to 3 reasons (the history items whose weights add the most).
    public func recommend(history: [Int32], k: Int, excluding: Set<Int32> = [], allowed: ((Int32) -> Bool)? = nil) -> [Recommendation] {
        guard k > 0, itemCount > 0 else { return [] }
        let scores = scores(history: history)
        let had = Set(history)
        var top = TopK(k: k)
        for j in 0..<Int32(itemCount) {
            let score = scores[Int(j)]
            if score < top.threshold || had.contains(j) || excluding.contains(j) { continue }
            if let allowed, !allowed(j) { continue }
            top.offer(score, j)
        }
        return top.sorted().map { Recommendation(item: Int($0.index), score: $0.score, reasons: reasons(for: $0.index, history: had)) }
    }

    /// The (at most 3) history items that added most to `item`'s score, largest first, each with its share
    /// of the positive contributions (shares sum to at most 1).
    public func reasons(for item: Int32, history: Set<Int32>) -> [Reason] {
        guard item >= 0, Int(item) < itemCount else { return [] }
        var contributions: [(item: Int32, amount: Float)] = []
        var total: Float = 0
        for i in history where i >= 0 && Int(i) < itemCount {
            let amount = weights[Int(i) * itemCount + Int(item)]
            if amount > 0 {
                contributions.append((i, amount))
                total += amount
            }
        }
        guard total > 0 else { return [] }
        contributions.sort { $0.amount != $1.amount ? $0.amount > $1.amount : $0.item < $1.item }
        return contributions.prefix(3).map { .becauseOf(item: Int($0.item), share: min(1, $0.amount / total)) }
    }

    /// The `k` items that having `item` raises most, with their weights (positive only).
    public func similarItems(to item: Int32, k: Int) -> [(item: Int32, similarity: Float)] {
        guard item >= 0, Int(item) < itemCount else { return [] }
        var top = TopK(k: k)
        let row = Int(item) * itemCount
        for j in 0..<Int32(itemCount) where weights[row + Int(j)] > 0 { top.offer(weights[row + Int(j)], j) }
        return top.sorted().map { ($0.index, $0.score) }
    }
}
