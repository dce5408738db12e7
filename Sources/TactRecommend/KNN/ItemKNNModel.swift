import Foundation
import TactCore

/// An item-based k-nearest-neighbour recommender (as `implicit.nearest_neighbours`): each item keeps its
/// most similar items, and a person's score for an item is their history times the similarity matrix.
public struct ItemKNNModel: Sendable, Equatable {
    /// How the model was trained.
    public var configuration: ItemKNNConfiguration
    /// Items × items: row `i` holds item `i`'s `neighbours` most similar other items (ascending index),
    /// only positive similarities, never `i` itself.
    public var similarity: SparseMatrix

    /// A model from an already computed similarity matrix (for example, one read back from storage).
    public init(configuration: ItemKNNConfiguration, similarity: SparseMatrix) {
        precondition(similarity.rows == similarity.columns)
        self.configuration = configuration
        self.similarity = similarity
    }

    /// Weights `userItems` (people × items, non-negative values) and keeps each item's nearest neighbours.
    public static func train(_ userItems: SparseMatrix, configuration: ItemKNNConfiguration) -> ItemKNNModel {
        let itemUsers = weightedItemUsers(userItems, configuration: configuration)
        let similarity = nearestNeighbours(
            itemUsers: itemUsers, userItems: itemUsers.transposed(),
            neighbours: configuration.neighbours, threads: resolvedThreads(configuration.threads))
        return ItemKNNModel(configuration: configuration, similarity: similarity)
    }

    /// The `k` best items for a person with `history` (item, value), scored Σ value × similarity,
    /// leaving out the history itself, `excluding` and items `allowed` rejects; up to 3 reasons each.
    public func recommend(
        history: [(item: Int32, value: Float)], k: Int, excluding: Set<Int32> = [],
        allowed: ((Int32) -> Bool)? = nil
    ) -> [Recommendation] {
        let n = similarity.rows
        guard k > 0, n > 0 else { return [] }
        let liked = Self.merged(history, itemCount: n)
        let likedItems = Set(liked.map(\.item))

        // Scores: the history row times the similarity matrix, in ascending history order.
        var scores = [Float](repeating: 0, count: n)
        var reached = [Bool](repeating: false, count: n)
        var candidates: [Int32] = []
        for h in liked {
            let (indices, values) = similarity.row(Int(h.item))
            for (j, s) in zip(indices, values) {
                if !reached[Int(j)] { reached[Int(j)] = true; candidates.append(j) }
                scores[Int(j)] += h.value * s
            }
        }

        var top = TopK(k: k)
        for j in candidates {
            let score = scores[Int(j)]
            if score <= 0 || score < top.threshold { continue }
            if likedItems.contains(j) || excluding.contains(j) { continue }
            if let allowed, !allowed(j) { continue }
            top.offer(score, j)
        }
        return top.sorted().map { best in
            Recommendation(item: Int(best.index), score: best.score, reasons: reasons(for: best.index, liked: liked))
        }
    }

    /// The `k` items most similar to `item`, most similar first (only those among its kept neighbours).
    public func similarItems(to item: Int32, k: Int) -> [(item: Int32, similarity: Float)] {
        guard item >= 0, Int(item) < similarity.rows else { return [] }
        var top = TopK(k: k)
        let (indices, values) = similarity.row(Int(item))
        for (j, s) in zip(indices, values) { top.offer(s, j) }
        return top.sorted().map { ($0.index, $0.score) }
    }

    // MARK: - Reasons

    /// The (at most 3) history items that contributed most to `item`'s score, largest first.
    /// A share is the contribution value × similarity over the sum of all positive contributions,
    /// which is the score itself when every history value is positive; shares sum to at most 1.
    func reasons(for item: Int32, liked: [(item: Int32, value: Float)]) -> [Reason] {
        var contributions: [(item: Int32, amount: Float)] = []
        var total: Float = 0
        for h in liked {
            let amount = h.value * keptSimilarity(Int(h.item), item)
            if amount > 0 {
                contributions.append((h.item, amount))
                total += amount
            }
        }
        guard total > 0 else { return [] }
        contributions.sort { $0.amount != $1.amount ? $0.amount > $1.amount : $0.item < $1.item }
        return contributions.prefix(3).map { .becauseOf(item: Int($0.item), share: min(1, $0.amount / total)) }
    }

    /// The kept similarity of item `i` to item `j`, 0 when `j` is not among `i`'s neighbours.
    func keptSimilarity(_ i: Int, _ j: Int32) -> Float {
        var low = similarity.rowStart[i], high = similarity.rowStart[i + 1]
        while low < high {
            let mid = (low + high) / 2
            if similarity.indices[mid] < j { low = mid + 1 } else { high = mid }
        }
        return low < similarity.rowStart[i + 1] && similarity.indices[low] == j ? similarity.values[low] : 0
    }

    /// The history with out-of-range items dropped and repeated items summed, in ascending item order.
    static func merged(_ history: [(item: Int32, value: Float)], itemCount: Int) -> [(item: Int32, value: Float)] {
        var sums: [Int32: Float] = [:]
        for h in history where h.item >= 0 && Int(h.item) < itemCount { sums[h.item, default: 0] += h.value }
        return sums.keys.sorted().map { ($0, sums[$0]!) }
    }

    // MARK: - Weighting (implicit's nearest_neighbours.py: items are documents, people are terms)

    /// The items × people matrix that is compared: `userItems` transposed and weighted.
    static func weightedItemUsers(_ userItems: SparseMatrix, configuration: ItemKNNConfiguration) -> SparseMatrix {
        let itemUsers = userItems.transposed()
        switch configuration.weighting {
        case .cosine: return normalizedRows(itemUsers)
        case .tfidf: return normalizedRows(tfidfWeighted(itemUsers))
        case .bm25: return bm25Weighted(itemUsers, k1: configuration.bm25K1, b: configuration.bm25B)
        }
    }

    /// Per person u: idf(u) = log(N) − log(1 + n_u), N the number of items, n_u the person's stored cells.
    static func inverseFrequencies(_ itemUsers: SparseMatrix) -> [Float] {
        var counts = [Int](repeating: 0, count: itemUsers.columns)
        for u in itemUsers.indices { counts[Int(u)] += 1 }
        let logN = log(Double(itemUsers.rows))
        return counts.map { Float(logN - log1p(Double($0))) }
    }

    /// TF-IDF: w(i, u) = √x(i, u) · idf(u).
    static func tfidfWeighted(_ itemUsers: SparseMatrix) -> SparseMatrix {
        let idf = inverseFrequencies(itemUsers)
        var values = itemUsers.values
        for k in values.indices { values[k] = values[k].squareRoot() * idf[Int(itemUsers.indices[k])] }
        return SparseMatrix(
            rows: itemUsers.rows, columns: itemUsers.columns, rowStart: itemUsers.rowStart,
            indices: itemUsers.indices, values: values)
    }

    /// BM25: w(i, u) = x · (K1 + 1) / (K1 · L(i) + x) · idf(u), with L(i) = (1 − B) + B · |i| / mean |·|
    /// and |i| = Σ_u x(i, u), the mean taken over all items.
    static func bm25Weighted(_ itemUsers: SparseMatrix, k1: Float, b: Float) -> SparseMatrix {
        let idf = inverseFrequencies(itemUsers)
        var lengths = [Double](repeating: 0, count: itemUsers.rows)
        for i in 0..<itemUsers.rows {
            for x in itemUsers.row(i).values { lengths[i] += Double(x) }
        }
        let average = itemUsers.rows > 0 ? lengths.reduce(0, +) / Double(itemUsers.rows) : 0
        var values = itemUsers.values
        for i in 0..<itemUsers.rows {
            let lengthNorm = average > 0 ? Float((1 - Double(b)) + Double(b) * lengths[i] / average) : 1
            for k in itemUsers.rowStart[i]..<itemUsers.rowStart[i + 1] {
                let x = values[k]
                values[k] = x * (k1 + 1) / (k1 * lengthNorm + x) * idf[Int(itemUsers.indices[k])]
            }
        }
        return SparseMatrix(
            rows: itemUsers.rows, columns: itemUsers.columns, rowStart: itemUsers.rowStart,
            indices: itemUsers.indices, values: values)
    }

    /// Each row scaled to unit Euclidean length (rows of zeros stay zero), so dot products are cosines.
    static func normalizedRows(_ m: SparseMatrix) -> SparseMatrix {
        var values = m.values
        for i in 0..<m.rows {
            let range = m.rowStart[i]..<m.rowStart[i + 1]
            var sumOfSquares: Double = 0
            for k in range { sumOfSquares += Double(values[k]) * Double(values[k]) }
            guard sumOfSquares > 0 else { continue }
            let scale = Float(1 / sumOfSquares.squareRoot())
            for k in range { values[k] *= scale }
        }
        return SparseMatrix(rows: m.rows, columns: m.columns, rowStart: m.rowStart, indices: m.indices, values: values)
    }

    // MARK: - Neighbour search (implicit's all_pairs_knn)

    /// For each item i, s(i, j) = Σ_u w(i, u) · w(j, u) over the people u who share both, accumulated
    /// through the items → people and people → items structures; keeps the `neighbours` largest positive
    /// s(i, j), j ≠ i. Each item is computed alone, in a fixed order, so no result depends on the threads.
    static func nearestNeighbours(itemUsers: SparseMatrix, userItems: SparseMatrix, neighbours: Int, threads: Int) -> SparseMatrix {
        let n = itemUsers.rows
        let k = max(0, min(neighbours, n - 1))
        let keptIndices = SharedPointer(base: UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n * k)))
        let keptValues = SharedPointer(base: UnsafeMutablePointer<Float>.allocate(capacity: max(1, n * k)))
        let keptCounts = SharedPointer(base: UnsafeMutablePointer<Int>.allocate(capacity: max(1, n)))
        defer { keptIndices.base.deallocate(); keptValues.base.deallocate(); keptCounts.base.deallocate() }

        // Chunk size depends on the item count only; every chunk allocates its own dense scratch.
        let chunkSize = max(32, (n + 255) / 256)
        parallelChunks(count: n, chunkSize: chunkSize, threads: threads) { items in
            var sums = [Float](repeating: 0, count: n)
            var lastSeen = [Int32](repeating: -1, count: n)
            var touched: [Int32] = []
            for i in items {
                touched.removeAll(keepingCapacity: true)
                for a in itemUsers.rowStart[i]..<itemUsers.rowStart[i + 1] {
                    let u = Int(itemUsers.indices[a]), w = itemUsers.values[a]
                    if w == 0 { continue }
                    for b in userItems.rowStart[u]..<userItems.rowStart[u + 1] {
                        let j = userItems.indices[b]
                        if lastSeen[Int(j)] != Int32(i) { lastSeen[Int(j)] = Int32(i); touched.append(j) }
                        sums[Int(j)] += userItems.values[b] * w
                    }
                }
                var top = TopK(k: k)
                for j in touched {
                    let s = sums[Int(j)]
                    sums[Int(j)] = 0
                    if Int(j) != i && s > 0 { top.offer(s, j) }
                }
                let best = top.sorted().sorted { $0.index < $1.index }
                for (m, pair) in best.enumerated() {
                    keptIndices.base[i * k + m] = pair.index
                    keptValues.base[i * k + m] = pair.score
                }
                keptCounts.base[i] = best.count
            }
        }

        var rowStart = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { rowStart[i + 1] = rowStart[i] + keptCounts.base[i] }
        var indices: [Int32] = [], values: [Float] = []
        indices.reserveCapacity(rowStart[n])
        values.reserveCapacity(rowStart[n])
        for i in 0..<n {
            indices.append(contentsOf: UnsafeBufferPointer(start: keptIndices.base + i * k, count: keptCounts.base[i]))
            values.append(contentsOf: UnsafeBufferPointer(start: keptValues.base + i * k, count: keptCounts.base[i]))
        }
        return SparseMatrix(rows: n, columns: n, rowStart: rowStart, indices: indices, values: values)
    }
}
