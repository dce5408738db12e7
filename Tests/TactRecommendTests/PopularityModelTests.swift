import Testing

@testable import TactRecommend

@Suite struct PopularityModelTests {
    @Test func ranksByWeightAndExcludesConsumed() {
        let model = PopularityModel(itemCount: 4, now: 0) { add in
            add(0, 1, 0); add(1, 1, 0); add(1, 1, 0); add(2, 1, 0); add(2, 1, 0); add(2, 1, 0)
            add(3, 0, 0)  // zero weight: ignored
            add(9, 1, 0)  // out of range: ignored
        }
        #expect(model.ranking.prefix(3) == [2, 1, 0])
        #expect(model.recommend(k: 2).map(\.item) == [2, 1])
        #expect(model.recommend(k: 5, excluding: [2]).map(\.item) == [1, 0])
        #expect(model.recommend(k: 5, allowed: { $0 != 1 }).map(\.item) == [2, 0])
        #expect(model.recommend(k: 1)[0].reasons == [.popular(rank: 1)])
    }

    @Test func timeDecayHalvesWeightPerHalfLife() {
        let day: Int64 = 86_400
        let model = PopularityModel(itemCount: 2, halfLifeDays: 1, now: 10 * day) { add in
            add(0, 1, 10 * day)  // now: weight 1
            add(1, 1, 9 * day)  // one half-life ago: 0.5
            add(1, 1, 8 * day)  // two: 0.25
        }
        #expect(abs(model.scores[0] - 1) < 1e-5)
        #expect(abs(model.scores[1] - 0.75) < 1e-5)
        #expect(model.ranking == [0, 1])
    }

    @Test func eventWeights() {
        #expect(EventWeight.positive(kind: "play", value: 1) == 1)
        #expect(EventWeight.positive(kind: "skip", value: -1) == 0)
        #expect(EventWeight.positive(kind: "rating", value: 5) == 1)
        #expect(EventWeight.positive(kind: "rating", value: 2) == 0)
    }
}
