import Crypto
import Foundation
import PostgresNIO
import TactCore

/// Reads and writes on one PostgreSQL connection, inside the transaction `PostgresStore` opened.
///
/// Events are inserted in batches: `insertInteraction` queues them, and any statement that names the
/// interactions table (or the end of the transaction) sends the queue first as one multi-row insert.
/// A large import costs a round trip per few thousand events, not per event, and every statement that
/// reads or changes events sees those inserted before it. (No other table refers to interactions.)
/// Consent records, audit entries and new people are queued the same way, per table.
final class PostgresSession: StoreWriter {
    private let db: PostgresStatements
    private struct PendingInteraction {
        var subject: Int64, item: Int64, kind: String, value: Double, timestamp: Int64, context: String?, sealedContext: [UInt8]?
        /// nil for personalization.
        var purpose: String?
    }
    private var pending: [PendingInteraction] = []
    /// The newest audit entry's id and hash, once read in this transaction: appends chain from it.
    private var auditTail: (id: Int64, hash: [UInt8])?

    /// Events per insert (with free text, 8 parameters each: under PostgreSQL's 65,535 per statement).
    static let batchRows = 4_000

    init(_ connection: PostgresConnection) { db = PostgresStatements(connection) }

    /// Appended rows of other tables (the consent ledger, the audit log, new people), queued like events:
    /// by table, sent before any statement that names the table, and at the end.
    private var queued: [(table: String, columns: String, rows: [[PostgresValue]])] = []
    /// People added in this transaction, with their audit handles.
    private var newSubjects: [Pseudonym: [UInt8]] = [:]

    private func queue(_ table: String, columns: String, _ row: [PostgresValue]) throws {
        if let i = queued.firstIndex(where: { $0.table == table }) {
            queued[i].rows.append(row)
            if queued[i].rows.count >= Self.batchRows { try flush(table) }
        } else {
            queued.append((table, columns, [row]))
        }
    }

    /// Sends what is queued for the tables a statement names.
    private func flush(for sql: String) throws {
        if !pending.isEmpty && sql.contains("interactions") { try flush() }
        for entry in queued where sql.contains(entry.table) { try flush(entry.table) }
    }

    private func flush(_ table: String) throws {
        guard let i = queued.firstIndex(where: { $0.table == table }) else { return }
        let entry = queued.remove(at: i)
        let width = entry.rows[0].count
        var sql = "INSERT INTO \(entry.table) (\(entry.columns)) VALUES "
        var binds: [PostgresValue] = []
        binds.reserveCapacity(entry.rows.count * width)
        for (n, row) in entry.rows.enumerated() {
            sql += (n > 0 ? ",(" : "(") + (1...width).map { "$\(n * width + $0)" }.joined(separator: ",") + ")"
            binds.append(contentsOf: row)
        }
        // A person already stored is two pseudonyms sharing 63 bits (see `insertSubject`): refused, saying so.
        let clash = StoreError.failed(
            what: "add a person", reason: "another pseudonym has the same 63-bit row number; this deployment needs another pseudonym secret")
        try db.execute(sql, binds, duplicate: entry.table == "subjects" ? clash : nil)
    }

    /// Sends everything queued (before the transaction commits).
    func flushAll() throws {
        try flush()
        while let table = queued.first?.table { try flush(table) }
    }

    @discardableResult
    private func rows(_ sql: String, _ values: [PostgresValue] = []) throws -> [PostgresRandomAccessRow] {
        try flush(for: sql)
        return try db.rows(sql, values)
    }

    @discardableResult
    private func execute(_ sql: String, _ values: [PostgresValue] = []) throws -> Int {
        try flush(for: sql)
        return try db.execute(sql, values)
    }

    private func int(_ sql: String, _ values: [PostgresValue] = []) throws -> Int64? {
        try rows(sql, values).first.flatMap { try $0.optionalInt(0) }
    }

    /// Sends the queued events, in the order they were queued (ids follow it): runs of events without
    /// free text as columns of arrays (one short statement, cheap to parse however many rows), runs
    /// with free text as a multi-row VALUES list.
    func flush() throws {
        guard !pending.isEmpty else { return }
        let rows = pending
        pending.removeAll(keepingCapacity: true)
        var start = 0
        while start < rows.count {
            let plain = rows[start].context == nil && rows[start].sealedContext == nil && rows[start].purpose == nil
            var end = start + 1
            while end < rows.count, (rows[end].context == nil && rows[end].sealedContext == nil && rows[end].purpose == nil) == plain { end += 1 }
            if plain { try insertPlain(rows[start..<end]) } else { try insertWithText(rows[start..<end]) }
            start = end
        }
    }

    private func insertPlain(_ rows: ArraySlice<PendingInteraction>) throws {
        try db.execute(
            """
            INSERT INTO interactions (subject_id, item_id, kind, value, occurred_at)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::float8[], $5::bigint[])
            """, [.ints(rows.map(\.subject)), .ints(rows.map(\.item)), .texts(rows.map(\.kind)), .doubles(rows.map(\.value)), .ints(rows.map(\.timestamp))])
    }

    private func insertWithText(_ rows: ArraySlice<PendingInteraction>) throws {
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

    // MARK: Reading

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

    func consentState(of subject: SubjectRow) throws -> ConsentState {
        var state = ConsentState()
        for row in try rows("SELECT purpose, decision, source, recorded_at FROM consent_ledger WHERE subject_id = $1 ORDER BY id", [.int(subject)]) {
            guard let purpose = Purpose(rawValue: try row.text(0)), let decision = ConsentDecision(rawValue: try row.text(1)),
                let source = ConsentSource(rawValue: try row.text(2))
            else {
                throw StoreError.corrupt(what: "a consent record of subject \(subject)")
            }
            state[purpose] = ConsentState.Entry(decision: decision, source: source, recordedAt: try row.int(3))
        }
        return state
    }

    func consentHistory(of subject: SubjectRow) throws -> [ConsentRecord] {
        guard let p = try pseudonym(of: subject) else { return [] }
        return try rows(
            """
            SELECT purpose, decision, source, recorded_at, policy_version, note FROM consent_ledger WHERE subject_id = $1 ORDER BY id
            """, [.int(subject)]
        ).map { row in
            let purposeName = try row.text(0), decisionName = try row.text(1), sourceName = try row.text(2)
            guard let purpose = Purpose(rawValue: purposeName), let decision = ConsentDecision(rawValue: decisionName),
                let source = ConsentSource(rawValue: sourceName)
            else {
                throw StoreError.corrupt(what: "consent record \(purposeName)/\(decisionName)/\(sourceName)")
            }
            return ConsentRecord(
                subject: p, purpose: purpose, decision: decision, source: source,
                recordedAt: try row.int(3), policyVersion: try row.text(4), note: try row.optionalText(5))
        }
    }

    func latestDecisions(for purpose: Purpose) throws -> [SubjectRow: ConsentDecision] {
        var result: [SubjectRow: ConsentDecision] = [:]
        for row in try rows(
            """
            SELECT DISTINCT ON (subject_id) subject_id, decision FROM consent_ledger WHERE purpose = $1 ORDER BY subject_id, id DESC
            """, [.text(purpose.rawValue)])
        {
            let name = try row.text(1)
            guard let d = ConsentDecision(rawValue: name) else { throw StoreError.corrupt(what: "consent decision \(name)") }
            result[try row.int(0)] = d
        }
        return result
    }

    func itemRow(for id: String) throws -> ItemRow? {
        try int("SELECT id FROM items WHERE external_id = $1", [.text(id)])
    }

    func itemID(of row: ItemRow) throws -> String? {
        try rows("SELECT external_id FROM items WHERE id = $1", [.int(row)]).first.map { try $0.text(0) }
    }

    func item(for id: String) throws -> Item? {
        try rows("SELECT external_id, title, tags, created_at FROM items WHERE external_id = $1", [.text(id)]).first.map { try Self.item(from: $0, offset: 0) }
    }

    func items() throws -> [(row: ItemRow, item: Item)] {
        try rows("SELECT id, external_id, title, tags, created_at FROM items ORDER BY id").map { (try $0.int(0), try Self.item(from: $0, offset: 1)) }
    }

    func catalogVersion() throws -> Int64 {
        try int("SELECT version FROM catalog_version WHERE id = 1") ?? 0
    }

    func registeredItems() throws -> [(row: ItemRow, item: Item)] {
        try rows("SELECT id, external_id, title, tags, created_at FROM items WHERE registered ORDER BY id").map {
            (try $0.int(0), try Self.item(from: $0, offset: 1))
        }
    }

    private static func item(from row: PostgresRandomAccessRow, offset: Int) throws -> Item {
        guard let tags = try? JSONDecoder().decode([String].self, from: Data(try row.text(offset + 2).utf8)) else {
            throw StoreError.corrupt(what: "item tags")
        }
        return Item(id: try row.text(offset), title: try row.text(offset + 1), tags: tags, createdAt: try row.optionalInt(offset + 3))
    }

    private static let interactionColumns = "subject_id, item_id, kind, value, occurred_at, context, id, sealed_context, purpose"

    private static func interaction(from row: PostgresRandomAccessRow) throws -> StoredInteraction {
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

    func itemHistory(of item: ItemRow) throws -> [(subject: SubjectRow, kind: InteractionKind, value: Double)] {
        try rowKindValues("SELECT subject_id, kind, value FROM interactions WHERE item_id = $1", key: item).map {
            (subject: $0.row, kind: $0.kind, value: $0.value)
        }
    }

    private func rowKindValues(_ sql: String, key: Int64) throws -> [(row: Int64, kind: InteractionKind, value: Double)] {
        try rows(sql, [.int(key)]).map { row in
            guard let kind = InteractionKind(rawValue: try row.text(1)) else { throw StoreError.corrupt(what: "an interaction's kind") }
            return (try row.int(0), kind, try row.double(2))
        }
    }

    func itemRows(for ids: [String]) throws -> [String: ItemRow] {
        guard !ids.isEmpty else { return [:] }
        var result: [String: ItemRow] = [:]
        for row in try rows("SELECT external_id, id FROM items WHERE external_id = ANY($1::text[])", [.texts(ids)]) { result[try row.text(0)] = try row.int(1) }
        return result
    }

    func itemHistories(of items: [ItemRow]) throws -> [ItemRow: [(subject: SubjectRow, kind: InteractionKind, value: Double)]] {
        guard !items.isEmpty else { return [:] }
        var result: [ItemRow: [(subject: SubjectRow, kind: InteractionKind, value: Double)]] = [:]
        for row in try rows("SELECT item_id, subject_id, kind, value FROM interactions WHERE item_id = ANY($1::bigint[])", [.ints(items)]) {
            guard let kind = InteractionKind(rawValue: try row.text(2)) else { throw StoreError.corrupt(what: "an interaction's kind") }
            result[try row.int(0), default: []].append((try row.int(1), kind, try row.double(3)))
        }
        return result
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

    func auditHandle(of subject: SubjectRow) throws -> [UInt8]? {
        try rows("SELECT audit_handle FROM subjects WHERE id = $1", [.int(subject)]).first.map { try $0.bytes(0) }
    }

    func auditEntries(of subject: SubjectRow) throws -> [AuditEntry] {
        guard let handle = try auditHandle(of: subject) else { return [] }
        return try rows("SELECT at, actor, action, subject, purpose, detail FROM audit_log WHERE subject = $1 ORDER BY id", [.bytes(handle)])
            .map(Self.auditEntry(from:))
    }

    func subjectRequests(reference: [UInt8]?) throws -> [SubjectRequest] {
        let columns = "id, kind, reference, actor, received_at, verified_at, completed_at, due_at, status, detail"
        let found =
            try reference.map { try rows("SELECT \(columns) FROM subject_requests WHERE reference = $1 ORDER BY id", [.bytes($0)]) }
            ?? rows("SELECT \(columns) FROM subject_requests ORDER BY id")
        return try found.map { row in
            let id = try row.int(0)
            guard let kind = SubjectRequest.Kind(rawValue: try row.text(1)), let status = SubjectRequest.Status(rawValue: try row.text(8)) else {
                throw StoreError.corrupt(what: "subject request \(id)")
            }
            return SubjectRequest(
                id: id, kind: kind, reference: try row.bytes(2), actor: try row.text(3), receivedAt: try row.int(4),
                verifiedAt: try row.optionalInt(5), completedAt: try row.optionalInt(6), dueAt: try row.int(7),
                status: status, detail: try row.text(9))
        }
    }

    func privacyReleases(dataset: String?) throws -> [PrivacyRelease] {
        let sql = "SELECT dataset, release, mechanism, epsilon, delta, recorded_at FROM privacy_ledger"
        let found = try dataset.map { try rows(sql + " WHERE dataset = $1 ORDER BY id", [.text($0)]) } ?? rows(sql + " ORDER BY id")
        return try found.map {
            PrivacyRelease(
                dataset: try $0.text(0), release: try $0.text(1), mechanism: try $0.text(2), epsilon: try $0.double(3),
                delta: try $0.double(4), recordedAt: try $0.int(5))
        }
    }

    func latestModelChangingRequest() throws -> Int64 {
        let kinds = SubjectRequest.Kind.allCases.filter(\.changesModels).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try int("SELECT MAX(id) FROM subject_requests WHERE status = 'completed' AND kind IN (\(kinds))") ?? 0
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

    func recentAuditEntries(limit: Int) throws -> [AuditEntry] {
        try rows("SELECT at, actor, action, subject, purpose, detail FROM audit_log ORDER BY id DESC LIMIT $1", [.int(Int64(limit))])
            .map(Self.auditEntry(from:))
    }

    private static func auditEntry(from row: PostgresRandomAccessRow) throws -> AuditEntry {
        AuditEntry(
            at: try row.int(0), actor: try row.text(1), action: try row.text(2),
            purpose: try row.optionalText(4).flatMap(Purpose.init(rawValue:)), detail: try row.text(5),
            subjectHandle: try row.optionalBytes(3))
    }

    private static let auditColumns = "id, at, actor, action, subject, purpose, detail, hash"

    private static func auditRow(from row: PostgresRandomAccessRow) throws -> AuditRow {
        AuditRow(
            id: try row.int(0), at: try row.int(1), actor: try row.text(2), action: try row.text(3), subject: try row.optionalBytes(4),
            purpose: try row.optionalText(5), detail: try row.text(6), hash: try row.optionalBytes(7))
    }

    func lastAuditRow() throws -> AuditRow? {
        try rows("SELECT \(Self.auditColumns) FROM audit_log ORDER BY id DESC LIMIT 1").first.map(Self.auditRow(from:))
    }

    func forEachAuditRow(after afterID: Int64, _ body: (AuditRow) throws -> Bool) throws {
        var after = afterID
        while true {
            let page = try rows("SELECT \(Self.auditColumns) FROM audit_log WHERE id > $1 ORDER BY id LIMIT 10000", [.int(after)])
            for row in page {
                let audit = try Self.auditRow(from: row)
                guard try body(audit) else { return }
                after = audit.id
            }
            if page.count < 10_000 { return }
        }
    }

    func recentAuditRows(limit: Int) throws -> [AuditRow] {
        try rows("SELECT \(Self.auditColumns) FROM audit_log ORDER BY id DESC LIMIT $1", [.int(Int64(limit))]).map(Self.auditRow(from:))
    }

    func auditEntryCount(after afterID: Int64) throws -> Int64 {
        try int("SELECT COUNT(*) FROM audit_log WHERE id > $1", [.int(afterID)]) ?? 0
    }

    private static let checkpointColumns = "id, at, entry_id, entry_hash, entry_count, public_key, signature"

    private static func checkpoint(from row: PostgresRandomAccessRow) throws -> AuditCheckpoint {
        AuditCheckpoint(
            number: try row.int(0), at: try row.int(1), entryID: try row.int(2), entryHash: try row.bytes(3), entryCount: try row.int(4),
            publicKey: try row.bytes(5), signature: try row.bytes(6))
    }

    func auditCheckpoints() throws -> [AuditCheckpoint] {
        try rows("SELECT \(Self.checkpointColumns) FROM audit_checkpoints ORDER BY id").map(Self.checkpoint(from:))
    }

    func lastAuditCheckpoint() throws -> AuditCheckpoint? {
        try rows("SELECT \(Self.checkpointColumns) FROM audit_checkpoints ORDER BY id DESC LIMIT 1").first.map(Self.checkpoint(from:))
    }

    private static let apiKeyColumns = "id, name, scopes, created_at, revoked_at, suspended_at, suspension_reason"

    func apiKeys() throws -> [APIKeyRecord] {
        try rows("SELECT \(Self.apiKeyColumns) FROM api_keys ORDER BY created_at, id").map(Self.apiKey(from:))
    }

    func apiKey(secretHash: [UInt8]) throws -> APIKeyRecord? {
        try rows("SELECT \(Self.apiKeyColumns) FROM api_keys WHERE secret_hash = $1", [.bytes(secretHash)]).first.map(Self.apiKey(from:))
    }

    private static func apiKey(from row: PostgresRandomAccessRow) throws -> APIKeyRecord {
        let id = try row.text(0)
        guard let scopes = try? JSONDecoder().decode([String].self, from: Data(try row.text(2).utf8)) else {
            throw StoreError.corrupt(what: "scopes of API key \(id)")
        }
        return APIKeyRecord(
            id: id, name: try row.text(1), scopes: scopes, createdAt: try row.int(3), revokedAt: try row.optionalInt(4),
            suspendedAt: try row.optionalInt(5), suspensionReason: try row.optionalText(6))
    }

    func guardAlerts(limit: Int) throws -> [GuardAlertRecord] {
        try rows(
            "SELECT id, at, principal, severity, kind, explanation, persons, action FROM guard_alerts ORDER BY id DESC LIMIT $1",
            [.int(Int64(limit))]
        ).map { row in
            GuardAlertRecord(
                id: try row.int(0), at: try row.int(1), principal: try row.text(2), severity: try row.text(3), kind: try row.text(4),
                explanation: try row.text(5), persons: Int(try row.int(6)), action: try row.text(7))
        }
    }

    func guardEvents(after afterID: Int64, limit: Int) throws -> [GuardEventRecord] {
        try rows(
            "SELECT id, at, principal, person, route, kind, status FROM guard_events WHERE id > $1 ORDER BY id LIMIT $2",
            [.int(afterID), .int(Int64(limit))]
        ).map { row in
            GuardEventRecord(
                id: try row.int(0), at: try row.int(1), principal: try row.text(2), person: try row.optionalText(3), route: try row.text(4),
                kind: try row.text(5), status: Int(try row.int(6)))
        }
    }

    func guardStates() throws -> [String: [UInt8]] {
        var states: [String: [UInt8]] = [:]
        for row in try rows("SELECT principal, state FROM guard_states") { states[try row.text(0)] = try row.bytes(1) }
        return states
    }

    func rateUsage(since: Int64, excluding server: String) throws -> [String: Int] {
        var usage: [String: Int] = [:]
        for row in try rows(
            "SELECT key_id, SUM(requests)::BIGINT FROM rate_usage WHERE second >= $1 AND server <> $2 GROUP BY key_id",
            [.int(since), .text(server)])
        {
            usage[try row.text(0)] = Int(try row.int(1))
        }
        return usage
    }

    func policyVersions() throws -> [PolicyVersionRecord] {
        try rows("SELECT version, policy, first_seen_at FROM policy_versions ORDER BY id").map {
            PolicyVersionRecord(version: try $0.text(0), json: try $0.text(1), firstSeenAt: try $0.int(2))
        }
    }

    func retentionRuns(limit: Int) throws -> [RetentionRun] {
        try rows("SELECT id, ran_at, actor, policy_version, categories FROM retention_runs ORDER BY id DESC LIMIT $1", [.int(Int64(limit))]).map { row in
            let id = try row.int(0)
            guard let categories = try? JSONDecoder().decode([RetentionRun.Category].self, from: Data(try row.text(4).utf8)) else {
                throw StoreError.corrupt(what: "the categories of retention run \(id)")
            }
            return RetentionRun(id: id, ranAt: try row.int(1), actor: try row.text(2), policyVersion: try row.text(3), categories: categories)
        }
    }

    func latestModelArtifact(algorithm: String) throws -> ModelArtifactInfo? {
        try rows("SELECT version, created_at, sha256 FROM model_artifacts WHERE algorithm = $1 ORDER BY version DESC LIMIT 1", [.text(algorithm)])
            .first.map { ModelArtifactInfo(algorithm: algorithm, version: try $0.int(0), createdAt: try $0.int(1), sha256: try $0.bytes(2)) }
    }

    func modelArtifactBytes(algorithm: String, version: Int64) throws -> [UInt8]? {
        guard let row = try rows("SELECT sha256, bytes FROM model_artifacts WHERE algorithm = $1 AND version = $2", [.text(algorithm), .int(version)]).first
        else {
            return nil
        }
        let bytes = try row.bytes(1)
        guard Array(SHA256.hash(data: bytes)) == (try row.bytes(0)) else {
            throw StoreError.corrupt(what: "model \(algorithm) version \(version) (its bytes do not match their SHA-256)")
        }
        return bytes
    }

    func adCampaigns() throws -> [AdCampaignRecord] {
        try rows("SELECT id, advertiser, status, created_at, definition FROM ad_campaigns ORDER BY created_at, id").map {
            AdCampaignRecord(id: try $0.text(0), advertiser: try $0.text(1), status: try $0.text(2), createdAt: try $0.int(3), definition: try $0.text(4))
        }
    }

    func adTotals(since: Int64) throws -> [String: AdTotals] {
        var out: [String: AdTotals] = [:]
        for row in try rows(
            """
            SELECT campaign, COUNT(*) FILTER (WHERE kind = 'impression'), COUNT(*) FILTER (WHERE kind = 'click'),
                   COUNT(*) FILTER (WHERE kind = 'conversion'),
                   COALESCE(SUM(cost) FILTER (WHERE kind = 'impression' AND at >= $1), 0)::DOUBLE PRECISION
            FROM ad_events GROUP BY campaign
            """, [.int(since)])
        {
            var t = AdTotals()
            t.impressions = Int(try row.int(1)); t.clicks = Int(try row.int(2)); t.conversions = Int(try row.int(3)); t.spentSince = try row.double(4)
            out[try row.text(0)] = t
        }
        return out
    }

    func adImpressions(of subject: SubjectRow, since: Int64) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try rows(
            "SELECT campaign, COUNT(*) FROM ad_events WHERE subject_id = $1 AND at >= $2 AND kind = 'impression' GROUP BY campaign",
            [.int(subject), .int(since)])
        {
            out[try row.text(0)] = Int(try row.int(1))
        }
        return out
    }

    func adContributions(campaign: String, kind: AdEvent.Kind) throws -> [Int] {
        try rows(
            """
            SELECT COUNT(*) FROM ad_events WHERE campaign = $1 AND kind = $2
            GROUP BY COALESCE(subject_id::TEXT, encode(token, 'hex'))
            """, [.text(campaign), .text(kind.rawValue)]
        ).map { Int(try $0.int(0)) }
    }

    func adEvents(of subject: SubjectRow) throws -> [AdEvent] {
        try rows("SELECT \(Self.adEventColumns) FROM ad_events WHERE subject_id = $1 ORDER BY at, id", [.int(subject)]).map(Self.adEvent)
    }

    static let adEventColumns = "id, campaign, subject_id, kind, at, cost, token"

    static func adEvent(_ row: PostgresRandomAccessRow) throws -> AdEvent {
        AdEvent(
            id: try row.int(0), campaign: try row.text(1), subject: try row[2].decode(Int64?.self),
            kind: AdEvent.Kind(rawValue: try row.text(3)) ?? .impression,
            at: try row.int(4), cost: try row.double(5), token: try row.bytes(6))
    }

    func adEventExists(token: [UInt8], kind: AdEvent.Kind) throws -> Bool {
        try !rows("SELECT 1 FROM ad_events WHERE token = $1 AND kind = $2 LIMIT 1", [.bytes(token), .text(kind.rawValue)]).isEmpty
    }

    func adImpression(token: [UInt8]) throws -> AdEvent? {
        try rows("SELECT \(Self.adEventColumns) FROM ad_events WHERE token = $1 AND kind = 'impression'", [.bytes(token)]).first.map(Self.adEvent)
    }

    func modelEvaluations(limit: Int) throws -> [ModelEvaluation] {
        try rows(
            "SELECT algorithm, artifact_version, recorded_at, k, ndcg, recall, baseline_ndcg, baseline_recall, people, pairs, training_seconds FROM model_evaluations ORDER BY id DESC LIMIT $1",
            [.int(Int64(limit))]
        ).reversed().map {
            ModelEvaluation(
                algorithm: try $0.text(0), artifactVersion: try $0.int(1), recordedAt: try $0.int(2), k: Int(try $0.int(3)),
                ndcg: try $0.double(4), recall: try $0.double(5), baselineNDCG: try $0.double(6), baselineRecall: try $0.double(7),
                people: Int(try $0.int(8)), pairs: Int(try $0.int(9)), trainingSeconds: try $0.double(10))
        }
    }

    func setting(_ name: String) throws -> String? {
        try rows("SELECT value FROM settings WHERE name = $1", [.text(name)]).first.map { try $0.text(0) }
    }

    // MARK: Writing

    func upsertAdCampaign(_ r: AdCampaignRecord) throws {
        try execute(
            """
            INSERT INTO ad_campaigns (id, advertiser, status, created_at, definition) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (id) DO UPDATE SET advertiser = excluded.advertiser, status = excluded.status, definition = excluded.definition
            """, [.text(r.id), .text(r.advertiser), .text(r.status), .int(r.createdAt), .text(r.definition)])
    }

    func appendAdEvent(_ e: AdEvent) throws {
        try execute(
            "INSERT INTO ad_events (campaign, subject_id, kind, at, cost, token) VALUES ($1, $2, $3, $4, $5, $6)",
            [.text(e.campaign), .int(e.subject), .text(e.kind.rawValue), .int(e.at), .double(e.cost), .bytes(e.token)])
    }

    func appendModelEvaluation(_ e: ModelEvaluation) throws {
        try execute(
            "INSERT INTO model_evaluations (algorithm, artifact_version, recorded_at, k, ndcg, recall, baseline_ndcg, baseline_recall, people, pairs, training_seconds) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            [
                .text(e.algorithm), .int(e.artifactVersion), .int(e.recordedAt), .int(Int64(e.k)), .double(e.ndcg), .double(e.recall),
                .double(e.baselineNDCG), .double(e.baselineRecall), .int(Int64(e.people)), .int(Int64(e.pairs)), .double(e.trainingSeconds)
            ])
    }

    func recordSettingIfAbsent(_ name: String, value: String) throws -> String {
        try execute("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [.text(name), .text(value)])
        guard let stored = try setting(name) else { throw StoreError.corrupt(what: "setting \(name) vanished after insert") }
        return stored
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

    func upsertItem(_ item: Item) throws -> ItemRow {
        let tags = String(decoding: try JSONEncoder().encode(item.tags), as: UTF8.self)
        guard
            let row = try rows(
                """
                INSERT INTO items (external_id, title, tags, created_at, registered) VALUES ($1, $2, $3, $4, TRUE)
                ON CONFLICT (external_id) DO UPDATE SET title = excluded.title, tags = excluded.tags, created_at = excluded.created_at, registered = TRUE
                RETURNING id
                """, [.text(item.id), .text(item.title), .text(tags), .int(item.createdAt)]
            ).first
        else {
            throw StoreError.corrupt(what: "item \(item.id) vanished after insert")
        }
        return try row.int(0)
    }

    func ensureItem(id: String) throws -> ItemRow {
        if let row = try itemRow(for: id) { return row }
        if let row = try rows("INSERT INTO items (external_id) VALUES ($1) ON CONFLICT (external_id) DO NOTHING RETURNING id", [.text(id)]).first {
            return try row.int(0)
        }
        // Another server added it between the two statements.
        guard let row = try itemRow(for: id) else { throw StoreError.corrupt(what: "item \(id) vanished after insert") }
        return row
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

    func appendConsent(_ record: ConsentRecord, subject: SubjectRow) throws {
        try queue(
            "consent_ledger", columns: "subject_id, purpose, decision, source, recorded_at, policy_version, note",
            [
                .int(subject), .text(record.purpose.rawValue), .text(record.decision.rawValue), .text(record.source.rawValue),
                .int(record.recordedAt), .text(record.policyVersion), .text(record.note)
            ])
    }

    func addRefusals(_ counts: [Purpose: Int]) throws {
        for (purpose, n) in counts where n > 0 {
            try execute(
                """
                INSERT INTO refusals (purpose, count) VALUES ($1, $2) ON CONFLICT (purpose) DO UPDATE SET count = refusals.count + excluded.count
                """, [.text(purpose.rawValue), .int(Int64(n))])
        }
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

    func appendPrivacyRelease(_ r: PrivacyRelease) throws {
        try execute(
            "INSERT INTO privacy_ledger (dataset, release, mechanism, epsilon, delta, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
            [.text(r.dataset), .text(r.release), .text(r.mechanism), .double(r.epsilon), .double(r.delta), .int(r.recordedAt)])
    }

    func insertSubjectRequest(_ r: SubjectRequest) throws -> Int64 {
        guard
            let row = try rows(
                """
                INSERT INTO subject_requests (kind, reference, actor, received_at, verified_at, completed_at, due_at, status, detail)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
                """,
                [
                    .text(r.kind.rawValue), .bytes(r.reference), .text(r.actor), .int(r.receivedAt), .int(r.verifiedAt), .int(r.completedAt),
                    .int(r.dueAt), .text(r.status.rawValue), .text(r.detail)
                ]
            ).first
        else {
            throw StoreError.corrupt(what: "a subject request vanished after insert")
        }
        return try row.int(0)
    }

    func updateSubjectRequest(id: Int64, status: SubjectRequest.Status, verifiedAt: Int64?, completedAt: Int64?, detail: String) throws {
        try execute(
            """
            UPDATE subject_requests SET status = $1, verified_at = COALESCE($2, verified_at), completed_at = COALESCE($3, completed_at), detail = $4
            WHERE id = $5
            """, [.text(status.rawValue), .int(verifiedAt), .int(completedAt), .text(detail), .int(id)])
    }

    func insertAPIKey(_ record: APIKeyRecord, secretHash: [UInt8]) throws {
        let scopes = String(decoding: try JSONEncoder().encode(record.scopes.sorted()), as: UTF8.self)
        try execute(
            "INSERT INTO api_keys (id, name, secret_hash, scopes, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)",
            [.text(record.id), .text(record.name), .bytes(secretHash), .text(scopes), .int(record.createdAt), .int(record.revokedAt)])
    }

    func revokeAPIKey(id: String, at: Int64) throws -> Bool {
        try execute("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2", [.int(at), .text(id)]) > 0
    }

    func suspendAPIKey(id: String, at: Int64, reason: String) throws -> Bool {
        try execute(
            """
            UPDATE api_keys SET suspended_at = COALESCE(suspended_at, $1), suspension_reason = COALESCE(suspension_reason, $2) WHERE id = $3
            """, [.int(at), .text(reason), .text(id)]) > 0
    }

    func reinstateAPIKey(id: String) throws -> Bool {
        try execute("UPDATE api_keys SET suspended_at = NULL, suspension_reason = NULL WHERE id = $1 AND suspended_at IS NOT NULL", [.text(id)]) > 0
    }

    func appendGuardAlert(_ alert: GuardAlertRecord) throws -> Int64 {
        guard
            let row = try rows(
                """
                INSERT INTO guard_alerts (at, principal, severity, kind, explanation, persons, action) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
                """,
                [
                    .int(alert.at), .text(alert.principal), .text(alert.severity), .text(alert.kind), .text(alert.explanation),
                    .int(Int64(alert.persons)), .text(alert.action)
                ]
            ).first
        else {
            throw StoreError.corrupt(what: "a Guard alert vanished after insert")
        }
        return try row.int(0)
    }

    func appendGuardEvents(_ events: [GuardEventRecord]) throws {
        guard !events.isEmpty else { return }
        try execute(
            """
            INSERT INTO guard_events (at, principal, person, route, kind, status)
            SELECT a, p, NULLIF(s, ''), r, k, c FROM unnest($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::BIGINT[]) AS u(a, p, s, r, k, c)
            """,
            [
                .ints(events.map(\.at)), .texts(events.map(\.principal)), .texts(events.map { $0.person ?? "" }), .texts(events.map(\.route)),
                .texts(events.map(\.kind)), .ints(events.map { Int64($0.status) })
            ])
    }

    func deleteGuardEvents(before cutoff: Int64) throws -> Int {
        try execute("DELETE FROM guard_events WHERE at < $1", [.int(cutoff)])
    }

    func saveGuardStates(_ states: [String: [UInt8]], at: Int64) throws {
        for (principal, state) in states {
            try execute(
                """
                INSERT INTO guard_states (principal, updated_at, state) VALUES ($1, $2, $3)
                ON CONFLICT (principal) DO UPDATE SET updated_at = excluded.updated_at, state = excluded.state
                """, [.text(principal), .int(at), .bytes(state)])
        }
    }

    func acquireGuardLease(_ name: String, holder: String, now: Int64, seconds: Int64) throws -> Int64? {
        try execute(
            """
            INSERT INTO guard_leases (name, holder, expires_at, cursor) VALUES ($1, $2, $3, 0)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE guard_leases.holder = excluded.holder OR guard_leases.expires_at <= $4
            """, [.text(name), .text(holder), .int(now + seconds), .int(now)])
        guard let row = try rows("SELECT holder, cursor FROM guard_leases WHERE name = $1", [.text(name)]).first, try row.text(0) == holder else { return nil }
        return try row.int(1)
    }

    func advanceGuardLease(_ name: String, holder: String, cursor: Int64) throws -> Bool {
        try execute("UPDATE guard_leases SET cursor = $1 WHERE name = $2 AND holder = $3", [.int(cursor), .text(name), .text(holder)]) == 1
    }

    func addRateUsage(server: String, second: Int64, counts: [String: Int]) throws {
        let used = counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        guard !used.isEmpty else { return }
        try execute(
            """
            INSERT INTO rate_usage (key_id, server, second, requests)
            SELECT k, $2, $3, n FROM unnest($1::TEXT[], $4::BIGINT[]) AS u(k, n)
            ON CONFLICT (key_id, server, second) DO UPDATE SET requests = rate_usage.requests + excluded.requests
            """, [.texts(used.map(\.key)), .text(server), .int(second), .ints(used.map { Int64($0.value) })])
    }

    func deleteRateUsage(before cutoff: Int64) throws {
        try execute("DELETE FROM rate_usage WHERE second < $1", [.int(cutoff)])
    }

    func deleteItem(id: String) throws -> Int? {
        guard let row = try itemRow(for: id) else { return nil }
        let removed = try execute("DELETE FROM interactions WHERE item_id = $1", [.int(row)])
        try execute("DELETE FROM items WHERE id = $1", [.int(row)])
        return removed
    }

    func insertPolicyVersion(_ record: PolicyVersionRecord) throws {
        try execute(
            "INSERT INTO policy_versions (version, policy, first_seen_at) VALUES ($1, $2, $3)",
            [.text(record.version), .text(record.json), .int(record.firstSeenAt)])
    }

    func deleteInteractions(before cutoff: Int64) throws -> Int {
        try execute("DELETE FROM interactions WHERE occurred_at < $1", [.int(cutoff)])
    }

    /// Empties every column that holds an event's free text (see `SQLiteSession.clearContextsSQL`).
    func clearContexts(before cutoff: Int64) throws -> Int {
        try execute(
            """
            UPDATE interactions SET context = NULL, sealed_context = NULL WHERE occurred_at < $1 AND (context IS NOT NULL OR sealed_context IS NOT NULL)
            """, [.int(cutoff)])
    }

    func appendRetentionRun(_ run: RetentionRun) throws -> Int64 {
        let categories = String(decoding: try JSONEncoder().encode(run.categories), as: UTF8.self)
        guard
            let row = try rows(
                "INSERT INTO retention_runs (ran_at, actor, policy_version, categories, total) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                [.int(run.ranAt), .text(run.actor), .text(run.policyVersion), .text(categories), .int(Int64(run.total))]
            ).first
        else {
            throw StoreError.corrupt(what: "a retention run vanished after insert")
        }
        return try row.int(0)
    }

    func appendModelArtifact(algorithm: String, bytes: [UInt8], createdAt: Int64) throws -> ModelArtifactInfo {
        // Writes are serialized (see `PostgresStore.write`), so two servers saving at once get two versions.
        let version = (try int("SELECT MAX(version) FROM model_artifacts WHERE algorithm = $1", [.text(algorithm)]) ?? 0) + 1
        let digest = Array(SHA256.hash(data: bytes))
        try execute(
            "INSERT INTO model_artifacts (algorithm, version, created_at, sha256, bytes) VALUES ($1, $2, $3, $4, $5)",
            [.text(algorithm), .int(version), .int(createdAt), .bytes(digest), .bytes(bytes)])
        try execute("DELETE FROM model_artifacts WHERE algorithm = $1 AND version <= $2", [.text(algorithm), .int(version - ModelArtifactInfo.versionsKept)])
        return ModelArtifactInfo(algorithm: algorithm, version: version, createdAt: createdAt, sha256: digest)
    }

    // MARK: Audit

    /// Appends to the hash chain. Every server appends to one chain; writes are serialized (see
    /// `PostgresStore.write`), so the tail read here is the newest entry, and the explicit id makes any race fail loudly.
    func appendAudit(_ entry: AuditEntry) throws {
        var subject: [UInt8]? = entry.subjectHandle
        if subject == nil, let pseudonym = entry.subject { subject = newSubjects[pseudonym] }
        if subject == nil, let pseudonym = entry.subject {
            subject = try rows(
                "SELECT audit_handle FROM subjects WHERE id = $1 AND pseudonym = $2",
                [.int(PostgresSubjectID.of(pseudonym)), .bytes(pseudonym.bytes)]
            ).first.map { try $0.bytes(0) }
        }
        let row = try AuditChain.nextRow(entry, subject: subject, tail: auditTail, last: lastAuditRow)
        let hash = row.hash ?? []
        try queue(
            "audit_log", columns: "id, at, actor, action, subject, purpose, detail, hash",
            [.int(row.id), .int(row.at), .text(row.actor), .text(row.action), .bytes(row.subject), .text(row.purpose), .text(row.detail), .bytes(hash)])
        auditTail = (row.id, hash)
    }

    func appendAuditCheckpoint(_ checkpoint: AuditCheckpoint) throws {
        try execute(
            "INSERT INTO audit_checkpoints (\(Self.checkpointColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [
                .int(checkpoint.number), .int(checkpoint.at), .int(checkpoint.entryID), .bytes(checkpoint.entryHash), .int(checkpoint.entryCount),
                .bytes(checkpoint.publicKey), .bytes(checkpoint.signature)
            ])
    }
}
