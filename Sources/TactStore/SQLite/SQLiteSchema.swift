import GRDB

/// The SQLite schema, as explicit, ordered migrations. A migration, once released, never changes.
enum SQLiteSchema {
    /// The index that finds a person's events, as v1 created it.
    static let interactionsBySubjectV1 = "CREATE INDEX IF NOT EXISTS interactions_by_subject ON interactions(subject_id)"
    /// The index that finds a person's events, covering what serving reads (item, kind, value), so a
    /// recommendation reads a few contiguous index pages instead of one table page per event.
    /// Dropped and rebuilt around bulk loads.
    static let interactionsBySubject = "CREATE INDEX IF NOT EXISTS interactions_by_subject ON interactions(subject_id, item_id, kind, value)"

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-foundation") { db in
            try db.execute(sql: """
                CREATE TABLE subjects (
                    id INTEGER PRIMARY KEY,
                    pseudonym BLOB NOT NULL UNIQUE CHECK (length(pseudonym) = 32),
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE items (
                    id INTEGER PRIMARY KEY,
                    external_id TEXT NOT NULL UNIQUE,
                    title TEXT NOT NULL DEFAULT '',
                    tags TEXT NOT NULL DEFAULT '[]',
                    created_at INTEGER
                );
                CREATE TABLE interactions (
                    id INTEGER PRIMARY KEY,
                    subject_id INTEGER NOT NULL,
                    item_id INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    value REAL NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    context TEXT
                );
                \(interactionsBySubjectV1);
                CREATE TABLE consent_ledger (
                    id INTEGER PRIMARY KEY,
                    subject_id INTEGER NOT NULL REFERENCES subjects(id),
                    purpose TEXT NOT NULL,
                    decision TEXT NOT NULL CHECK (decision IN ('grant', 'deny')),
                    source TEXT NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    policy_version TEXT NOT NULL,
                    note TEXT
                );
                CREATE INDEX consent_by_subject ON consent_ledger(subject_id, purpose, id);
                CREATE INDEX consent_by_purpose ON consent_ledger(purpose, subject_id, id);
                CREATE TRIGGER consent_ledger_is_append_only BEFORE UPDATE ON consent_ledger
                BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
                CREATE TABLE refusals (
                    purpose TEXT PRIMARY KEY,
                    count INTEGER NOT NULL
                );
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject BLOB,
                    purpose TEXT,
                    detail TEXT NOT NULL DEFAULT ''
                );
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        m.registerMigration("v2-api-keys") { db in
            try db.execute(sql: """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    secret_hash BLOB NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
                    scopes TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                """)
        }
        m.registerMigration("v3-covering-history-index") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS interactions_by_subject")
            try db.execute(sql: interactionsBySubject)
        }
        // After v4-subject-rights (which rewrites audit subjects): the chain covers the values as they are then.
        m.registerMigration("v5-audit-chain") { db in
            try AuditChainMigration.migrate(db)
        }
        return m
    }
}
