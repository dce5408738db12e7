import Foundation
import TactCore
import TactEngine
import TactRecommend
import Testing

@testable import TactServer

/// A server serving a private model shows no exact popularity: the fallback for unknown people, the
/// top-ups of short lists, playlists for everyone and the novelty discount all use the model's own
/// charged release (`PopularitySource.released`).
@Suite struct PrivatePopularityServingTests {
    /// A small DP-ALS configuration (ε = 3) for serving tests; PrivateModelServingTests uses it too.
    static func dpALS() -> PrivateALSConfiguration {
        var dp = PrivateALSConfiguration()
        dp.factors = 4
        dp.epsilon = 3
        dp.delta = 1e-6
        dp.maxItemsPerPerson = 10
        dp.threads = 1
        return dp
    }

    /// What the saved model file released, by item id: DP-ALS's noisy counts, or DP popularity's scores.
    static func released(_ fixture: ServerFixture, algorithm: String) throws -> [String: Float] {
        let (stored, metadata) = try ModelFile.read(from: ModelDirectory(directory: fixture.engine.directory).modelPath(algorithm: algorithm))
        let values: [Float]
        if case .popularity(let model) = stored { values = model.scores } else { values = try #require(metadata.releasedPopularity) }
        return Dictionary(uniqueKeysWithValues: zip(metadata.items, values))
    }

    /// Each listed item's score, by id.
    static func scores(_ reply: Reply) -> [(id: String, score: Double)] {
        (reply.json["items"] as? [[String: Any]] ?? []).compactMap { entry in
            guard let item = entry["item"] as? [String: Any], let id = item["id"] as? String, let score = entry["score"] as? Double else { return nil }
            return (id, score)
        }
    }

    /// The fallback of an unknown person and a session's top-up list released values only; so do the
    /// popularity every other route reads and the novelty discount's counts.
    static func checkReleasedOnly(_ fixture: ServerFixture, algorithm: String) async throws {
        let released = try Self.released(fixture, algorithm: algorithm)
        let current = fixture.api.state.registry.current
        for (i, item) in current.popularity.items.enumerated() {
            #expect(
                current.popularity.model.scores[i] == released[item.id],
                "\(item.id): served \(current.popularity.model.scores[i]), released \(String(describing: released[item.id]))")
        }
        if let recommender = current.recommender, let novelty = recommender.popularity {
            for (column, item) in recommender.items.enumerated() {
                #expect(novelty.counts[column] == max(0, released[item.id] ?? -1), "novelty count of \(item.id)")
            }
        }
        let recommend = fixture.keys[.recommend]!
        try await fixture.test { client in
            let stranger = try await client.call(.get, "/v1/people/stranger/recommendations?k=10", auth: recommend)
            // Opt-in: an unknown person has not consented to personalization either.
            #expect(stranger.status == 200 && stranger.json["personalized"] as? Bool == false && stranger.json["fallbackReason"] != nil)
            let fallback = Self.scores(stranger)
            #expect(fallback.count == 10)
            for (id, score) in fallback {
                #expect(Float(score) == released[id], "\(id): fallback score \(score), released \(String(describing: released[id]))")
            }
            let session = try await client.call(.post, "/v1/sessions/recommendations", auth: recommend, json: #"{"items":["not-in-the-catalog"],"k":5}"#)
            #expect(session.status == 200)
            let topUp = Self.scores(session)
            #expect(topUp.count == 5)
            for (id, score) in topUp { #expect(Float(score) == released[id], "\(id): top-up score \(score)") }
        }
    }

    @Test("under dp-als, fallback, top-ups, the served popularity and the novelty counts are the model's released noisy counts")
    func dpALSShowsItsRelease() async throws {
        let fixture = try ServerFixture { $0.model = .privateALS(Self.dpALS()) }
        try await Self.checkReleasedOnly(fixture, algorithm: "dp-als")
        // And the model's columns are the registered catalog in id order.
        let ids = try fixture.engine.store.read { try $0.items() }.map(\.item.id).sorted()
        #expect(fixture.api.state.registry.current.recommender?.items.map(\.id) == ids)
    }

    @Test("under dp-popular, the fallback and top-ups are the model's own released scores")
    func dpPopularShowsItsRelease() async throws {
        let fixture = try ServerFixture { $0.model = .privatePopular(maxItemsPerPerson: 10, epsilon: 2, delta: 1e-6) }
        try await Self.checkReleasedOnly(fixture, algorithm: "dp-popular")
    }

    @Test("a dp-als server started on its saved model serves the saved release, not exact counts")
    func savedModelKeepsItsRelease() async throws {
        let fixture = try ServerFixture { $0.model = .privateALS(Self.dpALS()) }
        let reloaded = try TactAPI(engine: fixture.engine, settings: ServerFixture.settings { $0.model = .privateALS(Self.dpALS()) })
        let released = try Self.released(fixture, algorithm: "dp-als")
        let popularity = reloaded.state.registry.current.popularity
        #expect(!popularity.items.isEmpty)
        for (i, item) in popularity.items.enumerated() { #expect(popularity.model.scores[i] == released[item.id]) }
    }
}
