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
            let metrics = AggregateReport.release([(name: "impressions", counts: counts, cap: 10), (name: "clicks", counts: [1, 1], cap: 3)],
                                                  epsilon: 1, minimumCount: 20, using: &g)
            #expect(metrics[0].scale == 20 && metrics[1].scale == 6, "cap × 2 metrics / ε")
            sum += Double(metrics[0].value ?? 0)
            #expect(metrics[1].value == nil || metrics[1].value! >= 20, "below 20 is suppressed")
        }
        let mean = sum / Double(runs)
        #expect(abs(mean - 1_010) < 5, "unbiased around the capped total 1,010: \(mean)")
    }
}
