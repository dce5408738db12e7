/// Laplace and Gaussian noise on real-valued statistics, through discretization: each value is rounded
/// to a grid of spacing γ, exact integer noise (`ExactSampler`) is added in grid units, and the result
/// is scaled back. The textbook formulas on floating point (`μ − b·sgn(u)·ln(1 − 2|u|)`, Box–Muller)
/// leak: the set of doubles they can produce depends on the true value, so an output can reveal it
/// (Mironov 2012). Here every output is a multiple of γ, whatever the input.
///
/// Rounding moves a value by at most γ/2, so two neighbouring inputs that differ by Δ (ℓ₁ or ℓ₂) in at
/// most m coordinates differ after rounding by at most Δ/γ + m grid units in ℓ₁ and Δ/γ + √m in ℓ₂.
/// The noise is calibrated to that larger sensitivity, so the guarantee stated is exact; the grid is
/// chosen fine enough (Δ/γ = 4096·m, or σ/γ = 2¹⁴) that the price is small for a few coordinates.
/// For statistics that change in very many coordinates, discretize each person's contribution instead
/// and add integer noise to the integer sum (as `PrivateALS` does), which has no such price.
public enum DiscretizedNoise {
    /// Grid units per σ for the Gaussian: the integer variance is 2²⁸.
    public static let gaussianUnitsPerSigma: Double = 16_384

    /// Adds Laplace noise to `values` so that the release is ε-DP when one person changes them by at
    /// most `sensitivity` in ℓ₁ over at most `changedCoordinates` of them. Returns the noisy values and
    /// the scale b actually used in real units (≥ Δ/ε).
    public static func laplace<G: RandomNumberGenerator>(
        _ values: [Double], sensitivity: Double, changedCoordinates m: Int = 1,
        epsilon: Double, using g: inout G
    ) -> (values: [Double], scale: Double) {
        precondition(sensitivity > 0 && epsilon > 0 && m >= 1, "the sensitivity, ε and m must be positive")
        let unitsPerSensitivity = 4096.0 * Double(m)
        let grid = sensitivity / unitsPerSensitivity
        // ℓ₁ sensitivity in grid units after rounding: Δ/γ + m; the integer scale is that over ε, rounded up.
        guard let scale = ExactRational(atLeast: (unitsPerSensitivity + Double(m)) / epsilon, numeratorBelow: ExactSampler.parameterLimit) else {
            preconditionFailure("ε = \(epsilon) with \(m) changed coordinates needs a Laplace scale outside the exact range")
        }
        let noisy = values.map { value in grid * (snapped(value, grid: grid) + Double(ExactSampler.discreteLaplace(scale: scale, using: &g))) }
        return (noisy, grid * scale.doubleValue)
    }

    /// Adds Gaussian noise to `values` so that the release is ρ-zCDP when one person changes them by at
    /// most `sensitivity` in ℓ₂ over at most `changedCoordinates` of them. Returns the noisy values and
    /// σ in real units: σ = Δ / (√(2ρ) − √m / 2¹⁴), slightly above the Δ/√(2ρ) of exact arithmetic.
    public static func gaussian<G: RandomNumberGenerator>(
        _ values: [Double], sensitivity: Double, changedCoordinates m: Int = 1,
        rho: Double, using g: inout G
    ) -> (values: [Double], sigma: Double) {
        precondition(sensitivity > 0 && rho > 0 && m >= 1, "the sensitivity, ρ and m must be positive")
        let sigma = gaussianSigma(sensitivity: sensitivity, changedCoordinates: m, rho: rho)
        let grid = sigma / gaussianUnitsPerSigma
        let variance = ExactRational(UInt64(gaussianUnitsPerSigma * gaussianUnitsPerSigma))
        let noisy = values.map { value in grid * (snapped(value, grid: grid) + Double(ExactSampler.discreteGaussian(variance: variance, using: &g))) }
        return (noisy, sigma)
    }

    /// The σ `gaussian` uses: with γ = σ/2¹⁴ the rounded statistic's ℓ₂ sensitivity is Δ/γ + √m grid
    /// units, and ρ = (Δ/γ + √m)² / (2·2²⁸) solves to σ = Δ / (√(2ρ) − √m/2¹⁴).
    public static func gaussianSigma(sensitivity: Double, changedCoordinates m: Int = 1, rho: Double) -> Double {
        let denominator = (2 * rho).squareRoot() - Double(m).squareRoot() / gaussianUnitsPerSigma
        precondition(denominator > 0, "ρ = \(rho) is too small for \(m) changed coordinates on this grid")
        return sensitivity / denominator
    }

    /// `value` rounded to the nearest multiple of `grid`, in grid units.
    static func snapped(_ value: Double, grid: Double) -> Double { (value / grid).rounded(.toNearestOrEven) }
}
