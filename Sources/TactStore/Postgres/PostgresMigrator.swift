import Foundation

/// Applies `PostgresSchema.migrations` that a database lacks, in order, each in its own transaction,
/// under an advisory lock so that servers starting at once do not race.
struct PostgresMigrator {
    let url: PostgresURL
    static let lockKey: Int64 = 0x5441_4356

    func migrate(_ db: PostgresStatements) throws {
        try db.execute("SELECT pg_advisory_lock(\(Self.lockKey))")
        defer { _ = try? db.execute("SELECT pg_advisory_unlock(\(Self.lockKey))") }
        try db.execute("CREATE TABLE IF NOT EXISTS tact_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
        let applied = Set(try db.rows("SELECT id FROM tact_migrations").map { try $0.text(0) })
        let known = Set(PostgresSchema.migrations.map(\.id))
        if let unknown = applied.subtracting(known).sorted().first {
            throw StoreError.newerSchema(path: url.description, found: unknown)
        }
        for migration in PostgresSchema.migrations where !applied.contains(migration.id) {
            try db.execute("BEGIN")
            do {
                for statement in SQLScript.statements(migration.sql) { try db.execute(statement) }
                try db.execute(
                    "INSERT INTO tact_migrations (id, applied_at) VALUES ($1, $2)",
                    [.text(migration.id), .int(Int64(Date().timeIntervalSince1970))])
                try db.execute("COMMIT")
            } catch {
                _ = try? db.execute("ROLLBACK")
                throw error
            }
        }
    }
}
