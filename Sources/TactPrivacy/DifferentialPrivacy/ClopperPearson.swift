import Foundation

/// Exact (Clopper–Pearson) confidence bounds for a binomial proportion: the bounds an empirical
/// privacy audit needs, because they hold for every sample size without a normal approximation.
public enum ClopperPearson {
    /// The upper bound p with P(Binomial(n, p) ≤ k) = α: with probability at least 1 − α, the true
    /// proportion behind `k` successes in `n` trials is at most this. `k == n` gives 1.
    public static func upper(successes k: Int, trials n: Int, alpha: Double) -> Double {
        precondition(n >= 1 && (0...n).contains(k), "need 0 ≤ successes ≤ trials and at least one trial")
        precondition(alpha > 0 && alpha < 1, "α must be in (0, 1)")
        if k == n { return 1 }
        // P(X ≤ k) falls as p grows: bisect for the p where it equals α.
        var low = Double(k) / Double(n), high = 1.0
        for _ in 0..<100 {
            let middle = (low + high) / 2
            if binomialCDF(k, n, middle) > alpha { low = middle } else { high = middle }
            if high - low < 1e-15 { break }
        }
        return high
    }

    /// The lower bound p with P(Binomial(n, p) ≥ k) = α. `k == 0` gives 0.
    public static func lower(successes k: Int, trials n: Int, alpha: Double) -> Double {
        1 - upper(successes: n - k, trials: n, alpha: alpha)
    }

    /// P(Binomial(n, p) ≤ k) = I_{1−p}(n − k, k + 1), the regularized incomplete beta function.
    static func binomialCDF(_ k: Int, _ n: Int, _ p: Double) -> Double {
        if p <= 0 { return 1 }
        if p >= 1 { return k >= n ? 1 : 0 }
        return regularizedBeta(1 - p, Double(n - k), Double(k + 1))
    }

    /// I_x(a, b) by its continued fraction (modified Lentz), on the side where it converges quickly.
    static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) { return exp(logFront) * continuedFraction(x, a, b) / a }
        return 1 - exp(logFront) * continuedFraction(1 - x, b, a) / b
    }

    static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-16 { break }
        }
        return h
    }
}
