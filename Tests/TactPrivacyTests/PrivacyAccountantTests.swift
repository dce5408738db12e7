import Foundation
import Testing
@testable import TactPrivacy

/// The accountant against Google's dp-accounting 0.4.x (PyPI), an independent implementation: the
/// vectors below are printed by Benchmarks/dp-accounting/run.sh (RdpAccountant on the same orders;
/// the analytic Gaussian σ from its PLD accountant, which is tight for one Gaussian).
@Suite struct PrivacyAccountantTests {
    static func epsilon(_ events: [PrivacyEvent], delta: Double) -> Double {
        var accountant = PrivacyAccountant()
        for e in events { accountant.compose(e) }
        return accountant.epsilon(delta: delta)
    }

    @Test("Gaussian and Laplace compositions match dp-accounting's RDP accountant")
    func rdpVectors() {
        let cases: [(events: [PrivacyEvent], delta: Double, reference: Double)] = [
            ([.gaussian(sigma: 1.0, sensitivity: 1, count: 1)], 1e-5, 4.752728336819822),
            ([.gaussian(sigma: 5.0, sensitivity: 1, count: 10)], 1e-6, 3.1345027119221234),
            ([.gaussian(sigma: 20.0, sensitivity: 1, count: 100)], 1e-5, 2.1680106367839715),
            ([.gaussian(sigma: 0.8, sensitivity: 1, count: 3)], 1e-3, 9.342859074305995),
            ([.pure(epsilon: 0.5, count: 1)], 1e-5, 0.5028243238705594),
            ([.pure(epsilon: 0.1, count: 50)], 1e-6, 3.300036882515191),
            ([.pure(epsilon: 1.0, count: 10)], 1e-5, 9.990334479142616),
            ([.gaussian(sigma: 4.0, sensitivity: 1, count: 5), .pure(epsilon: 0.5, count: 3)], 1e-5, 3.694912813132408),
        ]
        for c in cases {
            let got = Self.epsilon(c.events, delta: c.delta)
            #expect(abs(got - c.reference) <= 1e-6 * c.reference, "\(c.events): \(got) vs \(c.reference)")
        }
    }

    @Test("subsampled Gaussian (Poisson) matches dp-accounting, never below it")
    func subsampledVectors() {
        let cases: [(q: Double, z: Double, steps: Int, delta: Double, reference: Double)] = [
            (0.01, 1.1, 1000, 1e-5, 1.7252908180449444),
            (0.001, 0.8, 10000, 1e-6, 1.720122885906917),
            (0.1, 2.0, 100, 1e-5, 2.5866521781675305),
        ]
        for c in cases {
            let got = Self.epsilon([.subsampledGaussian(rate: c.q, noiseMultiplier: c.z, steps: c.steps)], delta: c.delta)
            #expect(got >= c.reference * (1 - 1e-9) && got <= c.reference * 1.01, "q \(c.q), z \(c.z): \(got) vs \(c.reference)")
        }
    }

    @Test("analytic Gaussian calibration matches dp-accounting's tight σ")
    func analyticGaussian() {
        let cases: [(epsilon: Double, delta: Double, sigma: Double)] = [
            (1.0, 1e-5, 3.7306326201913995), (0.5, 1e-6, 8.05761858560579), (4.0, 1e-5, 1.0811618512952943), (0.1, 1e-3, 17.404396203081298),
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
