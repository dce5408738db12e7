import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactRecommend

/// Recommendations for a person, advertising placements, and similar items.
struct RecommendationRoutes {
    let state: ServerState

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
        /// The items, written as a JSON array (`render`): what the answer cache keeps.
        var items: [UInt8]
        var model: ModelJSON
    }

    struct Placements {
        var recommendationId: String
        /// Sponsored items for this person; empty when advertising is not permitted for them.
        var placements: [RecommendedItemJSON]
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

    func register(on router: Router<TactRequestContext>) {
        router.person(.get, "/v1/people/{person}/recommendations", .read(.personalization), .keyOrOwnToken(.recommend), state: state) { request, context in
            try await state.storeWork { try recommend(request, context) }
        }
        router.person(.get, "/v1/people/{person}/placements", .read(.advertising), .keyOrOwnToken(.recommend), state: state) { request, context in
            try await state.storeWork { try placements(request, context) }
        }
        router.route(.get, "/v1/items/{item}/similar", .key(.recommend), state: state) { request, context in try similar(request, context) }
    }

    func recommend(_ request: Request, _ context: TactRequestContext) throws -> Response {
        let pseudonym = try context.person(state.engine.pseudonymizer).pseudonym
        let k = try request.queryInt("k", default: 10, range: 1...200)
        let reasons = try request.queryInt("reasons", default: 3, range: 0...20)
        let rerank = try request.rerankOptions(k: k)
        let filter = RecommendationFilter(
            includeTags: Set(try request.queryList("tag")), excludeTags: Set(try request.queryList("notTag")),
            excludeItems: Set(try request.queryList("exclude")))
        let asked = RecommendationRequest(k: k, filter: filter, reasonsPerItem: reasons, rerank: rerank)
        try state.honourGlobalPrivacyControl(request, for: pseudonym, actor: context.principal?.auditActor ?? "anonymous")
        let model = state.registry.current
        let policy = state.recommendations(model)
        let personalized: Bool, fallback: FallbackReason?, rendered: [UInt8]
        // The items are the part of the answer that carries catalog text: they are checked once, as they are
        // rendered, and a kept answer is kept checked (the rest of the body is the server's own fields).
        let route = "GET /v1/people/{person}/recommendations", actor = context.principal?.auditActor
        if let cache = state.cache {
            cache.noticeOutsideChanges()
            let key =
                "k=\(k)&r=\(reasons)&t=\(filter.includeTags.sorted())&n=\(filter.excludeTags.sorted())&x=\(filter.excludeItems.sorted())"
                + (rerank.isIdentity ? "" : "&m=\(rerank.lambda)&c=\(rerank.maxPerGroup ?? 0)&v=\(rerank.novelty)&e=\(rerank.exploration)")
            if let hit = cache.answer(for: pseudonym, request: key, modelVersion: model.version) {
                (personalized, fallback, rendered) = (hit.personalized, hit.fallback.flatMap(FallbackReason.init(rawValue:)), hit.renderedItems)
                state.metrics.cacheHits.increment()
            } else {
                state.metrics.cacheMisses.increment()
                let ticket = cache.ticket(for: pseudonym)
                let list = try policy.forPerson(pseudonym, asked)
                (personalized, fallback) = (list.personalized, list.fallback)
                rendered = state.guardian.egress(Recommendations.render(list.items), principal: actor, route: route)
                cache.store(
                    .init(
                        renderedItems: rendered, personalized: personalized, fallback: fallback?.rawValue, modelVersion: model.version,
                        storedAt: ProcessInfo.processInfo.systemUptime), for: pseudonym, request: key, ticket: ticket)
            }
        } else {
            let list = try policy.forPerson(pseudonym, asked)
            (personalized, fallback) = (list.personalized, list.fallback)
            rendered = state.guardian.egress(Recommendations.render(list.items), principal: actor, route: route)
        }
        let body = JSONResponse.bytes(
            writing: Recommendations(
                recommendationId: Self.newID(), personalized: personalized, fallbackReason: fallback?.rawValue, items: rendered,
                model: ModelJSON(version: model.version, algorithm: model.algorithm, trainedAt: model.trainedAt)))
        return JSONResponse.make(bytes: body)
    }

    func placements(_ request: Request, _ context: TactRequestContext) throws -> Response {
        let pseudonym = try context.person(state.engine.pseudonymizer).pseudonym
        let k = try request.queryInt("k", default: 3, range: 1...50)
        try state.honourGlobalPrivacyControl(request, for: pseudonym, actor: context.principal?.auditActor ?? "anonymous")
        let sponsored = try state.recommendations(state.registry.current).sponsored(for: pseudonym, k: k)
        let body = JSONResponse.bytes(
            writing: Placements(
                recommendationId: Self.newID(), placements: sponsored.items.map(RecommendedItemJSON.init),
                reason: sponsored.empty?.rawValue))
        return JSONResponse.make(bytes: state.guardian.egress(body, principal: context.principal?.auditActor, route: "GET /v1/people/{person}/placements"))
    }

    func similar(_ request: Request, _ context: TactRequestContext) throws -> Response {
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

    /// A random id for one answer: "r_" and 32 hex digits (128 bits from the system generator).
    static func newID() -> String {
        var g = SystemRandomNumberGenerator()
        return "r_" + Hex.encode(withUnsafeBytes(of: (g.next() as UInt64, g.next() as UInt64)) { Array($0) })
    }
}
