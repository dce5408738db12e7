import Foundation

/// Tolerances for statistical tests, derived from the test's own sample size and a stated false-failure rate
/// (the chance that a correct implementation fails the check), instead of constants picked by eye.
public enum StatisticalTolerance {
    /// The two-sided normal quantile: P(|Z| > z) = `falseFailure` for a standard normal Z (by bisection on erfc).
    public static func z(falseFailure: Double) -> Double {
        precondition(falseFailure > 0 && falseFailure < 1)
        var low = 0.0, high = 40.0
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if erfc(mid / 2.0.squareRoot()) > falseFailure { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    /// How far the share of successes in `trials` independent tries may stray from `p` at this false-failure rate.
    public static func proportion(_ p: Double, trials: Int, falseFailure: Double) -> Double {
        z(falseFailure: falseFailure) * (p * (1 - p) / Double(trials)).squareRoot()
    }

    /// How far a sample variance over `n` draws may stray from the true variance, relative to it, for a distribution
    /// with this kurtosis (3 for a normal, 6 for a Laplace), at this false-failure rate.
    public static func relativeVariance(n: Int, kurtosis: Double, falseFailure: Double) -> Double {
        z(falseFailure: falseFailure) * ((kurtosis - 1) / Double(n)).squareRoot()
    }
}
