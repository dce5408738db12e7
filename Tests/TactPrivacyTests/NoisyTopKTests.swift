import Foundation
import TactCore
import Testing

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
        let a: [Int64] = [5, 7, 6], b: [Int64] = [6, 6, 6]  // every score moved by at most Δ = 1
        var countsA = [0, 0, 0], countsB = [0, 0, 0]
        for _ in 0..<n {
            countsA[NoisyTopK.reportNoisyMax(a, sensitivity: 1, epsilon: epsilon, using: &g)!] += 1
            countsB[NoisyTopK.reportNoisyMax(b, sensitivity: 1, epsilon: epsilon, using: &g)!] += 1
        }
        let bound = exp(epsilon.doubleValue)
        for i in 0..<3 {
            let ratio = Double(countsA[i]) / Double(countsB[i])
            // The sampling error of a ratio of two frequencies, from this test's own counts: the log of the
            // ratio has standard deviation about √((1−pₐ)/(n·pₐ) + (1−p_b)/(n·p_b)); 5 of them fail a right
            // mechanism with probability under 10⁻⁶.
            let pa = Double(countsA[i]) / Double(n), pb = Double(countsB[i]) / Double(n)
            let slack = exp(5 * ((1 - pa) / (Double(n) * pa) + (1 - pb) / (Double(n) * pb)).squareRoot())
            #expect(ratio < bound * slack && 1 / ratio < bound * slack, "outcome \(i): ratio \(ratio), bound \(bound) × \(slack)")
        }
        #expect(countsA[1] > countsA[0], "the mechanism still prefers the higher score")
    }

    /// Each candidate's exact chance of winning report-noisy-max: scores plus discrete Laplace noise of
    /// scale 2Δ/ε (P(z) ∝ e^(−|z|/scale)), ties broken uniformly; summed over the noise, in Double.
    static func winProbabilities(_ scores: [Int64], epsilon: Double) -> [Double] {
        let scale = 2 / epsilon, reach = 60 * Int64(scale.rounded(.up))
        let normal = (1 - exp(-1 / scale)) / (1 + exp(-1 / scale))
        func mass(_ z: Int64) -> Double { normal * exp(-Double(abs(z)) / scale) }
        func below(_ z: Int64) -> Double {  // P(Z < z)
            z <= 0 ? normal * exp(Double(z - 1) / scale) / (1 - exp(-1 / scale)) : 1 - normal * exp(-Double(z) / scale) / (1 - exp(-1 / scale))
        }
        let low = scores.min()! - reach, high = scores.max()! + reach
        return scores.indices.map { i in
            var p = 0.0
            for v in low...high {
                // The others: each below v or equal to it; with m equal, i wins a tie with chance 1/(m + 1).
                var ways = [1.0]  // ways[m]: probability that exactly m of the others so far equal v and the rest are below
                for j in scores.indices where j != i {
                    let lt = below(v - scores[j]), eq = mass(v - scores[j])
                    var next = [Double](repeating: 0, count: ways.count + 1)
                    for (m, w) in ways.enumerated() { next[m] += w * lt; next[m + 1] += w * eq }
                    ways = next
                }
                p += mass(v - scores[i]) * ways.enumerated().reduce(0) { $0 + $1.element / Double($1.offset + 1) }
            }
            return p
        }
    }

    /// Pearson's χ² of observed counts against probabilities.
    static func chiSquare(_ counts: [Int], _ p: [Double]) -> Double {
        let n = Double(counts.reduce(0, +))
        return zip(counts, p).reduce(0) { $0 + (Double($1.0) - n * $1.1) * (Double($1.0) - n * $1.1) / (n * $1.1) }
    }

    @Test("winners come with exactly the probabilities the noise gives (χ², false-failure rate 10⁻⁶), and a 20%-wrong ε is told apart")
    func exactProbabilities() {
        let scores: [Int64] = [5, 7, 6], n = 100_000
        let exact = Self.winProbabilities(scores, epsilon: 0.5)
        #expect(abs(exact.reduce(0, +) - 1) < 1e-9, "\(exact)")
        func draw(_ epsilon: ExactRational, seed: UInt64) -> [Int] {
            var g = SplitMix64(seed: seed), counts = [0, 0, 0]
            for _ in 0..<n { counts[NoisyTopK.reportNoisyMax(scores, sensitivity: 1, epsilon: epsilon, using: &g)!] += 1 }
            return counts
        }
        // χ² with 2 degrees of freedom exceeds −2·ln(10⁻⁶) = 27.6 with probability 10⁻⁶.
        let critical = -2 * log(1e-6)
        let right = draw(ExactRational(1, 2), seed: 24)
        #expect(Self.chiSquare(right, exact) < critical, "\(right) against \(exact)")
        // Controls: a mechanism whose ε is 20% off fails the same test, and so do the right counts
        // against the probabilities of an ε 20% off.
        let wrong = draw(ExactRational(3, 5), seed: 25)
        #expect(Self.chiSquare(wrong, exact) > critical, "\(wrong) passed against \(exact)")
        #expect(Self.chiSquare(right, Self.winProbabilities(scores, epsilon: 0.4)) > critical)
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
