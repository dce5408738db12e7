import Foundation
import TactCore
import TactRecommend

/// A membership-inference attack on a factor model, run as an audit: can someone holding the released
/// item factors tell whether a person's history was in the training data?
///
/// The audit picks 2·`targets` people with at least `minimumItems` items and flips a fair coin for
/// each: members stay in the training data, non-members are removed. (One training run with
/// independently included targets is the one-run setting of Steinke, Nasr and Jagielski 2023.) The
/// model is trained; then, for each target, the attacker folds the first half of their items into the
/// released item factors (no user vector is used: DP-ALS does not release them) and scores how well
/// the model ranks the other half: the mean reciprocal percentile rank of those items among every item
/// the person has not shown. A model that memorized its training people ranks members' held-back items
/// higher than non-members'.
public enum MembershipInferenceAudit {
    public struct Result: Sendable, Codable {
        public var privacy: EmpiricalPrivacy
        public var trainingPeople: Int
        public var seconds: Double
    }

    /// `train` gets the training matrix (non-members' rows emptied) and returns the model's item factors
    /// and configuration (fold-in uses its α and λ).
    public static func run(
        _ matrix: SparseMatrix, targets: Int, minimumItems: Int = 10, seed: UInt64, delta: Double = 1e-5,
        train: (SparseMatrix) -> ALSModel
    ) -> Result {
        let started = Date()
        var random = SplitMix64(seed: seed)
        var eligible = (0..<matrix.rows).filter { matrix.count(ofRow: $0) >= minimumItems }
        for i in stride(from: eligible.count - 1, to: 0, by: -1) { eligible.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        let chosen = Array(eligible.prefix(2 * targets))
        var isMember = [Int: Bool]()
        for u in chosen { isMember[u] = random.next() & 1 == 1 }

        // The training data: every row but the non-members'.
        var triplets: [(row: Int32, column: Int32, value: Float)] = []
        for u in 0..<matrix.rows where isMember[u] != false {
            let row = matrix.row(u)
            for (i, v) in zip(row.indices, row.values) { triplets.append((Int32(u), i, v)) }
        }
        let model = train(SparseMatrix(rows: matrix.rows, columns: matrix.columns, triplets: triplets))
        let itemsOnly = ALSModel(
            configuration: model.configuration, userFactors: FactorMatrix(rows: 0, factors: model.itemFactors.factors),
            itemFactors: model.itemFactors)
        let serving = ALSServing(model: itemsOnly, indexThreshold: .max)

        var members: [Double] = [], nonMembers: [Double] = []
        for u in chosen {
            let score = self.score(serving, history: matrix.row(u), seed: seed ^ UInt64(u))
            if isMember[u]! { members.append(score) } else { nonMembers.append(score) }
        }
        if members.isEmpty || nonMembers.isEmpty { members.append(0); nonMembers.append(0) }
        let trainingPeople = (0..<matrix.rows).filter { isMember[$0] != false && matrix.count(ofRow: $0) > 0 }.count
        return Result(
            privacy: EmpiricalPrivacy(members: members, nonMembers: nonMembers, delta: delta), trainingPeople: trainingPeople,
            seconds: Date().timeIntervalSince(started))
    }

    /// The attack's score for one person: fold in half their items (chosen at random), then the mean of
    /// 1 − percentile rank of the other half among the items not folded in.
    static func score(_ serving: ALSServing, history: (indices: ArraySlice<Int32>, values: ArraySlice<Float>), seed: UInt64) -> Double {
        var order = Array(zip(history.indices, history.values))
        var random = SplitMix64(seed: seed)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        let half = order.count / 2
        let query = order[..<half].map { (item: $0.0, value: $0.1) }, probe = order[half...].map(\.0)
        let x = serving.foldIn(history: query)
        let y = serving.model.itemFactors, k = y.factors
        var scores = [Float](repeating: 0, count: y.rows)
        for i in 0..<y.rows {
            var s: Float = 0
            for f in 0..<k { s += x[f] * y.storage[i * y.stride + f] }
            scores[i] = s
        }
        let queried = Set(query.map(\.item))
        let candidates = (0..<y.rows).filter { !queried.contains(Int32($0)) }.map { scores[$0] }.sorted(by: >)
        var total = 0.0
        for item in probe {
            let s = scores[Int(item)]
            // Items scoring strictly higher, by binary search in the descending list.
            var low = 0, high = candidates.count
            while low < high { let mid = (low + high) / 2; if candidates[mid] > s { low = mid + 1 } else { high = mid } }
            total += 1 - Double(low) / Double(max(candidates.count, 1))
        }
        return total / Double(max(probe.count, 1))
    }
}
