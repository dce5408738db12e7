/// Samplers that are exact on the integers (Canonne, Kamath and Steinke, "The Discrete Gaussian for
/// Differential Privacy", NeurIPS 2020, Algorithms 1–3): every probability they realize is the exact
/// rational or exponential the mechanism's proof assumes, computed with integer arithmetic and
/// uniform integers only — no floating point, so none of the rounding leaks of the textbook
/// `-b·log(u)` Laplace (Mironov 2012).
///
/// Their running time does not depend on the value they return (except in tail events of probability
/// below 2⁻⁶⁴, where the exact algorithm continues): see "Running time independent of the value drawn".
///
/// The only approximation: an acceptance probability exp(−γ) whose γ does not fit 64-bit integer
/// arithmetic (γ > 2²⁰ for every parameter range allowed here) is taken as 0; its true value is below
/// 2^(−1,000,000). Parameters are limited (Laplace scales to numerators and denominators below 2³²,
/// Gaussian variances below 2³⁰) so that every intermediate product fits in 64 bits, or in 128 where
/// the Gaussian's acceptance exponent is formed.
public enum ExactSampler {
    /// The largest numerator or denominator a parameter may have.
    public static let parameterLimit: UInt64 = 1 << 32

    /// True with probability p = n/d (p ≤ 1): one uniform integer below d.
    @inlinable
    public static func bernoulli<G: RandomNumberGenerator>(_ p: ExactRational, using g: inout G) -> Bool {
        precondition(p.numerator <= p.denominator, "a probability is at most 1")
        return UInt64.random(in: 0..<p.denominator, using: &g) < p.numerator
    }

    // MARK: Running time independent of the value drawn
    //
    // Every sampler here is rejection sampling: independent trials until one is accepted. The number of
    // trials, and the time of every rejected trial, are independent of the value finally returned (the
    // trials are independent and identically distributed, and the accepted one is a fresh trial
    // conditioned on acceptance). So the running time is independent of the value as soon as an
    // *accepted* trial does the same work whatever value it returns. The textbook loops do not: the
    // geometric part of the discrete Laplace counts Bernoulli(exp(−1)) successes one by one, so a large
    // |x| takes visibly longer (issue 23, point 7). Here an accepted trial always draws the same number
    // of uniform integers and runs the same loops:
    //
    // - Bernoulli(exp(−γ)) for γ ≤ 1 (Algorithm 1's series: K is the first k with A_k = 0, A_k ~
    //   Bernoulli(γ)·Bernoulli(1/k), and exp(−γ) = P(K odd)) draws `seriesTerms` Bernoulli(γ) and one
    //   uniform x below 20!, read as the mixed-radix digits of the Bernoulli(1/k) for k = 2…20: "the
    //   first j are all 0" is x < 20!/j!, a comparison. One more uniform per trial (`Tail`) carries the
    //   digits for k = 21…33 for the first Bernoulli that needs them.
    // - The geometric count v (Algorithm 2) is read from `geometricTerms` Bernoulli(exp(−1)), all drawn.
    // - exp(−γ) for γ > 1 draws `wholeTerms` Bernoulli(exp(−1)) for its whole part, all drawn.
    //
    // Only a tail event leaves the fixed work, and then the exact algorithm simply continues where the
    // fixed part stopped, so the distribution stays exact: v ≥ 48 (probability e⁻⁴⁸ < 2⁻⁶⁹), a series
    // longer than 22 or 33 terms (below 1/22! < 2⁻⁶⁹), two of a trial's series needing the extra digits
    // (below 2⁻¹¹¹), or an acceptance exponent above 48 (then the trial is accepted with probability below
    // e⁻⁴⁸). Uniform integers below a bound come from the standard library's rejection (Lemire); its
    // rare retries are independent of the integer returned.

    /// Bernoulli(γ) draws per series, γ ≤ 1: a series longer than this (probability ≤ 1/22! < 2⁻⁶⁹) continues exactly, outside the fixed work.
    @usableFromInline static let seriesTerms = 22
    /// Bernoulli(exp(−1)) draws for the discrete Laplace's geometric part: v ≥ 48 has probability e⁻⁴⁸ < 2⁻⁶⁹.
    @usableFromInline static let geometricTerms = 48
    /// Bernoulli(exp(−1)) draws for the whole part of an exponent γ > 1: above 48 the trial is accepted with probability below e⁻⁴⁸.
    @usableFromInline static let wholeTerms = 48

    /// 20!: a uniform integer below it holds the Bernoulli(1/k) digits for k = 2…20.
    @usableFromInline static let factorial20: UInt64 = 2_432_902_008_176_640_000
    /// 20!/j! for j = 2…20: the first j digits are all 0 exactly when x < 20!/j!.
    static let headThresholds: [UInt64] = (2...20).map { (j: Int) -> UInt64 in product(from: j + 1, through: 20) }
    /// 21·22·…·33 = 33!/20!: a uniform integer below it holds the digits for k = 21…33.
    @usableFromInline static let tailBound: UInt64 = product(from: 21, through: 33)
    /// (33!/20!)/(21·…·j) for j = 21…33.
    static let tailThresholds: [UInt64] = (21...33).map { (j: Int) -> UInt64 in product(from: j + 1, through: 33) }

    /// a·(a+1)·…·b, 1 when a > b.
    static func product(from a: Int, through b: Int) -> UInt64 {
        var p: UInt64 = 1
        var k = a
        while k <= b { p *= UInt64(k); k += 1 }
        return p
    }

    @inlinable @inline(__always)
    static func uniform<G: RandomNumberGenerator>(below bound: UInt64, using g: inout G) -> UInt64 { g.next(upperBound: bound) }

    /// How many of the digits for k = 1…20 are 0 (the one for k = 1 always is), counted without a branch.
    @inlinable @inline(__always)
    static func headDepth(_ x: UInt64) -> Int {
        // x < 20!/j! for j = 2…20, unrolled (the same constants as `headThresholds`; a test checks them).
        var d = 1
        d &+= x < 1_216_451_004_088_320_000 ? 1 : 0
        d &+= x < 405_483_668_029_440_000 ? 1 : 0
        d &+= x < 101_370_917_007_360_000 ? 1 : 0
        d &+= x < 20_274_183_401_472_000 ? 1 : 0
        d &+= x < 3_379_030_566_912_000 ? 1 : 0
        d &+= x < 482_718_652_416_000 ? 1 : 0
        d &+= x < 60_339_831_552_000 ? 1 : 0
        d &+= x < 6_704_425_728_000 ? 1 : 0
        d &+= x < 670_442_572_800 ? 1 : 0
        d &+= x < 60_949_324_800 ? 1 : 0
        d &+= x < 5_079_110_400 ? 1 : 0
        d &+= x < 390_700_800 ? 1 : 0
        d &+= x < 27_907_200 ? 1 : 0
        d &+= x < 1_860_480 ? 1 : 0
        d &+= x < 116_280 ? 1 : 0
        d &+= x < 6_840 ? 1 : 0
        d &+= x < 380 ? 1 : 0
        d &+= x < 20 ? 1 : 0
        d &+= x < 1 ? 1 : 0
        return d
    }

    /// How many of the digits for k = 21…33 are 0, from the start.
    @inlinable @inline(__always)
    static func tailDepth(_ e: UInt64) -> Int {
        // e < (33!/20!)/(21·…·j) for j = 21…33, unrolled (the constants of `tailThresholds`).
        var d = 0
        d &+= e < 169_958_063_987_712_000 ? 1 : 0
        d &+= e < 7_725_366_544_896_000 ? 1 : 0
        d &+= e < 335_885_501_952_000 ? 1 : 0
        d &+= e < 13_995_229_248_000 ? 1 : 0
        d &+= e < 559_809_169_920 ? 1 : 0
        d &+= e < 21_531_121_920 ? 1 : 0
        d &+= e < 797_448_960 ? 1 : 0
        d &+= e < 28_480_320 ? 1 : 0
        d &+= e < 982_080 ? 1 : 0
        d &+= e < 32_736 ? 1 : 0
        d &+= e < 1_056 ? 1 : 0
        d &+= e < 33 ? 1 : 0
        d &+= e < 1 ? 1 : 0
        return d
    }

    /// The digits for k = 21…33, drawn once per trial and given to the first series of the trial that
    /// reaches k = 21; a second one (probability below 2⁻¹¹¹) draws its own.
    @usableFromInline struct Tail {
        @usableFromInline let depth: Int
        @usableFromInline var used = false
        @inlinable init<G: RandomNumberGenerator>(using g: inout G) {
            depth = ExactSampler.tailDepth(ExactSampler.uniform(below: ExactSampler.tailBound, using: &g))
        }
    }

    /// The number of leading A_k = 1 among the Bernoulli(1/k) parts, k = 1…33, from one uniform and the trial's tail.
    @inlinable @inline(__always)
    static func reciprocalDepth<G: RandomNumberGenerator>(_ tail: inout Tail, using g: inout G) -> Int {
        let x = uniform(below: factorial20, using: &g)
        let reachesTail = x == 0
        let conflict = reachesTail && tail.used
        tail.used = tail.used || reachesTail
        var depth = headDepth(x) &+ (reachesTail ? tail.depth : 0)
        if conflict {  // probability below 2⁻¹¹¹
            depth = 20 + tailDepth(uniform(below: tailBound, using: &g))
        }
        return depth
    }

    /// True with probability exp(−1), in fixed work (one uniform below 20!).
    @inlinable
    static func bernoulliExpMinusOne<G: RandomNumberGenerator>(_ tail: inout Tail, using g: inout G) -> Bool {
        var depth = reciprocalDepth(&tail, using: &g)
        if depth == 33 {  // all 33 digits 0: probability 1/33! < 2⁻¹²²; the series goes on exactly
            var k: UInt64 = 34
            while uniform(below: k, using: &g) == 0 { depth += 1; k += 1 }
        }
        return depth % 2 == 0
    }

    /// True with probability exp(−n/d) for n ≤ d, in fixed work (`seriesTerms` uniforms below d and one below 20!).
    @inlinable
    static func bernoulliExpMinusFraction<G: RandomNumberGenerator>(_ n: UInt64, _ d: UInt64, _ tail: inout Tail, using g: inout G) -> Bool {
        precondition(n <= d && d > 0, "the exponent is at most 1 here")
        // Counted in integers, not with && (which may compile to a branch whose mispredictions follow the count).
        var alive = 1, gammaDepth = 0
        for _ in 0..<seriesTerms {
            alive &= uniform(below: d, using: &g) < n ? 1 : 0
            gammaDepth &+= alive
        }
        let reciprocal = reciprocalDepth(&tail, using: &g)
        var depth = min(gammaDepth, reciprocal)
        if gammaDepth == seriesTerms && reciprocal >= seriesTerms {  // probability ≤ 1/22! < 2⁻⁶⁹: continue exactly
            var k = UInt64(seriesTerms + 1)
            while uniform(below: d, using: &g) < n && uniform(below: k, using: &g) == 0 { depth += 1; k += 1 }
        }
        return depth % 2 == 0
    }

    /// True with probability exp(−(whole + remainder/d)), remainder < d, in fixed work unless whole > `wholeTerms`
    /// (then the result is true with probability below e⁻⁴⁸, and the exact computation goes on).
    @inlinable
    static func bernoulliExpMinus<G: RandomNumberGenerator>(whole: UInt64, remainder: UInt64, denominator d: UInt64, using g: inout G) -> Bool {
        var tail = Tail(using: &g)
        var allOnes = 1
        for i in 0..<wholeTerms {
            let b = bernoulliExpMinusOne(&tail, using: &g) ? 1 : 0
            allOnes &= b | (UInt64(i) >= whole ? 1 : 0)
        }
        var all = allOnes == 1
        if whole > UInt64(wholeTerms) && all {
            var i = UInt64(wholeTerms)
            while all && i < whole { all = bernoulliExpMinusOne(&tail, using: &g); i += 1 }
        }
        let fraction = bernoulliExpMinusFraction(remainder, d, &tail, using: &g)
        return all && fraction
    }

    /// True with probability exp(−γ), γ ≥ 0 rational (Algorithm 1), in the same work whatever it returns.
    @inlinable
    public static func bernoulliExpMinus<G: RandomNumberGenerator>(_ gamma: ExactRational, using g: inout G) -> Bool {
        let n = gamma.numerator, d = gamma.denominator
        let whole = n / d
        return bernoulliExpMinus(whole: whole, remainder: n - whole * d, denominator: d, using: &g)
    }

    /// True with probability exp(−N/d) for a 128-bit numerator N = (high, low). A γ above 2²⁰ counts as 0.
    @inlinable
    static func bernoulliExpMinus<G: RandomNumberGenerator>(numerator: (high: UInt64, low: UInt64), denominator d: UInt64, using g: inout G) -> Bool {
        guard numerator.high < d else { return false }  // γ ≥ 2⁶⁴ (a rejection: its time leaks nothing)
        let (whole, remainder) = d.dividingFullWidth(numerator)
        guard whole <= 1 << 20 else { return false }  // exp(−γ) < 2^(−1,000,000)
        return bernoulliExpMinus(whole: whole, remainder: remainder, denominator: d, using: &g)
    }

    /// An integer with P(x) ∝ exp(−|x| / scale), the discrete Laplace distribution (Algorithm 2).
    /// With scale = Δ/ε, adding it to an integer statistic of sensitivity Δ gives ε-differential privacy.
    /// Its running time does not depend on the value returned (see above): an accepted trial draws
    /// 2 + `seriesTerms` + 1 + `geometricTerms` + 1 = 74 uniform integers, whatever its value.
    @inlinable
    public static func discreteLaplace<G: RandomNumberGenerator>(scale: ExactRational, using g: inout G) -> Int64 {
        precondition(scale.numerator > 0, "the scale must be positive")
        precondition(scale.numerator < parameterLimit && scale.denominator < parameterLimit, "scale \(scale) is outside the exact range")
        let t = scale.numerator, s = scale.denominator  // scale = t/s
        while true {
            var tail = Tail(using: &g)
            let u = uniform(below: t, using: &g)
            guard bernoulliExpMinusFraction(u, t, &tail, using: &g) else { continue }  // a rejected trial
            // v ~ Geometric: the number of leading successes among Bernoulli(exp(−1)) draws, all of them drawn.
            var v: UInt64 = 0, alive: UInt64 = 1
            for _ in 0..<geometricTerms {
                alive &= bernoulliExpMinusOne(&tail, using: &g) ? 1 : 0
                v &+= alive
            }
            if alive == 1 {  // v ≥ 48: probability e⁻⁴⁸ < 2⁻⁶⁹; the exact count goes on
                while bernoulliExpMinusOne(&tail, using: &g) { v += 1 }
            }
            let negative = Bool.random(using: &g)
            let (tv, overflow) = t.multipliedReportingOverflow(by: v)
            guard !overflow, tv <= UInt64(Int64.max) - u else { continue }  // probability below 2⁻⁶⁴
            // A power-of-two denominator (every scale `ExactRational(atLeast:)` makes, and 1) is a shift: a
            // division's latency can depend on its operands.
            let y = s & (s - 1) == 0 ? (u + tv) >> UInt64(s.trailingZeroBitCount) : (u + tv) / s
            if negative && y == 0 { continue }
            return negative ? -Int64(y) : Int64(y)
        }
    }

    /// The largest numerator or denominator a discrete Gaussian's variance may have (σ up to 32,768).
    public static let varianceLimit: UInt64 = 1 << 30

    /// An integer with P(x) ∝ exp(−x² / (2σ²)), the discrete Gaussian distribution (Algorithm 3).
    /// With σ² = Δ²/(2ρ), adding it to an integer statistic of ℓ₂-sensitivity Δ gives ρ-zCDP.
    @inlinable
    public static func discreteGaussian<G: RandomNumberGenerator>(variance sigma2: ExactRational, using g: inout G) -> Int64 {
        let n = sigma2.numerator, d = sigma2.denominator
        precondition(n > 0, "the variance must be positive")
        precondition(n < varianceLimit && d < varianceLimit, "variance \(sigma2) is outside the exact range (numerator and denominator below 2³⁰)")
        let t = integerSquareRoot(n / d, exactly: sigma2) + 1  // ⌊σ⌋ + 1
        let (denominator, o1) = (2 * n * d).multipliedReportingOverflow(by: t * t)
        precondition(!o1, "variance \(sigma2) is outside the exact range")
        while true {
            let y = discreteLaplace(scale: ExactRational(t), using: &g)
            // Accept with probability exp(−(|y| − σ²/t)² / (2σ²)) = exp(−(|y|·t·d − n)² / (2·n·d·t²)).
            let (ytd, o2) = y.magnitude.multipliedReportingOverflow(by: t * d)
            guard !o2 else { continue }  // |y| > 2⁶⁴/(t·d), over 2¹⁷ σ: acceptance below 2^(−1,000,000)
            let difference = ytd >= n ? ytd - n : n - ytd
            if bernoulliExpMinus(numerator: difference.multipliedFullWidth(by: difference), denominator: denominator, using: &g) { return y }
        }
    }

    /// ⌊√(n/d)⌋ for the rational n/d, computed exactly (`approximate` is ⌊n/d⌋, a starting bound).
    @inlinable
    static func integerSquareRoot(_ approximate: UInt64, exactly r: ExactRational) -> UInt64 {
        var k = UInt64(Double(approximate).squareRoot())
        // Largest k with k²·d ≤ n.
        while k > 0, k * k * r.denominator > r.numerator { k -= 1 }
        while (k + 1) * (k + 1) * r.denominator <= r.numerator { k += 1 }
        return k
    }

    /// Randomized response: the true bit with probability e^ε / (1 + e^ε), else its opposite — ε-local
    /// differential privacy for one bit. Exact: a fair coin proposes "flip" or "keep", and a flip is
    /// accepted with probability exp(−ε), so P(flip) = e^−ε / (1 + e^−ε). Every trial draws the coin and
    /// the Bernoulli both, so a flip takes no longer than a keep.
    @inlinable
    public static func randomizedResponse<G: RandomNumberGenerator>(_ bit: Bool, epsilon: ExactRational, using g: inout G) -> Bool {
        while true {
            let flip = Bool.random(using: &g)
            let accepted = bernoulliExpMinus(epsilon, using: &g)
            if !flip { return bit }
            if accepted { return !bit }
        }
    }
}
