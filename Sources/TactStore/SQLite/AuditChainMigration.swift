import Foundation
import GRDB

/// Migration v5: a chain hash on every audit entry (computed here for the entries already kept) and the
/// table of signed checkpoints. Both tables are append-only.
enum AuditChainMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP TRIGGER audit_log_no_update;
                ALTER TABLE audit_log ADD COLUMN hash BLOB;
                """)
        var previous = AuditChain.genesis
        var after: Int64 = 0
        let update = try db.makeStatement(sql: "UPDATE audit_log SET hash = ? WHERE id = ?")
        while true {
            // In pages, so that no update runs while a query over the same table is being stepped.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, at, actor, action, subject, purpose, detail FROM audit_log WHERE id > ? ORDER BY id LIMIT 10000
                    """, arguments: [after])
            if rows.isEmpty { break }
            for row in rows {
                let stored = SQLiteSession.auditRow(from: row, hash: nil)
                let hash = AuditChain.hash(of: stored, previous: previous)
                try update.execute(arguments: [Data(hash), stored.id])
                previous = hash
                after = stored.id
            }
        }
        try db.execute(
            sql: """
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TABLE audit_checkpoints (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    entry_id INTEGER NOT NULL,
                    entry_hash BLOB NOT NULL CHECK (length(entry_hash) = 32),
                    entry_count INTEGER NOT NULL,
                    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
                    signature BLOB NOT NULL CHECK (length(signature) = 64)
                );
                CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
                BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
                CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
                BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
                """)
    }
}
