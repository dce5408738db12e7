import Crypto
import Foundation
import PostgresNIO
import TactCore

/// PostgresSession's part of `RetentionReader` and `RetentionWriter`: the retention job: deleting old events, emptying old free text, and the record of its runs.
extension PostgresSession {
    func retentionRuns(limit: Int) throws -> [RetentionRun] {
        try rows("SELECT id, ran_at, actor, policy_version, categories FROM retention_runs ORDER BY id DESC LIMIT $1", [.int(Int64(limit))]).map { row in
            let id = try row.int(0)
            guard let categories = try? JSONDecoder().decode([RetentionRun.Category].self, from: Data(try row.text(4).utf8)) else {
                throw StoreError.corrupt(what: "the categories of retention run \(id)")
            }
            return RetentionRun(id: id, ranAt: try row.int(1), actor: try row.text(2), policyVersion: try row.text(3), categories: categories)
        }
    }

    func deleteInteractions(before cutoff: Int64) throws -> Int {
        try executeLasting("DELETE FROM interactions WHERE occurred_at < $1", [.int(cutoff)])
    }

    /// Empties every column that holds an event's free text (see `SQLiteSession.clearContextsSQL`).
    func clearContexts(before cutoff: Int64) throws -> Int {
        try executeLasting(
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
}
