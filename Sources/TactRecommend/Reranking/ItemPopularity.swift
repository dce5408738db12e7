import Foundation
import TactCore

/// Each item's popularity among people, from a (people × items) matrix: the share of people who had
/// it (for novelty, −log₂ of it) and a log-scaled 0...1 value (for the novelty discount).
public struct ItemPopularity: Sendable {
    /// People who had each item (or a weighted count, such as a time-decayed one).
    public let counts: [Float]
    public let people: Int
    private let logMax: Float

    public init(_ matrix: SparseMatrix) {
        var counts = [Float](repeating: 0, count: matrix.columns)
        for n in 0..<matrix.nonZeros { counts[Int(matrix.indices[n])] += 1 }
        self.init(counts: counts, people: matrix.rows)
    }

    public init(counts: [Float], people: Int) {
        self.counts = counts
        self.people = max(people, 1)
        logMax = log(1 + Float(counts.max() ?? 0))
    }

    /// log(1 + count) / log(1 + highest count): 0 for unseen items, 1 for the most popular.
    public func scaled(_ item: Int32) -> Float {
        let i = Int(item)
        guard i < counts.count, logMax > 0 else { return 0 }
        return log(1 + counts[i]) / logMax
    }

    /// Self-information of recommending the item, −log₂(share of people who had it); unseen items
    /// count as had by one person.
    public func selfInformation(_ item: Int32) -> Double {
        let i = Int(item)
        let count = i < counts.count ? max(Double(counts[i]), 1) : 1
        return -log2(count / Double(people))
    }
}
