import Foundation
import TactTestSupport
import Testing

@testable import TactPrivacy

/// Aggregate reports: contributions capped, noise of the stated scale, small counts suppressed.
@Suite struct AggregateReportTests {
    @Test("each contributor adds at most the cap; the noise has the scale cap·m/ε and mean zero; small counts are suppressed")
    func report() {
        var g = ChaCha20Generator(seed: 7)
        // 1,000 people with 1 impression, one person with 5,000 (capped at 10).
        let counts = Array(repeating: 1, count: 1_000) + [5_000]
        var sum = 0.0, runs = 400
        for _ in 0..<runs {
            let metrics = AggregateReport.release(
                [(name: "impressions", counts: counts, cap: 10), (name: "clicks", counts: [1, 1], cap: 3)],
                epsilon: 1, minimumCount: 20, using: &g)
            #expect(metrics[0].scale == 20 && metrics[1].scale == 6, "cap × 2 metrics / ε")
            sum += Double(metrics[0].value ?? 0)
            #expect(metrics[1].value == nil || metrics[1].value! >= 20, "below 20 is suppressed")
        }
        let mean = sum / Double(runs)
        #expect(abs(mean - 1_010) < 5, "unbiased around the capped total 1,010: \(mean)")
    }

    /// The noise of one metric's release, minus its capped total, `runs` times.
    static func noise(epsilon: Double, runs: Int, seed: UInt64) -> [Double] {
        var g = ChaCha20Generator(seed: seed)
        // One contributor at the cap; no suppression, so every draw is seen.
        return (0..<runs).map { _ in
            let metric = AggregateReport.release([(name: "impressions", counts: [10], cap: 10)], epsilon: epsilon, minimumCount: Int.min, using: &g)[0]
            return Double(metric.value!) - 10
        }
    }

    @Test("the noise drawn has the variance of a discrete Laplace of scale cap/ε; a 20% wrong ε is told apart")
    func noiseHasTheStatedScale() {
        let runs = 8_000, scale = 10.0  // cap 10, ε 1
        // A discrete Laplace of scale t has variance 2q/(1 − q)², q = e^(−1/t), and kurtosis close to a Laplace's 6.
        let q = exp(-1 / scale), variance = 2 * q / ((1 - q) * (1 - q))
        // Two checks, each failing a correct mechanism with probability 10⁻⁶ / 2.
        let z = StatisticalTolerance.z(falseFailure: 1e-6 / 2)
        let relative = StatisticalTolerance.relativeVariance(n: runs, kurtosis: 6, falseFailure: 1e-6 / 2)
        func check(_ values: [Double]) -> (mean: Bool, variance: Bool) {
            let mean = values.reduce(0, +) / Double(values.count)
            let sampleVariance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
            return (abs(mean) < z * (variance / Double(values.count)).squareRoot(), abs(sampleVariance / variance - 1) < relative)
        }
        let right = check(Self.noise(epsilon: 1, runs: runs, seed: 11))
        #expect(right.mean && right.variance)
        // The check can fail: noise drawn for a 20% smaller or larger ε does not pass as ε = 1.
        for wrong in [0.8, 1.2] {
            #expect(!check(Self.noise(epsilon: wrong, runs: runs, seed: 12)).variance, "ε = \(wrong) passes as ε = 1")
        }
    }
}
