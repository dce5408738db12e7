import Foundation
import TactCore

/// People (as pseudonymous subjects) and their events: rows, restriction, history, bulk loads.
/// Read inside any `Store.read` or `Store.write`; `StoreReader` composes every concern's reader.
public protocol PeopleReader {
    func subjectRow(for pseudonym: Pseudonym) throws -> SubjectRow?
    func pseudonym(of subject: SubjectRow) throws -> Pseudonym?
    /// Every subject's pseudonym by row.
    func subjectPseudonyms() throws -> [SubjectRow: Pseudonym]
    /// A subject's interactions, oldest first.
    func interactions(of subject: SubjectRow) throws -> [StoredInteraction]
    /// When processing of the subject's data was restricted; nil when it is not.
    func restriction(of subject: SubjectRow) throws -> Int64?
    /// Every subject whose processing is restricted.
    func restrictedSubjects() throws -> Set<SubjectRow>
    /// A subject's events as serving needs them (no time, no context), in no particular order:
    /// read from an index alone on the recommendation hot path.
    func servingHistory(of subject: SubjectRow) throws -> [(item: ItemRow, kind: InteractionKind, value: Double)]
    /// Every subject with an event at or after `since` (seconds since 1970), with the time of its latest one,
    /// and how many subjects there are: who has been active lately (the Guard's `ActivityMemory` starts from it).
    func recentActivity(since: Int64) throws -> RecentActivity
    /// How many subjects there are.
    func subjectCount() throws -> Int
    /// The pseudonyms of these subject rows (unknown rows are absent).
    func pseudonyms(of subjects: [SubjectRow]) throws -> [SubjectRow: Pseudonym]
    /// Streams every interaction in storage order without loading them all.
    func forEachInteraction(_ body: (StoredInteraction) throws -> Void) throws
    /// Streams every event as training reads it (person, item, kind, value, time) in storage order, without
    /// building a record per row (a default reads `forEachInteraction`; SQLite steps its C API).
    func forEachTrainingEvent(_ body: (TrainingEvent) throws -> Void) throws
    func statistics() throws -> StoreStatistics
    func interactionCount() throws -> Int
}

/// Changes to people (as pseudonymous subjects) and their events, inside a `Store.write`; `StoreWriter` composes every concern's writer.
public protocol PeopleWriter {
    /// Adds a subject and returns its row; the pseudonym must be new.
    func insertSubject(_ pseudonym: Pseudonym, createdAt: Int64) throws -> SubjectRow
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
    /// Prepares for inserting many interactions in this transaction (SQLite drops the secondary
    /// index on interactions, to rebuild it once by sorting at `endBulkLoad` instead of inserting
    /// into it at random for every row). Readers outside the transaction are not affected.
    func beginBulkLoad() throws
    /// Ends a bulk load begun in this transaction; must be called before the transaction ends.
    func endBulkLoad() throws
}

/// Who has been active lately (`PeopleReader.recentActivity`).
public struct RecentActivity: Sendable, Equatable {
    /// Each subject with an event since the time asked for, with the time of its latest one.
    public var latest: [Pseudonym: Int64]
    /// Every subject in the store.
    public var people: Int

    public init(latest: [Pseudonym: Int64], people: Int) {
        self.latest = latest
        self.people = people
    }
}

/// An event as training reads it: no free text, no purpose, no id.
public struct TrainingEvent: Sendable, Equatable {
    public var subject: SubjectRow
    public var item: ItemRow
    public var kind: InteractionKind
    public var value: Double
    public var timestamp: Int64

    public init(subject: SubjectRow, item: ItemRow, kind: InteractionKind, value: Double, timestamp: Int64) {
        self.subject = subject
        self.item = item
        self.kind = kind
        self.value = value
        self.timestamp = timestamp
    }
}

extension PeopleReader {
    public func forEachTrainingEvent(_ body: (TrainingEvent) throws -> Void) throws {
        try forEachInteraction { e in try body(TrainingEvent(subject: e.subject, item: e.item, kind: e.kind, value: e.value, timestamp: e.timestamp)) }
    }
}

/// The batch read, composed of the single one; a store that pays a round trip per query answers it in one.
extension PeopleReader {
    public func pseudonyms(of subjects: [SubjectRow]) throws -> [SubjectRow: Pseudonym] {
        var result: [SubjectRow: Pseudonym] = [:]
        for s in subjects { if let p = try pseudonym(of: s) { result[s] = p } }
        return result
    }

}

extension PeopleWriter {
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
