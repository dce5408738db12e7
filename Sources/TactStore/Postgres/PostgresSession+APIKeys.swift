import Crypto
import Foundation
import PostgresNIO
import TactCore

/// PostgresSession's part of `APIKeyReader` and `APIKeyWriter`: aPI keys: stored as the SHA-256 of their secret, with revocation and the Guard's suspension.
extension PostgresSession {
    static let apiKeyColumns = "id, name, scopes, created_at, revoked_at, suspended_at, suspension_reason, role"

    func apiKeys() throws -> [APIKeyRecord] {
        try rows("SELECT \(Self.apiKeyColumns) FROM api_keys ORDER BY created_at, id").map(Self.apiKey(from:))
    }

    func apiKey(secretHash: [UInt8]) throws -> APIKeyRecord? {
        try rows("SELECT \(Self.apiKeyColumns) FROM api_keys WHERE secret_hash = $1", [.bytes(secretHash)]).first.map(Self.apiKey(from:))
    }

    static func apiKey(from row: PostgresRandomAccessRow) throws -> APIKeyRecord {
        let id = try row.text(0)
        guard let scopes = try? JSONDecoder().decode([String].self, from: Data(try row.text(2).utf8)) else {
            throw StoreError.corrupt(what: "scopes of API key \(id)")
        }
        return APIKeyRecord(
            id: id, name: try row.text(1), scopes: scopes, role: try row.text(7), createdAt: try row.int(3), revokedAt: try row.optionalInt(4),
            suspendedAt: try row.optionalInt(5), suspensionReason: try row.optionalText(6))
    }

    func insertAPIKey(_ record: APIKeyRecord, secretHash: [UInt8]) throws {
        let scopes = String(decoding: try JSONEncoder().encode(record.scopes.sorted()), as: UTF8.self)
        try execute(
            "INSERT INTO api_keys (id, name, secret_hash, scopes, created_at, revoked_at, role) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [.text(record.id), .text(record.name), .bytes(secretHash), .text(scopes), .int(record.createdAt), .int(record.revokedAt), .text(record.role)])
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

    func setAPIKeyRole(id: String, role: String) throws -> Bool {
        try execute("UPDATE api_keys SET role = $1 WHERE id = $2", [.text(role), .text(id)]) > 0
    }

    func reinstateAPIKey(id: String) throws -> Bool {
        try execute("UPDATE api_keys SET suspended_at = NULL, suspension_reason = NULL WHERE id = $1 AND suspended_at IS NOT NULL", [.text(id)]) > 0
    }
}
