/// Samplers that are exact on the integers (Canonne, Kamath and Steinke, "The Discrete Gaussian for
/// Differential Privacy", NeurIPS 2020, Algorithms 1–3): every probability they realize is the exact
/// rational or exponential the mechanism's proof assumes, computed with integer arithmetic and
/// uniform integers only — no floating point, so none of the rounding leaks of the textbook
/// `-b·log(u)` Laplace (Mironov 2012).
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
    public static func bernoulli<G: RandomNumberGenerator>(_ p: ExactRational, using g: inout G) -> Bool {
        precondition(p.numerator <= p.denominator, "a probability is at most 1")
        return UInt64.random(in: 0..<p.denominator, using: &g) < p.numerator
    }

    /// True with probability exp(−γ), γ ≥ 0 rational (Algorithm 1).
    public static func bernoulliExpMinus<G: RandomNumberGenerator>(_ gamma: ExactRational, using g: inout G) -> Bool {
        let n = gamma.numerator, d = gamma.denominator
        if n <= d {
            // γ ≤ 1: the first K with A_K = 0, where A_k ~ Bernoulli(γ/k), is odd with probability exp(−γ).
            // Bernoulli(γ/k) is drawn as Bernoulli(γ) and Bernoulli(1/k), so no product can overflow.
            var k: UInt64 = 1
            while bernoulli(gamma, using: &g) && UInt64.random(in: 0..<k, using: &g) == 0 { k += 1 }
            return k % 2 == 1
        }
        // γ > 1: exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)).
        let whole = n / d
        for _ in 0..<whole where !bernoulliExpMinus(ExactRational(1), using: &g) { return false }
        return bernoulliExpMinus(ExactRational(n - whole * d, d), using: &g)
    }

    /// True with probability exp(−N/d) for a 128-bit numerator N = (high, low). A γ above 2²⁰ counts as 0.
    static func bernoulliExpMinus<G: RandomNumberGenerator>(numerator: (high: UInt64, low: UInt64), denominator d: UInt64, using g: inout G) -> Bool {
        guard numerator.high < d else { return false }   // γ ≥ 2⁶⁴
        let (whole, remainder) = d.dividingFullWidth(numerator)
        guard whole <= 1 << 20 else { return false }      // exp(−γ) < 2^(−1,000,000)
        for _ in 0..<whole where !bernoulliExpMinus(ExactRational(1), using: &g) { return false }
        return bernoulliExpMinus(ExactRational(remainder, d), using: &g)
    }

    /// An integer with P(x) ∝ exp(−|x| / scale), the discrete Laplace distribution (Algorithm 2).
    /// With scale = Δ/ε, adding it to an integer statistic of sensitivity Δ gives ε-differential privacy.
    public static func discreteLaplace<G: RandomNumberGenerator>(scale: ExactRational, using g: inout G) -> Int64 {
        precondition(scale.numerator > 0, "the scale must be positive")
        precondition(scale.numerator < parameterLimit && scale.denominator < parameterLimit, "scale \(scale) is outside the exact range")
        let t = scale.numerator, s = scale.denominator   // scale = t/s
        while true {
            let u = UInt64.random(in: 0..<t, using: &g)
            guard bernoulliExpMinus(ExactRational(u, t), using: &g) else { continue }
            var v: UInt64 = 0
            while bernoulliExpMinus(ExactRational(1), using: &g) { v += 1 }
            let (tv, overflow) = t.multipliedReportingOverflow(by: v)
            guard !overflow, tv <= UInt64(Int64.max) - u else { continue }   // probability below 2⁻⁶⁴
            let y = (u + tv) / s
            let negative = Bool.random(using: &g)
            if negative && y == 0 { continue }
            return negative ? -Int64(y) : Int64(y)
        }
    }

    /// The largest numerator or denominator a discrete Gaussian's variance may have (σ up to 32,768).
    public static let varianceLimit: UInt64 = 1 << 30

    /// An integer with P(x) ∝ exp(−x² / (2σ²)), the discrete Gaussian distribution (Algorithm 3).
    /// With σ² = Δ²/(2ρ), adding it to an integer statistic of ℓ₂-sensitivity Δ gives ρ-zCDP.
    public static func discreteGaussian<G: RandomNumberGenerator>(variance sigma2: ExactRational, using g: inout G) -> Int64 {
        let n = sigma2.numerator, d = sigma2.denominator
        precondition(n > 0, "the variance must be positive")
        precondition(n < varianceLimit && d < varianceLimit, "variance \(sigma2) is outside the exact range (numerator and denominator below 2³⁰)")
        let t = integerSquareRoot(n / d, exactly: sigma2) + 1   // ⌊σ⌋ + 1
        let (denominator, o1) = (2 * n * d).multipliedReportingOverflow(by: t * t)
        precondition(!o1, "variance \(sigma2) is outside the exact range")
        while true {
            let y = discreteLaplace(scale: ExactRational(t), using: &g)
            // Accept with probability exp(−(|y| − σ²/t)² / (2σ²)) = exp(−(|y|·t·d − n)² / (2·n·d·t²)).
            let (ytd, o2) = y.magnitude.multipliedReportingOverflow(by: t * d)
            guard !o2 else { continue }   // |y| > 2⁶⁴/(t·d), over 2¹⁷ σ: acceptance below 2^(−1,000,000)
            let difference = ytd >= n ? ytd - n : n - ytd
            if bernoulliExpMinus(numerator: difference.multipliedFullWidth(by: difference), denominator: denominator, using: &g) { return y }
        }
    }

    /// ⌊√(n/d)⌋ for the rational n/d, computed exactly (`approximate` is ⌊n/d⌋, a starting bound).
    static func integerSquareRoot(_ approximate: UInt64, exactly r: ExactRational) -> UInt64 {
        var k = UInt64(Double(approximate).squareRoot())
        // Largest k with k²·d ≤ n.
        while k > 0, k * k * r.denominator > r.numerator { k -= 1 }
        while (k + 1) * (k + 1) * r.denominator <= r.numerator { k += 1 }
        return k
    }

    /// Randomized response: the true bit with probability e^ε / (1 + e^ε), else its opposite — ε-local
    /// differential privacy for one bit. Exact: a fair coin proposes "flip" or "keep", and a flip is
    /// accepted with probability exp(−ε), so P(flip) = e^−ε / (1 + e^−ε).
    public static func randomizedResponse<G: RandomNumberGenerator>(_ bit: Bool, epsilon: ExactRational, using g: inout G) -> Bool {
        while true {
            if Bool.random(using: &g) {
                if bernoulliExpMinus(epsilon, using: &g) { return !bit }
            } else {
                return bit
            }
        }
    }
}
