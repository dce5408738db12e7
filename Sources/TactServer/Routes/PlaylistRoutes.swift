import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactRecommend

/// Personalized playlists: for a person (their favourites not had lately, mixed with discoveries, the
/// same all week), or from a seed item. Sessions have theirs in `SessionRoutes`.
struct PlaylistRoutes {
    let state: ServerState

    func register(on router: Router<TactRequestContext>) {
        router.person(.get, "/v1/people/{person}/playlist", .read(.personalization), .keyOrOwnToken(.recommend), state: state) { request, context in
            try await state.storeWork { try person(request, context) }
        }
        router.route(.get, "/v1/items/{item}/playlist", .key(.recommend), state: state) { request, context in try seeded(request, context) }
    }

    func options(_ request: Request) throws -> PlaylistOptions {
        let cap = try request.queryInt("maxPerTag", default: 0, range: 0...200)
        return PlaylistOptions(
            length: try request.queryInt("length", default: 30, range: 1...200),
            familiarShare: try request.queryFraction("familiarShare", default: 0.3), maxPerGroup: cap > 0 ? cap : nil,
            smoothness: try request.queryFraction("smoothness", default: 0.5))
    }

    func person(_ request: Request, _ context: TactRequestContext) throws -> Response {
        let pseudonym = try context.person(state.engine.pseudonymizer).pseudonym
        let options = try options(request)
        try state.honourGlobalPrivacyControl(request, for: pseudonym, actor: context.principal?.auditActor ?? "anonymous")
        guard let made = try state.recommendations(state.registry.current).playlist(for: pseudonym, options: options) else {
            throw Problem.unavailable("no model is trained yet: playlists need one", retryAfter: 60)
        }
        return try JSONResponse.make(PlaylistJSON(made, id: RecommendationRoutes.newID()))
    }

    func seeded(_ request: Request, _ context: TactRequestContext) throws -> Response {
        let itemID = try context.pathValue("item")
        let options = try options(request)
        let policy = state.recommendations(state.registry.current)
        guard let recommender = policy.recommender else {
            throw Problem.unavailable("no model is trained yet: playlists need one", retryAfter: 60)
        }
        guard state.catalog.item(itemID) != nil else { throw Problem.notFound("no item '\(itemID.prefix(80))' in the catalog", field: "item") }
        guard recommender.column(of: itemID) != nil else {
            throw Problem.notFound("the model does not know the item '\(itemID.prefix(80))'; a new item joins after the next training", field: "item")
        }
        return try JSONResponse.make(PlaylistJSON(try policy.playlist(fromSeed: itemID, options: options)!, id: RecommendationRoutes.newID()))
    }
}
