/// Patching an index in place when a few items' factors change (after an erasure re-solves the items a
/// person touched), instead of clustering the whole catalog again.
extension InnerProductIndex {
    /// This index with the vectors of items `changed` replaced by their rows in `y` (the whole new item
    /// factor matrix, the same shape as the one indexed). Every item stays in its cluster; its stored
    /// vector is overwritten, so scores stay exact and bit for bit those of `ItemScorer` on `y`.
    ///
    /// The sphere: items are clustered as (y, √(M² − ‖y‖²)) on the sphere of radius M = `maxNorm`. Any
    /// M at least the largest norm keeps the reduction sound, so when the changed items are no longer
    /// than M (or shorter, even the longest one) M and the centroids stay as they are, and after a patch
    /// `maxNorm` is an upper bound on the item norms rather than always their maximum. When a changed item
    /// is longer than M, M grows to its norm, every item's augmented coordinate moves onto the larger
    /// sphere, and each centroid becomes the mean of its members there (one Lloyd update with the
    /// assignment kept): O(items · factors), not a new k-means. Repeats in `changed` are ignored.
    public func replacingItems(_ changed: [Int32], in y: FactorMatrix) -> InnerProductIndex {
        precondition(y.rows == items && y.factors == factors, "the new factors must have the indexed shape")
        let changed = Set(changed).sorted()
        precondition(changed.allSatisfy { $0 >= 0 && Int($0) < items }, "changed items must be indexed")
        guard !changed.isEmpty else { return self }
        let k = factors, s = y.stride

        // Where each item sits in `itemBlocks`.
        var position = [Int](repeating: -1, count: items)
        for (r, item) in rowItems.enumerated() where item >= 0 { position[Int(item)] = r }
        var blocks = itemBlocks
        var longest: Float = 0
        y.storage.withUnsafeBufferPointer { ys in
            blocks.withUnsafeMutableBufferPointer { bp in
                for item in changed {
                    let r = position[Int(item)], src = ys.baseAddress! + Int(item) * s
                    let dst = bp.baseAddress! + (r / 16) * k * 16 + r % 16
                    for f in 0..<k { dst[f * 16] = src[f] }
                    longest = max(longest, VectorKernels.dot(src, src, s).squareRoot())
                }
            }
        }
        guard longest > maxNorm else {
            return InnerProductIndex(patching: self, itemBlocks: blocks, maxNorm: maxNorm,
                                     centroidBlocks: centroidBlocks, centroidNormSquares: centroidNormSquares)
        }

        // M grows: re-center every cluster on the larger sphere.
        let m2 = longest * longest
        let augmentedStride = (k + 1 + 15) / 16 * 16
        var centroids = [Float](repeating: 0, count: clusters * augmentedStride)
        y.storage.withUnsafeBufferPointer { ys in
            centroids.withUnsafeMutableBufferPointer { cp in
                for j in 0..<clusters {
                    let c = cp.baseAddress! + j * augmentedStride
                    var members = 0, augmented: Double = 0
                    for r in (clusterStart[j] * 16)..<(clusterStart[j + 1] * 16) where rowItems[r] >= 0 {
                        let yi = ys.baseAddress! + Int(rowItems[r]) * s
                        VectorKernels.axpy(1, yi, c, s)
                        augmented += Double(max(0, m2 - VectorKernels.dot(yi, yi, s)).squareRoot())
                        members += 1
                    }
                    let scale = 1 / Float(max(members, 1))
                    for f in 0..<k { c[f] *= scale }
                    for f in k..<augmentedStride { c[f] = 0 }
                    c[k] = Float(augmented / Double(max(members, 1)))
                }
            }
        }
        let centroidBlockCount = (clusters + 15) / 16
        let packed = centroids.withUnsafeBufferPointer { cp in
            [Float](unsafeUninitializedCapacity: centroidBlockCount * 16 * k) { buffer, count in
                BlockedDot.pack(cp.baseAddress!, stride: augmentedStride, factors: k, rows: Array(0..<clusters), into: buffer.baseAddress!)
                count = centroidBlockCount * 16 * k
            }
        }
        var norms = [Float](repeating: .infinity, count: centroidBlockCount * 16)
        centroids.withUnsafeBufferPointer { cp in
            for j in 0..<clusters {
                norms[j] = VectorKernels.dot(cp.baseAddress! + j * augmentedStride, cp.baseAddress! + j * augmentedStride, augmentedStride)
            }
        }
        return InnerProductIndex(patching: self, itemBlocks: blocks, maxNorm: longest, centroidBlocks: packed, centroidNormSquares: norms)
    }

    /// `base` with new item vectors, sphere and centroids; the clusters and their members unchanged.
    private init(patching base: InnerProductIndex, itemBlocks: [Float], maxNorm: Float, centroidBlocks: [Float], centroidNormSquares: [Float]) {
        items = base.items
        factors = base.factors
        clusters = base.clusters
        probes = base.probes
        clusterSizes = base.clusterSizes
        clusterStart = base.clusterStart
        rowItems = base.rowItems
        largestClusterBlocks = base.largestClusterBlocks
        self.maxNorm = maxNorm
        self.itemBlocks = itemBlocks
        self.centroidBlocks = centroidBlocks
        self.centroidNormSquares = centroidNormSquares
    }
}
