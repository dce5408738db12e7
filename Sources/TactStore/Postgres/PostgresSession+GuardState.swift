import Crypto
import Foundation
import PostgresNIO
import TactCore

/// PostgresSession's part of `GuardStateReader` and `GuardStateWriter`: what the Guard keeps: alerts, accesses shared between servers, long-horizon state, leases and rate usage.
extension PostgresSession {
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
            "SELECT id, at, principal, person, route, kind, status, role, id_order FROM guard_events WHERE id > $1 ORDER BY id LIMIT $2",
            [.int(afterID), .int(Int64(limit))]
        ).map { row in
            GuardEventRecord(
                id: try row.int(0), at: try row.int(1), principal: try row.text(2), person: try row.optionalText(3), route: try row.text(4),
                kind: try row.text(5), status: Int(try row.int(6)), role: try row.optionalText(7), order: try row.optionalInt(8).map { Int($0) })
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
            INSERT INTO guard_events (at, principal, person, route, kind, status, role, id_order)
            SELECT a, p, NULLIF(s, ''), r, k, c, NULLIF(l, ''), NULLIF(o, -1)
            FROM unnest($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::BIGINT[], $7::TEXT[], $8::BIGINT[]) AS u(a, p, s, r, k, c, l, o)
            """,
            [
                .ints(events.map(\.at)), .texts(events.map(\.principal)), .texts(events.map { $0.person ?? "" }), .texts(events.map(\.route)),
                .texts(events.map(\.kind)), .ints(events.map { Int64($0.status) }), .texts(events.map { $0.role ?? "" }),
                .ints(events.map { Int64($0.order ?? -1) })
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
}
