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
    /// Why the last write failed for want of storage (`StoreError.cannotWrite`), if that was recent and no
    /// write has succeeded since; readiness reports it.
    var recentWriteFault: String? { get }
}

extension Store {
    public func readLatest<T>(_ body: (any StoreReader) throws -> T) throws -> T { try read(body) }
    public func changeWatcher() throws -> (any StoreChangeWatcher)? { nil }
    public func withLock<T>(_ name: String, _ body: () throws -> T) throws -> T { try body() }
    public func sizeInBytes() throws -> Int64? { nil }
    public var waitsOnNetwork: Bool { false }
    public var recentWriteFault: String? { nil }
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

/// Queries available inside a read or a write: every concern's reader (`Concerns/`), and the composite
/// reads of the serving and ingestion paths, which span people, consent and restriction.
public protocol StoreReader: PeopleReader, CatalogReader, ConsentReader, AuditLogReader, APIKeyReader, RightsRequestReader, PrivacyLedgerReader,
    ModelArtifactReader, AdReader, GuardStateReader, SettingsReader, RetentionReader
{
    /// What ingestion needs to know of these people (unknown people are absent).
    func subjectStates(for pseudonyms: [Pseudonym]) throws -> [Pseudonym: SubjectState]
    /// A person's row, consent, restriction and serving history at once; nil for someone unknown
    /// (a default composes the queries above; a store that pays a round trip per query answers in one).
    func servingProfile(of pseudonym: Pseudonym) throws -> ServingProfile?
}

/// Changes available inside a write: every concern's writer (`Concerns/`).
public protocol StoreWriter: StoreReader, PeopleWriter, CatalogWriter, ConsentWriter, AuditLogWriter, APIKeyWriter, RightsRequestWriter, PrivacyLedgerWriter,
    ModelArtifactWriter, AdWriter, GuardStateWriter, SettingsWriter, RetentionWriter
{}

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

/// The composite reads, composed of single ones; a store that pays a round trip per query answers each in one.
extension StoreReader {
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
