import Foundation
import TactTestSupport
import Testing

@testable import TactPrivacy

@Suite struct CountMeanSketchTests {
    @Test func estimatesAreUnbiasedAndWithinTheirPredictedError() throws {
        let sketch = CountMeanSketch(hashes: 64, width: 256, epsilon: 4)
        var aggregator = CountMeanSketchAggregator(sketch)
        var random = ChaCha20Generator(seed: 1)
        // 1,500 reports of "popular", 500 of "niche", 3,000 spread over 300 others.
        for _ in 0..<1500 { try aggregator.add(sketch.report("popular", using: &random)) }
        for _ in 0..<500 { try aggregator.add(sketch.report("niche", using: &random)) }
        for i in 0..<3000 { try aggregator.add(sketch.report("other-\(i % 300)", using: &random)) }
        let sigma = aggregator.standardDeviation()
        #expect(sigma > 20 && sigma < 45)  // √(5,000 · ((c² − 1)/4 + 1/m)), c = (e² + 1)/(e² − 1): about 30
        // Three estimates, each off by more than z·σ with probability 10⁻⁶/3 when the sketch is right.
        let z = StatisticalTolerance.z(falseFailure: 1e-6 / 3)
        #expect(abs(aggregator.estimate("popular") - 1500) < z * sigma)
        #expect(abs(aggregator.estimate("niche") - 500) < z * sigma)
        #expect(abs(aggregator.estimate("never-reported")) < z * sigma)
        #expect(aggregator.estimate("popular") > aggregator.estimate("niche"))
    }

    @Test func oneReportIsRandomizedAsEpsilonSays() {
        // The hot column is +1 with probability e^(ε/2)/(1 + e^(ε/2)); every other column is +1 with 1/(1 + e^(ε/2)).
        let sketch = CountMeanSketch(hashes: 1, width: 64, epsilon: 2)
        var random = ChaCha20Generator(seed: 2)
        let hot = sketch.column("x", hash: 0)
        var hotPositive = 0, coldPositive = 0
        let trials = 20_000
        for _ in 0..<trials {
            let r = sketch.report("x", using: &random)
            if r.sign(hot) > 0 { hotPositive += 1 }
            if r.sign((hot + 1) % 64) > 0 { coldPositive += 1 }
        }
        func keep(_ epsilon: Double) -> Double { exp(epsilon / 2) / (1 + exp(epsilon / 2)) }
        // Two checks, each failing a correct sketch with probability 10⁻⁶ / 2.
        let tolerance = StatisticalTolerance.proportion(keep(2), trials: trials, falseFailure: 1e-6 / 2)
        let hotShare = Double(hotPositive) / Double(trials), coldShare = Double(coldPositive) / Double(trials)
        #expect(abs(hotShare - keep(2)) < tolerance)
        #expect(abs(coldShare - (1 - keep(2))) < tolerance)
        // The check can fail: the shares a 20% wrong ε would give are outside the tolerance.
        for wrong in [0.8 * 2, 1.2 * 2] {
            #expect(abs(hotShare - keep(wrong)) > tolerance, "ε = \(wrong) would pass: the test cannot tell it from 2")
        }
    }

    @Test func malformedReportsAreRefused() {
        var aggregator = CountMeanSketchAggregator(CountMeanSketch(hashes: 4, width: 16, epsilon: 1))
        #expect(throws: CountMeanSketchAggregator.Failure.self) { try aggregator.add(.init(hash: 4, bits: [0, 0])) }
        #expect(throws: CountMeanSketchAggregator.Failure.self) { try aggregator.add(.init(hash: 0, bits: [0])) }
        #expect(aggregator.reports == 0)
    }
}
