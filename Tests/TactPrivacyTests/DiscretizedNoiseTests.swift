import Foundation
import TactCore
import TactTestSupport
import Testing

@testable import TactPrivacy

@Suite struct DiscretizedNoiseTests {
    @Test("the discrete Gaussian at σ = 1,024 and σ = 30,000 (past the old 2²⁴ variance limit) matches its pmf in bins of σ/4 (chi-square)")
    func largeVariance() {
        var g = ChaCha20Generator(seed: 5)
        for sigma in [1024.0, 30_000.0] {
            let variance = ExactRational(UInt64(sigma * sigma))
            let n = 25_000, width = sigma / 4
            var counts = [Int: Int]()
            for _ in 0..<n {
                let x = Double(ExactSampler.discreteGaussian(variance: variance, using: &g))
                counts[Int(((x + 0.5) / width).rounded(.down)).clamped(-12, 12), default: 0] += 1
            }
            // Bin probabilities from the normal CDF: with σ ≥ 1,024 the discrete Gaussian's bins differ from it by far less than sampling error.
            func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
            var statistic = 0.0
            for bin in -12...12 {
                let low = bin == -12 ? -Double.infinity : Double(bin) * width, high = bin == 12 ? Double.infinity : Double(bin + 1) * width
                let expected = Double(n) * (cdf(high / sigma) - cdf(low / sigma))
                let observed = Double(counts[bin, default: 0])
                statistic += (observed - expected) * (observed - expected) / expected
            }
            #expect(statistic < ExactSamplerTests.critical(df: 24), "σ = \(sigma): chi-square \(statistic)")
        }
    }

    @Test("real-valued Gaussian and Laplace outputs lie on the grid, centred on the value, with the stated spread")
    func realValued() {
        var g = ChaCha20Generator(seed: 9)
        let values = [Double](repeating: 3.14159, count: 20_000)
        let (gaussian, sigma) = DiscretizedNoise.gaussian(values, sensitivity: 2, rho: 0.5, using: &g)
        #expect(abs(sigma - 2 / (1 - 1 / DiscretizedNoise.gaussianUnitsPerSigma)) < 1e-9)
        let grid = sigma / DiscretizedNoise.gaussianUnitsPerSigma
        #expect(gaussian.allSatisfy { abs(($0 / grid) - ($0 / grid).rounded()) < 1e-6 })
        let mean = gaussian.reduce(0, +) / Double(values.count)
        let sd = (gaussian.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        // Four checks, each failing a correct mechanism with probability 10⁻⁶ / 4.
        let z = StatisticalTolerance.z(falseFailure: 1e-6 / 4)
        let gaussianBand = StatisticalTolerance.relativeVariance(n: values.count, kurtosis: 3, falseFailure: 1e-6 / 4)
        let laplaceBand = StatisticalTolerance.relativeVariance(n: values.count, kurtosis: 6, falseFailure: 1e-6 / 4)
        #expect(abs(mean - 3.14159) < z * sigma / Double(values.count).squareRoot())
        #expect(abs(sd * sd / (sigma * sigma) - 1) < gaussianBand)
        // The check can fail: the variance a 20% smaller or larger ρ would claim (σ² ∝ 1/ρ) is outside the band.
        for wrong in [0.8, 1.2] { #expect(abs(sd * sd / (sigma * sigma / wrong) - 1) > gaussianBand, "ρ × \(wrong) would pass") }

        let (laplace, scale) = DiscretizedNoise.laplace(values, sensitivity: 1, epsilon: 0.5, using: &g)
        #expect(scale >= 2 && scale < 2 * 1.001, "scale \(scale) is Δ/ε with a rounding price below 0.1%")
        let lmean = laplace.reduce(0, +) / Double(values.count)
        let lsd = (laplace.map { ($0 - lmean) * ($0 - lmean) }.reduce(0, +) / Double(values.count)).squareRoot()
        #expect(abs(lmean - 3.14159) < z * scale * 2.0.squareRoot() / Double(values.count).squareRoot())
        #expect(abs(lsd * lsd / (2 * scale * scale) - 1) < laplaceBand)
        // A 20% wrong ε (variance ∝ 1/ε²) is outside the band too.
        for wrong in [0.8, 1.2] { #expect(abs(lsd * lsd / (2 * scale * scale / (wrong * wrong)) - 1) > laplaceBand, "ε × \(wrong) would pass") }
    }

    @Test("the accountant's zCDP budget converts back to the ε it was solved for")
    func zCDPBudget() {
        for epsilon in [0.5, 1, 4, 10] {
            let rho = PrivacyAccountant.zCDPBudget(epsilon: epsilon, delta: 1e-5)
            var accountant = PrivacyAccountant()
            accountant.compose(.zCDP(rho: rho))
            #expect(accountant.epsilon(delta: 1e-5) <= epsilon)
            #expect(accountant.epsilon(delta: 1e-5) > epsilon * 0.999)
        }
    }
}

extension Int {
    fileprivate func clamped(_ low: Int, _ high: Int) -> Int { Swift.min(Swift.max(self, low), high) }
}
