import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// Reads and writes inside one SQLite transaction. Statements used per record are cached by the connection.
final class SQLiteSession: StoreWriter {
    private let db: Database

    /// The per-event insert, bound through SQLite's C API: GRDB's argument arrays cost more than
    /// the insert itself on large imports.
    private var insertInteractionStatement: Statement?

    /// The newest audit entry's id and hash, once read in this transaction: appends chain from it.
    private var auditTail: (id: Int64, hash: [UInt8])?

    /// The audit handles of the subjects added in this transaction: their audit entries need not look them up.
    private var newSubjectHandles: [Pseudonym: [UInt8]] = [:]

    init(_ db: Database) { self.db = db }

    // MARK: Reading

    func subjectRow(for pseudonym: Pseudonym) throws -> SubjectRow? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM subjects WHERE pseudonym = ?"), arguments: [Data(pseudonym.bytes)])
    }

    func pseudonym(of subject: SubjectRow) throws -> Pseudonym? {
        guard let data = try Data.fetchOne(db.cachedStatement(sql: "SELECT pseudonym FROM subjects WHERE id = ?"), arguments: [subject]) else { return nil }
        guard data.count == Pseudonym.byteCount else { throw StoreError.corrupt(what: "subject \(subject) pseudonym") }
        return Pseudonym(bytes: [UInt8](data))
    }

    func subjectPseudonyms() throws -> [SubjectRow: Pseudonym] {
        var result: [SubjectRow: Pseudonym] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, pseudonym FROM subjects")
        while let row = try cursor.next() {
            let data: Data = row[1]
            guard data.count == Pseudonym.byteCount else { throw StoreError.corrupt(what: "a subject's pseudonym") }
            result[row[0]] = Pseudonym(bytes: [UInt8](data))
        }
        return result
    }

    /// Read on every recommendation: stepped through SQLite's C API, without building ledger records.
    func consentState(of subject: SubjectRow) throws -> ConsentState {
        let s = try db.cachedStatement(sql: "SELECT purpose, decision, source, recorded_at FROM consent_ledger WHERE subject_id = ? ORDER BY id")
            .sqliteStatement
        defer { sqlite3_reset(s) }
        sqlite3_bind_int64(s, 1, subject)
        var state = ConsentState()
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            guard let p = sqlite3_column_text(s, 0), let d = sqlite3_column_text(s, 1), let o = sqlite3_column_text(s, 2),
                let purpose = Purpose(rawValue: String(cString: p)), let decision = ConsentDecision(rawValue: String(cString: d)),
                let source = ConsentSource(rawValue: String(cString: o))
            else {
                throw StoreError.corrupt(what: "a consent record of subject \(subject)")
            }
            state[purpose] = ConsentState.Entry(decision: decision, source: source, recordedAt: sqlite3_column_int64(s, 3))
        }
        return state
    }

    /// Stepped through SQLite's C API: a large import asks for every person new to it.
    func subjectStates(for pseudonyms: [Pseudonym]) throws -> [Pseudonym: SubjectState] {
        let s = try db.cachedStatement(sql: "SELECT id, restricted_at FROM subjects WHERE pseudonym = ?").sqliteStatement
        var result: [Pseudonym: SubjectState] = [:]
        for p in pseudonyms {
            bindBlob(s, 1, p.bytes)
            let rc = sqlite3_step(s)
            var found: (row: SubjectRow, restrictedAt: Int64?)?
            if rc == SQLITE_ROW {
                found = (sqlite3_column_int64(s, 0), sqlite3_column_type(s, 1) == SQLITE_NULL ? nil : sqlite3_column_int64(s, 1))
            }
            sqlite3_reset(s)
            guard rc == SQLITE_ROW || rc == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            if let found { result[p] = SubjectState(row: found.row, consent: try consentState(of: found.row), restrictedAt: found.restrictedAt) }
        }
        return result
    }

    func consentHistory(of subject: SubjectRow) throws -> [ConsentRecord] {
        guard let p = try pseudonym(of: subject) else { return [] }
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT purpose, decision, source, recorded_at, policy_version, note
                    FROM consent_ledger WHERE subject_id = ? ORDER BY id
                    """), arguments: [subject])
        return try rows.map { row in
            let purposeName: String = row[0], decisionName: String = row[1], sourceName: String = row[2]
            guard let purpose = Purpose(rawValue: purposeName), let decision = ConsentDecision(rawValue: decisionName),
                let source = ConsentSource(rawValue: sourceName)
            else {
                throw StoreError.corrupt(what: "consent record \(purposeName)/\(decisionName)/\(sourceName)")
            }
            return ConsentRecord(
                subject: p, purpose: purpose, decision: decision, source: source,
                recordedAt: row[3], policyVersion: row[4], note: row[5])
        }
    }

    func latestDecisions(for purpose: Purpose) throws -> [SubjectRow: ConsentDecision] {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.subject_id, c.decision FROM consent_ledger c
                JOIN (SELECT subject_id, MAX(id) AS id FROM consent_ledger WHERE purpose = ? GROUP BY subject_id) latest
                ON c.id = latest.id
                """, arguments: [purpose.rawValue])
        var result: [SubjectRow: ConsentDecision] = [:]
        while let row = try rows.next() {
            let name: String = row[1]
            guard let d = ConsentDecision(rawValue: name) else { throw StoreError.corrupt(what: "consent decision \(name)") }
            result[row[0]] = d
        }
        return result
    }

    func itemRow(for id: String) throws -> ItemRow? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM items WHERE external_id = ?"), arguments: [id])
    }

    func itemID(of row: ItemRow) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT external_id FROM items WHERE id = ?"), arguments: [row])
    }

    func item(for id: String) throws -> Item? {
        guard let row = try Row.fetchOne(db, sql: "SELECT external_id, title, tags, created_at FROM items WHERE external_id = ?", arguments: [id]) else {
            return nil
        }
        return try Self.item(from: row, offset: 0)
    }

    func items() throws -> [(row: ItemRow, item: Item)] {
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, external_id, title, tags, created_at FROM items ORDER BY id")
        var result: [(row: ItemRow, item: Item)] = []
        while let row = try cursor.next() { result.append((row[0], try Self.item(from: row, offset: 1))) }
        return result
    }

    func catalogVersion() throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT version FROM catalog_version WHERE id = 1")) ?? 0
    }

    func registeredItems() throws -> [(row: ItemRow, item: Item)] {
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, external_id, title, tags, created_at FROM items WHERE registered = 1 ORDER BY id")
        var result: [(row: ItemRow, item: Item)] = []
        while let row = try cursor.next() { result.append((row[0], try Self.item(from: row, offset: 1))) }
        return result
    }

    private static func item(from row: Row, offset: Int) throws -> Item {
        let tagsJSON: String = row[offset + 2]
        guard let tags = try? JSONDecoder().decode([String].self, from: Data(tagsJSON.utf8)) else {
            throw StoreError.corrupt(what: "item tags")
        }
        return Item(id: row[offset], title: row[offset + 1], tags: tags, createdAt: row[offset + 3])
    }

    func interactions(of subject: SubjectRow) throws -> [StoredInteraction] {
        // Cached: the server reads a person's history on every recommendation.
        let cursor = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT subject_id, item_id, kind, value, occurred_at, context, id, sealed_context, purpose FROM interactions
                    WHERE subject_id = ? ORDER BY occurred_at, id
                    """), arguments: [subject])
        var result: [StoredInteraction] = []
        while let row = try cursor.next() { result.append(try Self.interaction(from: row)) }
        return result
    }

    func servingHistory(of subject: SubjectRow) throws -> [(item: ItemRow, kind: InteractionKind, value: Double)] {
        try rowKindValues(sql: "SELECT item_id, kind, value FROM interactions WHERE subject_id = ?", key: subject).map {
            (item: $0.row, kind: $0.kind, value: $0.value)
        }
    }

    /// (row, kind, value) triples of a one-key query, stepped through SQLite's C API: GRDB's rows cost
    /// more than these index reads themselves (serving and erasure read them on hot paths).
    private func rowKindValues(sql: String, key: Int64) throws -> [(row: Int64, kind: InteractionKind, value: Double)] {
        let s = try db.cachedStatement(sql: sql).sqliteStatement
        defer { sqlite3_reset(s) }
        sqlite3_bind_int64(s, 1, key)
        var result: [(row: Int64, kind: InteractionKind, value: Double)] = []
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            guard let text = sqlite3_column_text(s, 1), let kind = InteractionKind(rawValue: String(cString: text)) else {
                throw StoreError.corrupt(what: "an interaction's kind")
            }
            result.append((sqlite3_column_int64(s, 0), kind, sqlite3_column_double(s, 2)))
        }
        return result
    }

    func forEachInteraction(_ body: (StoredInteraction) throws -> Void) throws {
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT subject_id, item_id, kind, value, occurred_at, context, id, sealed_context, purpose FROM interactions ORDER BY id")
        while let row = try cursor.next() { try body(try Self.interaction(from: row)) }
    }

    private static func interaction(from row: Row) throws -> StoredInteraction {
        let kindName: String = row[2]
        guard let kind = InteractionKind(rawValue: kindName) else { throw StoreError.corrupt(what: "interaction kind \(kindName)") }
        let sealed: Data? = row[7]
        let purposeName: String? = row[8]
        guard let purpose = purposeName.map(Purpose.init(rawValue:)) ?? .personalization else { throw StoreError.corrupt(what: "interaction purpose") }
        return StoredInteraction(
            id: row[6], subject: row[0], item: row[1], kind: kind, value: row[3], timestamp: row[4], context: row[5],
            sealedContext: sealed.map { [UInt8]($0) }, purpose: purpose)
    }

    func itemHistory(of item: ItemRow) throws -> [(subject: SubjectRow, kind: InteractionKind, value: Double)] {
        try rowKindValues(sql: "SELECT subject_id, kind, value FROM interactions WHERE item_id = ?", key: item).map {
            (subject: $0.row, kind: $0.kind, value: $0.value)
        }
    }

    func restriction(of subject: SubjectRow) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT restricted_at FROM subjects WHERE id = ?"), arguments: [subject])
    }

    func restrictedSubjects() throws -> Set<SubjectRow> {
        Set(try Int64.fetchAll(db, sql: "SELECT id FROM subjects WHERE restricted_at IS NOT NULL"))
    }

    func auditHandle(of subject: SubjectRow) throws -> [UInt8]? {
        try Data.fetchOne(db, sql: "SELECT audit_handle FROM subjects WHERE id = ?", arguments: [subject]).map { [UInt8]($0) }
    }

    func auditEntries(of subject: SubjectRow) throws -> [AuditEntry] {
        guard let handle = try auditHandle(of: subject).map({ Data($0) }) else { return [] }
        return try Row.fetchAll(
            db, sql: "SELECT at, actor, action, subject, purpose, detail FROM audit_log WHERE subject = ? ORDER BY id",
            arguments: [handle]
        ).map(Self.auditEntry(from:))
    }

    func subjectRequests(reference: [UInt8]?) throws -> [SubjectRequest] {
        let columns = "id, kind, reference, actor, received_at, verified_at, completed_at, due_at, status, detail"
        let rows: [Row]
        if let reference {
            rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM subject_requests WHERE reference = ? ORDER BY id", arguments: [Data(reference)])
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM subject_requests ORDER BY id")
        }
        return try rows.map { row in
            let kindName: String = row[1], statusName: String = row[8]
            guard let kind = SubjectRequest.Kind(rawValue: kindName), let status = SubjectRequest.Status(rawValue: statusName) else {
                throw StoreError.corrupt(what: "subject request \(row[0] as Int64)")
            }
            let reference: Data = row[2]
            return SubjectRequest(
                id: row[0], kind: kind, reference: [UInt8](reference), actor: row[3], receivedAt: row[4], verifiedAt: row[5],
                completedAt: row[6], dueAt: row[7], status: status, detail: row[9])
        }
    }

    func privacyReleases(dataset: String?) throws -> [PrivacyRelease] {
        let sql = "SELECT dataset, release, mechanism, epsilon, delta, recorded_at FROM privacy_ledger"
        let rows =
            try dataset.map { try Row.fetchAll(db, sql: sql + " WHERE dataset = ? ORDER BY id", arguments: [$0]) }
            ?? Row.fetchAll(db, sql: sql + " ORDER BY id")
        return rows.map { PrivacyRelease(dataset: $0[0], release: $0[1], mechanism: $0[2], epsilon: $0[3], delta: $0[4], recordedAt: $0[5]) }
    }

    func appendPrivacyRelease(_ r: PrivacyRelease) throws {
        try db.execute(
            sql: "INSERT INTO privacy_ledger (dataset, release, mechanism, epsilon, delta, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [r.dataset, r.release, r.mechanism, r.epsilon, r.delta, r.recordedAt])
    }

    func latestModelChangingRequest() throws -> Int64 {
        let kinds = SubjectRequest.Kind.allCases.filter(\.changesModels).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM subject_requests WHERE status = 'completed' AND kind IN (\(kinds))")) ?? 0
    }

    func interactionCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM interactions") ?? 0
    }

    func statistics() throws -> StoreStatistics {
        var s = StoreStatistics()
        s.subjects = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subjects") ?? 0
        s.items = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items") ?? 0
        s.interactions = try interactionCount()
        s.consentRecords = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM consent_ledger") ?? 0
        s.auditEntries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") ?? 0
        if let row = try Row.fetchOne(db, sql: "SELECT MIN(occurred_at), MAX(occurred_at) FROM interactions") {
            s.firstInteraction = row[0]
            s.lastInteraction = row[1]
        }
        let latest = try Row.fetchAll(
            db,
            sql: """
                SELECT c.purpose, c.decision, COUNT(*) FROM consent_ledger c
                JOIN (SELECT MAX(id) AS id FROM consent_ledger GROUP BY subject_id, purpose) latest ON c.id = latest.id
                GROUP BY c.purpose, c.decision
                """)
        for row in latest {
            let purposeName: String = row[0], decisionName: String = row[1]
            guard let p = Purpose(rawValue: purposeName) else { continue }
            if decisionName == ConsentDecision.grant.rawValue { s.granted[p] = row[2] } else { s.denied[p] = row[2] }
        }
        for row in try Row.fetchAll(db, sql: "SELECT purpose, count FROM refusals") {
            let purposeName: String = row[0]
            if let p = Purpose(rawValue: purposeName) { s.refusals[p] = row[1] }
        }
        return s
    }

    func recentAuditEntries(limit: Int) throws -> [AuditEntry] {
        try Row.fetchAll(db, sql: "SELECT at, actor, action, subject, purpose, detail FROM audit_log ORDER BY id DESC LIMIT ?", arguments: [limit])
            .map(Self.auditEntry(from:))
    }

    private static func auditEntry(from row: Row) -> AuditEntry {
        let handle: Data? = row[3]
        let purpose: String? = row[4]
        return AuditEntry(
            at: row[0], actor: row[1], action: row[2], purpose: purpose.flatMap(Purpose.init(rawValue:)), detail: row[5],
            subjectHandle: handle.map { [UInt8]($0) })
    }

    private static let auditColumns = "id, at, actor, action, subject, purpose, detail, hash"

    /// An audit row from `SELECT id, at, actor, action, subject, purpose, detail[, hash]`.
    static func auditRow(from row: Row, hash: [UInt8]?) -> AuditRow {
        let subject: Data? = row[4]
        return AuditRow(
            id: row[0], at: row[1], actor: row[2], action: row[3], subject: subject.map { [UInt8]($0) },
            purpose: row[5], detail: row[6], hash: hash)
    }

    private static func auditRow(from row: Row) -> AuditRow {
        let hash: Data? = row[7]
        return auditRow(from: row, hash: hash.map { [UInt8]($0) })
    }

    func lastAuditRow() throws -> AuditRow? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.auditColumns) FROM audit_log ORDER BY id DESC LIMIT 1")).map(Self.auditRow(from:))
    }

    func forEachAuditRow(after afterID: Int64, _ body: (AuditRow) throws -> Bool) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.auditColumns) FROM audit_log WHERE id > ? ORDER BY id", arguments: [afterID])
        while let row = try cursor.next() {
            guard try body(Self.auditRow(from: row)) else { return }
        }
    }

    func recentAuditRows(limit: Int) throws -> [AuditRow] {
        try Row.fetchAll(db, sql: "SELECT \(Self.auditColumns) FROM audit_log ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Self.auditRow(from:))
    }

    func auditEntryCount(after afterID: Int64) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log WHERE id > ?", arguments: [afterID]) ?? 0
    }

    private static let checkpointColumns = "id, at, entry_id, entry_hash, entry_count, public_key, signature"

    private static func checkpoint(from row: Row) -> AuditCheckpoint {
        let hash: Data = row[3], key: Data = row[5], signature: Data = row[6]
        return AuditCheckpoint(
            number: row[0], at: row[1], entryID: row[2], entryHash: [UInt8](hash), entryCount: row[4],
            publicKey: [UInt8](key), signature: [UInt8](signature))
    }

    func auditCheckpoints() throws -> [AuditCheckpoint] {
        try Row.fetchAll(db, sql: "SELECT \(Self.checkpointColumns) FROM audit_checkpoints ORDER BY id").map(Self.checkpoint(from:))
    }

    func lastAuditCheckpoint() throws -> AuditCheckpoint? {
        try Row.fetchOne(db, sql: "SELECT \(Self.checkpointColumns) FROM audit_checkpoints ORDER BY id DESC LIMIT 1").map(Self.checkpoint(from:))
    }

    func apiKeys() throws -> [APIKeyRecord] {
        try Row.fetchAll(db, sql: "SELECT id, name, scopes, created_at, revoked_at, suspended_at, suspension_reason FROM api_keys ORDER BY created_at, id").map(
            Self.apiKey(from:))
    }

    func apiKey(secretHash: [UInt8]) throws -> APIKeyRecord? {
        let statement = try db.cachedStatement(
            sql: "SELECT id, name, scopes, created_at, revoked_at, suspended_at, suspension_reason FROM api_keys WHERE secret_hash = ?")
        return try Row.fetchOne(statement, arguments: [Data(secretHash)]).map(Self.apiKey(from:))
    }

    private static func apiKey(from row: Row) throws -> APIKeyRecord {
        let id: String = row[0]
        let scopesJSON: String = row[2]
        guard let scopes = try? JSONDecoder().decode([String].self, from: Data(scopesJSON.utf8)) else {
            throw StoreError.corrupt(what: "scopes of API key \(id)")
        }
        return APIKeyRecord(id: id, name: row[1], scopes: scopes, createdAt: row[3], revokedAt: row[4], suspendedAt: row[5], suspensionReason: row[6])
    }

    func guardAlerts(limit: Int) throws -> [GuardAlertRecord] {
        try Row.fetchAll(
            db, sql: "SELECT id, at, principal, severity, kind, explanation, persons, action FROM guard_alerts ORDER BY id DESC LIMIT ?",
            arguments: [limit]
        ).map { row in
            GuardAlertRecord(id: row[0], at: row[1], principal: row[2], severity: row[3], kind: row[4], explanation: row[5], persons: row[6], action: row[7])
        }
    }

    func guardEvents(after afterID: Int64, limit: Int) throws -> [GuardEventRecord] {
        try Row.fetchAll(
            db, sql: "SELECT id, at, principal, person, route, kind, status FROM guard_events WHERE id > ? ORDER BY id LIMIT ?",
            arguments: [afterID, limit]
        ).map { row in
            GuardEventRecord(id: row[0], at: row[1], principal: row[2], person: row[3], route: row[4], kind: row[5], status: row[6])
        }
    }

    func guardStates() throws -> [String: [UInt8]] {
        var states: [String: [UInt8]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT principal, state FROM guard_states") { states[row[0]] = [UInt8](row[1] as Data) }
        return states
    }

    func rateUsage(since: Int64, excluding server: String) throws -> [String: Int] {
        var usage: [String: Int] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT key_id, SUM(requests) FROM rate_usage WHERE second >= ? AND server <> ? GROUP BY key_id",
            arguments: [since, server])
        { usage[row[0]] = row[1] }
        return usage
    }

    func policyVersions() throws -> [PolicyVersionRecord] {
        try Row.fetchAll(db, sql: "SELECT version, policy, first_seen_at FROM policy_versions ORDER BY id").map { row in
            PolicyVersionRecord(version: row[0], json: row[1], firstSeenAt: row[2])
        }
    }

    func retentionRuns(limit: Int) throws -> [RetentionRun] {
        try Row.fetchAll(
            db, sql: "SELECT id, ran_at, actor, policy_version, categories FROM retention_runs ORDER BY id DESC LIMIT ?",
            arguments: [limit]
        ).map { row in
            let id: Int64 = row[0]
            let json: String = row[4]
            guard let categories = try? JSONDecoder().decode([RetentionRun.Category].self, from: Data(json.utf8)) else {
                throw StoreError.corrupt(what: "the categories of retention run \(id)")
            }
            return RetentionRun(id: id, ranAt: row[1], actor: row[2], policyVersion: row[3], categories: categories)
        }
    }

    func latestModelArtifact(algorithm: String) throws -> ModelArtifactInfo? {
        try Row.fetchOne(
            db, sql: "SELECT version, created_at, sha256 FROM model_artifacts WHERE algorithm = ? ORDER BY version DESC LIMIT 1",
            arguments: [algorithm]
        ).map { row in
            let digest: Data = row[2]
            return ModelArtifactInfo(algorithm: algorithm, version: row[0], createdAt: row[1], sha256: [UInt8](digest))
        }
    }

    func modelArtifactBytes(algorithm: String, version: Int64) throws -> [UInt8]? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT sha256, bytes FROM model_artifacts WHERE algorithm = ? AND version = ?",
                arguments: [algorithm, version])
        else { return nil }
        let digest: Data = row[0], bytes: Data = row[1]
        guard Array(SHA256.hash(data: bytes)) == [UInt8](digest) else {
            throw StoreError.corrupt(what: "model \(algorithm) version \(version) (its bytes do not match their SHA-256)")
        }
        return [UInt8](bytes)
    }

    func adCampaigns() throws -> [AdCampaignRecord] {
        try Row.fetchAll(db, sql: "SELECT id, advertiser, status, created_at, definition FROM ad_campaigns ORDER BY created_at, id").map {
            AdCampaignRecord(id: $0[0], advertiser: $0[1], status: $0[2], createdAt: $0[3], definition: $0[4])
        }
    }

    func adTotals(since: Int64) throws -> [String: AdTotals] {
        var out: [String: AdTotals] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT campaign, SUM(kind = 'impression'), SUM(kind = 'click'), SUM(kind = 'conversion'),
                       SUM(CASE WHEN kind = 'impression' AND at >= ? THEN cost ELSE 0 END)
                FROM ad_events GROUP BY campaign
                """, arguments: [since])
        {
            var t = AdTotals()
            t.impressions = row[1]; t.clicks = row[2]; t.conversions = row[3]; t.spentSince = row[4]
            out[row[0]] = t
        }
        return out
    }

    func adImpressions(of subject: SubjectRow, since: Int64) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT campaign, COUNT(*) FROM ad_events WHERE subject_id = ? AND at >= ? AND kind = 'impression' GROUP BY campaign",
            arguments: [subject, since])
        {
            out[row[0]] = row[1]
        }
        return out
    }

    func adContributions(campaign: String, kind: AdEvent.Kind) throws -> [Int] {
        try Int.fetchAll(
            db,
            sql: """
                SELECT COUNT(*) FROM ad_events WHERE campaign = ? AND kind = ?
                GROUP BY COALESCE(CAST(subject_id AS TEXT), hex(token))
                """, arguments: [campaign, kind.rawValue])
    }

    func adEvents(of subject: SubjectRow) throws -> [AdEvent] {
        try Row.fetchAll(db, sql: "SELECT \(Self.adEventColumns) FROM ad_events WHERE subject_id = ? ORDER BY at, id", arguments: [subject])
            .map(Self.adEvent)
    }

    static let adEventColumns = "id, campaign, subject_id, kind, at, cost, token"

    static func adEvent(_ row: Row) -> AdEvent {
        AdEvent(
            id: row[0], campaign: row[1], subject: row[2], kind: AdEvent.Kind(rawValue: row[3]) ?? .impression, at: row[4], cost: row[5],
            token: [UInt8](row[6] as Data))
    }

    func adEventExists(token: [UInt8], kind: AdEvent.Kind) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT 1 FROM ad_events WHERE token = ? AND kind = ? LIMIT 1", arguments: [Data(token), kind.rawValue]) != nil
    }

    func adImpression(token: [UInt8]) throws -> AdEvent? {
        try Row.fetchOne(db, sql: "SELECT \(Self.adEventColumns) FROM ad_events WHERE token = ? AND kind = 'impression'", arguments: [Data(token)])
            .map(Self.adEvent)
    }

    func modelEvaluations(limit: Int) throws -> [ModelEvaluation] {
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT algorithm, artifact_version, recorded_at, k, ndcg, recall, baseline_ndcg, baseline_recall, people, pairs, training_seconds FROM model_evaluations ORDER BY id DESC LIMIT ?",
            arguments: [limit])
        return rows.reversed().map {
            ModelEvaluation(
                algorithm: $0[0], artifactVersion: $0[1], recordedAt: $0[2], k: $0[3], ndcg: $0[4], recall: $0[5],
                baselineNDCG: $0[6], baselineRecall: $0[7], people: $0[8], pairs: $0[9], trainingSeconds: $0[10])
        }
    }

    func setting(_ name: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM settings WHERE name = ?", arguments: [name])
    }

    // MARK: Writing

    func upsertAdCampaign(_ r: AdCampaignRecord) throws {
        try db.execute(
            sql: """
                INSERT INTO ad_campaigns (id, advertiser, status, created_at, definition) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET advertiser = excluded.advertiser, status = excluded.status, definition = excluded.definition
                """, arguments: [r.id, r.advertiser, r.status, r.createdAt, r.definition])
    }

    func appendAdEvent(_ e: AdEvent) throws {
        try db.execute(
            sql: "INSERT INTO ad_events (campaign, subject_id, kind, at, cost, token) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [e.campaign, e.subject, e.kind.rawValue, e.at, e.cost, Data(e.token)])
    }

    func appendModelEvaluation(_ e: ModelEvaluation) throws {
        try db.execute(
            sql:
                "INSERT INTO model_evaluations (algorithm, artifact_version, recorded_at, k, ndcg, recall, baseline_ndcg, baseline_recall, people, pairs, training_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                e.algorithm, e.artifactVersion, e.recordedAt, e.k, e.ndcg, e.recall, e.baselineNDCG, e.baselineRecall,
                e.people, e.pairs, e.trainingSeconds
            ])
    }

    func recordSettingIfAbsent(_ name: String, value: String) throws -> String {
        try db.execute(sql: "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", arguments: [name, value])
        guard let stored = try setting(name) else { throw StoreError.corrupt(what: "setting \(name) vanished after insert") }
        return stored
    }

    func appendModelArtifact(algorithm: String, bytes: [UInt8], createdAt: Int64) throws -> ModelArtifactInfo {
        let version = (try Int64.fetchOne(db, sql: "SELECT MAX(version) FROM model_artifacts WHERE algorithm = ?", arguments: [algorithm]) ?? 0) + 1
        let digest = Array(SHA256.hash(data: bytes))
        try db.execute(
            sql: "INSERT INTO model_artifacts (algorithm, version, created_at, sha256, bytes) VALUES (?, ?, ?, ?, ?)",
            arguments: [algorithm, version, createdAt, Data(digest), Data(bytes)])
        try db.execute(
            sql: "DELETE FROM model_artifacts WHERE algorithm = ? AND version <= ?", arguments: [algorithm, version - ModelArtifactInfo.versionsKept])
        return ModelArtifactInfo(algorithm: algorithm, version: version, createdAt: createdAt, sha256: digest)
    }

    /// Bound through SQLite's C API: a large import adds a subject for each new person, and an audit
    /// entry for each (whose handle is kept here, so that the entry need not look it up).
    func insertSubject(_ pseudonym: Pseudonym, createdAt: Int64) throws -> SubjectRow {
        let s = try db.cachedStatement(
            sql: "INSERT INTO subjects (pseudonym, created_at, audit_handle) VALUES (?, ?, randomblob(16)) RETURNING id, audit_handle"
        )
        .sqliteStatement
        defer { sqlite3_reset(s) }
        bindBlob(s, 1, pseudonym.bytes)
        sqlite3_bind_int64(s, 2, createdAt)
        var rc = sqlite3_step(s)
        guard rc == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        let row = sqlite3_column_int64(s, 0)
        let handle = columnBlob(s, 1)
        rc = sqlite3_step(s)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        newSubjectHandles[pseudonym] = handle
        return row
    }

    func upsertItem(_ item: Item) throws -> ItemRow {
        let tags = String(decoding: try JSONEncoder().encode(item.tags), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO items (external_id, title, tags, created_at, registered) VALUES (?, ?, ?, ?, 1)
                ON CONFLICT (external_id) DO UPDATE SET title = excluded.title, tags = excluded.tags, created_at = excluded.created_at, registered = 1
                """, arguments: [item.id, item.title, tags, item.createdAt])
        guard let row = try itemRow(for: item.id) else { throw StoreError.corrupt(what: "item \(item.id) vanished after insert") }
        return row
    }

    func ensureItem(id: String) throws -> ItemRow {
        if let row = try itemRow(for: id) { return row }
        try db.cachedStatement(sql: "INSERT INTO items (external_id) VALUES (?)").execute(arguments: [id])
        return db.lastInsertedRowID
    }

    func insertInteraction(
        subject: SubjectRow, item: ItemRow, kind: InteractionKind, value: Double, timestamp: Int64, context: String?,
        sealedContext: [UInt8]?, purpose: Purpose
    ) throws {
        let statement: Statement
        if let prepared = insertInteractionStatement {
            statement = prepared
        } else {
            statement = try db.makeStatement(
                sql:
                    "INSERT INTO interactions (subject_id, item_id, kind, value, occurred_at, context, sealed_context, purpose) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            )
            insertInteractionStatement = statement
        }
        let s = statement.sqliteStatement
        sqlite3_bind_int64(s, 1, subject)
        sqlite3_bind_int64(s, 2, item)
        sqlite3_bind_text(s, 3, kind.rawValue, -1, sqliteTransient)
        sqlite3_bind_double(s, 4, value)
        sqlite3_bind_int64(s, 5, timestamp)
        if let context { sqlite3_bind_text(s, 6, context, -1, sqliteTransient) } else { sqlite3_bind_null(s, 6) }
        if let sealedContext {
            sealedContext.withUnsafeBytes { _ = sqlite3_bind_blob(s, 7, $0.baseAddress, Int32($0.count), sqliteTransient) }
        } else {
            sqlite3_bind_null(s, 7)
        }
        if purpose == .personalization { sqlite3_bind_null(s, 8) } else { sqlite3_bind_text(s, 8, purpose.rawValue, -1, sqliteTransient) }
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    /// Bound through SQLite's C API: a large import with `--grant` writes a record per person and purpose.
    func appendConsent(_ record: ConsentRecord, subject: SubjectRow) throws {
        let s = try db.cachedStatement(
            sql: """
                INSERT INTO consent_ledger (subject_id, purpose, decision, source, recorded_at, policy_version, note)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).sqliteStatement
        sqlite3_bind_int64(s, 1, subject)
        sqlite3_bind_text(s, 2, record.purpose.rawValue, -1, sqliteTransient)
        sqlite3_bind_text(s, 3, record.decision.rawValue, -1, sqliteTransient)
        sqlite3_bind_text(s, 4, record.source.rawValue, -1, sqliteTransient)
        sqlite3_bind_int64(s, 5, record.recordedAt)
        sqlite3_bind_text(s, 6, record.policyVersion, -1, sqliteTransient)
        if let note = record.note { sqlite3_bind_text(s, 7, note, -1, sqliteTransient) } else { sqlite3_bind_null(s, 7) }
        try stepToEnd(s)
    }

    func addRefusals(_ counts: [Purpose: Int]) throws {
        for (purpose, n) in counts where n > 0 {
            try db.execute(
                sql: """
                    INSERT INTO refusals (purpose, count) VALUES (?, ?)
                    ON CONFLICT (purpose) DO UPDATE SET count = count + excluded.count
                    """, arguments: [purpose.rawValue, n])
        }
    }

    func beginBulkLoad() throws {
        try db.execute(sql: "DROP INDEX IF EXISTS interactions_by_subject")
        try db.execute(sql: "DROP INDEX IF EXISTS interactions_by_item")
    }

    /// Rebuilds the indexes dropped by `beginBulkLoad`, each by one sort. SQLite's sorter sorts runs as
    /// large as the page cache in memory, then merges them from a temporary file: runs of 2 MiB fit the
    /// processor's caches and sort much faster than runs of 64 MiB (a linked-list merge sort that waits on
    /// memory), 1.4 s instead of 2.2 s for both indexes over 1,000,000 events. The cache is set back after.
    func endBulkLoad() throws {
        try db.execute(sql: "PRAGMA cache_size = -2048")
        defer { try? db.execute(sql: SQLiteStore.cacheSizePragma) }
        try db.execute(sql: SQLiteSchema.interactionsBySubject)
        try db.execute(sql: SQLiteSchema.interactionsByItem)
    }

    func eraseSubject(_ subject: SubjectRow) throws -> ErasureCounts {
        var counts = ErasureCounts()
        try db.execute(sql: "DELETE FROM interactions WHERE subject_id = ?", arguments: [subject])
        counts.interactions = db.changesCount
        try db.execute(sql: "DELETE FROM consent_ledger WHERE subject_id = ?", arguments: [subject])
        counts.consentRecords = db.changesCount
        try db.execute(sql: "DELETE FROM ad_events WHERE subject_id = ?", arguments: [subject])
        // The accesses the Guard shares between servers name people by pseudonym (in hex): theirs go too.
        try db.execute(sql: "DELETE FROM guard_events WHERE person = (SELECT lower(hex(pseudonym)) FROM subjects WHERE id = ?)", arguments: [subject])
        try db.execute(sql: "DELETE FROM subjects WHERE id = ?", arguments: [subject])
        // The handle went with the subject: audit entries that name the pseudonym from now on name no one.
        newSubjectHandles.removeAll()
        return counts
    }

    func deleteInteractions(ids: [Int64], of subject: SubjectRow) throws -> Int {
        var removed = 0
        let statement = try db.cachedStatement(sql: "DELETE FROM interactions WHERE id = ? AND subject_id = ?")
        for id in ids {
            try statement.execute(arguments: [id, subject])
            removed += db.changesCount
        }
        return removed
    }

    func correctInteraction(id: Int64, of subject: SubjectRow, kind: InteractionKind, value: Double) throws -> Bool {
        try db.execute(sql: "UPDATE interactions SET kind = ?, value = ? WHERE id = ? AND subject_id = ?", arguments: [kind.rawValue, value, id, subject])
        return db.changesCount > 0
    }

    func setRestriction(of subject: SubjectRow, at: Int64?) throws {
        try db.execute(sql: "UPDATE subjects SET restricted_at = ? WHERE id = ?", arguments: [at, subject])
    }

    func insertSubjectRequest(_ r: SubjectRequest) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO subject_requests (kind, reference, actor, received_at, verified_at, completed_at, due_at, status, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.kind.rawValue, Data(r.reference), r.actor, r.receivedAt, r.verifiedAt, r.completedAt, r.dueAt, r.status.rawValue, r.detail])
        return db.lastInsertedRowID
    }

    func updateSubjectRequest(id: Int64, status: SubjectRequest.Status, verifiedAt: Int64?, completedAt: Int64?, detail: String) throws {
        try db.execute(
            sql: """
                UPDATE subject_requests SET status = ?, verified_at = COALESCE(?, verified_at), completed_at = COALESCE(?, completed_at), detail = ?
                WHERE id = ?
                """, arguments: [status.rawValue, verifiedAt, completedAt, detail, id])
    }

    func insertAPIKey(_ record: APIKeyRecord, secretHash: [UInt8]) throws {
        let scopes = String(decoding: try JSONEncoder().encode(record.scopes.sorted()), as: UTF8.self)
        try db.execute(
            sql: "INSERT INTO api_keys (id, name, secret_hash, scopes, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [record.id, record.name, Data(secretHash), scopes, record.createdAt, record.revokedAt])
    }

    func revokeAPIKey(id: String, at: Int64) throws -> Bool {
        try db.execute(sql: "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", arguments: [at, id])
        return db.changesCount > 0
    }

    func suspendAPIKey(id: String, at: Int64, reason: String) throws -> Bool {
        try db.execute(
            sql: "UPDATE api_keys SET suspended_at = COALESCE(suspended_at, ?), suspension_reason = COALESCE(suspension_reason, ?) WHERE id = ?",
            arguments: [at, reason, id])
        return db.changesCount > 0
    }

    func reinstateAPIKey(id: String) throws -> Bool {
        try db.execute(sql: "UPDATE api_keys SET suspended_at = NULL, suspension_reason = NULL WHERE id = ? AND suspended_at IS NOT NULL", arguments: [id])
        return db.changesCount > 0
    }

    func appendGuardAlert(_ alert: GuardAlertRecord) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO guard_alerts (at, principal, severity, kind, explanation, persons, action) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [alert.at, alert.principal, alert.severity, alert.kind, alert.explanation, alert.persons, alert.action])
        return db.lastInsertedRowID
    }

    func appendGuardEvents(_ events: [GuardEventRecord]) throws {
        for e in events {
            try db.execute(
                sql: "INSERT INTO guard_events (at, principal, person, route, kind, status) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [e.at, e.principal, e.person, e.route, e.kind, e.status])
        }
    }

    func deleteGuardEvents(before cutoff: Int64) throws -> Int {
        try db.execute(sql: "DELETE FROM guard_events WHERE at < ?", arguments: [cutoff])
        return db.changesCount
    }

    func saveGuardStates(_ states: [String: [UInt8]], at: Int64) throws {
        for (principal, state) in states {
            try db.execute(
                sql: """
                    INSERT INTO guard_states (principal, updated_at, state) VALUES (?, ?, ?)
                    ON CONFLICT (principal) DO UPDATE SET updated_at = excluded.updated_at, state = excluded.state
                    """, arguments: [principal, at, Data(state)])
        }
    }

    func acquireGuardLease(_ name: String, holder: String, now: Int64, seconds: Int64) throws -> Int64? {
        try db.execute(
            sql: """
                INSERT INTO guard_leases (name, holder, expires_at, cursor) VALUES (?, ?, ?, 0)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE guard_leases.holder = excluded.holder OR guard_leases.expires_at <= ?
                """, arguments: [name, holder, now + seconds, now])
        let row = try Row.fetchOne(db, sql: "SELECT holder, cursor FROM guard_leases WHERE name = ?", arguments: [name])
        guard let row, (row[0] as String) == holder else { return nil }
        return row[1]
    }

    func advanceGuardLease(_ name: String, holder: String, cursor: Int64) throws -> Bool {
        try db.execute(sql: "UPDATE guard_leases SET cursor = ? WHERE name = ? AND holder = ?", arguments: [cursor, name, holder])
        return db.changesCount == 1
    }

    func addRateUsage(server: String, second: Int64, counts: [String: Int]) throws {
        for (key, n) in counts where n > 0 {
            try db.execute(
                sql: """
                    INSERT INTO rate_usage (key_id, server, second, requests) VALUES (?, ?, ?, ?)
                    ON CONFLICT (key_id, server, second) DO UPDATE SET requests = rate_usage.requests + excluded.requests
                    """, arguments: [key, server, second, n])
        }
    }

    func deleteRateUsage(before cutoff: Int64) throws {
        try db.execute(sql: "DELETE FROM rate_usage WHERE second < ?", arguments: [cutoff])
    }

    func deleteItem(id: String) throws -> Int? {
        guard let row = try itemRow(for: id) else { return nil }
        try db.execute(sql: "DELETE FROM interactions WHERE item_id = ?", arguments: [row])
        let removed = db.changesCount
        try db.execute(sql: "DELETE FROM items WHERE id = ?", arguments: [row])
        return removed
    }

    // MARK: Retention and policy history

    /// Empties the free-text context of events older than a cutoff. Every column that holds an event's
    /// free text is emptied here, in this one statement: a column added later for it (such as an
    /// encrypted copy of the context) belongs in this SET and in the WHERE.
    static let clearContextsSQL =
        "UPDATE interactions SET context = NULL, sealed_context = NULL WHERE occurred_at < ? AND (context IS NOT NULL OR sealed_context IS NOT NULL)"

    /// Deletes events older than a cutoff.
    static let deleteInteractionsSQL = "DELETE FROM interactions WHERE occurred_at < ?"

    func insertPolicyVersion(_ record: PolicyVersionRecord) throws {
        try db.execute(
            sql: "INSERT INTO policy_versions (version, policy, first_seen_at) VALUES (?, ?, ?)",
            arguments: [record.version, record.json, record.firstSeenAt])
    }

    func deleteInteractions(before cutoff: Int64) throws -> Int {
        try db.execute(sql: Self.deleteInteractionsSQL, arguments: [cutoff])
        return db.changesCount
    }

    func clearContexts(before cutoff: Int64) throws -> Int {
        try db.execute(sql: Self.clearContextsSQL, arguments: [cutoff])
        return db.changesCount
    }

    func appendRetentionRun(_ run: RetentionRun) throws -> Int64 {
        let categories = String(decoding: try JSONEncoder().encode(run.categories), as: UTF8.self)
        try db.execute(
            sql: "INSERT INTO retention_runs (ran_at, actor, policy_version, categories, total) VALUES (?, ?, ?, ?, ?)",
            arguments: [run.ranAt, run.actor, run.policyVersion, categories, run.total])
        return db.lastInsertedRowID
    }

    // MARK: Audit

    /// Appends to the hash chain. Writes are serialized (an immediate transaction), so the tail read here is
    /// the newest entry for every process writing to the file, and the explicit id makes any race fail loudly.
    /// Bound through SQLite's C API: a large import appends an entry per person.
    func appendAudit(_ entry: AuditEntry) throws {
        // The log names a person by their audit handle, never by pseudonym; unknown people by nothing.
        var subject: [UInt8]? = entry.subjectHandle
        if subject == nil, let pseudonym = entry.subject { subject = try newSubjectHandles[pseudonym] ?? auditHandle(of: pseudonym) }
        let row = try AuditChain.nextRow(entry, subject: subject, tail: auditTail, last: lastAuditRow)
        let hash = row.hash ?? []
        let s = try db.cachedStatement(sql: "INSERT INTO audit_log (id, at, actor, action, subject, purpose, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .sqliteStatement
        sqlite3_bind_int64(s, 1, row.id)
        sqlite3_bind_int64(s, 2, row.at)
        sqlite3_bind_text(s, 3, row.actor, -1, sqliteTransient)
        sqlite3_bind_text(s, 4, row.action, -1, sqliteTransient)
        if let subject = row.subject { bindBlob(s, 5, subject) } else { sqlite3_bind_null(s, 5) }
        if let purpose = row.purpose { sqlite3_bind_text(s, 6, purpose, -1, sqliteTransient) } else { sqlite3_bind_null(s, 6) }
        sqlite3_bind_text(s, 7, row.detail, -1, sqliteTransient)
        bindBlob(s, 8, hash)
        try stepToEnd(s)
        auditTail = (row.id, hash)
    }

    /// The audit handle of the person with this pseudonym; nil for no such person.
    private func auditHandle(of pseudonym: Pseudonym) throws -> [UInt8]? {
        let s = try db.cachedStatement(sql: "SELECT audit_handle FROM subjects WHERE pseudonym = ?").sqliteStatement
        defer { sqlite3_reset(s) }
        bindBlob(s, 1, pseudonym.bytes)
        let rc = sqlite3_step(s)
        if rc == SQLITE_DONE { return nil }
        guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
        return columnBlob(s, 0)
    }

    func appendAuditCheckpoint(_ checkpoint: AuditCheckpoint) throws {
        try db.execute(
            sql: "INSERT INTO audit_checkpoints (\(Self.checkpointColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                checkpoint.number, checkpoint.at, checkpoint.entryID, Data(checkpoint.entryHash), checkpoint.entryCount,
                Data(checkpoint.publicKey), Data(checkpoint.signature)
            ])
    }
}

/// Tells SQLite to copy bound text before the call returns.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension SQLiteSession {
    /// Binds bytes as a blob (an empty one too, never NULL), copied before the call returns.
    fileprivate func bindBlob(_ s: OpaquePointer, _ index: Int32, _ bytes: [UInt8]) {
        if bytes.isEmpty {
            sqlite3_bind_zeroblob(s, index, 0)
        } else {
            bytes.withUnsafeBytes { _ = sqlite3_bind_blob(s, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
        }
    }

    /// A blob column of the current row; nil when NULL.
    fileprivate func columnBlob(_ s: OpaquePointer, _ index: Int32) -> [UInt8]? {
        if sqlite3_column_type(s, index) == SQLITE_NULL { return nil }
        let count = Int(sqlite3_column_bytes(s, index))
        guard count > 0, let bytes = sqlite3_column_blob(s, index) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// Steps a statement bound through SQLite's C API that returns no rows, and resets it.
    fileprivate func stepToEnd(_ s: OpaquePointer) throws {
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}
