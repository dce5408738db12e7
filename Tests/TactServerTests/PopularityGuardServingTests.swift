import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import TactCore
import TactEngine
import TactRecommend
import Testing

@testable import TactServer

/// `tact serve` with model flags: each training first scores the flags' settings against popularity on a
/// validation part, and a model below popularity is not served. Popularity is, and the logs, `/metrics`
/// and the console say why (issue 25, point 5).
@Suite struct PopularityGuardServingTests {
    /// A check whose verdict the test sets: the model's validation score against popularity's 0.30.
    final class Verdicts: Sendable {
        let modelScore = NIOLockedValueBox(0.10)
        var check: @Sendable (SparseMatrix, ModelSpec, UInt64) throws -> PopularityGuard.Verdict? {
            { [modelScore] _, _, _ in PopularityGuard.Verdict(modelScore: modelScore.withLockedValue { $0 }, popularityScore: 0.30, people: 40, k: 10) }
        }
    }

    static func metric(_ body: String, _ name: String) -> Double? {
        body.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("a model below popularity is not served or saved; popularity is, and /metrics and the console say why")
    func refusesAModelBelowPopularity() async throws {
        let verdicts = Verdicts()
        let fixture = try ServerFixture { settings in
            settings.servesBelowPopularity = false
            settings.popularityCheck = verdicts.check
        }
        let current = fixture.api.state.registry.current
        #expect(current.algorithm == ModelSpec.popular.name)
        #expect(current.recommender == nil)
        let refusal = try #require(current.refusal)
        #expect(refusal.contains("below popularity") && refusal.contains("0.1000") && refusal.contains("0.3000"))
        // Nothing saved: no model file, no version in the store.
        let models = ModelDirectory(directory: fixture.engine.directory)
        #expect(!FileManager.default.fileExists(atPath: models.modelPath(algorithm: "als")))
        #expect(try ModelArtifacts(engine: fixture.engine).latest(algorithm: "als") == nil)
        let overview = try ConsoleView(state: fixture.api.state).overview()
        #expect((overview["modelRefusal"] as? String)?.contains("--serve-below-popularity") == true)
        try await fixture.test { client in
            let metrics = try await client.call(.get, "/metrics", auth: fixture.admin)
            #expect(Self.metric(metrics.body, "tact_model_below_popularity") == 1)
            // Everyone gets popularity, saying there is no model.
            let answer = try await client.call(.get, "/v1/people/p0/recommendations", auth: fixture.keys[.recommend]!)
            #expect(answer.status == 200)
            #expect(answer.json["personalized"] as? Bool == false)
            #expect(answer.json["fallbackReason"] as? String == "no-model")
        }
        // Once the settings pass, the next training serves the model, and the refusal is gone.
        verdicts.modelScore.withLockedValue { $0 = 0.40 }
        _ = try await fixture.api.state.trainer.retrain()
        let next = fixture.api.state.registry.current
        #expect(next.algorithm == "als" && next.recommender != nil && next.refusal == nil)
        #expect(FileManager.default.fileExists(atPath: models.modelPath(algorithm: "als")))
        #expect(try ConsoleView(state: fixture.api.state).overview()["modelRefusal"] == nil)
        try await fixture.test { client in
            let metrics = try await client.call(.get, "/metrics", auth: fixture.admin)
            #expect(Self.metric(metrics.body, "tact_model_below_popularity") == 0)
        }
    }

    @Test("the real check lets a good model through: two clear tastes, iALS served")
    func servesAModelAbovePopularity() async throws {
        let fixture = try ServerFixture { $0.servesBelowPopularity = false }
        let current = fixture.api.state.registry.current
        #expect(current.algorithm == "als" && current.recommender != nil && current.refusal == nil)
        // The same check, run here: the model is above popularity on this data, so nothing was refused by chance.
        let snapshot = try TrainingSnapshot.read(from: fixture.engine, for: fixture.api.state.settings.model)
        let verdict = try #require(try PopularityGuard.check(snapshot.data.matrix, spec: fixture.api.state.settings.model, seed: 1))
        #expect(verdict.passes)
    }

    @Test("with --serve-below-popularity the flags' model is served whatever it scores")
    func servesBelowPopularityWhenAsked() throws {
        let verdicts = Verdicts()
        let fixture = try ServerFixture { settings in
            settings.servesBelowPopularity = true
            settings.popularityCheck = verdicts.check
        }
        #expect(fixture.api.state.registry.current.algorithm == "als")
        #expect(fixture.api.state.registry.current.refusal == nil)
    }

    @Test("the console's line for the search says what it chose and why")
    func searchLine() throws {
        let saved = #"{"algorithm": "popular", "settings": {}, "searchedAt": 0, "score": 0.31, "popularityScore": 0.31, "reason": "nothing beat popularity"}"#
        let choice = try JSONDecoder().decode(SearchChoice.self, from: Data(saved.utf8))
        let line = ConsoleView.searchLine(choice, every: 86_400)
        #expect(line.contains("popular") && line.contains("0.310") && line.contains("nothing beat popularity") && line.contains("24.0 h"))
        #expect(ConsoleView.searchLine(nil, every: 60).contains("first training searches"))
    }
}
