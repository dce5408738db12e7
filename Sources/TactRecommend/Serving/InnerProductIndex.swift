import TactCore

/// Approximate maximum-inner-product search over item factors: the largest x·y without scoring
/// every item. Each item y gets one more coordinate, √(M² − ‖y‖²) with M the largest item norm, so
/// all items lie on one sphere and the nearest items to (x, 0) are those with the largest x·y
/// (Bachrach et al. 2014). The augmented items are clustered by k-means; a search scores exactly
/// the items of the clusters nearest the query, and more clusters while fewer than k items qualify.
public struct InnerProductIndex: Sendable {
    /// Items indexed (rows of the factor matrix it was built from).
    public let items: Int
    /// Factors per item (and per query).
    public let factors: Int
    /// Non-empty clusters.
    public let clusters: Int
    /// Clusters a search scores when it is not told how many: `defaultProbes(clusters:)` unless given at build.
    public let probes: Int
    /// Items in each cluster.
    public let clusterSizes: [Int]
    /// The largest item norm, M, when built; an upper bound on it after `replacingItems` (see InnerProductIndex+Patch.swift).
    public let maxNorm: Float
    /// The centroids' first `factors` coordinates, 16 to a block, factor-major inside a block.
    let centroidBlocks: [Float]
    /// ‖c‖² of each whole augmented centroid; +∞ in the padding lanes of the last block.
    let centroidNormSquares: [Float]
    /// Cluster j's items are the rows of blocks clusterStart[j]..<clusterStart[j + 1].
    let clusterStart: [Int]
    /// The item factors reordered by cluster, each cluster padded to whole blocks of 16 rows.
    let itemBlocks: [Float]
    /// The original item of every row of `itemBlocks`; -1 for padding.
    let rowItems: [Int32]
    /// Blocks in the largest cluster.
    let largestClusterBlocks: Int

    /// About 2√n clusters (632 for 100,000 items), of about √n/2 items each.
    public static func defaultClusters(items n: Int) -> Int { max(1, min(n, Int((2 * Double(n).squareRoot()).rounded()))) }

    /// Clusters probed by default: 10% of them, at least 8. On ALS factors of 10,000 to 100,000 items
    /// (64 factors) this finds ≥ 0.95 of the exact top 10, even for three-item histories
    /// (see Benchmarks/ServingLatency).
    public static func defaultProbes(clusters: Int) -> Int { min(clusters, max(8, (clusters + 9) / 10)) }

    /// Indexes the rows of `itemFactors`. `clusters` defaults to `defaultClusters(items:)`, `probes` to
    /// `defaultProbes(clusters:)`; k-means runs `iterations` Lloyd steps from a `seed` on a sample of
    /// 64 items per cluster, then places every item, on `threads` workers (0: one per active processor).
    /// Deterministic for a seed, whatever the thread count.
    public init(
        itemFactors y: FactorMatrix, clusters requested: Int? = nil, probes: Int? = nil,
        iterations: Int = 10, seed: UInt64 = 1, threads: Int = 0
    ) {
        let n = y.rows, k = y.factors, s = y.stride
        items = n
        factors = k
        let threads = resolvedThreads(threads)

        // Augment: (y, √(M² − ‖y‖²)), so every item has norm M.
        let d = k + 1, augmentedStride = (d + 15) / 16 * 16
        var normSquares = [Float](repeating: 0, count: n)
        y.storage.withUnsafeBufferPointer { ys in
            for i in 0..<n { normSquares[i] = VectorKernels.dot(ys.baseAddress! + i * s, ys.baseAddress! + i * s, s) }
        }
        let m2 = normSquares.max() ?? 0
        maxNorm = m2.squareRoot()
        var augmented = [Float](repeating: 0, count: n * augmentedStride)
        for i in 0..<n {
            for f in 0..<k { augmented[i * augmentedStride + f] = y.storage[i * s + f] }
            augmented[i * augmentedStride + k] = max(0, m2 - normSquares[i]).squareRoot()
        }

        let wanted = requested ?? Self.defaultClusters(items: n)
        let result =
            n == 0
            ? KMeans.Result(centroids: [], assignment: [], iterations: 0)
            : augmented.withUnsafeBufferPointer { ap in
                KMeans.cluster(
                    ap.baseAddress!, count: n, dimensions: d, stride: augmentedStride, clusters: wanted, iterations: iterations,
                    trainingPoints: 64 * wanted, seed: seed, threads: threads)
            }

        // Group the items by cluster (ascending item order inside one), dropping empty clusters.
        var members = [[Int]](repeating: [], count: result.centroids.count / max(1, augmentedStride))
        for i in 0..<n { members[Int(result.assignment[i])].append(i) }
        let kept = members.indices.filter { !members[$0].isEmpty }
        clusters = kept.count
        clusterSizes = kept.map { members[$0].count }
        var starts = [0], rows: [Int] = []
        for j in kept {
            rows += members[j]
            rows += [Int](repeating: -1, count: (16 - members[j].count % 16) % 16)
            starts.append(rows.count / 16)
        }
        clusterStart = starts
        largestClusterBlocks = zip(starts.dropFirst(), starts).map { $0 - $1 }.max() ?? 0
        rowItems = rows.map { Int32($0) }
        itemBlocks =
            rows.isEmpty
            ? []
            : y.storage.withUnsafeBufferPointer { ys in
                [Float](unsafeUninitializedCapacity: rows.count * k) { buffer, count in
                    BlockedDot.pack(ys.baseAddress!, stride: s, factors: k, rows: rows, into: buffer.baseAddress!)
                    count = rows.count * k
                }
            }
        let centroidBlockCount = (kept.count + 15) / 16
        centroidBlocks =
            kept.isEmpty
            ? []
            : result.centroids.withUnsafeBufferPointer { cp in
                [Float](unsafeUninitializedCapacity: centroidBlockCount * 16 * k) { buffer, count in
                    BlockedDot.pack(cp.baseAddress!, stride: augmentedStride, factors: k, rows: kept, into: buffer.baseAddress!)
                    count = centroidBlockCount * 16 * k
                }
            }
        var norms = [Float](repeating: .infinity, count: centroidBlockCount * 16)
        result.centroids.withUnsafeBufferPointer { cp in
            for (slot, j) in kept.enumerated() {
                norms[slot] = VectorKernels.dot(cp.baseAddress! + j * augmentedStride, cp.baseAddress! + j * augmentedStride, augmentedStride)
            }
        }
        centroidNormSquares = norms
        self.probes = min(kept.count, max(1, probes ?? Self.defaultProbes(clusters: kept.count)))
    }

    /// The `k` items with the largest x·y among those not in `excluding` and accepted by `allowed`,
    /// best first, with their exact scores. Scores the `probes` clusters nearest (x, 0), then further
    /// clusters in order while fewer than `k` items qualify. `x` holds at least `factors` floats.
    public func search(
        _ x: [Float], k: Int, probes: Int? = nil, excluding: Set<Int32> = [],
        allowed: ((Int32) -> Bool)? = nil
    ) -> [(item: Int32, score: Float)] {
        precondition(x.count >= factors, "the query needs \(factors) factors")
        guard k > 0, clusters > 0 else { return [] }
        let probes = min(clusters, max(1, probes ?? self.probes))
        let centroidBlockCount = (clusters + 15) / 16
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(centroidBlockCount, largestClusterBlocks) * 16)
        defer { scratch.deallocate() }

        // Rank the clusters by ‖(x', 0) − c‖² − ‖x'‖² = ‖c‖² − 2 x'·c, with x' = x scaled to norm M: on the
        // items' sphere, like them. Scaling leaves the answer alone but makes the ranking the same for
        // every length of x (a raw x weights ‖c‖², the spread of a cluster, more the shorter x is).
        var distances = [Float](repeating: 0, count: clusters)
        x.withUnsafeBufferPointer { xp in
            centroidBlocks.withUnsafeBufferPointer { cp in
                BlockedDot.scores(cp.baseAddress!, blockCount: centroidBlockCount, factors: factors, x: xp.baseAddress!, into: scratch)
            }
        }
        let length = x.prefix(factors).reduce(0) { $0 + $1 * $1 }.squareRoot()
        let scale = length > 0 ? maxNorm / length : 1
        for j in 0..<clusters { distances[j] = centroidNormSquares[j] - 2 * scale * scratch[j] }
        var nearest = TopK(k: probes)
        for j in 0..<clusters { nearest.offer(-distances[j], Int32(j)) }
        let first = nearest.sorted().map { Int($0.index) }

        var top = TopK(k: k)
        x.withUnsafeBufferPointer { xp in
            itemBlocks.withUnsafeBufferPointer { ib in
                rowItems.withUnsafeBufferPointer { ri in
                    func scan(_ j: Int) {
                        let start = clusterStart[j], blocks = clusterStart[j + 1] - start
                        BlockedDot.scores(ib.baseAddress! + start * factors * 16, blockCount: blocks, factors: factors, x: xp.baseAddress!, into: scratch)
                        let rows = ri.baseAddress! + start * 16
                        for r in 0..<(blocks * 16) {
                            let score = scratch[r]
                            if score <= top.threshold { continue }
                            let item = rows[r]
                            if item < 0 || excluding.contains(item) { continue }
                            if let allowed, !allowed(item) { continue }
                            top.offer(score, item)
                        }
                    }
                    for j in first { scan(j) }
                    // Too few qualified (heavy filters): go on through the remaining clusters, nearest first.
                    if top.heap.count < k && probes < clusters {
                        var probed = [Bool](repeating: false, count: clusters)
                        for j in first { probed[j] = true }
                        let rest = (0..<clusters).filter { !probed[$0] }.sorted {
                            distances[$0] != distances[$1] ? distances[$0] < distances[$1] : $0 < $1
                        }
                        for j in rest {
                            if top.heap.count >= k { break }
                            scan(j)
                        }
                    }
                }
            }
        }
        return top.sorted().map { ($0.index, $0.score) }
    }
}
