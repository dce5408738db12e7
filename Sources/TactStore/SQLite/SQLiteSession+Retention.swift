import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// SQLiteSession's part of `RetentionReader` and `RetentionWriter`: the retention job: deleting old events, emptying old free text, and the record of its runs.
extension SQLiteSession {
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

    /// Empties the free-text context of events older than a cutoff. Every column that holds an event's
    /// free text is emptied here, in this one statement: a column added later for it (such as an
    /// encrypted copy of the context) belongs in this SET and in the WHERE.
    static let clearContextsSQL =
        "UPDATE interactions SET context = NULL, sealed_context = NULL WHERE occurred_at < ? AND (context IS NOT NULL OR sealed_context IS NOT NULL)"

    /// Deletes events older than a cutoff.
    static let deleteInteractionsSQL = "DELETE FROM interactions WHERE occurred_at < ?"

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
}
