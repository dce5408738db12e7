import Testing

@testable import TactPrivacy

@Suite struct ClopperPearsonTests {
    /// Reference values from scipy.stats.beta.ppf (the exact interval's beta-quantile form).
    @Test(
        "matches the beta quantiles of the exact interval",
        arguments: [
            (0, 10, 0.025, 0.3084971078187607, 0.0),
            (5, 10, 0.025, 0.8129139715526015, 0.18708602844739855),
            (3, 500, 0.025, 0.017433673725913514, 0.0012390575435407506),
            (497, 500, 0.025, 0.9987609424564593, 0.9825663262740865),
            (0, 1000, 0.025, 0.003682083896865671, 0.0),
            (40, 100, 0.05, 0.4870241797461056, 0.3175260152364995)
        ])
    func referenceValues(k: Int, n: Int, alpha: Double, upper: Double, lower: Double) {
        #expect(abs(ClopperPearson.upper(successes: k, trials: n, alpha: alpha) - upper) < 1e-9)
        #expect(abs(ClopperPearson.lower(successes: k, trials: n, alpha: alpha) - lower) < 1e-9)
    }

    @Test("all successes give an upper bound of 1")
    func allSuccesses() {
        #expect(ClopperPearson.upper(successes: 7, trials: 7, alpha: 0.05) == 1)
    }
}
