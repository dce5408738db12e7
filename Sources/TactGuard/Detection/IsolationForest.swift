import Foundation
import TactCore

/// An isolation forest (Liu, Ting and Zhou 2008): random trees that split random features at random
/// values; anomalies are isolated in fewer splits. The score is 2^(−E[path length]/c(n)), near 1 for
/// anomalies, at most about 0.5 for ordinary points.
public struct IsolationForest: Sendable {
    indirect enum Node: Sendable {
        case leaf(size: Int)
        case split(feature: Int, value: Double, left: Node, right: Node)
    }

    let trees: [Node]
    let sampleSize: Int

    /// Fits `trees` trees on random subsamples of `points` of `sampleSize` each.
    public init(points: [[Double]], trees: Int = 100, sampleSize: Int = 256, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let n = min(sampleSize, points.count)
        self.sampleSize = n
        let limit = Int(ceil(log2(Double(max(n, 2)))))
        var built: [Node] = []
        for _ in 0..<trees {
            var sample: [[Double]] = []
            for _ in 0..<n { sample.append(points[Int(random.next() % UInt64(points.count))]) }
            built.append(Self.grow(sample, depth: 0, limit: limit, random: &random))
        }
        self.trees = built
    }

    static func grow(_ points: [[Double]], depth: Int, limit: Int, random: inout SplitMix64) -> Node {
        guard points.count > 1, depth < limit, let width = points.first?.count, width > 0 else { return .leaf(size: points.count) }
        // A feature that varies in this sample, chosen at random.
        let varying = (0..<width).filter { f in points.contains { $0[f] != points[0][f] } }
        guard !varying.isEmpty else { return .leaf(size: points.count) }
        let f = varying[Int(random.next() % UInt64(varying.count))]
        let values = points.map { $0[f] }
        let low = values.min()!, high = values.max()!
        let cut = low + random.unit() * (high - low)
        let left = points.filter { $0[f] < cut }, right = points.filter { $0[f] >= cut }
        return .split(
            feature: f, value: cut, left: grow(left, depth: depth + 1, limit: limit, random: &random),
            right: grow(right, depth: depth + 1, limit: limit, random: &random))
    }

    /// The average path length of an unsuccessful search in a binary search tree of n points.
    static func c(_ n: Int) -> Double {
        guard n > 1 else { return 0 }
        let harmonic = log(Double(n - 1)) + 0.5772156649
        return 2 * harmonic - 2 * Double(n - 1) / Double(n)
    }

    static func pathLength(_ x: [Double], _ node: Node, depth: Double) -> Double {
        switch node {
        case .leaf(let size): return depth + c(size)
        case .split(let f, let value, let left, let right): return pathLength(x, x[f] < value ? left : right, depth: depth + 1)
        }
    }

    /// The anomaly score of `x` in (0, 1].
    public func score(_ x: [Double]) -> Double {
        let mean = trees.reduce(0) { $0 + Self.pathLength(x, $1, depth: 0) } / Double(trees.count)
        return pow(2, -mean / Self.c(sampleSize))
    }
}
