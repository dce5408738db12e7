import Foundation
import TactCore
import TactEngine
import TactRecommend
import TactServer
import Testing

/// A server configured with a differentially private model records each training in the privacy
/// ledger before serving it, shows it in the budget route, and serves its recommendations.
@Suite struct PrivateModelServingTests {
    @Test("a DP-ALS server spends once at start-up, reports it in /v1/privacy/budget, and recommends")
    func dpALSServer() async throws {
        let dp = PrivatePopularityServingTests.dpALS()
        let fixture = try ServerFixture { $0.model = .privateALS(dp) }
        let state = try PrivacyLedger(engine: fixture.engine).state(dataset: PrivacyLedger.interactionsDataset)[0]
        #expect(state.releases.map(\.release) == ["dp-als model"])
        #expect(state.spentEpsilon <= 3 && state.spentEpsilon > 2.99)
        let audit = fixture.keys[.audit]!, recommend = fixture.keys[.recommend]!
        try await fixture.test { client in
            let budget = try await client.call(.get, "/v1/privacy/budget", auth: audit)
            #expect(budget.status == 200)
            #expect(budget.body.contains("dp-als model"))
            let recs = try await client.call(.get, "/v1/people/p0/recommendations?k=5", auth: recommend)
            #expect(recs.status == 200)
            #expect(recs.body.contains("\"item\""))
        }
    }

    @Test("a server whose dataset has no budget left refuses to train a private model and does not start on it")
    func exhaustedBudget() throws {
        var dp = PrivateALSConfiguration()
        dp.factors = 4
        dp.epsilon = 11  // above the default budget of 10
        dp.threads = 1
        #expect(throws: EngineError.self) { _ = try ServerFixture { $0.model = .privateALS(dp) } }
    }
}
