import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// SQLiteSession's part of `PeopleReader` and `PeopleWriter`: people (as pseudonymous subjects) and their events: rows, restriction, history, bulk loads.
extension SQLiteSession {
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

    func recentActivity(since: Int64) throws -> RecentActivity {
        var result: [Pseudonym: Int64] = [:]
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT s.pseudonym, latest FROM (SELECT subject_id, MAX(occurred_at) AS latest FROM interactions WHERE occurred_at >= ? GROUP BY subject_id) AS a
                JOIN subjects s ON s.id = a.subject_id
                """, arguments: [since])
        while let row = try cursor.next() {
            let data: Data = row[0]
            guard data.count == Pseudonym.byteCount else { throw StoreError.corrupt(what: "a subject's pseudonym") }
            result[Pseudonym(bytes: [UInt8](data))] = row[1]
        }
        return RecentActivity(latest: result, people: try subjectCount())
    }

    func subjectCount() throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subjects") ?? 0 }

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
    func rowKindValues(sql: String, key: Int64) throws -> [(row: Int64, kind: InteractionKind, value: Double)] {
        let s = try db.cachedStatement(sql: sql).sqliteStatement
        defer { sqlite3_reset(s) }
        sqlite3_bind_int64(s, 1, key)
        var result: [(row: Int64, kind: InteractionKind, value: Double)] = []
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw failure(rc)
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

    /// Training reads every event: stepped through SQLite's C API, five columns, no record or string per row
    /// beyond the kind's (a small string, kept inline).
    func forEachTrainingEvent(_ body: (TrainingEvent) throws -> Void) throws {
        // The connection's cache keeps the statement alive while it is stepped here.
        let s = try db.cachedStatement(sql: "SELECT subject_id, item_id, kind, value, occurred_at FROM interactions ORDER BY id").sqliteStatement
        defer { sqlite3_reset(s) }
        var known: [InteractionKind] = []
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw failure(rc)
            }
            guard let text = sqlite3_column_text(s, 2) else { throw StoreError.corrupt(what: "an interaction's kind") }
            // The few kinds seen so far are compared as bytes before a string is made.
            let length = Int(sqlite3_column_bytes(s, 2))
            let bytes = UnsafeBufferPointer(start: text, count: length)
            let kind: InteractionKind
            if let seen = known.first(where: { $0.rawValue.utf8.elementsEqual(bytes) }) {
                kind = seen
            } else {
                guard let new = InteractionKind(rawValue: String(decoding: bytes, as: UTF8.self)) else {
                    throw StoreError.corrupt(what: "interaction kind \(String(decoding: bytes, as: UTF8.self))")
                }
                known.append(new)
                kind = new
            }
            try body(
                TrainingEvent(
                    subject: sqlite3_column_int64(s, 0), item: sqlite3_column_int64(s, 1), kind: kind, value: sqlite3_column_double(s, 3),
                    timestamp: sqlite3_column_int64(s, 4)))
        }
    }

    static func interaction(from row: Row) throws -> StoredInteraction {
        let kindName: String = row[2]
        guard let kind = InteractionKind(rawValue: kindName) else { throw StoreError.corrupt(what: "interaction kind \(kindName)") }
        let sealed: Data? = row[7]
        let purposeName: String? = row[8]
        guard let purpose = purposeName.map(Purpose.init(rawValue:)) ?? .personalization else { throw StoreError.corrupt(what: "interaction purpose") }
        return StoredInteraction(
            id: row[6], subject: row[0], item: row[1], kind: kind, value: row[3], timestamp: row[4], context: row[5],
            sealedContext: sealed.map { [UInt8]($0) }, purpose: purpose)
    }

    func restriction(of subject: SubjectRow) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT restricted_at FROM subjects WHERE id = ?"), arguments: [subject])
    }

    func restrictedSubjects() throws -> Set<SubjectRow> {
        Set(try Int64.fetchAll(db, sql: "SELECT id FROM subjects WHERE restricted_at IS NOT NULL"))
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
                throw failure(rc)
            }
            if let found { result[p] = SubjectState(row: found.row, consent: try consentState(of: found.row), restrictedAt: found.restrictedAt) }
        }
        return result
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
            throw failure(rc)
        }
        let row = sqlite3_column_int64(s, 0)
        let handle = columnBlob(s, 1)
        rc = sqlite3_step(s)
        guard rc == SQLITE_DONE else {
            throw failure(rc)
        }
        newSubjectHandles[pseudonym] = handle
        return row
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
            throw failure(rc)
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
}
