import Foundation
import TactCore

/// The key vault in PostgreSQL, for servers that share a database: a table of its own (`tact_vault_keys`),
/// best kept in another database than the store's (`--key-vault postgres://…`), so that a backup of
/// one lacks the other. A shredded key is deleted; PostgreSQL reclaims the row at its next vacuum,
/// which the vault asks for after each shred.
public final class PostgresKeyVault: KeyVault {
    public let url: PostgresURL
    private let pool: PostgresConnectionPool

    public init(url: PostgresURL) throws {
        self.url = url
        pool = try PostgresConnectionPool(url: url)
        try pool.withConnection { db in
            try db.execute(
                """
                CREATE TABLE IF NOT EXISTS tact_vault_keys (
                    pseudonym BYTEA PRIMARY KEY CHECK (length(pseudonym) = 32),
                    wrapped BYTEA NOT NULL
                )
                """)
        }
    }

    public func wrappedKeys(for subjects: [Pseudonym]) throws -> [Pseudonym: [UInt8]] {
        guard !subjects.isEmpty else { return [:] }
        return try pool.withConnection { db in try Self.keys(of: subjects.map(\.bytes), db) }
    }

    private static func keys(of pseudonyms: [[UInt8]], _ db: PostgresStatements) throws -> [Pseudonym: [UInt8]] {
        var result: [Pseudonym: [UInt8]] = [:]
        for row in try db.rows("SELECT pseudonym, wrapped FROM tact_vault_keys WHERE pseudonym = ANY($1::bytea[])", [.byteArrays(pseudonyms)]) {
            result[Pseudonym(bytes: try row.bytes(0))] = try row.bytes(1)
        }
        return result
    }

    /// Inserts, keeping any key another writer stored first, and returns the keys kept: two statements
    /// for the whole batch.
    public func insertIfAbsent(_ keys: [Pseudonym: [UInt8]]) throws -> [Pseudonym: [UInt8]] {
        guard !keys.isEmpty else { return [:] }
        let entries = Array(keys)
        return try pool.withConnection { db in
            try db.execute(
                """
                INSERT INTO tact_vault_keys (pseudonym, wrapped) SELECT * FROM unnest($1::bytea[], $2::bytea[]) ON CONFLICT (pseudonym) DO NOTHING
                """, [.byteArrays(entries.map(\.key.bytes)), .byteArrays(entries.map(\.value))])
            let stored = try Self.keys(of: entries.map(\.key.bytes), db)
            guard stored.count == keys.count else { throw StoreError.corrupt(what: "a key vanished from the key vault while being stored") }
            return stored
        }
    }

    public func shred(_ subject: Pseudonym) throws -> Bool {
        try pool.withConnection { db in
            let removed = try db.execute("DELETE FROM tact_vault_keys WHERE pseudonym = $1", [.bytes(subject.bytes)]) > 0
            if removed { _ = try? db.execute("VACUUM tact_vault_keys") }
            return removed
        }
    }

    public func subjects() throws -> [Pseudonym] {
        try pool.withConnection { db in
            try db.rows("SELECT pseudonym FROM tact_vault_keys").map { row in
                let bytes = try row.bytes(0)
                guard bytes.count == Pseudonym.byteCount else { throw StoreError.corrupt(what: "a pseudonym in the key vault") }
                return Pseudonym(bytes: bytes)
            }
        }
    }

    public func count() throws -> Int {
        try pool.withConnection { db in
            Int(try db.rows("SELECT COUNT(*) FROM tact_vault_keys").first?.int(0) ?? 0)
        }
    }
}
