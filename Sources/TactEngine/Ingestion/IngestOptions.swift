import TactCore

/// How to ingest a batch or a file.
public struct IngestOptions: Sendable {
    /// Purposes to record as granted for every subject in the input, for historical data whose consent
    /// was collected elsewhere. Each grant is a ledger record with source `import` and `grantNote`.
    public var grants: [Purpose] = []
    /// Where the imported consent came from, written into the ledger with each imported grant.
    public var grantNote: String?
    /// Who is ingesting, for the audit log.
    public var actor = "cli"
    /// A short description for the audit log (a file name, "api batch"); never personal data.
    public var source = "batch"
    /// Called every `progressInterval` records with the count read so far.
    public var progress: (@Sendable (Int) -> Void)?
    public var progressInterval = 100_000
    /// About how many records the input holds, if known (a file's size gives an estimate).
    /// Large loads, relative to what is stored, rebuild the store's indexes once instead of row by row.
    public var expectedRecords: Int?
    /// Leave out events older than the policy's retention period for events (the next retention run would
    /// delete them); they are counted in `IngestReport.pastRetention` either way.
    public var leavePastRetentionOut = false

    public init(grants: [Purpose] = [], grantNote: String? = nil, actor: String = "cli", source: String = "batch") {
        self.grants = grants
        self.grantNote = grantNote
        self.actor = actor
        self.source = source
    }
}
