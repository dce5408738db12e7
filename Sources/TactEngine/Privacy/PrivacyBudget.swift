import Foundation
import TactStore

/// How much privacy loss releases may spend on one dataset, in total.
public struct PrivacyBudget: Codable, Sendable, Equatable {
    public var epsilon: Double
    public var delta: Double

    public init(epsilon: Double, delta: Double) {
        self.epsilon = epsilon
        self.delta = delta
    }

    /// ε = 10, δ = 10⁻⁵ per dataset unless `config.json` says otherwise (`"privacyBudget"`).
    public static let standard = PrivacyBudget(epsilon: 10, delta: 1e-5)
}

/// What a dataset has spent, and what is left.
public struct PrivacyBudgetState: Sendable, Equatable {
    public var dataset: String
    public var budget: PrivacyBudget
    public var spentEpsilon: Double
    public var spentDelta: Double
    public var releases: [PrivacyRelease]
    public var remainingEpsilon: Double { max(0, budget.epsilon - spentEpsilon) }
    public var remainingDelta: Double { max(0, budget.delta - spentDelta) }
}

/// The privacy budget ledger: every differentially private release records its (ε, δ) against its
/// dataset, and a release that would take the dataset past its budget is refused before anything is
/// released. Releases compose by basic composition (ε and δ add up): sound for any mechanisms,
/// conservative next to the accountant's RDP composition within one release.
public struct PrivacyLedger: Sendable {
    public let engine: Engine
    public var budget: PrivacyBudget { engine.configuration.privacyBudget ?? .standard }

    public init(engine: Engine) { self.engine = engine }

    /// The dataset models and statistics over stored interaction events are charged to.
    public static let interactionsDataset = "interactions"

    /// Records a release if the dataset's budget allows it, in one transaction (a concurrent release
    /// cannot slip past the check); throws `EngineError.privacyBudgetExceeded` otherwise, recording nothing.
    /// `carriedOver` is spending recorded elsewhere that the same people already lost and that counts
    /// against this dataset's budget too (it must not grow any more: it is read outside the transaction).
    @discardableResult
    public func spend(
        dataset: String, release: String, mechanism: String, epsilon: Double, delta: Double,
        carriedOver: (epsilon: Double, delta: Double) = (0, 0),
        at: Int64 = Int64(Date().timeIntervalSince1970)
    ) throws -> PrivacyBudgetState {
        guard epsilon.isFinite, epsilon >= 0, delta.isFinite, delta >= 0, delta < 1 else {
            throw EngineError.invalidArgument("a release's ε must be finite and ≥ 0, and its δ in [0, 1)")
        }
        let budget = self.budget
        return try engine.store.write { w in
            let releases = try w.privacyReleases(dataset: dataset)
            let spentE = releases.reduce(carriedOver.epsilon) { $0 + $1.epsilon }, spentD = releases.reduce(carriedOver.delta) { $0 + $1.delta }
            // A little slack for the floating-point sums, never for the budget itself.
            guard spentE + epsilon <= budget.epsilon * (1 + 1e-12), spentD + delta <= budget.delta * (1 + 1e-12) else {
                throw EngineError.privacyBudgetExceeded(
                    dataset: dataset, asked: (epsilon, delta), spent: (spentE, spentD),
                    budget: (budget.epsilon, budget.delta))
            }
            let record = PrivacyRelease(dataset: dataset, release: release, mechanism: mechanism, epsilon: epsilon, delta: delta, recordedAt: at)
            try w.appendPrivacyRelease(record)
            try w.appendAudit(
                AuditEntry(
                    at: at, actor: "privacy-ledger", action: "privacy.release",
                    detail: "dataset=\(dataset) epsilon=\(epsilon) delta=\(delta)"))
            return PrivacyBudgetState(
                dataset: dataset, budget: budget, spentEpsilon: spentE + epsilon, spentDelta: spentD + delta,
                releases: releases + [record])
        }
    }

    /// Every release recorded against a dataset (all datasets when nil), oldest first.
    public func releases(dataset: String? = nil) throws -> [PrivacyRelease] {
        try engine.store.read { try $0.privacyReleases(dataset: dataset) }
    }

    /// What each dataset with releases has spent (or the one named, even with none).
    public func state(dataset: String? = nil) throws -> [PrivacyBudgetState] {
        let all = try releases(dataset: dataset)
        var names = Array(Set(all.map(\.dataset))).sorted()
        if let dataset, !names.contains(dataset) { names = [dataset] }
        return names.map { name in
            let rs = all.filter { $0.dataset == name }
            return PrivacyBudgetState(
                dataset: name, budget: budget, spentEpsilon: rs.reduce(0) { $0 + $1.epsilon },
                spentDelta: rs.reduce(0) { $0 + $1.delta }, releases: rs)
        }
    }
}
