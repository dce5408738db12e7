import Crypto
import Foundation
import GRDB
import GRDBSQLite
import TactCore

/// SQLiteSession's part of `APIKeyReader` and `APIKeyWriter`: aPI keys: stored as the SHA-256 of their secret, with revocation and the Guard's suspension.
extension SQLiteSession {
    func apiKeys() throws -> [APIKeyRecord] {
        try Row.fetchAll(
            db, sql: "SELECT id, name, scopes, created_at, revoked_at, suspended_at, suspension_reason, role FROM api_keys ORDER BY created_at, id"
        ).map(Self.apiKey(from:))
    }

    func apiKey(secretHash: [UInt8]) throws -> APIKeyRecord? {
        let statement = try db.cachedStatement(
            sql: "SELECT id, name, scopes, created_at, revoked_at, suspended_at, suspension_reason, role FROM api_keys WHERE secret_hash = ?")
        return try Row.fetchOne(statement, arguments: [Data(secretHash)]).map(Self.apiKey(from:))
    }

    static func apiKey(from row: Row) throws -> APIKeyRecord {
        let id: String = row[0]
        let scopesJSON: String = row[2]
        guard let scopes = try? JSONDecoder().decode([String].self, from: Data(scopesJSON.utf8)) else {
            throw StoreError.corrupt(what: "scopes of API key \(id)")
        }
        return APIKeyRecord(
            id: id, name: row[1], scopes: scopes, role: row[7], createdAt: row[3], revokedAt: row[4], suspendedAt: row[5], suspensionReason: row[6])
    }

    func insertAPIKey(_ record: APIKeyRecord, secretHash: [UInt8]) throws {
        let scopes = String(decoding: try JSONEncoder().encode(record.scopes.sorted()), as: UTF8.self)
        try db.execute(
            sql: "INSERT INTO api_keys (id, name, secret_hash, scopes, created_at, revoked_at, role) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [record.id, record.name, Data(secretHash), scopes, record.createdAt, record.revokedAt, record.role])
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

    func setAPIKeyRole(id: String, role: String) throws -> Bool {
        try db.execute(sql: "UPDATE api_keys SET role = ? WHERE id = ?", arguments: [role, id])
        return db.changesCount > 0
    }

    func reinstateAPIKey(id: String) throws -> Bool {
        try db.execute(sql: "UPDATE api_keys SET suspended_at = NULL, suspension_reason = NULL WHERE id = ? AND suspended_at IS NOT NULL", arguments: [id])
        return db.changesCount > 0
    }
}
