import Crypto
import Foundation
import PostgresNIO
import TactCore

/// PostgresSession's part of `SettingsReader` and `SettingsWriter`: settings every process must agree on, and the privacy policy's recorded versions.
extension PostgresSession {
    func policyVersions() throws -> [PolicyVersionRecord] {
        try rows("SELECT version, policy, first_seen_at FROM policy_versions ORDER BY id").map {
            PolicyVersionRecord(version: try $0.text(0), json: try $0.text(1), firstSeenAt: try $0.int(2))
        }
    }

    func setting(_ name: String) throws -> String? {
        try rows("SELECT value FROM settings WHERE name = $1", [.text(name)]).first.map { try $0.text(0) }
    }

    func recordSettingIfAbsent(_ name: String, value: String) throws -> String {
        try execute("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [.text(name), .text(value)])
        guard let stored = try setting(name) else { throw StoreError.corrupt(what: "setting \(name) vanished after insert") }
        return stored
    }

    func insertPolicyVersion(_ record: PolicyVersionRecord) throws {
        try execute(
            "INSERT INTO policy_versions (version, policy, first_seen_at) VALUES ($1, $2, $3)",
            [.text(record.version), .text(record.json), .int(record.firstSeenAt)])
    }
}
