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
public struct RetentionJob: Sendable {
    /// The audit actor of every run.
    public static let actor = "retention"
    public let store: any Store
    public let policy: PrivacyPolicy

    public init(store: any Store, policy: PrivacyPolicy) {
        self.store = store
        self.policy = policy
    }

    public init(engine: Engine) { self.init(store: engine.store, policy: engine.policy) }

    /// Applies the retention periods as of `now` (seconds since 1970) and returns what was done, as recorded.
    @discardableResult
    public func run(now: Int64) throws -> RetentionRun {
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
                    results[i] = .init(name: c.name, retentionDays: days, cutoff: cutoff, action: .deleted, count: try w.deleteInteractions(before: cutoff))
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
