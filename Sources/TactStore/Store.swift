import TactCore

/// Where Tact keeps pseudonyms, items, interactions, the consent ledger, the audit log and API keys.
/// Every caller goes through this protocol, so each feature runs on every implementation
/// (SQLite embedded by default; PostgreSQL when several servers share state).
///
/// Work happens inside `read` or `write`. A `write` is one transaction: when its body throws,
/// nothing it did is kept.
public protocol Store: Sendable {
    func read<T>(_ body: (any StoreReader) throws -> T) throws -> T
    func write<T>(_ body: (any StoreWriter) throws -> T) throws -> T
    /// Like `read`, for a few small queries on a hot path (serving): each query sees the latest committed
    /// data, without one isolating transaction around them all, which costs more than the queries.
    func readLatest<T>(_ body: (any StoreReader) throws -> T) throws -> T
    /// A watcher for commits by anyone but this store itself (nil when the store cannot tell): caches of
    /// what the store holds use it to learn of changes made by other processes (their own changes they drop themselves).
    func changeWatcher() throws -> (any StoreChangeWatcher)?
}

extension Store {
    public func readLatest<T>(_ body: (any StoreReader) throws -> T) throws -> T { try read(body) }
    public func changeWatcher() throws -> (any StoreChangeWatcher)? { nil }
}

/// Tells whether anything was committed to a store since it last looked, by this process or any other.
public protocol StoreChangeWatcher: Sendable {
    /// True when a commit happened since the previous call (the first call only takes a baseline).
    func changedSinceLastLook() throws -> Bool
}

/// The database row of a subject (a pseudonymous person). Internal to a store; never shown.
public typealias SubjectRow = Int64
/// The database row of a catalog item.
public typealias ItemRow = Int64

/// Queries available inside a read or a write.
public protocol StoreReader {
    func subjectRow(for pseudonym: Pseudonym) throws -> SubjectRow?
    func pseudonym(of subject: SubjectRow) throws -> Pseudonym?
    /// Every subject's pseudonym by row.
    func subjectPseudonyms() throws -> [SubjectRow: Pseudonym]
    /// The current consent of a subject: the latest ledger record per purpose.
    func consentState(of subject: SubjectRow) throws -> ConsentState
    /// Every ledger record of a subject, oldest first.
    func consentHistory(of subject: SubjectRow) throws -> [ConsentRecord]
    /// The latest decision of every subject that has one for `purpose`.
    func latestDecisions(for purpose: Purpose) throws -> [SubjectRow: ConsentDecision]
    func itemRow(for id: String) throws -> ItemRow?
    /// The catalog id of an item row.
    func itemID(of row: ItemRow) throws -> String?
    func item(for id: String) throws -> Item?
    /// All items with their rows, in row order.
    func items() throws -> [(row: ItemRow, item: Item)]
    /// A subject's interactions, oldest first.
    func interactions(of subject: SubjectRow) throws -> [StoredInteraction]
    /// A subject's events as serving needs them (no time, no context), in no particular order:
    /// read from an index alone on the recommendation hot path.
    func servingHistory(of subject: SubjectRow) throws -> [(item: ItemRow, kind: InteractionKind, value: Double)]
    /// Streams every interaction in storage order without loading them all.
    func forEachInteraction(_ body: (StoredInteraction) throws -> Void) throws
    func statistics() throws -> StoreStatistics
    func interactionCount() throws -> Int
    /// The newest audit entries, newest first.
    func recentAuditEntries(limit: Int) throws -> [AuditEntry]
    /// The newest audit entry as stored, with its chain hash; nil when the log is empty.
    func lastAuditRow() throws -> AuditRow?
    /// Streams the audit entries with ids above `afterID` as stored, in id order, until `body` returns false.
    func forEachAuditRow(after afterID: Int64, _ body: (AuditRow) throws -> Bool) throws
    /// The newest audit entries as stored, newest first.
    func recentAuditRows(limit: Int) throws -> [AuditRow]
    /// How many audit entries have ids above `afterID`.
    func auditEntryCount(after afterID: Int64) throws -> Int64
    /// Every signed checkpoint of the audit log kept in the store, oldest first.
    func auditCheckpoints() throws -> [AuditCheckpoint]
    /// The newest checkpoint kept in the store; nil when none.
    func lastAuditCheckpoint() throws -> AuditCheckpoint?
    /// Every API key, revoked ones included, oldest first (by creation time, then id).
    func apiKeys() throws -> [APIKeyRecord]
    /// The key whose secret has this SHA-256, revoked or not; nil if none.
    func apiKey(secretHash: [UInt8]) throws -> APIKeyRecord?
}

/// Changes available inside a write.
public protocol StoreWriter: StoreReader {
    /// Adds a subject and returns its row; the pseudonym must be new.
    func insertSubject(_ pseudonym: Pseudonym, createdAt: Int64) throws -> SubjectRow
    /// Adds an item or replaces its title, tags and creation time; returns its row.
    func upsertItem(_ item: Item) throws -> ItemRow
    /// The row of an item, adding a bare item (id only) when the catalog does not have it yet.
    func ensureItem(id: String) throws -> ItemRow
    func insertInteraction(subject: SubjectRow, item: ItemRow, kind: InteractionKind, value: Double, timestamp: Int64, context: String?) throws
    /// Appends to the consent ledger. Records are never changed once written.
    func appendConsent(_ record: ConsentRecord, subject: SubjectRow) throws
    /// Adds to the counts of events refused for want of consent (counts only, no personal data).
    func addRefusals(_ counts: [Purpose: Int]) throws
    /// Appends an entry to the audit log's hash chain (see `AuditChain`). Entries are never changed once written.
    func appendAudit(_ entry: AuditEntry) throws
    /// Appends a signed checkpoint; its number must be one more than the newest one's.
    func appendAuditCheckpoint(_ checkpoint: AuditCheckpoint) throws
    /// Adds an API key, stored with the SHA-256 (32 bytes) of its secret text; the id must be new.
    func insertAPIKey(_ record: APIKeyRecord, secretHash: [UInt8]) throws
    /// Marks a key revoked at `at`; false if there is no such key. A key revoked before keeps its first time.
    func revokeAPIKey(id: String, at: Int64) throws -> Bool
    /// Removes a catalog item and every interaction naming it; returns how many interactions
    /// were removed, or nil if the catalog has no such item.
    func deleteItem(id: String) throws -> Int?
    /// Prepares for inserting many interactions in this transaction (SQLite drops the secondary
    /// index on interactions, to rebuild it once by sorting at `endBulkLoad` instead of inserting
    /// into it at random for every row). Readers outside the transaction are not affected.
    func beginBulkLoad() throws
    /// Ends a bulk load begun in this transaction; must be called before the transaction ends.
    func endBulkLoad() throws
}

/// An interaction as stored, with internal rows in place of ids.
public struct StoredInteraction: Sendable, Equatable {
    public var subject: SubjectRow
    public var item: ItemRow
    public var kind: InteractionKind
    public var value: Double
    public var timestamp: Int64
    public var context: String?

    public init(subject: SubjectRow, item: ItemRow, kind: InteractionKind, value: Double, timestamp: Int64, context: String? = nil) {
        self.subject = subject
        self.item = item
        self.kind = kind
        self.value = value
        self.timestamp = timestamp
        self.context = context
    }
}

/// Counts that describe what a store holds.
public struct StoreStatistics: Sendable, Equatable {
    public var subjects = 0
    public var items = 0
    public var interactions = 0
    public var consentRecords = 0
    public var auditEntries = 0
    /// Subjects whose current decision for the purpose is a grant / a refusal.
    public var granted: [Purpose: Int] = [:]
    public var denied: [Purpose: Int] = [:]
    /// Events refused for want of consent, per purpose.
    public var refusals: [Purpose: Int] = [:]
    public var firstInteraction: Int64?
    public var lastInteraction: Int64?

    public init() {}
}
