import Foundation
import TactCore
import TactRecommend
import TactStore

/// Filters a caller may put on recommendations.
public struct RecommendationFilter: Sendable {
    /// Keep only items with at least one of these tags (empty: no constraint).
    public var includeTags: Set<String> = []
    /// Leave out items with any of these tags.
    public var excludeTags: Set<String> = []
    /// Leave out these item ids.
    public var excludeItems: Set<String> = []

    public init(includeTags: Set<String> = [], excludeTags: Set<String> = [], excludeItems: Set<String> = []) {
        self.includeTags = includeTags
        self.excludeTags = excludeTags
        self.excludeItems = excludeItems
    }

    /// Whether the filter lets `item` through.
    public func allows(_ item: Item) -> Bool {
        if excludeItems.contains(item.id) { return false }
        if !includeTags.isEmpty, !item.tags.contains(where: includeTags.contains) { return false }
        if item.tags.contains(where: excludeTags.contains) { return false }
        return true
    }
}

/// Why an item was recommended: the person's own history items that contributed most.
public struct ItemReason: Sendable, Equatable {
    public let item: Item
    /// Share of the score (0...1) this history item accounts for.
    public let share: Float
}

/// A recommended item with its score and reasons.
public struct PersonalRecommendation: Sendable {
    public let item: Item
    public let score: Float
    /// History items that contributed most, largest first; empty for non-personalized results.
    public let reasons: [ItemReason]
    /// Set when exploration chose a new item: how well its tags match the history (0...1).
    public let newForYou: Float?

    public init(item: Item, score: Float, reasons: [ItemReason], newForYou: Float? = nil) {
        self.item = item
        self.score = score
        self.reasons = reasons
        self.newForYou = newForYou
    }
}

/// Serves a trained model against the store: the person's current history is read on every request,
/// so recommendations follow new events without retraining.
public struct ModelRecommender: Sendable {
    public let engine: Engine
    /// The model, whatever its algorithm: every call below goes through `RecommenderModel`, once per request.
    public let model: any RecommenderModel
    /// Model column → catalog item.
    public let items: [Item]
    let columnOfItem: [String: Int32]
    /// Store row → model column, so a person's history needs no catalog lookups.
    let columnOfRow: [ItemRow: Int32]
    /// How alike two model columns are: cosine of the item factors (iALS), else the overlap of tags.
    public let similarity: ItemSimilarity
    /// Each column's popularity, for the novelty discount; nil until `withPopularity` gives it.
    public private(set) var popularity: ItemPopularity?

    /// Serves an iALS model whose columns are `itemIDs`.
    public init(engine: Engine, model: ALSModel, itemIDs: [String]) throws {
        try self.init(engine: engine, served: ALSServing(model: model), itemIDs: itemIDs)
    }

    public init(engine: Engine, served: any RecommenderModel, itemIDs: [String]) throws {
        self.engine = engine
        self.model = served
        let catalog = try engine.store.read { r in try r.items() }
        var byID: [String: Item] = [:]
        for entry in catalog { byID[entry.item.id] = entry.item }
        items = itemIDs.map { byID[$0] ?? Item(id: $0) }
        var columns: [String: Int32] = [:]
        for (i, id) in itemIDs.enumerated() { columns[id] = Int32(i) }
        columnOfItem = columns
        var byRow: [ItemRow: Int32] = [:]
        for entry in catalog { if let column = columns[entry.item.id] { byRow[entry.row] = column } }
        columnOfRow = byRow
        similarity = Self.similarity(of: served, items: items)
    }

    private init(
        engine: Engine, model: any RecommenderModel, items: [Item], columnOfItem: [String: Int32], columnOfRow: [ItemRow: Int32],
        popularity: ItemPopularity?
    ) {
        self.engine = engine
        self.model = model
        self.items = items
        self.columnOfItem = columnOfItem
        self.columnOfRow = columnOfRow
        similarity = Self.similarity(of: model, items: items)
        self.popularity = popularity
    }

    static func similarity(of model: any RecommenderModel, items: [Item]) -> ItemSimilarity {
        model.columnSimilarity ?? ItemSimilarity(tags: items.map(\.tags))
    }

    /// The same recommender (same columns and catalog) serving `served`: a model patched in place.
    public func serving(_ served: any RecommenderModel) -> ModelRecommender {
        ModelRecommender(engine: engine, model: served, items: items, columnOfItem: columnOfItem, columnOfRow: columnOfRow, popularity: popularity)
    }

    /// The same recommender, with each column's popularity (for the novelty discount).
    public func withPopularity(_ popularity: ItemPopularity) -> ModelRecommender {
        var copy = self
        copy.popularity = popularity
        return copy
    }

    /// Popularity by model column, from the popularity this configuration may show (`PopularitySource`:
    /// exact time-decayed counts, or a private model's released ones), matched by item id. Noisy
    /// released counts can be negative; they count as 0 here.
    public func withPopularity(from trained: TrainedPopularity) -> ModelRecommender {
        var counts = [Float](repeating: 0, count: items.count)
        for (i, item) in trained.items.enumerated() {
            if let column = columnOfItem[item.id], i < trained.model.scores.count { counts[Int(column)] = max(0, trained.model.scores[i]) }
        }
        return withPopularity(ItemPopularity(counts: counts, people: max(trained.subjectsUsed, 1)))
    }

    /// The model column of a catalog item, if the model knows it.
    public func column(of itemID: String) -> Int32? { columnOfItem[itemID] }

    /// What the store says about a person, read in one transaction: whether they are known, whether
    /// their consent permits personalization and, if it does, their history as model columns.
    public func profile(user: String) throws -> PersonProfile {
        try profile(pseudonym: engine.pseudonymizer.pseudonym(for: user))
    }

    public func profile(pseudonym: Pseudonym) throws -> PersonProfile {
        let gate = engine.gate
        return try engine.store.readLatest { r -> PersonProfile in
            guard let profile = try r.servingProfile(of: pseudonym) else {
                return PersonProfile(
                    known: false, consent: ConsentState(), personalizationPermitted: gate.permits(.personalization, state: ConsentState()), history: [])
            }
            let consent = profile.consent
            guard gate.permits(.personalization, state: consent), profile.restrictedAt == nil else {
                return PersonProfile(known: true, consent: consent, personalizationPermitted: false, history: [])
            }
            var strength: [Int32: Float] = [:]
            for e in profile.history {
                guard let column = columnOfRow[e.item] else { continue }
                strength[column, default: 0] += EventWeight.strength(kind: e.kind.rawValue, value: e.value)
            }
            let history = strength.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { (item: $0.key, value: $0.value) }
            return PersonProfile(known: true, consent: consent, personalizationPermitted: true, history: history)
        }
    }

    /// The person's history as model columns and strengths, if their consent permits personalization.
    public func history(user: String) throws -> [(item: Int32, value: Float)]? {
        let p = try profile(user: user)
        return p.known && p.personalizationPermitted ? p.history : nil
    }

    /// Top `k` for a person, with up to `reasonsPerItem` reasons each. Nil when the person has no
    /// history the model can use or has not consented to personalization.
    public func recommend(
        user: String, k: Int, filter: RecommendationFilter = .init(), reasonsPerItem: Int = 3,
        rerank: RerankOptions = .init()
    ) throws -> [PersonalRecommendation]? {
        guard let history = try history(user: user), !history.isEmpty else { return nil }
        return recommend(history: history, k: k, filter: filter, reasonsPerItem: reasonsPerItem, rerank: rerank)
    }

    /// Top `k` for a history of model columns (not empty), leaving out what it holds; `rerank` trades
    /// relevance for diversity, novelty or group caps (exploration of new items is the caller's, who
    /// knows the catalog beyond the model).
    public func recommend(
        history: [(item: Int32, value: Float)], k: Int, filter: RecommendationFilter = .init(), reasonsPerItem: Int = 3,
        rerank: RerankOptions = .init()
    ) -> [PersonalRecommendation] {
        let seen = Set(history.map(\.item))
        let items = self.items
        let allowed: (Int32) -> Bool = { filter.allows(items[Int($0)]) }
        let pool = rerank.candidates(for: k)
        let ranked = model.rank(history: history, candidates: pool, excluding: seen, allowed: allowed, reasonsPerItem: reasonsPerItem) {
            reranked($0, k: k, options: rerank)
        }
        return ranked.map { rec in
            PersonalRecommendation(
                item: items[Int(rec.item)], score: rec.score,
                reasons: rec.reasons.map { ItemReason(item: items[Int($0.item)], share: $0.share) })
        }
    }

    /// `candidates` (best first) re-ranked to `k` by `options`: MMR over this model's item similarity,
    /// caps per tag, and the novelty discount when popularity is known.
    public func reranked(_ candidates: [(item: Int32, score: Float)], k: Int, options: RerankOptions) -> [(item: Int32, score: Float)] {
        guard !options.isIdentity else { return Array(candidates.prefix(k)) }
        let items = self.items, similarity = self.similarity, popularity = self.popularity
        return MMRReranker.rerank(
            candidates, k: k, options: options, similarity: { similarity($0, $1) },
            groups: { items[Int($0)].tags }, popularity: { popularity?.scaled($0) ?? 0 })
    }

    /// Items most like `itemID`.
    public func similar(itemID: String, k: Int) throws -> [(item: Item, similarity: Float)] {
        guard let column = columnOfItem[itemID] else { throw EngineError.unknownItem(itemID) }
        guard let similar = model.similarColumns(to: column, k: k) else {
            throw EngineError.invalidArgument("a popularity model has no notion of similar items; use --algorithm als, knn or ease")
        }
        return similar.map { (items[Int($0.item)], $0.similarity) }
    }

    /// Why `itemID` scores as it does for a person: each history item's contribution to the score
    /// (they sum to it; negative ones pull it down), largest first.
    public func explain(user: String, itemID: String) throws -> (score: Float, contributions: [(item: Item, contribution: Float)]) {
        let unexplained = EngineError.invalidArgument("explain works on iALS and EASE models; item-kNN reasons come with 'tact recommend --algorithm knn'")
        guard model.explainsScores else { throw unexplained }
        guard let column = columnOfItem[itemID] else { throw EngineError.unknownItem(itemID) }
        guard let history = try history(user: user), !history.isEmpty else { throw EngineError.unknownSubject }
        guard let explanation = model.contributions(history: history, to: column) else { throw unexplained }
        return (explanation.score, explanation.contributions.map { (items[Int($0.item)], $0.contribution) })
    }
}

/// What serving needs to know about one person, read in one store transaction.
public struct PersonProfile: Sendable {
    /// Whether anything is stored for the person.
    public let known: Bool
    public let consent: ConsentState
    public let personalizationPermitted: Bool
    /// Model columns and strengths; empty unless personalization is permitted.
    public let history: [(item: Int32, value: Float)]
}
