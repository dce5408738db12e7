import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactRecommend

/// Recommendations for a person, advertising placements, and similar items.
struct RecommendationRoutes {
    let state: ServerState

    struct ReasonJSON {
        /// "because-you-had" (an item from the person's history), "popular", or "new-for-you" (a new item
        /// chosen by exploration, for how well its tags match the history; `share` is that match, 0...1).
        var kind: String
        var item: ItemJSON?
        /// Share of the score this history item accounts for (0...1).
        var share: Float?
        /// Rank among everyone's favourites, for "popular".
        var rank: Int?
    }

    struct RecommendedItem {
        var item: ItemJSON
        var score: Float
        var reasons: [ReasonJSON]
    }

    struct ModelJSON {
        var version: Int
        var algorithm: String
        var trainedAt: Int64
    }

    struct Recommendations {
        /// Identifies this answer, to report which recommendation a person acted on.
        var recommendationId: String
        var personalized: Bool
        /// Why the answer is not personalized: no-personalization-consent, no-history, unknown-person or no-model.
        var fallbackReason: String?
        var items: [RecommendedItem]
        var model: ModelJSON
        /// `items` already written as JSON, when the answer came from the cache.
        var renderedItems: [UInt8]? = nil
    }

    struct Placements {
        var recommendationId: String
        /// Sponsored items for this person; empty when advertising is not permitted for them.
        var placements: [RecommendedItem]
        /// Why there are none: no-advertising-consent, or nothing-sponsored.
        var reason: String?
    }

    struct Similar: Encodable {
        var item: ItemJSON
        var similar: [SimilarItem]
    }

    struct SimilarItem: Encodable {
        var item: ItemJSON
        var similarity: Float
    }

    /// Items tagged with this are the advertising inventory.
    static let sponsoredTag = "sponsored"

    func register(on router: Router<TactRequestContext>) {
        router.person(.get, "/v1/people/{person}/recommendations", .read(.personalization), state: state) { request, context in try recommend(request, context) }
        router.person(.get, "/v1/people/{person}/placements", .read(.advertising), state: state) { request, context in try placements(request, context) }
        router.get("/v1/items/{item}/similar") { request, context in try similar(request, context) }
    }

    func recommend(_ request: Request, _ context: TactRequestContext) throws -> Response {
        let user = try context.pathValue("person")
        let pseudonym = state.engine.pseudonymizer.pseudonym(for: user)
        _ = try context.requireAccess(to: pseudonym, scope: .recommend)
        let k = try request.queryInt("k", default: 10, range: 1...200)
        let reasons = try request.queryInt("reasons", default: 3, range: 0...20)
        let rerank = try request.rerankOptions(k: k)
        var filter = RecommendationFilter(includeTags: Set(try request.queryList("tag")), excludeTags: Set(try request.queryList("notTag")),
                                          excludeItems: Set(try request.queryList("exclude")))
        filter.excludeTags.insert(Self.sponsoredTag)
        try applyGlobalPrivacyControl(request, user: user, context: context)
        let model = state.registry.current
        var items: [RecommendedItem], personalized: Bool, fallback: String?
        var rendered: [UInt8]?
        if let cache = state.cache {
            cache.noticeOutsideChanges()
            let key = "k=\(k)&r=\(reasons)&t=\(filter.includeTags.sorted())&n=\(filter.excludeTags.sorted())&x=\(filter.excludeItems.sorted())"
                + (rerank.isIdentity ? "" : "&m=\(rerank.lambda)&c=\(rerank.maxPerGroup ?? 0)&v=\(rerank.novelty)&e=\(rerank.exploration)")
            if let hit = cache.answer(for: pseudonym, request: key, modelVersion: model.version) {
                (items, personalized, fallback, rendered) = ([], hit.personalized, hit.fallback, hit.renderedItems)
                state.metrics.cacheHits.increment()
            } else {
                state.metrics.cacheMisses.increment()
                let ticket = cache.ticket(for: pseudonym)
                (items, personalized, fallback) = try rank(pseudonym, k: k, filter: filter, reasonsPerItem: reasons, model: model, rerank: rerank)
                rendered = Recommendations.render(items)
                cache.store(.init(renderedItems: rendered!, personalized: personalized, fallback: fallback, modelVersion: model.version,
                                  storedAt: ProcessInfo.processInfo.systemUptime), for: pseudonym, request: key, ticket: ticket)
            }
        } else {
            (items, personalized, fallback) = try rank(pseudonym, k: k, filter: filter, reasonsPerItem: reasons, model: model, rerank: rerank)
        }
        let body = JSONResponse.bytes(writing: Recommendations(
            recommendationId: Self.newID(), personalized: personalized, fallbackReason: fallback, items: items,
            model: ModelJSON(version: model.version, algorithm: model.algorithm, trainedAt: model.trainedAt), renderedItems: rendered))
        return JSONResponse.make(bytes: state.guardian.egress(body, principal: context.principal?.auditActor, route: "GET /v1/people/{person}/recommendations"))
    }

    func placements(_ request: Request, _ context: TactRequestContext) throws -> Response {
        let user = try context.pathValue("person")
        let pseudonym = state.engine.pseudonymizer.pseudonym(for: user)
        _ = try context.requireAccess(to: pseudonym, scope: .recommend)
        let k = try request.queryInt("k", default: 3, range: 1...50)
        try applyGlobalPrivacyControl(request, user: user, context: context)
        let consent = try state.engine.store.read { r in try r.subjectRow(for: pseudonym).map { try r.consentState(of: $0) } ?? ConsentState() }
        let gate = state.engine.gate
        guard gate.permits(.advertising, state: consent) else {
            return JSONResponse.make(writing: Placements(recommendationId: Self.newID(), placements: [], reason: "no-advertising-consent"))
        }
        let filter = RecommendationFilter(includeTags: [Self.sponsoredTag])
        let (items, _, _) = try rank(pseudonym, k: k, filter: filter, reasonsPerItem: 1, model: state.registry.current)
        let body = JSONResponse.bytes(writing: Placements(recommendationId: Self.newID(), placements: items, reason: items.isEmpty ? "nothing-sponsored" : nil))
        return JSONResponse.make(bytes: state.guardian.egress(body, principal: context.principal?.auditActor, route: "GET /v1/people/{person}/placements"))
    }

    func similar(_ request: Request, _ context: TactRequestContext) throws -> Response {
        _ = try context.require(.recommend)
        let id = try context.pathValue("item")
        let k = try request.queryInt("k", default: 10, range: 1...200)
        guard let item = state.catalog.item(id) else { throw Problem.notFound("no item '\(id.prefix(80))' in the catalog", field: "item") }
        guard let recommender = state.registry.current.recommender else {
            throw Problem(status: .conflict, type: "no-model", title: "No model yet", detail: "no model has been trained yet; send events, then retrain")
        }
        guard recommender.column(of: id) != nil else {
            return try JSONResponse.make(Similar(item: ItemJSON(item), similar: []))
        }
        let similar = try recommender.similar(itemID: id, k: k + 5).compactMap { entry -> SimilarItem? in
            guard let current = state.catalog.item(entry.item.id) else { return nil }
            return SimilarItem(item: ItemJSON(current), similarity: entry.similarity)
        }
        return try JSONResponse.make(Similar(item: ItemJSON(item), similar: Array(similar.prefix(k))))
    }

    /// Personalized items when the person's consent and history allow, else everyone's favourites.
    func rank(_ pseudonym: Pseudonym, k: Int, filter: RecommendationFilter, reasonsPerItem: Int,
              model: ServingModel, rerank: RerankOptions = .init()) throws -> (items: [RecommendedItem], personalized: Bool, fallback: String?) {
        let catalog = state.catalog
        var filter = filter
        let fallback: String
        if let recommender = model.recommender {
            let profile = try recommender.profile(pseudonym: pseudonym)
            if !profile.known {
                fallback = profile.personalizationPermitted ? "unknown-person" : "no-personalization-consent"
            } else if !profile.personalizationPermitted {
                fallback = "no-personalization-consent"
            } else if profile.history.isEmpty {
                fallback = "no-history"
            } else {
                // Over-fetch a little so items deleted since training can be dropped without a short list.
                var recs = recommender.recommend(history: profile.history, k: k + 5, filter: filter, reasonsPerItem: reasonsPerItem, rerank: rerank)
                    .filter { catalog.item($0.item.id) != nil }
                if rerank.exploration > 0 {
                    recs = Exploration.blend(recs, k: k, history: profile.history, recommender: recommender, catalog: catalog.allItems(),
                                             filter: filter, weight: rerank.exploration)
                }
                let items = recs.map(json)
                if items.count >= k { return (Array(items.prefix(k)), true, nil) }
                // Too few items the model knows pass the filter (new or sponsored items, narrow tags):
                // fill up with everyone's favourites among the rest.
                filter.excludeItems.formUnion(items.map(\.item.id))
                for (column, _) in profile.history { filter.excludeItems.insert(recommender.items[Int(column)].id) }
                return (items + popular(model.popularity, k: k - items.count, filter: filter), true, nil)
            }
            if profile.personalizationPermitted {
                // Leave out what the person already had, when their consent lets us look.
                for (column, _) in profile.history { filter.excludeItems.insert(recommender.items[Int(column)].id) }
            }
        } else {
            fallback = "no-model"
        }
        return (popular(model.popularity, k: k, filter: filter), false, fallback)
    }

    /// A recommendation as the API shows it, with the catalog's current item.
    func json(_ rec: PersonalRecommendation) -> RecommendedItem {
        let item = state.catalog.item(rec.item.id) ?? rec.item
        if let match = rec.newForYou {
            return RecommendedItem(item: ItemJSON(item), score: rec.score, reasons: [ReasonJSON(kind: "new-for-you", share: match)])
        }
        return RecommendedItem(item: ItemJSON(item), score: rec.score, reasons: rec.reasons.map { reason in
            ReasonJSON(kind: "because-you-had", item: ItemJSON(state.catalog.item(reason.item.id) ?? reason.item), share: reason.share)
        })
    }

    /// The `k` most popular catalog items that pass `filter`, each with the reason "popular".
    func popular(_ popularity: TrainedPopularity, k: Int, filter: RecommendationFilter) -> [RecommendedItem] {
        var out: [RecommendedItem] = []
        for (rank, index) in popularity.model.ranking.enumerated() {
            if out.count >= k { break }
            guard let item = state.catalog.item(popularity.items[index].id), filter.allows(item) else { continue }
            out.append(RecommendedItem(item: ItemJSON(item), score: popularity.model.scores[index],
                                       reasons: [ReasonJSON(kind: "popular", rank: rank + 1)]))
        }
        return out
    }

    /// A request carrying `Sec-GPC: 1` refuses sale-or-sharing and advertising for the person it is about.
    func applyGlobalPrivacyControl(_ request: Request, user: String, context: TactRequestContext) throws {
        guard request.globalPrivacyControl else { return }
        let refused = try ConsentService(engine: state.engine).applyGlobalPrivacyControl(user: user, actor: context.principal?.auditActor ?? "anonymous")
        if !refused.isEmpty { state.cache?.forget(state.engine.pseudonymizer.pseudonym(for: user)) }
    }

    /// A random id for one answer: "r_" and 32 hex digits (128 bits from the system generator).
    static func newID() -> String {
        var g = SystemRandomNumberGenerator()
        return "r_" + Hex.encode(withUnsafeBytes(of: (g.next() as UInt64, g.next() as UInt64)) { Array($0) })
    }
}
