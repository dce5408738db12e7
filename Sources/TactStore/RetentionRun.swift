/// What one run of the retention job did, category by category. Counts only: no ids, no free text.
public struct RetentionRun: Sendable, Equatable, Codable {
    /// What the job did with one data category of the policy.
    public enum Action: String, Sendable, Equatable, Codable {
        /// Rows older than the cutoff were deleted.
        case deleted
        /// A field of rows older than the cutoff was emptied (the rows stay).
        case cleared
        /// The policy keeps this category as long as the account exists: nothing to do.
        case kept
        /// The policy sets a period, but the job does not apply it; `note` says why.
        case notApplied = "not-applied"
        /// The run would have deleted `count` rows, more than one run may delete unconfirmed; nothing was
        /// deleted or cleared, by any category; `note` says why and what to do.
        case refused
    }

    /// One data category in a run.
    public struct Category: Sendable, Equatable, Codable {
        /// The category's name in the policy, e.g. "interactions".
        public var name: String
        /// The retention period the policy set at the time of the run, in days; nil: as long as the account exists.
        public var retentionDays: Int?
        /// Records older than this (seconds since 1970) were affected; nil when nothing was applied.
        public var cutoff: Int64?
        public var action: Action
        /// How many rows were deleted or cleared.
        public var count: Int
        /// Why nothing was applied, in plain words.
        public var note: String?

        public init(name: String, retentionDays: Int?, cutoff: Int64? = nil, action: Action, count: Int = 0, note: String? = nil) {
            self.name = name
            self.retentionDays = retentionDays
            self.cutoff = cutoff
            self.action = action
            self.count = count
            self.note = note
        }

        /// The outcome in words, e.g. "deleted 12" or "not applied: the audit log is append-only".
        public var summary: String {
            switch action {
            case .deleted: "deleted \(count)"
            case .cleared: "cleared \(count)"
            case .kept: "nothing expires"
            case .notApplied: "not applied: \(note ?? "no reason given")"
            case .refused: "refused: \(note ?? "would delete \(count)")"
            }
        }
    }

    /// The store's number for the run; nil before it is recorded.
    public var id: Int64?
    /// The time the run treated as now (seconds since 1970).
    public var ranAt: Int64
    /// Who ran it: "retention" for the job, whether started by the server or the command line.
    public var actor: String
    /// The policy version whose retention periods were applied.
    public var policyVersion: String
    /// The policy's categories, in the policy's order.
    public var categories: [Category]

    public init(id: Int64? = nil, ranAt: Int64, actor: String, policyVersion: String, categories: [Category]) {
        self.id = id
        self.ranAt = ranAt
        self.actor = actor
        self.policyVersion = policyVersion
        self.categories = categories
    }

    /// Rows deleted or cleared, over every category (a refused run deleted none).
    public var total: Int { categories.filter { $0.action == .deleted || $0.action == .cleared }.reduce(0) { $0 + $1.count } }

    /// Whether the run was refused: it would have deleted more than one run may, unconfirmed.
    public var refused: Bool { categories.contains { $0.action == .refused } }
}
