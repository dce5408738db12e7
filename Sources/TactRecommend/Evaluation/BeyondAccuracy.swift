import Foundation

/// What accuracy does not measure, over the lists a model gives: how different the items in a list
/// are from each other (intra-list diversity), how unexpected they are (novelty), and how much of
/// the catalog the lists reach (coverage).
public struct BeyondAccuracy: Sendable, Equatable {
    /// Mean over lists of the mean pairwise dissimilarity (1 − similarity) of their items.
    public var intraListDiversity: Double
    /// Mean over recommended items of −log₂(share of people who had the item).
    public var novelty: Double
    /// Distinct items recommended to anyone / items in the catalog.
    public var coverage: Double

    public init(intraListDiversity: Double, novelty: Double, coverage: Double) {
        self.intraListDiversity = intraListDiversity
        self.novelty = novelty
        self.coverage = coverage
    }

    public static func measure(lists: [[Int32]], items: Int, similarity: (Int32, Int32) -> Float, popularity: ItemPopularity) -> BeyondAccuracy {
        var diversitySum = 0.0, diversityLists = 0
        var noveltySum = 0.0, recommended = 0
        var reached = Set<Int32>()
        for list in lists {
            reached.formUnion(list)
            for item in list { noveltySum += popularity.selfInformation(item) }
            recommended += list.count
            guard list.count > 1 else { continue }
            var pairs = 0.0, dissimilarity = 0.0
            for a in 0..<list.count {
                for b in (a + 1)..<list.count {
                    dissimilarity += Double(1 - similarity(list[a], list[b]))
                    pairs += 1
                }
            }
            diversitySum += dissimilarity / pairs
            diversityLists += 1
        }
        return BeyondAccuracy(
            intraListDiversity: diversityLists > 0 ? diversitySum / Double(diversityLists) : 0,
            novelty: recommended > 0 ? noveltySum / Double(recommended) : 0,
            coverage: items > 0 ? Double(reached.count) / Double(items) : 0)
    }
}
