/// Patching an index when a few items' factors change (after an erasure re-solves the items a person
/// touched), instead of clustering the whole catalog again.
extension InnerProductIndex {
    /// This index with the vectors of items `changed` replaced by their rows in `y` (the whole new item
    /// factor matrix, the same shape as the one indexed). Scores stay exact: bit for bit those of
    /// `ItemScorer` on `y`. Repeats in `changed` are ignored.
    ///
    /// Items are clustered as (y, √(M² − ‖y‖²)) on the sphere of radius M = `maxNorm`; any M at least
    /// the largest norm keeps the reduction to nearest neighbours sound. So:
    ///
    /// - No changed item longer than M (the usual case: O(changed · factors) plus one copy of the blocks):
    ///   every item stays in its cluster and only its stored vector is overwritten; M and the centroids
    ///   stay. After such a patch `maxNorm` bounds the item norms rather than always being their maximum.
    /// - Some changed items longer than M: they would lie outside the sphere, and in their old clusters
    ///   a search would reach them only when the clusters' other members are near the query. M grows to
    ///   the longest norm; those items move into one new cluster of their own (a fresh k-means would also
    ///   set such outliers apart: on the larger sphere they are far from everything else) and `probes`
    ///   grows by one, so the other clusters are probed as before (a cluster of long items spread over
    ///   many directions ranks first for most queries); clusters left empty are dropped; and every
    ///   centroid becomes the mean of its members on the new sphere (one Lloyd update, assignment kept).
    ///   O(items · factors), about 7 ms for 100,000 items × 64 factors, where a new k-means takes about
    ///   a second; each such patch adds at most one cluster until the next full build.
    public func replacingItems(_ changed: [Int32], in y: FactorMatrix) -> InnerProductIndex {
        precondition(y.rows == items && y.factors == factors, "the new factors must have the indexed shape")
        let changed = Set(changed).sorted()
        precondition(changed.allSatisfy { $0 >= 0 && Int($0) < items }, "changed items must be indexed")
        guard !changed.isEmpty else { return self }
        let k = factors, s = y.stride

        // Overwrite each changed item's lane where it sits, and find those now outside the sphere.
        var position = [Int](repeating: -1, count: items)
        for (r, item) in rowItems.enumerated() where item >= 0 { position[Int(item)] = r }
        var blocks = itemBlocks
        var outside: [Int32] = [], longest: Float = 0
        y.storage.withUnsafeBufferPointer { ys in
            blocks.withUnsafeMutableBufferPointer { bp in
                for item in changed {
                    let r = position[Int(item)], src = ys.baseAddress! + Int(item) * s
                    let dst = bp.baseAddress! + (r / 16) * k * 16 + r % 16
                    for f in 0..<k { dst[f * 16] = src[f] }
                    let norm = VectorKernels.dot(src, src, s).squareRoot()
                    if norm > maxNorm { outside.append(item) }
                    longest = max(longest, norm)
                }
            }
        }
        guard outside.isEmpty else {
            return regrouping(outside, at: outside.map { position[Int($0)] }, patched: blocks, in: y, maxNorm: longest)
        }
        return InnerProductIndex(
            items: items, factors: k, probes: probes, maxNorm: maxNorm, clusterSizes: clusterSizes,
            clusterStart: clusterStart, rowItems: rowItems, itemBlocks: blocks, largestClusterBlocks: largestClusterBlocks,
            centroidBlocks: centroidBlocks, centroidNormSquares: centroidNormSquares)
    }

    /// The index with `outside` (at rows `rows` of `blocks`, this index's blocks with the new vectors
    /// written in) moved into a new last cluster, and every centroid re-centered on the sphere of radius
    /// `m`. Clusters that lose no member keep their blocks as they are; the others are packed again from `y`.
    private func regrouping(
        _ outside: [Int32], at outsideRows: [Int], patched blocks: [Float], in y: FactorMatrix,
        maxNorm m: Float
    ) -> InnerProductIndex {
        let k = factors, s = y.stride, blockFloats = k * 16
        let moving = Set(outside)
        var losing = [Bool](repeating: false, count: clusters)
        for r in outsideRows {
            // The cluster whose blocks hold row r: the last j with clusterStart[j] ≤ r / 16.
            var lo = 0, hi = clusters - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if clusterStart[mid] <= r / 16 { lo = mid } else { hi = mid - 1 }
            }
            losing[lo] = true
        }

        var newBlocks: [Float] = [], rows: [Int32] = [], starts = [0], sizes: [Int] = []
        newBlocks.reserveCapacity(blocks.count + ((outside.count + 15) / 16 + 1) * blockFloats)
        rows.reserveCapacity(rowItems.count + outside.count + 16)
        func appendPacked(_ members: [Int]) {
            let padded = members + [Int](repeating: -1, count: (16 - members.count % 16) % 16)
            y.storage.withUnsafeBufferPointer { ys in
                newBlocks += [Float](unsafeUninitializedCapacity: padded.count * k) { buffer, count in
                    BlockedDot.pack(ys.baseAddress!, stride: s, factors: k, rows: padded, into: buffer.baseAddress!)
                    count = padded.count * k
                }
            }
            rows += padded.map { Int32($0) }
            starts.append(rows.count / 16)
            sizes.append(members.count)
        }
        for j in 0..<clusters {
            let first = clusterStart[j], end = clusterStart[j + 1]
            if !losing[j] {
                newBlocks += blocks[(first * blockFloats)..<(end * blockFloats)]
                rows += rowItems[(first * 16)..<(end * 16)]
                starts.append(rows.count / 16)
                sizes.append(clusterSizes[j])
            } else {
                let members = rowItems[(first * 16)..<(end * 16)].filter { $0 >= 0 && !moving.contains($0) }
                if !members.isEmpty { appendPacked(members.map { Int($0) }) }
            }
        }
        appendPacked(outside.map { Int($0) })
        let groups = sizes.count

        // Centroids: the members' means on the new sphere, from the blocks (16 items at a time; padding lanes are zero).
        let m2 = m * m, augmentedStride = (k + 1 + 15) / 16 * 16
        var centroids = [Float](repeating: 0, count: groups * augmentedStride)
        let sum = UnsafeMutablePointer<Float>.allocate(capacity: blockFloats)
        defer { sum.deallocate() }
        newBlocks.withUnsafeBufferPointer { bp in
            centroids.withUnsafeMutableBufferPointer { cp in
                for j in 0..<groups {
                    sum.update(repeating: 0, count: blockFloats)
                    var augmented: Double = 0
                    for b in starts[j]..<starts[j + 1] {
                        let p = bp.baseAddress! + b * blockFloats
                        VectorKernels.axpy(1, p, sum, blockFloats)
                        var normSquares = SIMD16<Float>()
                        for f in 0..<k {
                            let v = UnsafeRawPointer(p + f * 16).loadUnaligned(as: SIMD16<Float>.self)
                            normSquares = normSquares + v * v
                        }
                        for lane in 0..<16 where rows[b * 16 + lane] >= 0 {
                            augmented += Double(max(0, m2 - normSquares[lane]).squareRoot())
                        }
                    }
                    let c = cp.baseAddress! + j * augmentedStride, scale = 1 / Float(sizes[j])
                    for f in 0..<k {
                        var total: Float = 0
                        for lane in 0..<16 { total += sum[f * 16 + lane] }
                        c[f] = total * scale
                    }
                    c[k] = Float(augmented / Double(sizes[j]))
                }
            }
        }
        let centroidBlockCount = (groups + 15) / 16
        let packed = centroids.withUnsafeBufferPointer { cp in
            [Float](unsafeUninitializedCapacity: centroidBlockCount * blockFloats) { buffer, count in
                BlockedDot.pack(cp.baseAddress!, stride: augmentedStride, factors: k, rows: Array(0..<groups), into: buffer.baseAddress!)
                count = centroidBlockCount * blockFloats
            }
        }
        var norms = [Float](repeating: .infinity, count: centroidBlockCount * 16)
        centroids.withUnsafeBufferPointer { cp in
            for j in 0..<groups {
                norms[j] = VectorKernels.dot(cp.baseAddress! + j * augmentedStride, cp.baseAddress! + j * augmentedStride, augmentedStride)
            }
        }
        return InnerProductIndex(
            items: items, factors: k, probes: min(groups, probes + 1), maxNorm: m, clusterSizes: sizes,
            clusterStart: starts, rowItems: rows, itemBlocks: newBlocks,
            largestClusterBlocks: zip(starts.dropFirst(), starts).map { $0 - $1 }.max() ?? 0,
            centroidBlocks: packed, centroidNormSquares: norms)
    }

    /// An index from its parts.
    private init(
        items: Int, factors: Int, probes: Int, maxNorm: Float, clusterSizes: [Int], clusterStart: [Int], rowItems: [Int32],
        itemBlocks: [Float], largestClusterBlocks: Int, centroidBlocks: [Float], centroidNormSquares: [Float]
    ) {
        self.items = items
        self.factors = factors
        self.clusters = clusterSizes.count
        self.probes = probes
        self.clusterSizes = clusterSizes
        self.maxNorm = maxNorm
        self.clusterStart = clusterStart
        self.rowItems = rowItems
        self.itemBlocks = itemBlocks
        self.largestClusterBlocks = largestClusterBlocks
        self.centroidBlocks = centroidBlocks
        self.centroidNormSquares = centroidNormSquares
    }
}
