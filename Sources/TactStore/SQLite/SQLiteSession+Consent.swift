import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// SQLiteSession's part of `ConsentReader` and `ConsentWriter`: the consent ledger: each person's decisions per purpose, and counts of refused events.
extension SQLiteSession {
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
                throw failure(rc)
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

    func consentHistory(of subject: SubjectRow) throws -> [ConsentRecord] {
        guard let p = try pseudonym(of: subject) else { return [] }
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT purpose, decision, source, recorded_at, policy_version, note
                    FROM consent_ledger WHERE subject_id = ? ORDER BY id
                    """), arguments: [subject])
        return try rows.map { row in
            try ConsentRecord.stored(
                subject: p, purpose: row[0], decision: row[1], source: row[2], recordedAt: row[3], policyVersion: row[4], note: row[5])
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
}
