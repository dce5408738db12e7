import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactRecommend

/// Personalization without identity: recommendations and playlists for an anonymous session, from the
/// items of the session alone (folded into a transient vector, or item neighbours), for an API key with
/// the `recommend` scope. Nothing about the session is stored, audited or logged: the answer is
/// computed in memory and only the count of session requests is kept (`tact_session_requests_total`).
struct SessionRoutes {
    let state: ServerState

    /// The most items a session may name.
    static let maximumItems = 500

    struct SessionRequest: Decodable {
        /// Catalog ids of the items of the session, oldest first; repeats add up.
        var items: [String]
        var k: Int?
        var reasons: Int?
        var mmrLambda: Float?
        var maxPerTag: Int?
        var novelty: Float?
        var exploration: Float?
        var length: Int?
        var familiarShare: Float?
        var smoothness: Float?
    }

    func register(on router: Router<TactRequestContext>) {
        router.route(.post, "/v1/sessions/recommendations", .key(.recommend), state: state) { request, context in try await recommend(request, context) }
        router.route(.post, "/v1/sessions/playlist", .key(.recommend), state: state) { request, context in try await playlist(request, context) }
    }

    func read(_ request: Request, _ context: TactRequestContext) async throws -> SessionRequest {
        let body = try await request.decodeJSON(SessionRequest.self, limit: 256 * 1024)
        guard !body.items.isEmpty else { throw Problem.badRequest("'items' is empty; name the items of the session", field: "items") }
        guard body.items.count <= Self.maximumItems else {
            throw Problem.badRequest("a session names at most \(Self.maximumItems) items; send the latest ones", field: "items")
        }
        state.metrics.sessionRequests.increment()
        return body
    }

    func recommend(_ request: Request, _ context: TactRequestContext) async throws -> Response {
        let body = try await read(request, context)
        let k = try Self.check(body.k, "k", default: 10, range: 1...200)
        let reasons = try Self.check(body.reasons, "reasons", default: 3, range: 0...20)
        let rerank = try Self.rerank(body)
        let model = state.registry.current
        let list = state.recommendations(model).forSession(body.items, RecommendationRequest(k: k, reasonsPerItem: reasons, rerank: rerank))
        return JSONResponse.make(
            bytes: JSONResponse.bytes(
                writing: RecommendationRoutes.Recommendations(
                    recommendationId: RecommendationRoutes.newID(), personalized: list.personalized, fallbackReason: list.fallback?.rawValue,
                    items: RecommendationRoutes.Recommendations.render(list.items),
                    model: .init(version: model.version, algorithm: model.algorithm, trainedAt: model.trainedAt))))
    }

    func playlist(_ request: Request, _ context: TactRequestContext) async throws -> Response {
        let body = try await read(request, context)
        let options = try Self.playlistOptions(length: body.length, familiarShare: 0, maxPerTag: body.maxPerTag, smoothness: body.smoothness)
        let policy = state.recommendations(state.registry.current)
        guard policy.recommender != nil else {
            throw Problem.unavailable("no model is trained yet: playlists need one", retryAfter: 60)
        }
        let made = policy.playlist(forSession: body.items, options: options)
        guard let made else { throw Problem.badRequest("none of the session's items is known to the model", field: "items") }
        return try JSONResponse.make(PlaylistJSON(made, id: RecommendationRoutes.newID()))
    }

    static func check(_ value: Int?, _ field: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let value else { return fallback }
        guard range.contains(value) else { throw Problem.badRequest("'\(field)' must be from \(range.lowerBound) to \(range.upperBound)", field: field) }
        return value
    }

    static func fraction(_ value: Float?, _ field: String, default fallback: Float) throws -> Float {
        guard let value else { return fallback }
        guard value.isFinite, (0...1).contains(value) else { throw Problem.badRequest("'\(field)' must be a number from 0 to 1", field: field) }
        return value
    }

    static func rerank(_ body: SessionRequest) throws -> RerankOptions {
        let cap = try check(body.maxPerTag, "maxPerTag", default: 0, range: 0...200)
        return RerankOptions(
            lambda: try fraction(body.mmrLambda, "mmrLambda", default: 1), maxPerGroup: cap > 0 ? cap : nil,
            novelty: try fraction(body.novelty, "novelty", default: 0), exploration: try fraction(body.exploration, "exploration", default: 0))
    }

    static func playlistOptions(length: Int?, familiarShare: Float?, maxPerTag: Int?, smoothness: Float?) throws -> PlaylistOptions {
        let cap = try check(maxPerTag, "maxPerTag", default: 0, range: 0...200)
        return PlaylistOptions(
            length: try check(length, "length", default: 30, range: 1...200),
            familiarShare: try fraction(familiarShare, "familiarShare", default: 0.3), maxPerGroup: cap > 0 ? cap : nil,
            smoothness: try fraction(smoothness, "smoothness", default: 0.5))
    }
}

/// A playlist as the API shows it.
struct PlaylistJSON: Encodable {
    struct Entry: Encodable {
        var position: Int
        var item: ItemJSON
        var familiar: Bool
        var reason: String
    }

    var playlistId: String
    var personalized: Bool
    /// Weeks since Monday 1969-12-29: the playlist stays the same within one.
    var week: Int64
    /// Mean similarity of consecutive items.
    var coherence: Double
    var items: [Entry]

    init(_ playlist: Playlist, id: String) {
        playlistId = id
        personalized = playlist.personalized
        week = playlist.week
        coherence = playlist.coherence
        items = playlist.entries.enumerated().map {
            Entry(
                position: $0.offset + 1, item: ItemJSON($0.element.item), familiar: $0.element.familiar,
                reason: $0.element.reason)
        }
    }
}
