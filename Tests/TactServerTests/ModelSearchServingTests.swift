import Foundation
import TactEngine
import TactRecommend
import Testing

@testable import TactServer

/// `tact serve` with no model flag: the first training searches, the server serves the choice and keeps
/// it beside the models; later retrainings train the choice again until it is `searchEverySeconds` old.
@Suite struct ModelSearchServingTests {
    static func fixture(searchEvery: Double) throws -> ServerFixture {
        try ServerFixture { settings in
            var search = ModelSearch(budget: 60, seed: 3, threads: 1)
            search.alsDraws = 3
            search.alsFactors = 4...8
            settings.modelSearch = search
            settings.searchEverySeconds = searchEvery
            settings.evaluateModels = false
        }
    }

    @Test("the first training searches; the server serves its choice, with the trials in the model file")
    func servesTheChoice() async throws {
        let fixture = try Self.fixture(searchEvery: 86_400)
        let models = ModelDirectory(directory: fixture.engine.directory)
        let choice = try #require(SearchChoice.load(from: models))
        #expect(fixture.api.state.registry.current.algorithm == choice.algorithm)
        let (_, metadata) = try ModelFile.read(from: models.modelPath(algorithm: choice.algorithm))
        #expect(metadata.parameters["chosen_by"] == "search")
        #expect(metadata.parameters["search"]?.contains("\"trials\"") == true)
        // Two clear tastes: the choice beats popularity on validation.
        #expect(try #require(choice.score) > (choice.popularityScore ?? 1))
        // /metrics shows both, so an operator sees the guard hold.
        try await fixture.test { client in
            let metrics = try await client.call(.get, "/metrics", auth: fixture.admin)
            func value(_ name: String) -> Double? {
                metrics.body.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
            }
            #expect(abs((value("tact_model_search_validation_ndcg") ?? -1) - choice.score!) < 1e-9)
            #expect(abs((value("tact_model_search_popularity_validation_ndcg") ?? -1) - (choice.popularityScore ?? -2)) < 1e-9)
        }
        // A retraining within the interval trains the choice again without searching.
        _ = try await fixture.api.state.trainer.retrain()
        #expect(SearchChoice.load(from: models)?.searchedAt == choice.searchedAt)
        #expect(fixture.api.state.registry.current.algorithm == choice.algorithm)
        let (_, retrained) = try ModelFile.read(from: models.modelPath(algorithm: choice.algorithm))
        #expect(retrained.parameters["search"] == nil)
        #expect(retrained.parameters["chosen_by"] == "search")
    }

    @Test("a choice older than the interval is searched again at the next retraining")
    func searchesAgainWhenDue() async throws {
        let fixture = try Self.fixture(searchEvery: 1)
        let models = ModelDirectory(directory: fixture.engine.directory)
        var old = try #require(SearchChoice.load(from: models))
        old.searchedAt -= 10
        try old.save(to: models)
        _ = try await fixture.api.state.trainer.retrain()
        let again = try #require(SearchChoice.load(from: models))
        #expect(again.searchedAt > old.searchedAt)
    }
}
