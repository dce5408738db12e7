import Foundation
import TactCore
import Testing

@testable import TactPrivacy

@Suite struct DistinguishingTestTests {
    /// Runs of a Gaussian mechanism: `dimension` values, the first shifted by `shift`, noise σ.
    static func runs(_ n: Int, dimension: Int, shift: Double, sigma: Double, seed: UInt64) -> [[Double]] {
        var random = SplitMix64(seed: seed)
        func normal() -> Double {
            let u = max(random.unit(), 1e-300), v = random.unit()
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        return (0..<n).map { _ in (0..<dimension).map { j in (j == 0 ? shift : 0) + sigma * normal() } }
    }

    @Test("the same distribution on both sides gives a bound near 0")
    func sameDistribution() {
        let r = DistinguishingTest.lowerBound(
            with: Self.runs(2000, dimension: 5, shift: 0, sigma: 1, seed: 1),
            without: Self.runs(2000, dimension: 5, shift: 0, sigma: 1, seed: 2), delta: 1e-6)
        #expect(r.epsilonLowerBound < 0.15)
        #expect(r.heldOutRuns == 1000)
    }

    @Test("a Gaussian mechanism calibrated for ε = 1 is bounded below 1, and the test has power")
    func calibratedGaussian() {
        // Sensitivity 1; σ from the analytic Gaussian mechanism for (1, 10⁻⁶).
        let sigma = PrivacyAccountant.analyticGaussianSigma(epsilon: 1, delta: 1e-6, sensitivity: 1)
        let r = DistinguishingTest.lowerBound(
            with: Self.runs(4000, dimension: 3, shift: 1, sigma: sigma, seed: 3),
            without: Self.runs(4000, dimension: 3, shift: 0, sigma: sigma, seed: 4), delta: 1e-6)
        #expect(r.epsilonLowerBound <= 1)
        #expect(r.epsilonEstimate > 0.05)
    }

    @Test("a mechanism whose noise is 10 times too small is caught")
    func underNoised() {
        let sigma = PrivacyAccountant.analyticGaussianSigma(epsilon: 1, delta: 1e-6, sensitivity: 1) / 10
        let r = DistinguishingTest.lowerBound(
            with: Self.runs(2000, dimension: 3, shift: 1, sigma: sigma, seed: 5),
            without: Self.runs(2000, dimension: 3, shift: 0, sigma: sigma, seed: 6), delta: 1e-6)
        #expect(r.epsilonLowerBound > 1)
    }
}
