import TactCore

/// What serving, saving and erasure need from a trained model. Each algorithm's model conforms once
/// (`ALSServing`, `ItemKNNModel`, `PopularityModel`; the differentially private algorithms train models
/// of those kinds) and the engine calls only this: `ModelRecommender`, `ModelStorage`, `ModelPatcher`
/// and the server's `ModelBuilder` never ask which algorithm they hold.
///
/// Columns are the model's item columns. A history is (column, strength) pairs in ascending column
/// order, no column twice. Callers dispatch once per request; the numeric loops run in the conforming type.
public protocol RecommenderModel: Sendable {
    /// The best `candidates` columns for `history`, leaving out `excluding` and columns `allowed`
    /// rejects, best first, handed once to `choose` (a re-ranker: it may drop and reorder them, never
    /// add); the chosen come back with up to `reasonsPerItem` reasons each. A model that ignores
    /// history (popularity) still leaves out `excluding`.
    func rank(
        history: [(item: Int32, value: Float)], candidates: Int, excluding: Set<Int32>, allowed: ((Int32) -> Bool)?,
        reasonsPerItem: Int, choose: ([(item: Int32, score: Float)]) -> [(item: Int32, score: Float)]
    ) -> [RankedItem]

    /// The `k` columns most like `item`, most similar first; nil when the model has no notion of similar items.
    func similarColumns(to item: Int32, k: Int) -> [(item: Int32, similarity: Float)]?

    /// Whether `contributions(history:to:)` answers: the model's scores split by history item.
    var explainsScores: Bool { get }

    /// Each history column's contribution to `item`'s score for `history`, largest first (they sum to
    /// the score); nil when the model's scores do not split so.
    func contributions(history: [(item: Int32, value: Float)], to item: Int32) -> (score: Float, contributions: [(item: Int32, contribution: Float)])?

    /// How alike two columns are by the model's own measure (for re-ranking and playlists); nil when
    /// it has none, and the caller compares the items' tags.
    var columnSimilarity: ItemSimilarity? { get }

    /// The model's own popularity scores, one per column, when it is a popularity model (what a
    /// private popularity release may show); nil otherwise.
    var popularityScores: [Float]? { get }

    /// Whether a model in service takes a patched model file in place (`patched(by:)`); when not, the
    /// scheduled retrain brings an erasure's change.
    var patchesInService: Bool { get }

    /// This model with the patched file's changes (after an erasure); nil when the saved model is not
    /// this model patched (another shape or kind), and must be loaded whole.
    func patched(by saved: StoredModel) -> (model: any RecommenderModel, changed: [Int32])?

    /// The model as a model file stores it.
    var stored: StoredModel { get }

    /// The model read from a model file; nil when the file holds another kind of model.
    init?(stored: StoredModel)

    /// Whether the model file keeps one row per person (their ids are saved with it, to serve and erase them).
    static var keepsPersonRows: Bool { get }

    /// Erasure on the stored model, without building anything for serving: the person rows `removed`
    /// dropped and the columns `resolving` solved again from `strengths` (each column's current
    /// strengths by person row). `.needsRetrain` when only a retrain removes their part.
    static func removingPeople(
        _ removed: Set<Int>, from stored: StoredModel, resolving: [Int32],
        strengths: (Int32) -> [(user: Int, value: Float)]
    ) -> PeopleRemoval
}

extension RecommenderModel {
    public var explainsScores: Bool { false }
    public var columnSimilarity: ItemSimilarity? { nil }
    public var popularityScores: [Float]? { nil }
    public var patchesInService: Bool { false }
    public func patched(by saved: StoredModel) -> (model: any RecommenderModel, changed: [Int32])? { nil }
    public func similarColumns(to item: Int32, k: Int) -> [(item: Int32, similarity: Float)]? { nil }
    public func contributions(history: [(item: Int32, value: Float)], to item: Int32)
        -> (score: Float, contributions: [(item: Int32, contribution: Float)])?
    { nil }
    public static var keepsPersonRows: Bool { false }
    public static func removingPeople(
        _ removed: Set<Int>, from stored: StoredModel, resolving: [Int32],
        strengths: (Int32) -> [(user: Int, value: Float)]
    ) -> PeopleRemoval { .needsRetrain }
}
