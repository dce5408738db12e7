import Foundation
import Testing
import TactCore
@testable import TactPrivacy

@Suite struct NoisyTopKTests {
    @Test("with a large ε the true maximum wins; with a tiny one every candidate wins about as often")
    func extremes() {
        var g = SplitMix64(seed: 21)
        let scores: [Int64] = [10, 40, 25, 39]
        #expect((0..<200).allSatisfy { _ in NoisyTopK.reportNoisyMax(scores, sensitivity: 1, epsilon: ExactRational(50), using: &g) == 1 })
        var wins = [0, 0, 0, 0]
        for _ in 0..<40_000 { wins[NoisyTopK.reportNoisyMax(scores, sensitivity: 1, epsilon: ExactRational(1, 1000), using: &g)!] += 1 }
        #expect(wins.allSatisfy { abs($0 - 10_000) < 800 }, "\(wins)")
        #expect(NoisyTopK.reportNoisyMax([], sensitivity: 1, epsilon: ExactRational(1), using: &g) == nil)
    }

    @Test("one person's change moves no outcome's probability by more than e^ε (empirical, neighbouring scores)")
    func privacyRatio() {
        var g = SplitMix64(seed: 22)
        let epsilon = ExactRational(1, 2), n = 200_000
        let a: [Int64] = [5, 7, 6], b: [Int64] = [6, 6, 6]   // every score moved by at most Δ = 1
        var countsA = [0, 0, 0], countsB = [0, 0, 0]
        for _ in 0..<n {
            countsA[NoisyTopK.reportNoisyMax(a, sensitivity: 1, epsilon: epsilon, using: &g)!] += 1
            countsB[NoisyTopK.reportNoisyMax(b, sensitivity: 1, epsilon: epsilon, using: &g)!] += 1
        }
        let bound = exp(epsilon.doubleValue)
        for i in 0..<3 {
            let ratio = Double(countsA[i]) / Double(countsB[i])
            #expect(ratio < bound * 1.03 && 1 / ratio < bound * 1.03, "outcome \(i): ratio \(ratio), bound \(bound)")
        }
        #expect(countsA[1] > countsA[0], "the mechanism still prefers the higher score")
    }

    @Test("top-k returns k distinct candidates, best first when ε is large")
    func topK() {
        var g = SplitMix64(seed: 23)
        let scores: [Int64] = (0..<50).map { Int64($0 * 10) }
        let top = NoisyTopK.topK(scores, k: 5, sensitivity: 1, epsilon: ExactRational(500), using: &g)
        #expect(top == [49, 48, 47, 46, 45])
        let noisy = NoisyTopK.topK(scores, k: 10, sensitivity: 1, epsilon: ExactRational(1), using: &g)
        #expect(noisy.count == 10 && Set(noisy).count == 10)
        #expect(NoisyTopK.topK([1, 2], k: 5, sensitivity: 1, epsilon: ExactRational(1), using: &g).count == 2)
    }
}
