import Foundation
import TactCore
import TactPrivacy
import TactRecommend
import Testing

@testable import TactGuard

@Suite struct ModelAuditTests {
    @Test func clopperPearsonMatchesClosedForms() {
        // With no successes the upper bound is 1 − α^(1/n); with all successes the lower bound is α^(1/n).
        #expect(abs(ClopperPearson.upper(successes: 0, trials: 10, alpha: 0.025) - (1 - pow(0.025, 0.1))) < 1e-9)
        #expect(abs(ClopperPearson.lower(successes: 10, trials: 10, alpha: 0.025) - pow(0.025, 0.1)) < 1e-9)
        let low = ClopperPearson.lower(successes: 30, trials: 100, alpha: 0.025)
        let high = ClopperPearson.upper(successes: 30, trials: 100, alpha: 0.025)
        #expect(low > 0.20 && low < 0.30 && high > 0.30 && high < 0.41)  // the exact interval is [0.2124, 0.3998]
        #expect(abs(low - 0.2124) < 0.001 && abs(high - 0.3998) < 0.001)
    }

    @Test func chanceScoresBoundNothingAndSeparatedScoresBoundALot() {
        var r = SplitMix64(seed: 1)
        let a = (0..<500).map { _ in r.unit() }, b = (0..<500).map { _ in r.unit() }
        let chance = EmpiricalPrivacy(members: a, nonMembers: b)
        #expect(abs(chance.auc - 0.5) < 0.06)
        #expect(chance.epsilonLowerBound < 0.5)
        let separated = EmpiricalPrivacy(members: a.map { $0 + 2 }, nonMembers: b)
        #expect(separated.auc == 1)
        // TPR ≥ 0.9926 and FPR ≤ 0.0074 at 95%: ε ≥ log(0.9926/0.0074) ≈ 4.9.
        #expect(separated.epsilonLowerBound > 4.5 && separated.epsilonLowerBound < 5.2)
    }

    /// People in 10 taste groups of 20 items each; each has 14 items of their group and 2 random ones.
    func groups(people: Int, seed: UInt64) -> SparseMatrix {
        var r = SplitMix64(seed: seed)
        var triplets: [(row: Int32, column: Int32, value: Float)] = []
        for u in 0..<people {
            let g = u % 10
            var seen = Set<Int32>()
            while seen.count < 14 { let i = Int32(g * 20 + Int(r.next() % 20)); if seen.insert(i).inserted { triplets.append((Int32(u), i, 1)) } }
            while seen.count < 16 { let i = Int32(r.next() % 200); if seen.insert(i).inserted { triplets.append((Int32(u), i, 1)) } }
        }
        return SparseMatrix(rows: people, columns: 200, triplets: triplets)
    }

    @Test func theAttackFindsAnOverfitModelAndNotAModelThatIgnoresItsData() {
        let m = groups(people: 300, seed: 2)
        var overfit = ALSConfiguration()
        overfit.factors = 64; overfit.iterations = 15; overfit.regularization = 0.001; overfit.alpha = 40; overfit.threads = 1
        let attacked = MembershipInferenceAudit.run(m, targets: 100, seed: 3) { ImplicitALS.train($0, configuration: overfit) }
        #expect(attacked.privacy.members + attacked.privacy.nonMembers == 200)
        #expect(attacked.privacy.auc > 0.6)

        // Random item factors learn nothing about anyone: the attack is at chance.
        let blind = MembershipInferenceAudit.run(m, targets: 100, seed: 3) { _ in
            ALSModel(configuration: overfit, userFactors: FactorMatrix(rows: 0, factors: 8), itemFactors: FactorMatrix.random(rows: 200, factors: 8, seed: 9))
        }
        #expect(abs(blind.privacy.auc - 0.5) < 0.12)
        #expect(blind.privacy.epsilonLowerBound < 1)
    }
}
