import TactCore

/// Lloyd's k-means over row-major Float32 points: random distinct points as the first centroids,
/// parallel assignment, empty clusters re-seeded with the points farthest from their centroids.
/// Deterministic for a seed, whatever the thread count.
enum KMeans {
    struct Result {
        /// Centroids, row-major, `stride` floats each (zero beyond the dimensions).
        var centroids: [Float]
        /// The nearest centroid of every point.
        var assignment: [Int32]
        /// Lloyd iterations run (fewer than asked when the assignment stopped changing).
        var iterations: Int
    }

    /// Clusters `count` points of `dimensions` floats, `stride` apart, into `clusters` groups.
    /// Lloyd iterations run on at most `trainingPoints` points drawn at random; then every point
    /// is assigned to its nearest centroid.
    static func cluster(
        _ points: UnsafePointer<Float>, count n: Int, dimensions d: Int, stride: Int, clusters requested: Int,
        iterations: Int, trainingPoints: Int, seed: UInt64, threads: Int
    ) -> Result {
        let c = max(1, min(requested, n))
        guard n > 0 else { return Result(centroids: [], assignment: [], iterations: 0) }
        var random = SplitMix64(seed: seed)

        // The training set: every point, or a random sample of them, copied together.
        let trainCount = max(c, min(n, trainingPoints))
        var order = Array(0..<n)
        if trainCount < n {
            for i in 0..<trainCount { order.swapAt(i, i + Int(random.next(below: UInt64(n - i)))) }
        }
        let train = UnsafeMutablePointer<Float>.allocate(capacity: trainCount * stride)
        defer { train.deallocate() }
        for t in 0..<trainCount { (train + t * stride).initialize(from: points + order[t] * stride, count: stride) }

        // First centroids: distinct training points at random.
        var centroids = [Float](repeating: 0, count: c * stride)
        var pick = Array(0..<trainCount)
        for j in 0..<c {
            pick.swapAt(j, j + Int(random.next(below: UInt64(trainCount - j))))
            for f in 0..<d { centroids[j * stride + f] = train[pick[j] * stride + f] }
        }

        var assignment = [Int32](repeating: -1, count: trainCount)
        var distance = [Float](repeating: 0, count: trainCount)
        var ran = 0
        for _ in 0..<max(1, iterations) {
            ran += 1
            let previous = assignment
            assign(
                train, count: trainCount, dimensions: d, stride: stride, centroids: centroids, clusters: c,
                assignment: &assignment, distance: &distance, threads: threads)
            if assignment == previous { break }
            // New centroids: the mean of each cluster's points.
            var sums = [Float](repeating: 0, count: c * stride)
            var counts = [Int](repeating: 0, count: c)
            sums.withUnsafeMutableBufferPointer { sp in
                for t in 0..<trainCount {
                    let j = Int(assignment[t])
                    counts[j] += 1
                    let s = sp.baseAddress! + j * stride, p = train + t * stride
                    for f in 0..<d { s[f] += p[f] }
                }
            }
            // An empty cluster takes over the point farthest from its own centroid (from a cluster of two or more).
            let empty = (0..<c).filter { counts[$0] == 0 }
            if !empty.isEmpty {
                var farthest = Array(0..<trainCount)
                farthest.sort { distance[$0] != distance[$1] ? distance[$0] > distance[$1] : $0 < $1 }
                var next = 0
                for j in empty {
                    while next < trainCount && counts[Int(assignment[farthest[next]])] < 2 { next += 1 }
                    guard next < trainCount else { break }
                    let t = farthest[next], old = Int(assignment[t])
                    next += 1
                    for f in 0..<d {
                        sums[old * stride + f] -= train[t * stride + f]
                        sums[j * stride + f] = train[t * stride + f]
                    }
                    counts[old] -= 1
                    counts[j] = 1
                    assignment[t] = Int32(j)
                }
            }
            for j in 0..<c where counts[j] > 0 {
                let scale = 1 / Float(counts[j])
                for f in 0..<d { centroids[j * stride + f] = sums[j * stride + f] * scale }
            }
        }

        // Every point to its nearest final centroid.
        var all = [Int32](repeating: -1, count: n)
        var allDistance = [Float](repeating: 0, count: n)
        assign(
            points, count: n, dimensions: d, stride: stride, centroids: centroids, clusters: c,
            assignment: &all, distance: &allDistance, threads: threads)
        return Result(centroids: centroids, assignment: all, iterations: ran)
    }

    /// Sets each point's nearest centroid (by ‖c‖² − 2 p·c) and its squared distance to it.
    static func assign(
        _ points: UnsafePointer<Float>, count n: Int, dimensions d: Int, stride: Int, centroids: [Float], clusters c: Int,
        assignment: inout [Int32], distance: inout [Float], threads: Int
    ) {
        let blockCount = (c + 15) / 16
        let blocks = UnsafeMutablePointer<Float>.allocate(capacity: blockCount * d * 16)
        defer { blocks.deallocate() }
        var norms = [Float](repeating: .infinity, count: blockCount * 16)
        centroids.withUnsafeBufferPointer { cp in
            BlockedDot.pack(cp.baseAddress!, stride: stride, factors: d, rows: Array(0..<c), into: blocks)
            for j in 0..<c { norms[j] = VectorKernels.dot(cp.baseAddress! + j * stride, cp.baseAddress! + j * stride, stride) }
        }
        let source = SharedPointer(base: UnsafeMutablePointer(mutating: points))
        let packed = SharedPointer(base: blocks)
        norms.withUnsafeMutableBufferPointer { np in
            assignment.withUnsafeMutableBufferPointer { ap in
                distance.withUnsafeMutableBufferPointer { dp in
                    let normsP = SharedPointer(base: np.baseAddress!)
                    let out = SharedPointer(base: ap.baseAddress!), outDistance = SharedPointer(base: dp.baseAddress!)
                    parallelChunks(count: n, chunkSize: 256, threads: threads) { range in
                        let scores = UnsafeMutablePointer<Float>.allocate(capacity: blockCount * 16)
                        defer { scores.deallocate() }
                        for i in range {
                            let p = source.base + i * stride
                            BlockedDot.scores(packed.base, blockCount: blockCount, factors: d, x: p, into: scores)
                            var best = Float.infinity, bestJ = 0
                            for j in 0..<c {
                                let v = normsP.base[j] - 2 * scores[j]
                                if v < best { best = v; bestJ = j }
                            }
                            out.base[i] = Int32(bestJ)
                            outDistance.base[i] = max(0, best + VectorKernels.dot(p, p, stride))
                        }
                    }
                }
            }
        }
    }
}
