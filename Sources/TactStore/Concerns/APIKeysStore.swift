import Foundation
import TactCore

/// API keys: stored as the SHA-256 of their secret, with revocation and the Guard's suspension.
/// Read inside any `Store.read` or `Store.write`; `StoreReader` composes every concern's reader.
public protocol APIKeyReader {
    /// Every API key, revoked ones included, oldest first (by creation time, then id).
    func apiKeys() throws -> [APIKeyRecord]
    /// The key whose secret has this SHA-256, revoked or not; nil if none.
    func apiKey(secretHash: [UInt8]) throws -> APIKeyRecord?
}

/// Changes to aPI keys, inside a `Store.write`; `StoreWriter` composes every concern's writer.
public protocol APIKeyWriter {
    /// Adds an API key, stored with the SHA-256 (32 bytes) of its secret text; the id must be new.
    func insertAPIKey(_ record: APIKeyRecord, secretHash: [UInt8]) throws
    /// Marks a key revoked at `at`; false if there is no such key. A key revoked before keeps its first time.
    func revokeAPIKey(id: String, at: Int64) throws -> Bool
    /// Suspends a key (the Guard's mitigation); false if there is no such key. A suspended key keeps its first time.
    func suspendAPIKey(id: String, at: Int64, reason: String) throws -> Bool
    /// Lifts a suspension; false if there is no such key or it was not suspended.
    func reinstateAPIKey(id: String) throws -> Bool
    /// Gives a key another role (its text form, see `APIKeyRecord.role`); false if there is no such key.
    func setAPIKeyRole(id: String, role: String) throws -> Bool
}
