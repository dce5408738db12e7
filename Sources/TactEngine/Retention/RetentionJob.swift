import Foundation
import TactCore
import TactStore

/// Deletes what the policy's retention periods say has expired, and records what it did.
///
/// Given a clock reading `now`, each data category of the policy is treated as `RetentionTreatment`
/// says: events older than the "interactions" period are deleted, the free text of events older than the
/// "context" period is emptied. Nothing else is deleted: not subjects (their consent records are proof),
/// not consent records, not the audit log (append-only). One run is one transaction: it records itself in
/// the store's retention runs and appends one audit entry (counts only, actor "retention"). Running it
/// again with the same `now` deletes nothing more.
///
/// **A run never empties the store by surprise.** One that would delete more than `maximumShare` of all
/// events (half, by default: a history imported with old timestamps, or a period shortened by mistake)
/// deletes nothing, records itself as refused (with the counts and what to do) and its audit entry
/// (`retention.refused`), and throws `RetentionRefused`, until it is run `confirmed`.
public struct RetentionJob: Sendable {
    /// The audit actor of every run.
    public static let actor = "retention"
    /// The largest share of all events one run deletes without being confirmed, by default.
    public static let standardMaximumShare = 0.5
    public let store: any Store
    public let policy: PrivacyPolicy
    /// The largest share of all events one run deletes without being confirmed (1: no limit).
    public let maximumShare: Double

    public init(store: any Store, policy: PrivacyPolicy, maximumShare: Double = standardMaximumShare) {
        self.store = store
        self.policy = policy
        self.maximumShare = maximumShare
    }

    public init(engine: Engine, maximumShare: Double = standardMaximumShare) {
        self.init(store: engine.store, policy: engine.policy, maximumShare: maximumShare)
    }

    /// When events expire under `policy` at `now`: older ones are deleted by the next run; nil when the
    /// policy keeps events as long as the account exists.
    public static func interactionsCutoff(_ policy: PrivacyPolicy, now: Int64) -> Int64? {
        for c in policy.dataCategories { if case .deleteInteractions(let days) = RetentionTreatment(c) { return cutoff(now: now, days: days) } }
        return nil
    }

    /// Applies the retention periods as of `now` (seconds since 1970) and returns what was done, as recorded.
    /// Throws `RetentionRefused`, having deleted nothing, when it would delete more than `maximumShare` of all
    /// events and is not `confirmed`.
    @discardableResult
    public func run(now: Int64, confirmed: Bool = false) throws -> RetentionRun {
        do {
            return try apply(now: now, confirmed: confirmed)
        } catch var refusal as RetentionRefused {
            // Nothing was deleted (the transaction rolled back); the refusal itself is recorded and audited.
            try store.write { w in
                refusal.run.id = try w.appendRetentionRun(refusal.run)
                try w.appendAudit(
                    AuditEntry(
                        at: now, actor: Self.actor, action: "retention.refused",
                        detail: "interactions=\(refusal.deleting) of=\(refusal.total) share=\(maximumShare)"))
            }
            throw refusal
        }
    }

    private func apply(now: Int64, confirmed: Bool) throws -> RetentionRun {
        let categories = policy.dataCategories
        return try store.write { w in
            var results = [RetentionRun.Category?](repeating: nil, count: categories.count)
            // Events first, so that context counts only the events that stay.
            let order = categories.indices.sorted { Self.phase(categories[$0]) < Self.phase(categories[$1]) }
            for i in order {
                let c = categories[i]
                switch RetentionTreatment(c) {
                case .deleteInteractions(let days):
                    let cutoff = Self.cutoff(now: now, days: days)
                    let limited = !confirmed && maximumShare < 1
                    let total = limited ? try w.interactionCount() : 0
                    let deleted = try w.deleteInteractions(before: cutoff)
                    if limited, deleted > 0, Double(deleted) > maximumShare * Double(total) {
                        throw RetentionRefused(
                            run: Self.refusedRun(
                                now: now, policy: policy, category: c, days: days, cutoff: cutoff, deleting: deleted, total: total, share: maximumShare),
                            deleting: deleted, total: total, maximumShare: maximumShare)
                    }
                    results[i] = .init(name: c.name, retentionDays: days, cutoff: cutoff, action: .deleted, count: deleted)
                case .clearContext(let days):
                    let cutoff = Self.cutoff(now: now, days: days)
                    results[i] = .init(name: c.name, retentionDays: days, cutoff: cutoff, action: .cleared, count: try w.clearContexts(before: cutoff))
                case .keep:
                    results[i] = .init(name: c.name, retentionDays: nil, action: .kept)
                case .notApplied(let reason):
                    results[i] = .init(name: c.name, retentionDays: c.retentionDays, action: .notApplied, note: reason)
                }
            }
            var run = RetentionRun(ranAt: now, actor: Self.actor, policyVersion: policy.version, categories: results.compactMap { $0 })
            run.id = try w.appendRetentionRun(run)
            let counts = run.categories.filter { $0.action == .deleted || $0.action == .cleared }
                .map { "\($0.name)=\($0.count)" }.joined(separator: " ")
            try w.appendAudit(
                AuditEntry(
                    at: now, actor: Self.actor, action: "retention.run",
                    detail: counts.isEmpty ? "nothing to apply" : counts))
            return run
        }
    }

    /// The record of a refused run: the events category, what it would have deleted, and why it did not.
    static func refusedRun(
        now: Int64, policy: PrivacyPolicy, category: PrivacyPolicy.DataCategory, days: Int, cutoff: Int64, deleting: Int, total: Int, share: Double
    ) -> RetentionRun {
        let note =
            "would delete \(deleting) of \(total) events (\(percent(Double(deleting) / Double(max(total, 1))))%), more than the \(percent(share))% one run may delete unconfirmed; nothing was deleted"
        return RetentionRun(
            ranAt: now, actor: actor, policyVersion: policy.version,
            categories: [.init(name: category.name, retentionDays: days, cutoff: cutoff, action: .refused, count: deleting, note: note)])
    }

    /// A share as a whole percentage, for messages.
    static func percent(_ share: Double) -> Int { Int((share * 100).rounded()) }

    /// The newest runs, newest first.
    public func recentRuns(limit: Int = 20) throws -> [RetentionRun] {
        try store.read { try $0.retentionRuns(limit: limit) }
    }

    /// Records older than this expire: `now` less `days` whole days (the earliest time when they overflow).
    static func cutoff(now: Int64, days: Int) -> Int64 {
        let (span, over) = Int64(clamping: days).multipliedReportingOverflow(by: 86_400)
        if over { return .min }
        let (cutoff, under) = now.subtractingReportingOverflow(span)
        return under ? .min : cutoff
    }

    private static func phase(_ c: PrivacyPolicy.DataCategory) -> Int {
        if case .deleteInteractions = RetentionTreatment(c) { return 0 }
        return 1
    }
}
