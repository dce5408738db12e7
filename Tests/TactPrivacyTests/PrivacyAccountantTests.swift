import Foundation
import Testing

@testable import TactPrivacy

/// The accountant against Google's dp-accounting 0.4.x (PyPI), an independent implementation: the
/// vectors below are printed by Benchmarks/dp-accounting/run.sh (RdpAccountant on the same orders;
/// the analytic Gaussian σ from its PLD accountant, which is tight for one Gaussian). The pure ε-DP
/// vectors come from dp-accounting 0.6.0 (`run.sh --pure` prints them in seconds).
@Suite struct PrivacyAccountantTests {
    static func epsilon(_ events: [PrivacyEvent], delta: Double) -> Double {
        var accountant = PrivacyAccountant()
        for e in events { accountant.compose(e) }
        return accountant.epsilon(delta: delta)
    }

    @Test("Gaussian compositions match dp-accounting's RDP accountant")
    func rdpVectors() {
        let cases: [(events: [PrivacyEvent], delta: Double, reference: Double)] = [
            ([.gaussian(sigma: 1.0, sensitivity: 1, count: 1)], 1e-5, 4.752728336819822),
            ([.gaussian(sigma: 5.0, sensitivity: 1, count: 10)], 1e-6, 3.1345027119221234),
            ([.gaussian(sigma: 20.0, sensitivity: 1, count: 100)], 1e-5, 2.1680106367839715),
            ([.gaussian(sigma: 0.8, sensitivity: 1, count: 3)], 1e-3, 9.342859074305995)
        ]
        for c in cases {
            let got = Self.epsilon(c.events, delta: c.delta)
            #expect(abs(got - c.reference) <= 1e-6 * c.reference, "\(c.events): \(got) vs \(c.reference)")
        }
    }

    /// Pure ε-DP mechanisms (discrete Laplace, randomized response, report-noisy-max) are composed on
    /// binary randomized response's RDP curve, which bounds every ε-DP mechanism's: dp-accounting's
    /// `RandomizedResponseDpEvent` (2 buckets, noise parameter 2/(1 + e^ε), REPLACE_ONE). The continuous
    /// Laplace curve the accountant used before is smaller, and under-counts them (10 at ε = 1, δ = 1e-5:
    /// 9.99033 against 10.00044).
    @Test("pure ε-DP compositions match dp-accounting's randomized-response curve, alone and with Gaussians")
    func pureVectors() {
        let cases: [(events: [PrivacyEvent], delta: Double, reference: Double)] = [
            ([.pure(epsilon: 0.5, count: 1)], 1e-5, 0.5030379913152141),
            ([.pure(epsilon: 0.1, count: 50)], 1e-6, 3.35568627012647),
            ([.pure(epsilon: 1.0, count: 10)], 1e-5, 10.000439223093316),
            ([.pure(epsilon: 2.0, count: 3)], 1e-6, 6.005380003088474),
            ([.pure(epsilon: 0.01, count: 1000)], 1e-5, 1.3063783932164097),
            ([.gaussian(sigma: 4.0, sensitivity: 1, count: 5), .pure(epsilon: 0.5, count: 3)], 1e-5, 3.7611702881149283)
        ]
        for c in cases {
            let got = Self.epsilon(c.events, delta: c.delta)
            #expect(abs(got - c.reference) <= 1e-6 * c.reference, "\(c.events): \(got) vs \(c.reference)")
        }
    }

    @Test("one ε-DP mechanism's RDP is randomized response's, order by order")
    func pureCurve() {
        let orders = PrivacyAccountant.defaultOrders
        let points: [(epsilon: Double, order: Double, rdp: Double)] = [
            (0.1, 1.25, 0.006241550863844814), (0.1, 2, 0.0099585843949562), (0.1, 5, 0.02418930366462925),
            (0.1, 64, 0.0897715300166244), (0.1, 1024, 0.09937009124137487),
            (1.0, 1.25, 0.5526063618581185), (1.0, 2, 0.7353256640555192), (1.0, 5, 0.921715428667875),
            (1.0, 64, 0.9950275922616155), (1.0, 1024, 0.9996937813416245),
            (5.0, 1.25, 4.97535033194497), (5.0, 2, 4.993284957413155), (5.0, 5, 4.998321162877721),
            (5.0, 64, 4.999893407166839), (5.0, 1024, 4.999993435631976)
        ]
        for p in points {
            #expect(orders.contains(p.order))
            let got = PrivacyAccountant.rdp(of: .pure(epsilon: p.epsilon), order: p.order)
            #expect(abs(got - p.rdp) <= 1e-9 * p.rdp, "ε \(p.epsilon), α \(p.order): \(got) vs \(p.rdp)")
        }
        // A bound for every ε-DP mechanism: never above ε, nor above ε²α/2 (ε-DP implies ε²/2-zCDP).
        for epsilon in [1e-4, 0.3, 3.0] {
            for alpha in orders {
                let r = PrivacyAccountant.rdp(of: .pure(epsilon: epsilon), order: alpha)
                #expect(r >= 0 && r <= epsilon && r <= epsilon * epsilon * alpha / 2 * (1 + 1e-9))
            }
        }
    }

    @Test("subsampled Gaussian (Poisson) matches dp-accounting, never below it")
    func subsampledVectors() {
        let cases: [(q: Double, z: Double, steps: Int, delta: Double, reference: Double)] = [
            (0.01, 1.1, 1000, 1e-5, 1.7252908180449444),
            (0.001, 0.8, 10000, 1e-6, 1.720122885906917),
            (0.1, 2.0, 100, 1e-5, 2.5866521781675305)
        ]
        for c in cases {
            let got = Self.epsilon([.subsampledGaussian(rate: c.q, noiseMultiplier: c.z, steps: c.steps)], delta: c.delta)
            #expect(got >= c.reference * (1 - 1e-9) && got <= c.reference * 1.01, "q \(c.q), z \(c.z): \(got) vs \(c.reference)")
        }
    }

    @Test("analytic Gaussian calibration matches dp-accounting's tight σ")
    func analyticGaussian() {
        let cases: [(epsilon: Double, delta: Double, sigma: Double)] = [
            (1.0, 1e-5, 3.7306326201913995), (0.5, 1e-6, 8.05761858560579), (4.0, 1e-5, 1.0811618512952943), (0.1, 1e-3, 17.404396203081298)
        ]
        for c in cases {
            let got = PrivacyAccountant.analyticGaussianSigma(epsilon: c.epsilon, delta: c.delta)
            #expect(abs(got - c.sigma) <= 1e-3 * c.sigma, "ε \(c.epsilon), δ \(c.delta): σ \(got) vs \(c.sigma)")
        }
        // Scales with the sensitivity.
        #expect(abs(PrivacyAccountant.analyticGaussianSigma(epsilon: 1, delta: 1e-5, sensitivity: 3) - 3 * 3.7306326201913995) < 0.02)
    }

    @Test("composition only adds: more events never lower ε, and zCDP ρ matches the Gaussian's Δ²/2σ²")
    func monotone() {
        var a = PrivacyAccountant()
        var last = 0.0
        for _ in 0..<5 {
            a.compose(.gaussian(sigma: 3, sensitivity: 1))
            let e = a.epsilon(delta: 1e-5)
            #expect(e > last)
            last = e
        }
        #expect(abs(Self.epsilon([.zCDP(rho: 1.0 / 18)], delta: 1e-5) - Self.epsilon([.gaussian(sigma: 3, sensitivity: 1)], delta: 1e-5)) < 1e-12)
        #expect(Self.epsilon([], delta: 1e-5) == 0)
    }
}
