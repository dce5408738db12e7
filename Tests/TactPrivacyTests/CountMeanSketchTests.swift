import Foundation
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
        #expect(sigma > 20 && sigma < 45)   // √(5,000 · ((c² − 1)/4 + 1/m)), c = (e² + 1)/(e² − 1): about 30
        #expect(abs(aggregator.estimate("popular") - 1500) < 4 * sigma)
        #expect(abs(aggregator.estimate("niche") - 500) < 4 * sigma)
        #expect(abs(aggregator.estimate("never-reported")) < 4 * sigma)
        #expect(aggregator.estimate("popular") > aggregator.estimate("niche"))
    }

    @Test func oneReportIsRandomizedAsEpsilonSays() {
        // The hot column is +1 with probability e^(ε/2)/(1 + e^(ε/2)); every other column is +1 with 1/(1 + e^(ε/2)).
        let sketch = CountMeanSketch(hashes: 1, width: 64, epsilon: 2)
        var random = ChaCha20Generator(seed: 2)
        let hot = sketch.column("x", hash: 0)
        var hotPositive = 0, coldPositive = 0
        let trials = 4000
        for _ in 0..<trials {
            let r = sketch.report("x", using: &random)
            if r.sign(hot) > 0 { hotPositive += 1 }
            if r.sign((hot + 1) % 64) > 0 { coldPositive += 1 }
        }
        let keep = exp(1.0) / (1 + exp(1.0))
        #expect(abs(Double(hotPositive) / Double(trials) - keep) < 0.03)
        #expect(abs(Double(coldPositive) / Double(trials) - (1 - keep)) < 0.03)
    }

    @Test func malformedReportsAreRefused() {
        var aggregator = CountMeanSketchAggregator(CountMeanSketch(hashes: 4, width: 16, epsilon: 1))
        #expect(throws: CountMeanSketchAggregator.Failure.self) { try aggregator.add(.init(hash: 4, bits: [0, 0])) }
        #expect(throws: CountMeanSketchAggregator.Failure.self) { try aggregator.add(.init(hash: 0, bits: [0])) }
        #expect(aggregator.reports == 0)
    }
}
