import Foundation
import TactCore
import Testing

@testable import TactRecommend

@Suite("Successive halving")
struct SuccessiveHalvingTests {
    @Test("nine candidates, three rungs: 9 scored, the best 3 go up, then the best 1; the winner is the top of the last rung")
    func rungs() {
        // A candidate's true quality is its value; a low rung sees it with noise that favours candidate 2.
        let values: [Double] = [0.1, 0.5, 0.3, 0.9, 0.2, 0.8, 0.4, 0.7, 0.6]
        let search = SuccessiveHalving<Double>(rungs: 3)
        let outcome = search.run(values) { value, rung in rung == 0 && value == 0.3 ? 1.0 : value }
        #expect(outcome.trials.filter { $0.rung == 0 }.count == 9)
        #expect(outcome.trials.filter { $0.rung == 1 }.map(\.candidate) == [2, 3, 5])  // by their rung-0 scores
        #expect(outcome.trials.filter { $0.rung == 2 }.map(\.candidate) == [3])
        #expect(outcome.winner == 3)
        #expect(!outcome.stoppedByDeadline)
    }

    @Test("the deadline stops between evaluations; the winner is the best of the highest rung reached, never nothing")
    func deadline() {
        var clock = Date(timeIntervalSince1970: 0)
        let search = SuccessiveHalving<Int>(rungs: 2)
        // Each evaluation takes 10 s of the fake clock; the deadline falls during the second rung.
        let outcome = search.run(Array(0..<6), deadline: Date(timeIntervalSince1970: 65), now: { clock }) { c, rung in
            clock += 10
            return Double(c) + (rung == 1 ? 100 : 0)
        }
        #expect(outcome.stoppedByDeadline)
        #expect(outcome.trials.count == 7)
        #expect(outcome.trials.last?.rung == 1)
        #expect(outcome.winner == 5)
        // A deadline already past still scores one candidate.
        let late = search.run(Array(0..<6), deadline: Date(timeIntervalSince1970: -1)) { c, _ in Double(c) }
        #expect(late.trials.count == 1 && late.winner == 0)
    }

    @Test("ties keep the earlier candidate; one candidate is scored once")
    func ties() {
        let search = SuccessiveHalving<Int>(rungs: 3)
        #expect(search.run([7, 8, 9]) { _, _ in 1 }.winner == 0)
        #expect(search.run([7]) { _, _ in 1 }.trials.count == 1)
    }

    @Test("log-scale draws stay in range and spread over the decades evenly")
    func logScale() {
        var generator = SplitMix64(seed: 3)
        let draws = (0..<3000).map { _ in LogScale.draw(0.01...100.0, using: &generator) }
        #expect(draws.allSatisfy { (0.01...100).contains($0) })
        for decade in [0.01, 0.1, 1, 10] {
            let share = Double(draws.filter { $0 >= decade && $0 < decade * 10 }.count) / 3000
            #expect(abs(share - 0.25) < 0.04, "decade \(decade): \(share)")
        }
        let factors = (0..<500).map { _ in LogScale.draw(16...256, step: 16, using: &generator) }
        #expect(factors.allSatisfy { $0 % 16 == 0 && (16...256).contains($0) })
    }
}
