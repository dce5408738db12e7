import Foundation

/// One differentially private release, as the accountant composes it.
public enum PrivacyEvent: Sendable, Equatable {
    /// A Gaussian (or discrete Gaussian) mechanism with noise σ on a statistic of ℓ₂-sensitivity Δ,
    /// run `count` times: ρ = count·Δ²/(2σ²) zero-concentrated DP (exact for the discrete Gaussian on integers, CKS20 Thm. 4).
    case gaussian(sigma: Double, sensitivity: Double, count: Int = 1)
    /// A pure ε-DP mechanism (discrete Laplace, report-noisy-max, randomized response, Laplace), run `count` times:
    /// composed on randomized response's RDP curve, which bounds every ε-DP mechanism's.
    case pure(epsilon: Double, count: Int = 1)
    /// ρ-zero-concentrated DP stated directly.
    case zCDP(rho: Double)
    /// `steps` Gaussian mechanisms on Poisson samples of rate q (DP-SGD-style amplification by
    /// subsampling): RDP of the sampled Gaussian at integer orders (Mironov, Talwar and Zhang 2019).
    case subsampledGaussian(rate: Double, noiseMultiplier: Double, steps: Int)
}

/// Composes privacy events in Rényi differential privacy (Mironov 2017) over a grid of orders and
/// converts the total to (ε, δ)-DP with the conversion of Canonne, Kamath and Steinke 2020
/// (Prop. 12): ε = min over α of ε_α + log((α − 1)/α) − (log δ + log α)/(α − 1). Its numbers are
/// checked against Google's `dp-accounting` (Benchmarks/dp-accounting/reference.py).
public struct PrivacyAccountant: Sendable {
    /// The Rényi orders: the same default grid as dp-accounting's RdpAccountant.
    public static let defaultOrders: [Double] = [1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5] + (5...64).map(Double.init) + [128, 256, 512, 1024]

    public let orders: [Double]
    public private(set) var events: [PrivacyEvent] = []
    /// ε_α of everything composed so far, per order.
    public private(set) var rdp: [Double]

    public init(orders: [Double] = PrivacyAccountant.defaultOrders) {
        precondition(orders.allSatisfy { $0 > 1 }, "Rényi orders are above 1")
        self.orders = orders
        rdp = Array(repeating: 0, count: orders.count)
    }

    /// Adds an event; composition in RDP is a sum per order.
    public mutating func compose(_ event: PrivacyEvent) {
        events.append(event)
        for (i, alpha) in orders.enumerated() { rdp[i] += Self.rdp(of: event, order: alpha) }
    }

    /// The smallest ε for which everything composed is (ε, δ)-DP, 0 < δ < 1.
    public func epsilon(delta: Double) -> Double {
        precondition(delta > 0 && delta < 1, "δ must be in (0, 1)")
        if events.isEmpty { return 0 }  // nothing released, nothing lost (the conversion alone would add a little)
        var best = Double.infinity
        for (alpha, r) in zip(orders, rdp) where r.isFinite {
            let eps = r + log1p(-1 / alpha) - (log(delta) + log(alpha)) / (alpha - 1)
            best = min(best, eps)
        }
        return max(0, best)
    }

    /// ε_α of one event at order α.
    static func rdp(of event: PrivacyEvent, order alpha: Double) -> Double {
        switch event {
        case .gaussian(let sigma, let sensitivity, let count):
            return Double(count) * alpha * sensitivity * sensitivity / (2 * sigma * sigma)
        case .zCDP(let rho):
            return alpha * rho
        case .pure(let epsilon, let count):
            return Double(count) * pureRDP(epsilon: epsilon, order: alpha)
        case .subsampledGaussian(let q, let z, let steps):
            return Double(steps) * subsampledGaussianRDP(rate: q, noiseMultiplier: z, order: alpha)
        }
    }

    /// The largest RDP at order α of any ε-DP mechanism: binary randomized response's,
    /// ε_α = log((e^{αε} + e^{(1−α)ε}) / (1 + e^ε)) / (α − 1) (Bun and Steinke 2016, Prop. 3.3's proof;
    /// dp-accounting's `RandomizedResponseDpEvent`), written as ε + (log1p(e^{(1−2α)ε}) − log1p(e^{−ε})) / (α − 1)
    /// so that no exponential overflows. It is exact for randomized response, and above the continuous
    /// Laplace mechanism's curve, which under-counts discrete Laplace and report-noisy-max. It never
    /// exceeds ε, nor ε²α/2 (ε-DP implies ε²/2-zCDP); the minimum only guards rounding.
    static func pureRDP(epsilon e: Double, order alpha: Double) -> Double {
        guard e > 0 else { return 0 }
        let curve = e + (log1p(exp((1 - 2 * alpha) * e)) - log1p(exp(-e))) / (alpha - 1)
        return max(0, min(e, curve.isFinite ? curve : e, alpha * e * e / 2))
    }

    /// RDP of the Poisson-subsampled Gaussian with noise multiplier z at order α: exact at integer
    /// orders (log Σ_k C(α,k)(1−q)^(α−k) q^k exp((k²−k)/(2z²)) / (α − 1)); a non-integer order is
    /// bounded by the next integer one scaled, which is never smaller (RDP is non-decreasing in α).
    static func subsampledGaussianRDP(rate q: Double, noiseMultiplier z: Double, order alpha: Double) -> Double {
        if q == 0 { return 0 }
        if q == 1 { return alpha / (2 * z * z) }
        let a = Int(alpha.rounded(.up))
        // log-sum-exp of the binomial expansion.
        var terms: [Double] = []
        for k in 0...a {
            let logBinomial = lgamma(Double(a) + 1) - lgamma(Double(k) + 1) - lgamma(Double(a - k) + 1)
            terms.append(logBinomial + Double(a - k) * log1p(-q) + Double(k) * log(q) + Double(k * k - k) / (2 * z * z))
        }
        let m = terms.max()!
        let logA = m + log(terms.reduce(0) { $0 + exp($1 - m) })
        return logA / (Double(a) - 1)
    }

    /// The smallest Gaussian noise σ for which one Gaussian mechanism of ℓ₂-sensitivity Δ is
    /// (ε, δ)-DP: the analytic calibration of Balle and Wang 2018 (their Theorem 8), solved by bisection
    /// on δ(σ) = Φ(Δ/2σ − εσ/Δ) − e^ε Φ(−Δ/2σ − εσ/Δ).
    public static func analyticGaussianSigma(epsilon: Double, delta: Double, sensitivity: Double = 1) -> Double {
        precondition(epsilon > 0 && delta > 0 && delta < 1 && sensitivity > 0)
        func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
        func deltaOf(_ sigma: Double) -> Double {
            let a = sensitivity / (2 * sigma), b = epsilon * sigma / sensitivity
            return phi(a - b) - exp(epsilon) * phi(-a - b)
        }
        var low = 1e-6 * sensitivity, high = sensitivity
        while deltaOf(high) > delta { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if deltaOf(mid) > delta { low = mid } else { high = mid }
        }
        return high
    }

    /// The largest ρ for which ρ-zCDP converts (by `epsilon(delta:)`) to at most ε at δ: the budget a
    /// release built from Gaussian mechanisms may spend in total to be (ε, δ)-DP.
    public static func zCDPBudget(epsilon: Double, delta: Double) -> Double {
        precondition(epsilon > 0 && delta > 0 && delta < 1)
        func epsilonOf(_ rho: Double) -> Double {
            var accountant = PrivacyAccountant()
            accountant.compose(.zCDP(rho: rho))
            return accountant.epsilon(delta: delta)
        }
        var low = 0.0, high = epsilon
        while epsilonOf(high) <= epsilon { high *= 2 }
        for _ in 0..<100 {
            let mid = (low + high) / 2
            if epsilonOf(mid) <= epsilon { low = mid } else { high = mid }
        }
        return low
    }
}
