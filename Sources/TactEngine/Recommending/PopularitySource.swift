import TactCore
import TactRecommend
import TactStore

/// Which popularity a configuration may show anyone. The fallback for people without personalization
/// (unknown, no consent, no history), short-list top-ups, playlists for everyone, the novelty discount
/// and the privacy center's "among everyone's favourites" all read the one `TrainedPopularity` this
/// gives; no route or command picks its own.
///
/// Under a private model (dp-als, dp-popular) it is the model's own charged release, never the exact
/// counts: in a private configuration every statistic that leaves the server comes from a release in
/// the ledger (DESIGN.md, invariant 3).
public enum PopularitySource: Sendable, Equatable {
    /// Exact, time-decayed counts over consented training data (`PopularityRecommender`): for
    /// configurations that make no privacy claim (als, knn, popular).
    case exact
    /// The private model's release: a DP popularity model's own scores, or a DP-ALS model's noisy item
    /// counts (`ModelMetadata.releasedPopularity`). Without a release (no model yet, or DP-ALS trained
    /// with no count share) every score is 0 and the list is the model's items in id order: nothing is
    /// shown that was not released.
    case released

    public init(spec: ModelSpec) { self = spec.isPrivate ? .released : .exact }

    /// The source for a model file's algorithm name: "dp-als" and "dp-popular" are private.
    public init(algorithm: String) { self = algorithm.hasPrefix("dp-") ? .released : .exact }

    /// The popularity to show beside `model`, whose columns are `itemIDs`; `releasedPopularity` is what
    /// a DP-ALS model file holds. `model` is nil when no model is trained yet.
    public func popularity(engine: Engine, model: (any RecommenderModel)?, itemIDs: [String], releasedPopularity: [Float]?) throws -> TrainedPopularity {
        switch self {
        case .exact:
            return try PopularityRecommender(engine: engine).train()
        case .released:
            let scores = model?.popularityScores ?? releasedPopularity ?? []
            return try TrainedPopularity.released(engine: engine, itemIDs: model == nil ? [] : itemIDs, scores: scores)
        }
    }
}

extension TrainedPopularity {
    /// Released scores by item id as a popularity to serve. How many people or events it came from is
    /// not released, so those counts are 0.
    static func released(engine: Engine, itemIDs: [String], scores: [Float]) throws -> TrainedPopularity {
        let catalog = try engine.store.read { r in try r.items() }
        var byID: [String: (row: ItemRow, item: Item)] = [:]
        for entry in catalog { byID[entry.item.id] = entry }
        let scores = scores.count == itemIDs.count ? scores : [Float](repeating: 0, count: itemIDs.count)
        var indexOfRow: [ItemRow: Int] = [:]
        for (i, id) in itemIDs.enumerated() { if let row = byID[id]?.row { indexOfRow[row] = i } }
        return TrainedPopularity(
            model: PopularityModel(scores: scores), items: itemIDs.map { byID[$0]?.item ?? Item(id: $0) },
            itemRows: itemIDs.map { byID[$0]?.row ?? -1 }, indexOfRow: indexOfRow,
            subjectsUsed: 0, subjectsExcluded: 0, eventsUsed: 0)
    }
}
