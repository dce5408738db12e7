import Foundation
import TactPrivacy

/// What a membership-inference attack's scores say about privacy: the attack's AUC, and a lower
/// bound on the ε of any (ε, δ)-DP guarantee the model could have, from the attack's true- and
/// false-positive rates at its best threshold (Jagielski et al. 2020). The rates are bounded with
/// Clopper–Pearson intervals at the stated confidence, so a lucky threshold does not overstate ε.
public struct EmpiricalPrivacy: Sendable, Codable, Equatable {
    /// P(a member scores above a non-member), ties counted half. 0.5 is chance.
    public var auc: Double
    /// The lower bound on ε (0 when the attack does no better than chance).
    public var epsilonLowerBound: Double
    /// The threshold's rates behind the bound (point estimates).
    public var truePositiveRate: Double
    public var falsePositiveRate: Double
    public var members: Int
    public var nonMembers: Int
    public var confidence: Double
    public var delta: Double

    /// From attack scores (higher: more likely a member).
    public init(members: [Double], nonMembers: [Double], delta: Double = 1e-5, confidence: Double = 0.95) {
        precondition(!members.isEmpty && !nonMembers.isEmpty, "an audit needs members and non-members")
        self.members = members.count
        self.nonMembers = nonMembers.count
        self.delta = delta
        self.confidence = confidence
        // AUC by ranks (Mann–Whitney).
        let all = (members.map { ($0, true) } + nonMembers.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSum = 0.0, i = 0
        while i < all.count {
            var j = i
            while j + 1 < all.count && all[j + 1].0 == all[i].0 { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j where all[k].1 { rankSum += rank }
            i = j + 1
        }
        let m = Double(members.count), n = Double(nonMembers.count)
        auc = (rankSum - m * (m + 1) / 2) / (m * n)
        // Every threshold: S = {score ≥ τ}. DP gives TPR ≤ e^ε FPR + δ and 1 − FPR ≤ e^ε (1 − TPR) + δ.
        let alpha = (1 - confidence) / 2
        var best = 0.0, bestTPR = 0.0, bestFPR = 0.0
        for tau in Set(members + nonMembers) {
            let tp = members.filter { $0 >= tau }.count, fp = nonMembers.filter { $0 >= tau }.count
            let tprLow = ClopperPearson.lower(successes: tp, trials: members.count, alpha: alpha)
            let fprHigh = ClopperPearson.upper(successes: fp, trials: nonMembers.count, alpha: alpha)
            var e = 0.0
            if fprHigh > 0, tprLow - delta > 0 { e = max(e, log((tprLow - delta) / fprHigh)) }
            if 1 - tprLow > 0, 1 - fprHigh - delta > 0 { e = max(e, log((1 - fprHigh - delta) / (1 - tprLow))) }
            if e > best { best = e; bestTPR = Double(tp) / m; bestFPR = Double(fp) / n }
        }
        epsilonLowerBound = best
        truePositiveRate = bestTPR
        falsePositiveRate = bestFPR
    }
}
