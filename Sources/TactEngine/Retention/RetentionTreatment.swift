import TactCore

/// What the retention job does with one data category of the policy.
public enum RetentionTreatment: Sendable, Equatable {
    /// Deletes events (interactions) that occurred more than `days` ago.
    case deleteInteractions(days: Int)
    /// Empties the free-text context of events that occurred more than `days` ago; the events stay.
    case clearContext(days: Int)
    /// The policy keeps the category as long as the account exists: erasure removes it, not the job.
    case keep
    /// The policy sets a period the job does not apply, for the reason given.
    case notApplied(reason: String)

    /// Why the audit log's period is not applied.
    public static let auditReason = "the audit log is append-only"

    /// How Tact treats `category`, decided by its name.
    public init(_ category: PrivacyPolicy.DataCategory) {
        guard let days = category.retentionDays else {
            self = .keep
            return
        }
        switch category.name {
        case "interactions": self = .deleteInteractions(days: days)
        case "context": self = .clearContext(days: days)
        case "audit": self = .notApplied(reason: Self.auditReason)
        case "consent": self = .notApplied(reason: "consent records are kept as proof of what each person agreed to")
        case "models": self = .notApplied(reason: "a model is not edited in place; it forgets deleted events when it is next trained")
        default: self = .notApplied(reason: "Tact stores no data under the category name '\(category.name)'")
        }
    }

    /// The treatment in words, for the record of processing activities.
    public var description: String {
        switch self {
        case .deleteInteractions(let days): "the retention job deletes events older than \(PolicyDiff.retention(days))"
        case .clearContext(let days): "the retention job empties the free text of events older than \(PolicyDiff.retention(days)); the events stay"
        case .keep: "kept until the person's data is erased"
        case .notApplied(let reason): "not applied: \(reason)"
        }
    }
}
