import Foundation
import TactCore
import Testing

@testable import TactPrivacy

/// The samplers against their exact probability mass functions. A seeded generator keeps the runs
/// repeatable; the thresholds are chi-square critical values at p = 0.001, so a correct sampler fails
/// one seed in a thousand and a wrong one (tested below) fails by far.
@Suite struct ExactSamplerTests {
    /// Pearson's chi-square of `counts` (integer → count) against `pmf`, over |x| ≤ cut with both tails
    /// pooled into one bin; returns the statistic and the degrees of freedom.
    static func chiSquare(_ counts: [Int64: Int], total: Int, cut: Int64, pmf: (Int64) -> Double) -> (statistic: Double, df: Int) {
        var statistic = 0.0, bins = 0, inside = 0.0, insideCount = 0
        for x in -cut...cut {
            let expected = Double(total) * pmf(x)
            let observed = counts[x, default: 0]
            statistic += (Double(observed) - expected) * (Double(observed) - expected) / expected
            inside += pmf(x)
            insideCount += observed
            bins += 1
        }
        let tailExpected = Double(total) * (1 - inside), tailObserved = Double(total - insideCount)
        if tailExpected > 5 {
            statistic += (tailObserved - tailExpected) * (tailObserved - tailExpected) / tailExpected
            bins += 1
        }
        return (statistic, bins - 1)
    }

    /// Chi-square critical values at p = 0.001 (Wilson–Hilferty approximation, within 1% here).
    static func critical(df: Int) -> Double {
        let k = Double(df), z = 3.090
        let a = 1 - 2 / (9 * k) + z * (2 / (9 * k)).squareRoot()
        return k * a * a * a
    }

    static func discreteLaplacePMF(scale b: Double) -> (Int64) -> Double {
        let q = exp(-1 / b), norm = (1 - q) / (1 + q)
        return { x in norm * pow(q, Double(x.magnitude)) }
    }

    static func discreteGaussianPMF(variance: Double) -> (Int64) -> Double {
        var norm = 0.0
        for x in -2000...2000 { norm += exp(-Double(x * x) / (2 * variance)) }
        return { x in exp(-Double(x) * Double(x) / (2 * variance)) / norm }
    }

    @Test("Bernoulli(exp(−γ)) hits exp(−γ) for γ in 0, 1/3, 1, 5/2 and 7")
    func bernoulliExp() {
        var g = SplitMix64(seed: 11)
        let n = 200_000
        for gamma in [ExactRational(0), ExactRational(1, 3), ExactRational(1), ExactRational(5, 2), ExactRational(7)] {
            var hits = 0
            for _ in 0..<n where ExactSampler.bernoulliExpMinus(gamma, using: &g) { hits += 1 }
            let p = exp(-gamma.doubleValue), sd = (p * (1 - p) / Double(n)).squareRoot()
            #expect(abs(Double(hits) / Double(n) - p) <= 4 * sd + 1e-12, "γ = \(gamma): \(Double(hits) / Double(n)) vs \(p)")
        }
    }

    @Test("discrete Laplace matches its pmf (chi-square) at scales 2, 3/2 and 1/4")
    func discreteLaplace() {
        var g = SplitMix64(seed: 12)
        let n = 100_000
        for scale in [ExactRational(2), ExactRational(3, 2), ExactRational(1, 4)] {
            var counts: [Int64: Int] = [:]
            for _ in 0..<n { counts[ExactSampler.discreteLaplace(scale: scale, using: &g), default: 0] += 1 }
            let pmf = Self.discreteLaplacePMF(scale: scale.doubleValue)
            let cut = Int64(max(2, 6 * scale.doubleValue))
            let (statistic, df) = Self.chiSquare(counts, total: n, cut: cut, pmf: pmf)
            #expect(statistic < Self.critical(df: df), "scale \(scale): χ² = \(statistic), df \(df)")
        }
    }

    @Test("discrete Gaussian matches its pmf (chi-square) at variances 4, 5/2, 100 and 1/3")
    func discreteGaussian() {
        var g = SplitMix64(seed: 13)
        let n = 100_000
        for variance in [ExactRational(4), ExactRational(5, 2), ExactRational(100), ExactRational(1, 3)] {
            var counts: [Int64: Int] = [:]
            for _ in 0..<n { counts[ExactSampler.discreteGaussian(variance: variance, using: &g), default: 0] += 1 }
            let pmf = Self.discreteGaussianPMF(variance: variance.doubleValue)
            let cut = Int64(max(2, 3.5 * variance.doubleValue.squareRoot()))
            let (statistic, df) = Self.chiSquare(counts, total: n, cut: cut, pmf: pmf)
            #expect(statistic < Self.critical(df: df), "σ² = \(variance): χ² = \(statistic), df \(df)")
        }
    }

    @Test("the chi-square check rejects a sampler with the wrong scale, so it can fail")
    func checkCanFail() {
        var g = SplitMix64(seed: 14)
        let n = 100_000
        var counts: [Int64: Int] = [:]
        for _ in 0..<n { counts[ExactSampler.discreteLaplace(scale: ExactRational(11, 5), using: &g), default: 0] += 1 }
        let (statistic, df) = Self.chiSquare(counts, total: n, cut: 12, pmf: Self.discreteLaplacePMF(scale: 2))
        #expect(statistic > Self.critical(df: df), "a 10% wrong scale must be caught: χ² = \(statistic)")
    }

    @Test("randomized response tells the truth with probability e^ε / (1 + e^ε)")
    func randomizedResponse() {
        var g = SplitMix64(seed: 15)
        let n = 200_000
        for epsilon in [ExactRational(1, 2), ExactRational(1), ExactRational(3)] {
            var truthful = 0
            for i in 0..<n where ExactSampler.randomizedResponse(i % 2 == 0, epsilon: epsilon, using: &g) == (i % 2 == 0) { truthful += 1 }
            let p = exp(epsilon.doubleValue) / (1 + exp(epsilon.doubleValue)), sd = (p * (1 - p) / Double(n)).squareRoot()
            #expect(abs(Double(truthful) / Double(n) - p) <= 4 * sd, "ε = \(epsilon)")
        }
    }

    @Test("rationals reduce and approximate configuration values exactly at their resolution")
    func rationals() {
        #expect(ExactRational(6, 4) == ExactRational(3, 2))
        #expect(ExactRational(approximating: 0.5) == ExactRational(1, 2))
        #expect(ExactRational(approximating: -1) == nil && ExactRational(approximating: .infinity) == nil)
        #expect(ExactSampler.integerSquareRoot(2, exactly: ExactRational(5, 2)) == 1)
        #expect(ExactSampler.integerSquareRoot(100, exactly: ExactRational(100)) == 10)
        #expect(ExactSampler.integerSquareRoot(99, exactly: ExactRational(9999, 100)) == 9)
    }

    @Test("the production generator is the system's secure one and varies")
    func secureRandom() {
        var a = SecureRandom()
        let draws = Set((0..<16).map { _ in a.next() })
        #expect(draws.count == 16)
    }
}
