import Foundation
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
    /// Runs `body` holding a named lock that every process using the same database respects (beyond
    /// one transaction, unlike `write`). Where the database is one local file, callers lock files
    /// beside it instead, and this only runs `body`.
    func withLock<T>(_ name: String, _ body: () throws -> T) throws -> T
    /// How much storage the database takes, in bytes (nil when the store cannot tell).
    func sizeInBytes() throws -> Int64?
    /// Whether a query waits on a database server over the network (then callers on an async path run
    /// it on threads that may block), or is answered in this process.
    var waitsOnNetwork: Bool { get }
}

extension Store {
    public func readLatest<T>(_ body: (any StoreReader) throws -> T) throws -> T { try read(body) }
    public func changeWatcher() throws -> (any StoreChangeWatcher)? { nil }
    public func withLock<T>(_ name: String, _ body: () throws -> T) throws -> T { try body() }
    public func sizeInBytes() throws -> Int64? { nil }
    public var waitsOnNetwork: Bool { false }
}

/// Tells whether the catalog changed since the last look, by this process or any other, from
/// `StoreReader.catalogVersion()`. The first look only takes a baseline.
public final class CatalogChangeWatcher: StoreChangeWatcher, @unchecked Sendable {
    private let store: any Store
    private let lock = NSLock()
    private var last: Int64?  // guarded by lock

    public init(store: any Store) { self.store = store }

    public func changedSinceLastLook() throws -> Bool {
        let version = try store.readLatest { try $0.catalogVersion() }
        lock.lock()
        defer { lock.unlock() }
        defer { last = version }
        return last.map { $0 != version } ?? false
    }
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
    /// The items the operator registered (`upsertItem`: a catalog import, the items API), in row order;
    /// not those an event created by naming an unknown item (`ensureItem`). The universe of private releases.
    func registeredItems() throws -> [(row: ItemRow, item: Item)]
    /// A number the database raises on every change to the catalog (an item added, changed or deleted,
    /// by any process and any code path: triggers keep it), so caches of the catalog can tell that
    /// another server changed it.
    func catalogVersion() throws -> Int64
    /// A subject's interactions, oldest first.
    func interactions(of subject: SubjectRow) throws -> [StoredInteraction]
    /// Who interacted with an item, as training sums it: every event's subject, kind and value.
    func itemHistory(of item: ItemRow) throws -> [(subject: SubjectRow, kind: InteractionKind, value: Double)]
    /// When processing of the subject's data was restricted; nil when it is not.
    func restriction(of subject: SubjectRow) throws -> Int64?
    /// Every subject whose processing is restricted.
    func restrictedSubjects() throws -> Set<SubjectRow>
    /// The random handle audit entries name the subject by (16 bytes); nil for an unknown row.
    func auditHandle(of subject: SubjectRow) throws -> [UInt8]?
    /// Audit entries about a subject, oldest first.
    func auditEntries(of subject: SubjectRow) throws -> [AuditEntry]
    /// Data-subject requests, oldest first: those under one reference, or all of them.
    func subjectRequests(reference: [UInt8]?) throws -> [SubjectRequest]
    /// The differentially private releases recorded against a dataset (all datasets when nil), oldest first.
    func privacyReleases(dataset: String?) throws -> [PrivacyRelease]
    /// The id of the newest completed request that changed what models may hold (0 when none):
    /// a model trained on data read before it must be patched or retrained.
    func latestModelChangingRequest() throws -> Int64
    /// A subject's events as serving needs them (no time, no context), in no particular order:
    /// read from an index alone on the recommendation hot path.
    func servingHistory(of subject: SubjectRow) throws -> [(item: ItemRow, kind: InteractionKind, value: Double)]
    /// The rows of these catalog ids (ids the catalog lacks are absent).
    func itemRows(for ids: [String]) throws -> [String: ItemRow]
    /// `itemHistory(of:)` of each of these items (items without events are absent).
    func itemHistories(of items: [ItemRow]) throws -> [ItemRow: [(subject: SubjectRow, kind: InteractionKind, value: Double)]]
    /// The pseudonyms of these subject rows (unknown rows are absent).
    func pseudonyms(of subjects: [SubjectRow]) throws -> [SubjectRow: Pseudonym]
    /// What ingestion needs to know of these people (unknown people are absent).
    func subjectStates(for pseudonyms: [Pseudonym]) throws -> [Pseudonym: SubjectState]
    /// A person's row, consent, restriction and serving history at once; nil for someone unknown
    /// (a default composes the queries above; a store that pays a round trip per query answers in one).
    func servingProfile(of pseudonym: Pseudonym) throws -> ServingProfile?
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
    /// The newest Guard alerts, newest first.
    func guardAlerts(limit: Int) throws -> [GuardAlertRecord]
    /// Guard events shared by every server with ids above `afterID`, in id order, at most `limit`.
    func guardEvents(after afterID: Int64, limit: Int) throws -> [GuardEventRecord]
    /// The Guard's stored long-horizon state per principal (`PrincipalHistory` bytes).
    func guardStates() throws -> [String: [UInt8]]
    /// Requests per API key that servers other than `server` recorded at or after second `since`.
    func rateUsage(since: Int64, excluding server: String) throws -> [String: Int]
    /// Every recorded version of the privacy policy, oldest first.
    func policyVersions() throws -> [PolicyVersionRecord]
    /// The newest runs of the retention job, newest first.
    func retentionRuns(limit: Int) throws -> [RetentionRun]
    /// The newest model saved under an algorithm; nil when none was.
    func latestModelArtifact(algorithm: String) throws -> ModelArtifactInfo?
    /// The bytes of one saved model version, checked against its SHA-256; nil when that version is gone.
    func modelArtifactBytes(algorithm: String, version: Int64) throws -> [UInt8]?
    /// Every advertising campaign, oldest first.
    func adCampaigns() throws -> [AdCampaignRecord]
    /// Each campaign's all-time counts, with the spend of impressions at or after `since`.
    func adTotals(since: Int64) throws -> [String: AdTotals]
    /// The person's impressions per campaign at or after `since` (for frequency caps).
    func adImpressions(of subject: SubjectRow, since: Int64) throws -> [String: Int]
    /// For a report: each contributor's count of `kind` events of the campaign (a person, or for
    /// events that name no one, the impression they belong to).
    func adContributions(campaign: String, kind: AdEvent.Kind) throws -> [Int]
    /// The impression with this token, if any.
    func adImpression(token: [UInt8]) throws -> AdEvent?
    /// Every ad event that names the person, oldest first (for their export).
    func adEvents(of subject: SubjectRow) throws -> [AdEvent]
    /// Whether an event of `kind` with this token is stored.
    func adEventExists(token: [UInt8], kind: AdEvent.Kind) throws -> Bool
    /// The newest `limit` model evaluations, oldest first.
    func modelEvaluations(limit: Int) throws -> [ModelEvaluation]
    /// A setting every process using the database must agree on (such as which pseudonym secret made
    /// its pseudonyms); nil when none was recorded.
    func setting(_ name: String) throws -> String?
}

/// Changes available inside a write.
public protocol StoreWriter: StoreReader {
    /// Adds a subject and returns its row; the pseudonym must be new.
    func insertSubject(_ pseudonym: Pseudonym, createdAt: Int64) throws -> SubjectRow
    /// Adds an item or replaces its title, tags and creation time; returns its row. The item counts as
    /// registered by the operator from then on (`registeredItems`).
    func upsertItem(_ item: Item) throws -> ItemRow
    /// The row of an item, adding a bare item (id only) when the catalog does not have it yet. Such an
    /// item is not registered: an event created it, so it is in no private release's universe.
    func ensureItem(id: String) throws -> ItemRow
    /// Stores an event. `sealedContext` is its free text sealed under the subject's key; `context` (plain
    /// text) is for data without personal content only; `purpose` is the purpose it was collected under (the
    /// one the person's consent was checked against).
    func insertInteraction(
        subject: SubjectRow, item: ItemRow, kind: InteractionKind, value: Double, timestamp: Int64, context: String?,
        sealedContext: [UInt8]?, purpose: Purpose) throws
    /// Removes a subject's interactions, consent records and the subject itself (with the handle its
    /// audit entries carry, so they no longer link to anyone).
    func eraseSubject(_ subject: SubjectRow) throws -> ErasureCounts
    /// Deletes these interactions of the subject (others' ids are ignored); returns how many went.
    func deleteInteractions(ids: [Int64], of subject: SubjectRow) throws -> Int
    /// Corrects one interaction of the subject; false when the subject has no such interaction.
    func correctInteraction(id: Int64, of subject: SubjectRow, kind: InteractionKind, value: Double) throws -> Bool
    /// Restricts processing from `at`, or lifts the restriction (nil).
    func setRestriction(of subject: SubjectRow, at: Int64?) throws
    /// Records a differentially private release; the ledger is append-only.
    func appendPrivacyRelease(_ release: PrivacyRelease) throws
    /// Stores a new request and returns its id.
    func insertSubjectRequest(_ request: SubjectRequest) throws -> Int64
    /// Records a request's progress.
    func updateSubjectRequest(id: Int64, status: SubjectRequest.Status, verifiedAt: Int64?, completedAt: Int64?, detail: String) throws
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
    /// Suspends a key (the Guard's mitigation); false if there is no such key. A suspended key keeps its first time.
    func suspendAPIKey(id: String, at: Int64, reason: String) throws -> Bool
    /// Lifts a suspension; false if there is no such key or it was not suspended.
    func reinstateAPIKey(id: String) throws -> Bool
    /// Records an alert; returns its id.
    func appendGuardAlert(_ alert: GuardAlertRecord) throws -> Int64
    /// Shares accesses a server's Guard saw (their ids are set by the store).
    func appendGuardEvents(_ events: [GuardEventRecord]) throws
    /// Drops shared Guard events older than `cutoff` (seconds since 1970); returns how many.
    func deleteGuardEvents(before cutoff: Int64) throws -> Int
    /// Stores the Guard's long-horizon state of these principals, replacing what was stored.
    func saveGuardStates(_ states: [String: [UInt8]], at: Int64) throws
    /// Takes or renews the lease `name` for `holder` until `now + seconds`, unless another holder's
    /// lease runs past `now`; returns the lease's cursor (0 for a new lease) when `holder` holds it.
    func acquireGuardLease(_ name: String, holder: String, now: Int64, seconds: Int64) throws -> Int64?
    /// Records how far the lease's holder got (the last Guard event it processed); false when it no
    /// longer holds the lease.
    func advanceGuardLease(_ name: String, holder: String, cursor: Int64) throws -> Bool
    /// Adds a server's requests per API key in one second (for rate limits across servers).
    func addRateUsage(server: String, second: Int64, counts: [String: Int]) throws
    /// Drops rate usage older than second `cutoff`.
    func deleteRateUsage(before cutoff: Int64) throws
    /// Removes a catalog item and every interaction naming it; returns how many interactions
    /// were removed, or nil if the catalog has no such item.
    func deleteItem(id: String) throws -> Int?
    /// Prepares for inserting many interactions in this transaction (SQLite drops the secondary
    /// index on interactions, to rebuild it once by sorting at `endBulkLoad` instead of inserting
    /// into it at random for every row). Readers outside the transaction are not affected.
    func beginBulkLoad() throws
    /// Ends a bulk load begun in this transaction; must be called before the transaction ends.
    func endBulkLoad() throws
    /// Records a policy version seen for the first time; the version must be new (recorded versions never change).
    func insertPolicyVersion(_ record: PolicyVersionRecord) throws
    /// Deletes every interaction that occurred before `cutoff` (seconds since 1970); returns how many.
    func deleteInteractions(before cutoff: Int64) throws -> Int
    /// Empties the free-text context of every interaction that occurred before `cutoff`, keeping the
    /// events themselves; returns how many events had context to empty.
    func clearContexts(before cutoff: Int64) throws -> Int
    /// Records a run of the retention job and returns its number.
    func appendRetentionRun(_ run: RetentionRun) throws -> Int64
    /// Saves a model file's bytes as the next version of the algorithm and drops versions older than
    /// the newest `ModelArtifactInfo.versionsKept`; returns what was stored.
    func appendModelArtifact(algorithm: String, bytes: [UInt8], createdAt: Int64) throws -> ModelArtifactInfo
    /// Records a setting unless one is recorded under the name; returns the value recorded now (the
    /// one given, or the one found). Settings never change once recorded.
    func recordSettingIfAbsent(_ name: String, value: String) throws -> String
    func appendModelEvaluation(_ evaluation: ModelEvaluation) throws
    func upsertAdCampaign(_ record: AdCampaignRecord) throws
    func appendAdEvent(_ event: AdEvent) throws
}

/// A known person's row, current consent and restriction.
public struct SubjectState: Sendable {
    public var row: SubjectRow
    public var consent: ConsentState
    public var restrictedAt: Int64?

    public init(row: SubjectRow, consent: ConsentState, restrictedAt: Int64?) {
        self.row = row
        self.consent = consent
        self.restrictedAt = restrictedAt
    }
}

/// What serving reads about a person on every recommendation.
public struct ServingProfile {
    public var row: SubjectRow
    public var consent: ConsentState
    /// When processing was restricted; nil when it is not.
    public var restrictedAt: Int64?
    /// The person's events as `servingHistory(of:)` gives them.
    public var history: [(item: ItemRow, kind: InteractionKind, value: Double)]

    public init(row: SubjectRow, consent: ConsentState, restrictedAt: Int64?, history: [(item: ItemRow, kind: InteractionKind, value: Double)]) {
        self.row = row
        self.consent = consent
        self.restrictedAt = restrictedAt
        self.history = history
    }
}

/// The batch reads, composed of the single ones; a store that pays a round trip per query answers each in one.
extension StoreReader {
    public func itemRows(for ids: [String]) throws -> [String: ItemRow] {
        var result: [String: ItemRow] = [:]
        for id in ids { if let row = try itemRow(for: id) { result[id] = row } }
        return result
    }

    public func itemHistories(of items: [ItemRow]) throws -> [ItemRow: [(subject: SubjectRow, kind: InteractionKind, value: Double)]] {
        var result: [ItemRow: [(subject: SubjectRow, kind: InteractionKind, value: Double)]] = [:]
        for item in items {
            let history = try itemHistory(of: item)
            if !history.isEmpty { result[item] = history }
        }
        return result
    }

    public func pseudonyms(of subjects: [SubjectRow]) throws -> [SubjectRow: Pseudonym] {
        var result: [SubjectRow: Pseudonym] = [:]
        for s in subjects { if let p = try pseudonym(of: s) { result[s] = p } }
        return result
    }

    public func subjectStates(for pseudonyms: [Pseudonym]) throws -> [Pseudonym: SubjectState] {
        var result: [Pseudonym: SubjectState] = [:]
        for p in pseudonyms {
            guard let row = try subjectRow(for: p) else { continue }
            result[p] = SubjectState(row: row, consent: try consentState(of: row), restrictedAt: try restriction(of: row))
        }
        return result
    }

    public func servingProfile(of pseudonym: Pseudonym) throws -> ServingProfile? {
        guard let row = try subjectRow(for: pseudonym) else { return nil }
        return ServingProfile(row: row, consent: try consentState(of: row), restrictedAt: try restriction(of: row), history: try servingHistory(of: row))
    }
}

extension StoreWriter {
    /// Stores an event without free text to seal.
    public func insertInteraction(subject: SubjectRow, item: ItemRow, kind: InteractionKind, value: Double, timestamp: Int64, context: String?) throws {
        try insertInteraction(
            subject: subject, item: item, kind: kind, value: value, timestamp: timestamp, context: context, sealedContext: nil,
            purpose: .personalization)
    }

    /// Stores an event collected for personalization.
    public func insertInteraction(
        subject: SubjectRow, item: ItemRow, kind: InteractionKind, value: Double, timestamp: Int64, context: String?,
        sealedContext: [UInt8]?
    ) throws {
        try insertInteraction(
            subject: subject, item: item, kind: kind, value: value, timestamp: timestamp, context: context,
            sealedContext: sealedContext, purpose: .personalization)
    }
}

/// An interaction as stored, with internal rows in place of ids.
public struct StoredInteraction: Sendable, Equatable {
    /// Its row: what rectification names.
    public var id: Int64 = 0
    public var subject: SubjectRow
    public var item: ItemRow
    public var kind: InteractionKind
    public var value: Double
    public var timestamp: Int64
    public var context: String?
    /// Free text sealed under the subject's key (see `SubjectKey`).
    public var sealedContext: [UInt8]?
    /// The purpose the event was collected under (stored as NULL for personalization, the common case).
    public var purpose: Purpose

    public init(
        id: Int64 = 0, subject: SubjectRow, item: ItemRow, kind: InteractionKind, value: Double, timestamp: Int64, context: String? = nil,
        sealedContext: [UInt8]? = nil, purpose: Purpose = .personalization
    ) {
        self.id = id
        self.purpose = purpose
        self.sealedContext = sealedContext
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
