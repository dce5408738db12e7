/// What a recommendation list trades relevance for: diversity (maximal marginal relevance), caps per
/// group (a tag, a genre, an artist), novelty (less of what everyone already has) and exploration
/// (new items with no interactions yet). The defaults change nothing.
public struct RerankOptions: Sendable, Equatable {
    /// MMR's λ: 1 ranks by relevance alone, 0 by diversity alone; in between, each next item maximizes
    /// λ·relevance − (1 − λ)·(its highest similarity to an item already chosen).
    public var lambda: Float
    /// At most this many items of one group in a list; nil for no cap.
    public var maxPerGroup: Int?
    /// Subtracted from relevance in proportion to an item's popularity (0...1, log-scaled); 0 for none.
    public var novelty: Float
    /// Share of the list (0...1) given to new items, chosen by how well their tags match the history.
    public var exploration: Float

    public init(lambda: Float = 1, maxPerGroup: Int? = nil, novelty: Float = 0, exploration: Float = 0) {
        self.lambda = lambda
        self.maxPerGroup = maxPerGroup
        self.novelty = novelty
        self.exploration = exploration
    }

    /// Whether these options leave a relevance ranking as it is.
    public var isIdentity: Bool { lambda >= 1 && maxPerGroup == nil && novelty == 0 && exploration == 0 }

    /// How many candidates to rank before re-ranking to `k`: enough for diversity and caps to choose from.
    public func candidates(for k: Int) -> Int { isIdentity ? k : max(50, 5 * k) }
}
