import Crypto
import Foundation
import PostgresNIO
import TactCore

/// PostgresSession's part of `PeopleReader` and `PeopleWriter`: people (as pseudonymous subjects) and their events: rows, restriction, history, bulk loads.
extension PostgresSession {
    func insertPlain(_ rows: ArraySlice<PendingInteraction>) throws {
        try db.execute(
            """
            INSERT INTO interactions (subject_id, item_id, kind, value, occurred_at)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::float8[], $5::bigint[])
            """, [.ints(rows.map(\.subject)), .ints(rows.map(\.item)), .texts(rows.map(\.kind)), .doubles(rows.map(\.value)), .ints(rows.map(\.timestamp))])
    }

    func insertWithText(_ rows: ArraySlice<PendingInteraction>) throws {
        var sql = "INSERT INTO interactions (subject_id, item_id, kind, value, occurred_at, context, sealed_context, purpose) VALUES "
        var binds: [PostgresValue] = []
        binds.reserveCapacity(rows.count * 8)
        for (n, r) in rows.enumerated() {
            let b = n * 8
            if n > 0 { sql += "," }
            sql += "($\(b + 1),$\(b + 2),$\(b + 3),$\(b + 4),$\(b + 5),$\(b + 6),$\(b + 7),$\(b + 8))"
            binds.append(contentsOf: [
                .int(r.subject), .int(r.item), .text(r.kind), .double(r.value), .int(r.timestamp), .text(r.context), .bytes(r.sealedContext),
                .text(r.purpose)
            ])
        }
        try db.execute(sql, binds)
    }

    func subjectRow(for pseudonym: Pseudonym) throws -> SubjectRow? {
        let id = PostgresSubjectID.of(pseudonym)
        if newSubjects[pseudonym] != nil { return id }
        // Names one id: people still queued (other ids) cannot change the answer, so they stay queued.
        return try db.rows("SELECT id FROM subjects WHERE id = $1 AND pseudonym = $2", [.int(id), .bytes(pseudonym.bytes)]).first.map { try $0.int(0) }
    }

    func pseudonym(of subject: SubjectRow) throws -> Pseudonym? {
        guard let row = try rows("SELECT pseudonym FROM subjects WHERE id = $1", [.int(subject)]).first else { return nil }
        let bytes = try row.bytes(0)
        guard bytes.count == Pseudonym.byteCount else { throw StoreError.corrupt(what: "subject \(subject) pseudonym") }
        return Pseudonym(bytes: bytes)
    }

    func subjectPseudonyms() throws -> [SubjectRow: Pseudonym] {
        var result: [SubjectRow: Pseudonym] = [:]
        for row in try rows("SELECT id, pseudonym FROM subjects") {
            let bytes = try row.bytes(1)
            guard bytes.count == Pseudonym.byteCount else { throw StoreError.corrupt(what: "a subject's pseudonym") }
            result[try row.int(0)] = Pseudonym(bytes: bytes)
        }
        return result
    }

    func recentActivity(since: Int64) throws -> RecentActivity {
        var result: [Pseudonym: Int64] = [:]
        let sql = """
            SELECT s.pseudonym, a.latest FROM (SELECT subject_id, MAX(occurred_at) AS latest FROM interactions WHERE occurred_at >= $1 GROUP BY subject_id) AS a
            JOIN subjects s ON s.id = a.subject_id
            """
        for row in try rows(sql, [.int(since)]) {
            let bytes = try row.bytes(0)
            guard bytes.count == Pseudonym.byteCount else { throw StoreError.corrupt(what: "a subject's pseudonym") }
            result[Pseudonym(bytes: bytes)] = try row.int(1)
        }
        return RecentActivity(latest: result, people: try subjectCount())
    }

    func subjectCount() throws -> Int { Int(try int("SELECT COUNT(*) FROM subjects") ?? 0) }

    static let interactionColumns = "subject_id, item_id, kind, value, occurred_at, context, id, sealed_context, purpose"

    static func interaction(from row: PostgresRandomAccessRow) throws -> StoredInteraction {
        let kindName = try row.text(2)
        guard let kind = InteractionKind(rawValue: kindName) else { throw StoreError.corrupt(what: "interaction kind \(kindName)") }
        guard let purpose = try row.optionalText(8).map(Purpose.init(rawValue:)) ?? .personalization else {
            throw StoreError.corrupt(what: "interaction purpose")
        }
        return StoredInteraction(
            id: try row.int(6), subject: try row.int(0), item: try row.int(1), kind: kind, value: try row.double(3),
            timestamp: try row.int(4), context: try row.optionalText(5), sealedContext: try row.optionalBytes(7), purpose: purpose)
    }

    func interactions(of subject: SubjectRow) throws -> [StoredInteraction] {
        try rows("SELECT \(Self.interactionColumns) FROM interactions WHERE subject_id = $1 ORDER BY occurred_at, id", [.int(subject)])
            .map(Self.interaction(from:))
    }

    func servingHistory(of subject: SubjectRow) throws -> [(item: ItemRow, kind: InteractionKind, value: Double)] {
        try rowKindValues("SELECT item_id, kind, value FROM interactions WHERE subject_id = $1", key: subject).map {
            (item: $0.row, kind: $0.kind, value: $0.value)
        }
    }

    func rowKindValues(_ sql: String, key: Int64) throws -> [(row: Int64, kind: InteractionKind, value: Double)] {
        try rows(sql, [.int(key)]).map { row in
            guard let kind = InteractionKind(rawValue: try row.text(1)) else { throw StoreError.corrupt(what: "an interaction's kind") }
            return (try row.int(0), kind, try row.double(2))
        }
    }

    /// Two statements for all of them: their rows, then their consent records.
    func subjectStates(for pseudonyms: [Pseudonym]) throws -> [Pseudonym: SubjectState] {
        guard !pseudonyms.isEmpty else { return [:] }
        var byID: [Int64: Pseudonym] = [:]
        for p in pseudonyms { byID[PostgresSubjectID.of(p)] = p }
        var states: [Int64: SubjectState] = [:]
        for row in try rows("SELECT id, pseudonym, restricted_at FROM subjects WHERE id = ANY($1::bigint[])", [.ints(Array(byID.keys))]) {
            let id = try row.int(0)
            guard let p = byID[id], try row.bytes(1) == p.bytes else { continue }
            states[id] = SubjectState(row: id, consent: ConsentState(), restrictedAt: try row.optionalInt(2))
        }
        if !states.isEmpty {
            for row in try rows(
                """
                SELECT subject_id, purpose, decision, source, recorded_at FROM consent_ledger WHERE subject_id = ANY($1::bigint[]) ORDER BY subject_id, id
                """, [.ints(Array(states.keys))])
            {
                let id = try row.int(0)
                guard let purpose = Purpose(rawValue: try row.text(1)), let decision = ConsentDecision(rawValue: try row.text(2)),
                    let source = ConsentSource(rawValue: try row.text(3))
                else {
                    throw StoreError.corrupt(what: "a consent record of subject \(id)")
                }
                states[id]?.consent[purpose] = ConsentState.Entry(decision: decision, source: source, recordedAt: try row.int(4))
            }
        }
        var result: [Pseudonym: SubjectState] = [:]
        for (id, state) in states { result[byID[id]!] = state }
        return result
    }

    func pseudonyms(of subjects: [SubjectRow]) throws -> [SubjectRow: Pseudonym] {
        guard !subjects.isEmpty else { return [:] }
        var result: [SubjectRow: Pseudonym] = [:]
        for row in try rows("SELECT id, pseudonym FROM subjects WHERE id = ANY($1::bigint[])", [.ints(subjects)]) {
            let bytes = try row.bytes(1)
            guard bytes.count == Pseudonym.byteCount else { throw StoreError.corrupt(what: "a subject's pseudonym") }
            result[try row.int(0)] = Pseudonym(bytes: bytes)
        }
        return result
    }

    /// One statement, one partition: the person's row, consent records and events as tagged rows.
    func servingProfile(of pseudonym: Pseudonym) throws -> ServingProfile? {
        let id = PostgresSubjectID.of(pseudonym)
        let found = try rows(
            """
            SELECT 0, restricted_at, NULL::text, NULL::text, NULL::text, NULL::float8 FROM subjects WHERE id = $1 AND pseudonym = $2
            UNION ALL
            SELECT 1, recorded_at, purpose, decision, source, id::float8 FROM consent_ledger WHERE subject_id = $1
            UNION ALL
            SELECT 2, item_id, kind, NULL, NULL, value FROM interactions WHERE subject_id = $1
            """, [.int(id), .bytes(pseudonym.bytes)])
        guard let head = found.first(where: { (try? $0.int(0)) == 0 }) else { return nil }
        var consent: [(order: Double, purpose: Purpose, entry: ConsentState.Entry)] = []
        var history: [(item: ItemRow, kind: InteractionKind, value: Double)] = []
        for row in found {
            switch try row.int(0) {
            case 1:
                guard let purpose = Purpose(rawValue: try row.text(2)), let decision = ConsentDecision(rawValue: try row.text(3)),
                    let source = ConsentSource(rawValue: try row.text(4))
                else {
                    throw StoreError.corrupt(what: "a consent record of subject \(id)")
                }
                consent.append((try row.double(5), purpose, ConsentState.Entry(decision: decision, source: source, recordedAt: try row.int(1))))
            case 2:
                guard let kind = InteractionKind(rawValue: try row.text(2)) else { throw StoreError.corrupt(what: "an interaction's kind") }
                history.append((try row.int(1), kind, try row.double(5)))
            default: break
            }
        }
        var state = ConsentState()
        for c in consent.sorted(by: { $0.order < $1.order }) { state[c.purpose] = c.entry }
        return ServingProfile(row: id, consent: state, restrictedAt: try head.optionalInt(1), history: history)
    }

    /// Streams in pages of 10,000 by id, so that memory stays flat however many events there are.
    func forEachInteraction(_ body: (StoredInteraction) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let page = try rows("SELECT \(Self.interactionColumns) FROM interactions WHERE id > $1 ORDER BY id LIMIT 10000", [.int(after)])
            for row in page {
                let interaction = try Self.interaction(from: row)
                try body(interaction)
                after = interaction.id
            }
            if page.count < 10_000 { return }
        }
    }

    func restriction(of subject: SubjectRow) throws -> Int64? {
        try int("SELECT restricted_at FROM subjects WHERE id = $1", [.int(subject)])
    }

    func restrictedSubjects() throws -> Set<SubjectRow> {
        Set(try rows("SELECT id FROM subjects WHERE restricted_at IS NOT NULL").map { try $0.int(0) })
    }

    func interactionCount() throws -> Int {
        Int(try int("SELECT COUNT(*) FROM interactions") ?? 0)
    }

    func statistics() throws -> StoreStatistics {
        var s = StoreStatistics()
        s.subjects = Int(try int("SELECT COUNT(*) FROM subjects") ?? 0)
        s.items = Int(try int("SELECT COUNT(*) FROM items") ?? 0)
        s.interactions = try interactionCount()
        s.consentRecords = Int(try int("SELECT COUNT(*) FROM consent_ledger") ?? 0)
        s.auditEntries = Int(try int("SELECT COUNT(*) FROM audit_log") ?? 0)
        if let row = try rows("SELECT MIN(occurred_at), MAX(occurred_at) FROM interactions").first {
            s.firstInteraction = try row.optionalInt(0)
            s.lastInteraction = try row.optionalInt(1)
        }
        for row in try rows(
            """
            SELECT purpose, decision, COUNT(*) FROM (
                SELECT DISTINCT ON (subject_id, purpose) purpose, decision FROM consent_ledger ORDER BY subject_id, purpose, id DESC
            ) latest GROUP BY purpose, decision
            """)
        {
            guard let p = Purpose(rawValue: try row.text(0)) else { continue }
            let n = Int(try row.int(2))
            if try row.text(1) == ConsentDecision.grant.rawValue { s.granted[p] = n } else { s.denied[p] = n }
        }
        for row in try rows("SELECT purpose, count FROM refusals") {
            if let p = Purpose(rawValue: try row.text(0)) { s.refusals[p] = Int(try row.int(1)) }
        }
        return s
    }

    /// Queued like the ledgers (people are added in bursts by imports); the row number needs no round
    /// trip, since it comes from the pseudonym. Writers are serialized, so a person missing when looked
    /// up in this transaction is still missing when the queue is sent: a clash there is two pseudonyms
    /// sharing 63 bits, refused.
    func insertSubject(_ pseudonym: Pseudonym, createdAt: Int64) throws -> SubjectRow {
        let id = PostgresSubjectID.of(pseudonym)
        let handle = (0..<16).map { _ in UInt8.random(in: 0...255) }
        try queue("subjects", columns: "id, pseudonym, created_at, audit_handle", [.int(id), .bytes(pseudonym.bytes), .int(createdAt), .bytes(handle)])
        newSubjects[pseudonym] = handle
        return id
    }

    func insertInteraction(
        subject: SubjectRow, item: ItemRow, kind: InteractionKind, value: Double, timestamp: Int64, context: String?,
        sealedContext: [UInt8]?, purpose: Purpose
    ) throws {
        pending.append(
            PendingInteraction(
                subject: subject, item: item, kind: kind.rawValue, value: value, timestamp: timestamp, context: context,
                sealedContext: sealedContext, purpose: purpose == .personalization ? nil : purpose.rawValue))
        if pending.count >= Self.batchRows { try flush() }
    }

    /// Nothing to prepare: PostgreSQL keeps its indexes while other servers read, and the batched
    /// inserts already amortize the round trips.
    func beginBulkLoad() throws {}

    func endBulkLoad() throws { try flush() }

    func eraseSubject(_ subject: SubjectRow) throws -> ErasureCounts {
        newSubjects = newSubjects.filter { PostgresSubjectID.of($0.key) != subject }
        var counts = ErasureCounts()
        counts.interactions = try execute("DELETE FROM interactions WHERE subject_id = $1", [.int(subject)])
        counts.consentRecords = try execute("DELETE FROM consent_ledger WHERE subject_id = $1", [.int(subject)])
        try execute("DELETE FROM ad_events WHERE subject_id = $1", [.int(subject)])
        // The accesses the Guard shares between servers name people by pseudonym (in hex): theirs go too.
        try execute("DELETE FROM guard_events WHERE person = (SELECT encode(pseudonym, 'hex') FROM subjects WHERE id = $1)", [.int(subject)])
        try execute("DELETE FROM subjects WHERE id = $1", [.int(subject)])
        return counts
    }

    func deleteInteractions(ids: [Int64], of subject: SubjectRow) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try execute("DELETE FROM interactions WHERE subject_id = $1 AND id = ANY($2)", [.int(subject), .ints(ids)])
    }

    func correctInteraction(id: Int64, of subject: SubjectRow, kind: InteractionKind, value: Double) throws -> Bool {
        try execute(
            "UPDATE interactions SET kind = $1, value = $2 WHERE subject_id = $3 AND id = $4",
            [.text(kind.rawValue), .double(value), .int(subject), .int(id)]) > 0
    }

    func setRestriction(of subject: SubjectRow, at: Int64?) throws {
        try execute("UPDATE subjects SET restricted_at = $1 WHERE id = $2", [.int(at), .int(subject)])
    }
}
