import TactCore
import TactPrivacy

/// What one ingestion did. Holds counts only, never personal data.
public struct IngestReport: Sendable, Equatable {
    /// Records read from the input.
    public var read = 0
    /// Interactions stored.
    public var stored = 0
    /// Events refused for want of consent, per purpose. Counted, never stored.
    public var refused: [Purpose: Int] = [:]
    /// Events of people whose processing is restricted: not stored (their data is frozen).
    public var restricted = 0
    /// Events older than the policy's retention period for events (consented ones): stored, and deleted by
    /// the next retention run, unless `IngestOptions.leavePastRetentionOut` left them out.
    public var pastRetention = 0
    /// People with at least one event stored by this ingestion.
    public var subjectsStored = 0
    /// Subjects seen for the first time.
    public var newSubjects = 0
    /// Items read from a catalog given with the interactions.
    public var catalogItems = 0
    /// Items added to the catalog because an event named them.
    public var newItems = 0
    /// Consent ledger records written (imported grants and GPC refusals).
    public var consentRecords = 0
    /// Subjects for whom `--grant` was not recorded because they had refused before.
    public var earlierRefusalsKept = 0
    /// Personal data found and replaced in free text before storage, per type.
    public var scrubbed: [PIIType: Int] = [:]
    /// Wall-clock seconds.
    public var seconds = 0.0

    public init() {}

    public var refusedTotal: Int { refused.values.reduce(0, +) }
    public var perSecond: Double { seconds > 0 ? Double(read) / seconds : 0 }
}
