import TactCore
import TactTestSupport
import Testing

@testable import TactPrivacy

/// The samplers' work does not depend on the value they return (issue 23, point 7): the number of
/// 64-bit words a draw consumes, a proxy for its running time that no scheduler can blur, is
/// uncorrelated with |x|. Before the fix the discrete Laplace's geometric loop ran once per unit of
/// |x|/scale: at scale 30 the words consumed correlated with |x| at about 0.75.
@Suite struct SamplerTimingTests {
    /// Six correlations of 20,000 draws each, and two differences of means: under independence a correlation
    /// over n pairs is about normal with deviation 1/√n, so each bound fails a correct sampler with probability
    /// 10⁻⁶ / 8. The fault these tests guard against (the old loop) correlated at about 0.75.
    static let z = StatisticalTolerance.z(falseFailure: 1e-6 / 8)
    static let correlationBound = z / 20_000.0.squareRoot()

    /// A generator that counts the words it hands out.
    struct Counting: RandomNumberGenerator {
        var base: SplitMix64
        var words = 0
        mutating func next() -> UInt64 { words += 1; return base.next() }
    }

    static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count), ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in a.indices { ab += (a[i] - ma) * (b[i] - mb); aa += (a[i] - ma) * (a[i] - ma); bb += (b[i] - mb) * (b[i] - mb) }
        return ab / (aa * bb).squareRoot()
    }

    /// |x| and the words each of `n` draws consumed.
    static func sample(_ n: Int, seed: UInt64, _ draw: (inout Counting) -> Int64) -> (magnitude: [Double], words: [Double]) {
        var g = Counting(base: SplitMix64(seed: seed))
        var magnitude: [Double] = [], words: [Double] = []
        for _ in 0..<n {
            let before = g.words
            magnitude.append(Double(draw(&g).magnitude))
            words.append(Double(g.words - before))
        }
        return (magnitude, words)
    }

    /// Mean words for |x| below `width` and for |x| at least 3 × `width`, with the standard error of their difference.
    static func tails(_ s: (magnitude: [Double], words: [Double]), width: Double) -> (small: Double, large: Double, error: Double) {
        func stats(_ v: [Double]) -> (mean: Double, variance: Double) {
            let m = v.reduce(0, +) / Double(v.count)
            return (m, v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, v.count - 1)))
        }
        let small = stats(zip(s.magnitude, s.words).filter { $0.0 < width }.map(\.1))
        let largeWords = zip(s.magnitude, s.words).filter { $0.0 >= 3 * width }.map(\.1)
        let large = stats(largeWords)
        let smallCount = Double(s.magnitude.filter { $0 < width }.count)
        return (small.mean, large.mean, (small.variance / smallCount + large.variance / Double(largeWords.count)).squareRoot())
    }

    @Test("a discrete Laplace draw (scale 30) consumes as many words whatever |x| it returns")
    func laplaceWork() {
        let s = Self.sample(20_000, seed: 31) { ExactSampler.discreteLaplace(scale: ExactRational(30), using: &$0) }
        let r = Self.pearson(s.magnitude, s.words)
        #expect(abs(r) < Self.correlationBound, "correlation of |x| and words consumed: \(r)")
        let t = Self.tails(s, width: 30)
        #expect(abs(t.large - t.small) < Self.z * t.error, "words for |x| < 30: \(t.small), for |x| ≥ 90: \(t.large) (± \(t.error))")
    }

    @Test("a discrete Gaussian draw (σ = 30) consumes as many words whatever |x| it returns")
    func gaussianWork() {
        let s = Self.sample(20_000, seed: 32) { ExactSampler.discreteGaussian(variance: ExactRational(900), using: &$0) }
        let r = Self.pearson(s.magnitude, s.words)
        #expect(abs(r) < Self.correlationBound, "correlation of |x| and words consumed: \(r)")
        let t = Self.tails(s, width: 20)
        #expect(abs(t.large - t.small) < Self.z * t.error, "words for |x| < 20: \(t.small), for |x| ≥ 60: \(t.large) (± \(t.error))")
    }

    @Test("small scales too: scale 1/4 and 3/2, variance 1/3")
    func smallScales() {
        for scale in [ExactRational(1, 4), ExactRational(3, 2)] {
            let s = Self.sample(20_000, seed: 33) { ExactSampler.discreteLaplace(scale: scale, using: &$0) }
            let r = Self.pearson(s.magnitude, s.words)
            #expect(abs(r) < Self.correlationBound, "scale \(scale): correlation \(r)")
        }
        let s = Self.sample(20_000, seed: 34) { ExactSampler.discreteGaussian(variance: ExactRational(1, 3), using: &$0) }
        #expect(abs(Self.pearson(s.magnitude, s.words)) < Self.correlationBound)
    }

    @Test("randomized response: a flipped answer consumes as many words as a kept one")
    func randomizedResponseWork() {
        var g = Counting(base: SplitMix64(seed: 35))
        var flipped: [Double] = [], words: [Double] = []
        for _ in 0..<20_000 {
            let before = g.words
            flipped.append(ExactSampler.randomizedResponse(true, epsilon: ExactRational(1), using: &g) ? 0 : 1)
            words.append(Double(g.words - before))
        }
        let r = Self.pearson(flipped, words)
        #expect(abs(r) < Self.correlationBound, "correlation of flipping and words consumed: \(r)")
    }

    @Test("the unrolled digit thresholds are 20!/j! and (33!/20!)/(21·…·j)")
    func thresholds() {
        #expect(ExactSampler.headThresholds.count == 19 && ExactSampler.tailThresholds.count == 13)
        #expect(ExactSampler.product(from: 1, through: 20) == ExactSampler.factorial20)
        for (i, threshold) in ExactSampler.headThresholds.enumerated() {
            let j = i + 2  // the first j digits are 0 exactly below the threshold
            #expect(ExactSampler.headThresholds[i] * ExactSampler.product(from: 1, through: j) == ExactSampler.factorial20)
            #expect(ExactSampler.headDepth(threshold - 1) >= j && ExactSampler.headDepth(threshold) == j - 1, "j = \(j)")
        }
        for (i, threshold) in ExactSampler.tailThresholds.enumerated() {
            let j = i + 21
            #expect(ExactSampler.tailThresholds[i] * ExactSampler.product(from: 21, through: j) == ExactSampler.tailBound)
            #expect(ExactSampler.tailDepth(threshold - 1) >= j - 20 && ExactSampler.tailDepth(threshold) == j - 21, "j = \(j)")
        }
        #expect(ExactSampler.headDepth(ExactSampler.factorial20 - 1) == 1 && ExactSampler.headDepth(0) == 20 && ExactSampler.tailDepth(0) == 13)
    }
}
