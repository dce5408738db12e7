import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// SQLiteSession's part of `GuardStateReader` and `GuardStateWriter`: what the Guard keeps: alerts, accesses shared between servers, long-horizon state, leases and rate usage.
extension SQLiteSession {
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
            db, sql: "SELECT id, at, principal, person, route, kind, status, role, id_order FROM guard_events WHERE id > ? ORDER BY id LIMIT ?",
            arguments: [afterID, limit]
        ).map { row in
            GuardEventRecord(
                id: row[0], at: row[1], principal: row[2], person: row[3], route: row[4], kind: row[5], status: row[6], role: row[7], order: row[8])
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

    func appendGuardAlert(_ alert: GuardAlertRecord) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO guard_alerts (at, principal, severity, kind, explanation, persons, action) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [alert.at, alert.principal, alert.severity, alert.kind, alert.explanation, alert.persons, alert.action])
        return db.lastInsertedRowID
    }

    func appendGuardEvents(_ events: [GuardEventRecord]) throws {
        for e in events {
            try db.execute(
                sql: "INSERT INTO guard_events (at, principal, person, route, kind, status, role, id_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [e.at, e.principal, e.person, e.route, e.kind, e.status, e.role, e.order])
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
}
