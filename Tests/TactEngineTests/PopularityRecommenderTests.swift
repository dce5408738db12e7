import TactCore
import TactRecommend
import TactTestSupport
import Testing

@testable import TactEngine

@Suite struct PopularityRecommenderTests {
    let tmp = TemporaryDirectory()

    @Test func trainsOnlyOnModelTrainingConsentAndPersonalizesOnlyWithConsent() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        let consent = ConsentService(engine: engine)
        for u in ["a", "b", "c"] { try consent.record(user: u, purposes: [.personalization, .modelTraining], decision: .grant) }
        try consent.record(user: "private", purposes: [.personalization], decision: .grant)
        var events: [IncomingInteraction] = []
        for u in ["a", "b", "c"] { events.append(event(u, "hit")) }
        events += [event("a", "second"), event("b", "second"), event("c", "third")]
        for _ in 0..<10 { events.append(event("private", "niche")) }  // stored, but never trained on
        _ = try Ingestor(engine: engine).ingest(events, options: IngestOptions())
        let recommender = PopularityRecommender(engine: engine)
        let model = try recommender.train(halfLifeDays: nil)
        #expect(model.subjectsUsed == 3 && model.subjectsExcluded == 1 && model.eventsUsed == 6)
        #expect(model.model.recommend(k: 3).map { model.items[$0.item].id } == ["hit", "second", "third"])

        let forA = try recommender.recommend(user: "a", model: model, k: 3)
        #expect(forA.personalized)
        #expect(forA.items.map(\.item.id) == ["third"])  // a already had hit and second
        let stranger = try recommender.recommend(user: "stranger", model: model, k: 2)
        #expect(!stranger.personalized)
        #expect(stranger.items.map(\.item.id) == ["hit", "second"])
        #expect(stranger.items[0].reasons == [.popular(rank: 1)])
    }
}
