import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// SQLiteSession's part of `SettingsReader` and `SettingsWriter`: settings every process must agree on, and the privacy policy's recorded versions.
extension SQLiteSession {
    func policyVersions() throws -> [PolicyVersionRecord] {
        try Row.fetchAll(db, sql: "SELECT version, policy, first_seen_at FROM policy_versions ORDER BY id").map { row in
            PolicyVersionRecord(version: row[0], json: row[1], firstSeenAt: row[2])
        }
    }

    func setting(_ name: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM settings WHERE name = ?", arguments: [name])
    }

    func recordSettingIfAbsent(_ name: String, value: String) throws -> String {
        try db.execute(sql: "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", arguments: [name, value])
        guard let stored = try setting(name) else { throw StoreError.corrupt(what: "setting \(name) vanished after insert") }
        return stored
    }

    func insertPolicyVersion(_ record: PolicyVersionRecord) throws {
        try db.execute(
            sql: "INSERT INTO policy_versions (version, policy, first_seen_at) VALUES (?, ?, ?)",
            arguments: [record.version, record.json, record.firstSeenAt])
    }
}
