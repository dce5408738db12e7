/// What `tact restore` did.
public struct RestoreReport: Sendable, Equatable {
    /// When the backup was taken (seconds since 1970).
    public var backupCreatedAt: Int64
    /// People and events in the backup.
    public var people = 0, interactions = 0
    /// People the key vault tied back to their pseudonym.
    public var relinked = 0
    /// People it could not: their key was shredded by an erasure after the backup. Their data was erased.
    public var unlinked = 0
    /// People tied back whose erasure completed after the backup (the replaced store's record of it): erased again.
    public var erasedAgain = 0
    /// Consent records made after the backup, kept from the replaced store.
    public var consentCarried = 0
    /// Models restored.
    public var models: [String] = []
    /// Where the replaced data directory's audit checkpoints were kept, if it had any.
    public var previousCheckpoints: String?

    public init(backupCreatedAt: Int64) { self.backupCreatedAt = backupCreatedAt }
}
