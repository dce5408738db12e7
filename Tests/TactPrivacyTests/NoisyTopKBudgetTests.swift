import Foundation
import TactCore
import Testing

@testable import TactPrivacy

/// Top-k's budget split, found missing by the mutation check (fault `dp-topk-split`): with the whole ε
/// on every pick, k picks would cost k·ε, and the existing tests (large ε, distinctness) still passed.
@Suite struct NoisyTopKBudgetTests {
    @Test("top-k spends ε/k on each pick: its first pick follows report-noisy-max at ε/k, not at ε (χ², false-failure rate 10⁻⁶)")
    func eachPickSpendsItsShare() {
        let scores: [Int64] = [5, 7, 6], n = 40_000
        var g = SplitMix64(seed: 31), first = [0, 0, 0]
        for _ in 0..<n { first[NoisyTopK.topK(scores, k: 2, sensitivity: 1, epsilon: ExactRational(1), using: &g)[0]] += 1 }
        // χ² with 2 degrees of freedom exceeds −2·ln(10⁻⁶) = 27.6 with probability 10⁻⁶.
        let critical = -2 * log(1e-6)
        let share = NoisyTopKTests.winProbabilities(scores, epsilon: 0.5), whole = NoisyTopKTests.winProbabilities(scores, epsilon: 1)
        #expect(NoisyTopKTests.chiSquare(first, share) < critical, "\(first) against ε/k = 0.5: \(share)")
        // Control: the same counts are told apart from the whole ε spent on the pick.
        #expect(NoisyTopKTests.chiSquare(first, whole) > critical, "\(first) passed against ε = 1: \(whole)")
    }
}
