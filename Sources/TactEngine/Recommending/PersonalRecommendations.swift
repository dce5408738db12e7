import Foundation
import TactCore
import TactRecommend

/// Who gets which recommendation: the one place that decides. The HTTP routes, `tact recommend` and
/// `tact playlist`, anonymous sessions, advertising placements and the privacy center all ask this and
/// only format what it returns.
///
/// - A person gets a list from their own history when their consent permits personalization, they have
///   not restricted processing, and the model knows something they had; never what they already had.
/// - Otherwise they get everyone's favourites (from the popularity this configuration may show,
///   `PopularitySource`), with the reason; their history is still left out when their consent lets
///   us look at it.
/// - A personal list too short after the filter (new or narrow items) is topped up with everyone's
///   favourites among the rest.
/// - Only items the catalog holds now are shown, as it holds them now.
/// - Sponsored items (`Item.sponsoredTag`) appear only as placements, and only with advertising consent.
public struct PersonalRecommendations: Sendable {
    public let engine: Engine
    /// The personalized model; nil until one is trained.
    public let recommender: ModelRecommender?
    /// Everyone's favourites as this configuration may show them.
    public let popularity: TrainedPopularity
    public let catalog: any CatalogLookup

    public init(engine: Engine, recommender: ModelRecommender?, popularity: TrainedPopularity, catalog: any CatalogLookup) {
        self.engine = engine
        self.recommender = recommender
        self.popularity = popularity
        self.catalog = catalog
    }

    /// The list for a person.
    public func forPerson(_ pseudonym: Pseudonym, _ request: RecommendationRequest) throws -> RecommendationList {
        var request = request
        request.filter.excludeTags.insert(Item.sponsoredTag)
        return try rank(pseudonym, request)
    }

    /// The list for an anonymous session, from its items alone (none of them is listed again).
    public func forSession(_ itemIDs: [String], _ request: RecommendationRequest) -> RecommendationList {
        var filter = request.filter
        filter.excludeTags.insert(Item.sponsoredTag)
        filter.excludeItems.formUnion(itemIDs)
        guard let recommender else { return RecommendationList(items: everyonesFavourites(k: request.k, filter: filter), fallback: .noModel) }
        let history = recommender.sessionHistory(itemIDs)
        guard !history.isEmpty else {
            return RecommendationList(items: everyonesFavourites(k: request.k, filter: filter), fallback: .noKnownItems)
        }
        return RecommendationList(items: personal(recommender, history: history, request, filter: filter), fallback: nil)
    }

    /// Sponsored items for a person: none unless their consent permits advertising.
    public func sponsored(for pseudonym: Pseudonym, k: Int) throws -> SponsoredList {
        let gate = engine.gate
        let consent = try engine.store.read { r in try r.subjectRow(for: pseudonym).map { try r.consentState(of: $0) } ?? ConsentState() }
        guard gate.permits(.advertising, state: consent) else { return SponsoredList(items: [], empty: .noAdvertisingConsent) }
        let list = try rank(pseudonym, RecommendationRequest(k: k, filter: RecommendationFilter(includeTags: [Item.sponsoredTag]), reasonsPerItem: 1))
        return SponsoredList(items: list.items, empty: list.items.isEmpty ? .nothingSponsored : nil)
    }

    /// The person's playlist: from their history when they may have one, else everyone's favourites
    /// smoothly ordered. Nil when no model is trained (a playlist needs item similarities).
    public func playlist(for pseudonym: Pseudonym, options: PlaylistOptions, recentDays: Int64 = 7) throws -> Playlist? {
        guard let recommender else { return nil }
        var maker = PlaylistMaker(recommender: recommender)
        maker.recentDays = recentDays
        let made =
            try maker.forPerson(pseudonym, options: options)
            ?? maker.forEveryone(popularity.model.ranking.map { popularity.items[$0].id }, options: options)
        return current(made, recommender)
    }

    /// A playlist from an anonymous session's items; nil when no model is trained or none of them is known to it.
    public func playlist(forSession itemIDs: [String], options: PlaylistOptions) -> Playlist? {
        guard let recommender, let made = PlaylistMaker(recommender: recommender).forSession(itemIDs, options: options) else { return nil }
        return current(made, recommender)
    }

    /// A playlist that starts from `itemID`; nil when no model is trained. Throws when the model does not know the item.
    public func playlist(fromSeed itemID: String, options: PlaylistOptions) throws -> Playlist? {
        guard let recommender else { return nil }
        return current(try PlaylistMaker(recommender: recommender).forSeed(itemID, options: options), recommender)
    }

    /// The `k` most popular catalog items that pass `filter`, each with its rank as the reason.
    public func everyonesFavourites(k: Int, filter: RecommendationFilter) -> [RecommendedItem] {
        var out: [RecommendedItem] = []
        for (rank, index) in popularity.model.ranking.enumerated() {
            if out.count >= k { break }
            guard let item = catalog.item(popularity.items[index].id), filter.allows(item) else { continue }
            out.append(RecommendedItem(item: item, score: popularity.model.scores[index], reasons: [.popular(rank: rank + 1)]))
        }
        return out
    }

    private func rank(_ pseudonym: Pseudonym, _ request: RecommendationRequest) throws -> RecommendationList {
        let filter = request.filter
        guard let recommender else {
            return RecommendationList(items: everyonesFavourites(k: request.k, filter: filter), fallback: .noModel)
        }
        let profile = try recommender.profile(pseudonym: pseudonym)
        let fallback: FallbackReason
        if !profile.known {
            fallback = profile.personalizationPermitted ? .unknownPerson : .noPersonalizationConsent
        } else if !profile.personalizationPermitted {
            fallback = .noPersonalizationConsent
        } else if profile.history.isEmpty {
            fallback = .noHistory
        } else {
            return RecommendationList(items: personal(recommender, history: profile.history, request, filter: filter), fallback: nil)
        }
        // Nothing of the person's history is known here (the profile holds it only when it may be used), so
        // nothing of it can be left out: everyone's favourites as they are.
        return RecommendationList(items: everyonesFavourites(k: request.k, filter: request.filter), fallback: fallback)
    }

    /// From a history the model knows (not empty): the model's best, exploration's new items, then
    /// everyone's favourites among the rest when too few pass the filter.
    private func personal(
        _ recommender: ModelRecommender, history: [(item: Int32, value: Float)], _ request: RecommendationRequest,
        filter: RecommendationFilter
    ) -> [RecommendedItem] {
        let k = request.k
        // Over-fetch a little so items deleted since training can be dropped without a short list.
        var recs = recommender.recommend(history: history, k: k + 5, filter: filter, reasonsPerItem: request.reasonsPerItem, rerank: request.rerank)
            .filter { catalog.item($0.item.id) != nil }
        if request.rerank.exploration > 0 {
            recs = Exploration.blend(
                recs, k: k, history: history, recommender: recommender, catalog: catalog.allItems(),
                filter: filter, weight: request.rerank.exploration)
        }
        let items = recs.prefix(k).map(current)
        if items.count >= k { return items }
        var rest = filter
        rest.excludeItems.formUnion(items.map(\.item.id))
        for (column, _) in history { rest.excludeItems.insert(recommender.items[Int(column)].id) }
        return items + everyonesFavourites(k: k - items.count, filter: rest)
    }

    /// A playlist with the catalog's current items: one deleted since the model was trained is left out.
    private func current(_ playlist: Playlist, _ recommender: ModelRecommender) -> Playlist {
        let entries = playlist.entries.compactMap { entry -> PlaylistEntry? in
            catalog.item(entry.item.id).map { PlaylistEntry(item: $0, familiar: entry.familiar, reason: entry.reason) }
        }
        guard entries.count != playlist.entries.count else {
            return Playlist(entries: entries, personalized: playlist.personalized, week: playlist.week, coherence: playlist.coherence)
        }
        let columns = entries.compactMap { recommender.column(of: $0.item.id) }
        return Playlist(
            entries: entries, personalized: playlist.personalized, week: playlist.week,
            coherence: PlaylistBuilder.coherence(columns, similarity: { recommender.similarity($0, $1) }))
    }

    /// A model's recommendation with the catalog's current items.
    private func current(_ rec: PersonalRecommendation) -> RecommendedItem {
        let item = catalog.item(rec.item.id) ?? rec.item
        if let match = rec.newForYou { return RecommendedItem(item: item, score: rec.score, reasons: [.newForYou(match: match)]) }
        return RecommendedItem(item: item, score: rec.score, reasons: rec.reasons.map { .becauseYouHad(catalog.item($0.item.id) ?? $0.item, share: $0.share) })
    }
}
