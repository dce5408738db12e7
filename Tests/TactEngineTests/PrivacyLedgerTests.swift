import Foundation
import TactCore
import TactStore
import TactTestSupport
import Testing

@testable import TactEngine

@Suite struct PrivacyLedgerTests {
    let tmp = TemporaryDirectory()

    @Test("releases are recorded against their dataset; one past the budget is refused and records nothing")
    func refusal() throws {
        let engine = try makeEngine(tmp, mode: .optIn)
        let ledger = PrivacyLedger(engine: engine)
        #expect(ledger.budget == .standard)
        try ledger.spend(dataset: "interactions", release: "dp-popularity #1", mechanism: "discrete-laplace", epsilon: 4, delta: 0, at: 1)
        let state = try ledger.spend(dataset: "interactions", release: "dp-als #1", mechanism: "discrete-gaussian", epsilon: 5, delta: 5e-6, at: 2)
        #expect(state.spentEpsilon == 9 && state.remainingEpsilon == 1 && state.releases.count == 2)
        #expect(throws: EngineError.self) {
            try ledger.spend(dataset: "interactions", release: "dp-als #2", mechanism: "discrete-gaussian", epsilon: 1.5, delta: 0, at: 3)
        }
        #expect(throws: EngineError.self) {
            try ledger.spend(dataset: "interactions", release: "too much δ", mechanism: "gaussian", epsilon: 0.1, delta: 6e-6, at: 3)
        }
        // Another dataset has its own budget; the refused releases left no trace.
        try ledger.spend(dataset: "catalog-views", release: "counts", mechanism: "discrete-laplace", epsilon: 9.5, delta: 0, at: 4)
        let states = try ledger.state()
        #expect(states.map(\.dataset) == ["catalog-views", "interactions"])
        #expect(states[1].releases.map(\.release) == ["dp-popularity #1", "dp-als #1"])
        #expect(try ledger.state(dataset: "never").first?.spentEpsilon == 0)
        #expect(throws: EngineError.self) { try ledger.spend(dataset: "x", release: "bad", mechanism: "m", epsilon: .nan, delta: 0) }
        do {
            try ledger.spend(dataset: "interactions", release: "r", mechanism: "m", epsilon: 2, delta: 0)
            Issue.record("a release past the budget must be refused")
        } catch let error as EngineError {
            #expect(error.description.contains("would exceed its privacy budget") && error.description.contains("nothing was released"))
        }
    }

    @Test("the budget comes from config.json when set, and the ledger refuses changes")
    func configuredBudgetAndAppendOnly() throws {
        let dir = DataDirectory(path: tmp.file("configured"), environment: [:])
        try dir.initialize(mode: .optIn)
        var config = try TactConfiguration.load(path: dir.configPath)
        config.privacyBudget = PrivacyBudget(epsilon: 1, delta: 1e-6)
        try config.write(path: dir.configPath)
        let engine = try dir.open()
        let ledger = PrivacyLedger(engine: engine)
        #expect(ledger.budget == PrivacyBudget(epsilon: 1, delta: 1e-6))
        try ledger.spend(dataset: "d", release: "r1", mechanism: "m", epsilon: 0.6, delta: 0)
        #expect(throws: EngineError.self) { try ledger.spend(dataset: "d", release: "r2", mechanism: "m", epsilon: 0.6, delta: 0) }
        #expect(try engine.store.read { try $0.recentAuditEntries(limit: 5) }.contains { $0.action == "privacy.release" })
    }
}
