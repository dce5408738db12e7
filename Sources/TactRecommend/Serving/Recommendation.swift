/// One recommended item with its score and the reasons it was chosen.
public struct Recommendation: Sendable, Equatable {
    /// The item's index in the model's item list.
    public var item: Int
    public var score: Float
    public var reasons: [Reason]

    public init(item: Int, score: Float, reasons: [Reason]) {
        self.item = item
        self.score = score
        self.reasons = reasons
    }
}

/// Why an item was recommended. Reasons are data: the API and the privacy center render them.
public enum Reason: Sendable, Equatable {
    /// The item is among the most popular with everyone (1-based rank, recency-weighted).
    case popular(rank: Int)
    /// The person's own history item `item` contributed `share` (0...1) of the score.
    case becauseOf(item: Int, share: Float)
}
