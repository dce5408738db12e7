import Foundation
import TactCore
import TactPrivacy
import TactStore

/// The ingestion pipeline: consent gate, then pseudonymization, then the store.
///
/// For every event: the raw user id becomes a pseudonym (it goes no further); imported grants and a
/// Global Privacy Control signal are written to the consent ledger; the event is stored only if the
/// subject's consent permits its purpose, and otherwise counted as refused. A batch or a file is one
/// transaction: a bad record throws an `InputError` naming the line and field, and nothing is written.
public struct Ingestor: Sendable {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    /// Below this many expected records, indexes are maintained row by row.
    static let bulkLoadMinimum = 50_000
    /// Events read ahead, so that the new people among them are looked up together.
    static let lookupChunk = 4_096
    /// Batches of `lookupChunk` events a reading thread may have ready before the store takes them.
    static let batchesAhead = 4

    /// Ingests every record of a reader, streaming, in one transaction; with `catalog`, its items are
    /// added first in the same transaction (a MovieLens directory brings both). The records are read,
    /// validated and pseudonymized on a thread of their own while the store's thread stores those before them.
    public func ingest(_ reader: any InteractionReader, catalog: (any ItemReader)? = nil, options: IngestOptions) throws -> IngestReport {
        let queue = IngestBatchQueue.start(capacity: Self.batchesAhead, batcher: IngestBatcher(pseudonymizer: engine.pseudonymizer), reader: reader)
        defer { queue.stopAndWait() }
        return try run(options: options, catalog: catalog) { try queue.take() }
    }

    /// Ingests a batch already in memory (the HTTP API's form), in one transaction.
    public func ingest(_ events: [IncomingInteraction], options: IngestOptions) throws -> IngestReport {
        var iterator = events.makeIterator()
        var batcher = IngestBatcher(pseudonymizer: engine.pseudonymizer)
        return try run(options: options) { try batcher.next { iterator.next() } }
    }

    private struct SubjectContext {
        var pseudonym: Pseudonym
        var row: SubjectRow?
        private(set) var state: ConsentState
        /// What the gate permits under `state`, one bit per `Purpose.ordinal`: checked for every event,
        /// so kept here, beside the rest, rather than behind the state's own storage.
        private var permitted: UInt8
        var grantsApplied = false
        var anyStored = false
        /// Events stored for the person in this batch: each person gets one audit entry per batch.
        var stored = 0
        /// The person's key, once an event with free text needed it.
        var key: SubjectKey?
        /// Whether the vault was already asked for the person's key, and what it held.
        var vaultChecked = false
        var wrapped: [UInt8]?
        var restricted = false

        init(pseudonym: Pseudonym, row: SubjectRow?, state: ConsentState, restricted: Bool, gate: ConsentGate) {
            self.pseudonym = pseudonym
            self.row = row
            self.state = state
            self.permitted = Self.permitted(by: state, gate: gate)
            self.restricted = restricted
        }

        /// Whether the gate the context was made with permits the purpose now.
        func permits(_ purpose: Purpose) -> Bool { permitted & (1 << purpose.ordinal) != 0 }

        mutating func apply(_ record: ConsentRecord, gate: ConsentGate) {
            state.apply(record)
            permitted = Self.permitted(by: state, gate: gate)
        }

        private static func permitted(by state: ConsentState, gate: ConsentGate) -> UInt8 {
            var bits: UInt8 = 0
            for p in Purpose.allCases where gate.permits(p, state: state) { bits |= 1 << p.ordinal }
            return bits
        }
    }

    private func run(options: IngestOptions, catalog: (any ItemReader)? = nil, next: () throws -> IngestBatch?) throws -> IngestReport {
        let started = Date()
        let gate = engine.gate
        let policyVersion = engine.policy.version
        let now = Int64(started.timeIntervalSince1970)
        // Events older than this are past the policy's retention period: the next retention run deletes them.
        let expiry = RetentionJob.interactionsCutoff(engine.policy, now: now)
        let keyring = engine.keyring, vault = engine.vault
        var report = try engine.store.write { w -> IngestReport in
            // Keys made for people who had none; stored in the vault before the events commit.
            var newKeys: [Pseudonym: [UInt8]] = [:]
            func key(_ s: inout SubjectContext) throws -> SubjectKey {
                if let key = s.key { return key }
                let key: SubjectKey
                if !s.vaultChecked { s.wrapped = try vault.wrappedKeys(for: [s.pseudonym])[s.pseudonym] }
                if let wrapped = s.wrapped {
                    key = try keyring.unwrap(wrapped, for: s.pseudonym)
                } else {
                    let made = keyring.newKey(for: s.pseudonym)
                    newKeys[s.pseudonym] = made.wrapped
                    key = made.key
                }
                s.key = key
                return key
            }
            var report = IngestReport()
            var items: [String: ItemRow] = [:]
            var bulk = false
            if let expected = options.expectedRecords, expected >= Self.bulkLoadMinimum {
                bulk = try expected >= w.interactionCount()
            }
            if bulk { try w.beginBulkLoad() }
            if let catalog {
                while let item = try catalog.next() { items[item.id] = try w.upsertItem(item) }
                report.catalogItems = items.count
            }

            func ensureRow(_ s: inout SubjectContext) throws -> SubjectRow {
                if let row = s.row { return row }
                let row = try w.insertSubject(s.pseudonym, createdAt: now)
                s.row = row
                report.newSubjects += 1
                return row
            }
            func record(_ s: inout SubjectContext, _ purpose: Purpose, _ decision: ConsentDecision, _ source: ConsentSource, note: String?) throws {
                let r = ConsentRecord(
                    subject: s.pseudonym, purpose: purpose, decision: decision, source: source,
                    recordedAt: now, policyVersion: policyVersion, note: note)
                try w.appendConsent(r, subject: try ensureRow(&s))
                s.apply(r, gate: gate)
                report.consentRecords += 1
            }

            func admit(_ event: IncomingInteraction, item: Int, _ s: inout SubjectContext) throws {
                if !s.grantsApplied, !options.grants.isEmpty {
                    s.grantsApplied = true
                    let grants = gate.importableGrants(options.grants, state: s.state)
                    for purpose in grants { try record(&s, purpose, .grant, .bulkImport, note: options.grantNote) }
                    if options.grants.contains(where: { s.state.decision(for: $0) == .deny }) { report.earlierRefusalsKept += 1 }
                }
                if event.globalPrivacyControl {
                    for purpose in gate.refusalsForGlobalPrivacyControl(state: s.state) {
                        try record(&s, purpose, .deny, .globalPrivacyControl, note: "Sec-GPC: 1")
                    }
                }
                let purpose = event.purpose ?? .personalization
                guard s.permits(purpose) else {
                    report.refused[purpose, default: 0] += 1
                    return
                }
                guard !s.restricted else {
                    report.restricted += 1
                    return
                }
                if let expiry, event.timestamp < expiry {
                    report.pastRetention += 1
                    if options.leavePastRetentionOut { return }
                }
                let subjectRow = try ensureRow(&s)
                let itemRow: ItemRow
                if let known = itemRows[item] {
                    itemRow = known
                } else {
                    // Neither in the catalog nor in the store when the item was first seen: added now.
                    itemRow = try w.ensureItem(id: event.item)
                    report.newItems += 1
                    itemRows[item] = itemRow
                }
                // Personal data in free text is replaced before the text is sealed and stored.
                let context = try event.context.map { text -> String in
                    guard let scrubber = engine.scrubber else { return text }
                    let (clean, findings) = try scrubber.redact(text)
                    for f in findings { report.scrubbed[f.type, default: 0] += 1 }
                    return clean
                }
                let sealed = try context.map { try key(&s).seal($0) }
                try w.insertInteraction(
                    subject: subjectRow, item: itemRow, kind: event.kind, value: event.value,
                    timestamp: event.timestamp, context: nil, sealedContext: sealed, purpose: purpose)
                report.stored += 1
                s.stored += 1
                if !s.anyStored {
                    s.anyStored = true
                    report.subjectsStored += 1
                }
            }

            // The people and items of the import by number (`IngestBatch`); an item's row is nil until it is stored.
            var subjects: [SubjectContext] = []
            var itemRows: [ItemRow?] = []
            // Events come in batches, so that the people and items new to a batch are looked up together
            // (one round trip for all on a database server, instead of one each), and the people's keys too.
            while let batch = try next() {
                let states = try w.subjectStates(for: batch.newPeople.map(\.pseudonym))
                let found = try w.itemRows(for: batch.newItems.filter { items[$0] == nil })
                for id in batch.newItems { itemRows.append(items[id] ?? found[id]) }
                let keys = try vault.wrappedKeys(for: batch.newPeople.filter(\.withText).map(\.pseudonym))
                for (p, withText) in batch.newPeople {
                    let known = states[p]
                    var context = SubjectContext(
                        pseudonym: p, row: known?.row, state: known?.consent ?? ConsentState(), restricted: known?.restrictedAt != nil, gate: gate)
                    if withText {
                        context.vaultChecked = true
                        context.wrapped = keys[p]
                    }
                    subjects.append(context)
                }
                for i in 0..<batch.events.count {
                    report.read += 1
                    if let progress = options.progress, report.read % options.progressInterval == 0 { progress(report.read) }
                    try admit(batch.events[i], item: batch.items[i], &subjects[batch.people[i]])
                }
            }
            let stored = try vault.insertIfAbsent(newKeys)
            if stored != newKeys { throw EngineError.concurrentKeyCreation }
            try w.addRefusals(report.refused)
            // Every write of personal data is audited: one entry per person per batch, with counts only.
            for s in subjects where s.stored > 0 {
                try w.appendAudit(
                    AuditEntry(
                        at: now, actor: options.actor, action: "ingest.person", subject: s.pseudonym, purpose: nil,
                        detail: "source=\(options.source) stored=\(s.stored)"))
            }
            try w.appendAudit(
                AuditEntry(
                    at: now, actor: options.actor, action: "ingest.interactions",
                    detail:
                        "source=\(options.source) read=\(report.read) stored=\(report.stored) refused=\(report.refusedTotal) restricted=\(report.restricted) consent_records=\(report.consentRecords)"
                ))
            // After the audit entries, which read the people's rows while those are still in the store's cache.
            if bulk { try w.endBulkLoad() }
            return report
        }
        report.seconds = Date().timeIntervalSince(started)
        engine.logger.info(
            "ingested",
            metadata: [
                "source": "\(options.source)", "read": "\(report.read)", "stored": "\(report.stored)",
                "refused": "\(report.refusedTotal)", "consent_records": "\(report.consentRecords)",
                "seconds": "\(report.seconds)"
            ])
        return report
    }
}
