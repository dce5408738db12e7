/// Samplers that are exact on the integers (Canonne, Kamath and Steinke, "The Discrete Gaussian for
/// Differential Privacy", NeurIPS 2020, Algorithms 1–3): every probability they realize is the exact
/// rational or exponential the mechanism's proof assumes, computed with integer arithmetic and
/// uniform integers only — no floating point, so none of the rounding leaks of the textbook
/// `-b·log(u)` Laplace (Mironov 2012).
///
/// The only approximation: an acceptance probability exp(−γ) whose γ does not fit 64-bit integer
/// arithmetic (γ > 2²⁰ for every parameter range allowed here) is taken as 0; its true value is below
/// 2^(−1,000,000). Parameters are limited to numerators and denominators below 2³² so that every
/// intermediate product fits in 64 bits otherwise.
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
            var k: UInt64 = 1
            while true {
                let (dk, overflow) = d.multipliedReportingOverflow(by: k)
                if overflow { break }   // γ/k < 2⁻³²·…: A_k = 0 but for a probability below 2⁻⁶⁴ per step
                if !bernoulli(ExactRational(n, dk), using: &g) { break }
                k += 1
            }
            return k % 2 == 1
        }
        // γ > 1: exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)).
        let whole = n / d
        for _ in 0..<whole where !bernoulliExpMinus(ExactRational(1), using: &g) { return false }
        return bernoulliExpMinus(ExactRational(n - whole * d, d), using: &g)
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

    /// An integer with P(x) ∝ exp(−x² / (2σ²)), the discrete Gaussian distribution (Algorithm 3).
    /// With σ² = Δ²/(2ρ), adding it to an integer statistic of ℓ₂-sensitivity Δ gives ρ-zCDP.
    public static func discreteGaussian<G: RandomNumberGenerator>(variance sigma2: ExactRational, using g: inout G) -> Int64 {
        let n = sigma2.numerator, d = sigma2.denominator
        precondition(n > 0, "the variance must be positive")
        precondition(n < (1 << 24) && d < (1 << 24), "variance \(sigma2) is outside the exact range (numerator and denominator below 2²⁴)")
        let t = integerSquareRoot(n / d, exactly: sigma2) + 1   // ⌊σ⌋ + 1
        while true {
            let y = discreteLaplace(scale: ExactRational(t), using: &g)
            // Accept with probability exp(−(|y| − σ²/t)² / (2σ²)) = exp(−(|y|·t·d − n)² / (2·n·d·t²)).
            let magnitude = y.magnitude
            let (ytd, o1) = magnitude.multipliedReportingOverflow(by: t * d)
            guard !o1 else { continue }
            let difference = ytd >= n ? ytd - n : n - ytd
            let (numerator, o2) = difference.multipliedReportingOverflow(by: difference)
            guard !o2 else { continue }   // γ > 2²⁰: acceptance below 2^(−1,000,000)
            let (denominator, o3) = (2 * n * d).multipliedReportingOverflow(by: t * t)
            precondition(!o3, "unreachable within the parameter range")
            if bernoulliExpMinus(ExactRational(numerator, denominator), using: &g) { return y }
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
