import TactPrivacy

/// The samplers as they were before issue 23, point 7 (commit 0e970d4's `ExactSampler`), kept here only
/// to measure them beside the current ones in the same binary: the same algorithms (Canonne, Kamath
/// and Steinke, Algorithms 1–3), whose loops stop as soon as the answer is known, so the geometric
/// part's length follows |x|.
enum LegacySampler {
    static func bernoulli<G: RandomNumberGenerator>(_ p: ExactRational, using g: inout G) -> Bool {
        UInt64.random(in: 0..<p.denominator, using: &g) < p.numerator
    }

    static func bernoulliExpMinus<G: RandomNumberGenerator>(_ gamma: ExactRational, using g: inout G) -> Bool {
        let n = gamma.numerator, d = gamma.denominator
        if n <= d {
            var k: UInt64 = 1
            while bernoulli(gamma, using: &g) && UInt64.random(in: 0..<k, using: &g) == 0 { k += 1 }
            return k % 2 == 1
        }
        let whole = n / d
        for _ in 0..<whole where !bernoulliExpMinus(ExactRational(1), using: &g) { return false }
        return bernoulliExpMinus(ExactRational(n - whole * d, d), using: &g)
    }

    static func bernoulliExpMinus<G: RandomNumberGenerator>(numerator: (high: UInt64, low: UInt64), denominator d: UInt64, using g: inout G) -> Bool {
        guard numerator.high < d else { return false }
        let (whole, remainder) = d.dividingFullWidth(numerator)
        guard whole <= 1 << 20 else { return false }
        for _ in 0..<whole where !bernoulliExpMinus(ExactRational(1), using: &g) { return false }
        return bernoulliExpMinus(ExactRational(remainder, d), using: &g)
    }

    static func discreteLaplace<G: RandomNumberGenerator>(scale: ExactRational, using g: inout G) -> Int64 {
        let t = scale.numerator, s = scale.denominator
        while true {
            let u = UInt64.random(in: 0..<t, using: &g)
            guard bernoulliExpMinus(ExactRational(u, t), using: &g) else { continue }
            var v: UInt64 = 0
            while bernoulliExpMinus(ExactRational(1), using: &g) { v += 1 }
            let (tv, overflow) = t.multipliedReportingOverflow(by: v)
            guard !overflow, tv <= UInt64(Int64.max) - u else { continue }
            let y = (u + tv) / s
            let negative = Bool.random(using: &g)
            if negative && y == 0 { continue }
            return negative ? -Int64(y) : Int64(y)
        }
    }

    static func discreteGaussian<G: RandomNumberGenerator>(variance sigma2: ExactRational, using g: inout G) -> Int64 {
        let n = sigma2.numerator, d = sigma2.denominator
        var t = UInt64(Double(n / d).squareRoot())
        while t > 0, t * t * d > n { t -= 1 }
        while (t + 1) * (t + 1) * d <= n { t += 1 }
        t += 1
        let denominator = 2 * n * d * t * t
        while true {
            let y = discreteLaplace(scale: ExactRational(t), using: &g)
            let (ytd, o2) = y.magnitude.multipliedReportingOverflow(by: t * d)
            guard !o2 else { continue }
            let difference = ytd >= n ? ytd - n : n - ytd
            if bernoulliExpMinus(numerator: difference.multipliedFullWidth(by: difference), denominator: denominator, using: &g) { return y }
        }
    }
}
