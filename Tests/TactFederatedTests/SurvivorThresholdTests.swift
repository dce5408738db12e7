import Foundation
import TactCore
import TactPrivacy
import Testing

@testable import TactFederated

/// The device's own survivor threshold at the consistency step, found untested by the mutation check
/// (fault `secagg-client-threshold`): a server that announces fewer than t of a device's neighbours as
/// survivors must get no signature (and so no shares) from it; exactly t is enough.
@Suite struct SurvivorThresholdTests {
    @Test("a device signs a survivor set only when at least its threshold of neighbours survived: t − 1 aborts it, t does not")
    func consistencyNeedsThresholdSurvivors() throws {
        var round = try MaliciousServerTests.Round(devices: 6)
        try round.shareAll()
        try round.inputAll(Dictionary(uniqueKeysWithValues: (1...6).map { (UInt32($0), [UInt32](repeating: 7, count: 8)) }))
        let t = round.clients[1]!.threshold
        #expect(t == Neighborhood.threshold(holders: 5) && t >= 2)

        // Device 1 is told that only t − 1 of its neighbours survived.
        let few = Set([UInt32(1)] + (2...UInt32(t)).map { $0 })
        var one = round.clients[1]!
        #expect(throws: SecureAggregationError.tooFewSurvivors(have: t - 1, need: t)) { try one.consistencyCheck(survivors: few) }
        // The abort is final: a full set afterwards gets no signature either.
        #expect(throws: SecureAggregationError.self) { try one.consistencyCheck(survivors: Set(1...6)) }

        // Device 2 is told that exactly t of its neighbours survived: it signs.
        let enough = Set([UInt32(2), 1] + (3...UInt32(t + 1)).map { $0 })
        #expect(enough.count == t + 1)
        var two = round.clients[2]!
        let signature = try two.consistencyCheck(survivors: enough)
        #expect(signature.id == 2)
    }
}
