/// How to train an item-based k-nearest-neighbour model (as `implicit.nearest_neighbours`).
/// The defaults are those of implicit's `ItemItemRecommender` and `BM25Recommender`.
public struct ItemKNNConfiguration: Sendable, Equatable, Codable {
    /// How interaction values are weighted before items are compared.
    public enum Weighting: String, Sendable, Codable, CaseIterable {
        /// Cosine similarity of the raw values (implicit's `CosineRecommender`).
        case cosine
        /// Cosine similarity after TF-IDF weighting, people as terms (implicit's `TFIDFRecommender`).
        case tfidf
        /// Dot product after BM25 weighting, people as terms (implicit's `BM25Recommender`).
        case bm25
    }

    /// The weighting; implicit has one recommender class per weighting.
    public var weighting = Weighting.cosine
    /// Similar items kept per item (implicit's `K`, default 20). Unlike implicit, the item itself is not counted.
    public var neighbours = 20
    /// BM25 term-frequency saturation: `BM25Recommender`'s default 1.2 (not `bm25_weight`'s 100, meant for ALS).
    public var bm25K1: Float = 1.2
    /// BM25 length normalisation, 0...1: `BM25Recommender`'s default 0.75 (not `bm25_weight`'s 0.8, meant for ALS).
    public var bm25B: Float = 0.75
    /// Worker threads; 0 means one per active processor. The model does not depend on it.
    public var threads = 0

    public init() {}
}
