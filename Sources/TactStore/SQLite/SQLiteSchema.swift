import GRDB

/// The SQLite schema, as explicit, ordered migrations. A migration, once released, never changes.
enum SQLiteSchema {
    /// The index that finds a person's events, as v1 created it.
    static let interactionsBySubjectV1 = "CREATE INDEX IF NOT EXISTS interactions_by_subject ON interactions(subject_id)"
    /// The index that finds a person's events, covering what serving reads (item, kind, value), so a
    /// recommendation reads a few contiguous index pages instead of one table page per event.
    /// Dropped and rebuilt around bulk loads.
    static let interactionsBySubject = "CREATE INDEX IF NOT EXISTS interactions_by_subject ON interactions(subject_id, item_id, kind, value)"

    /// The index that finds who interacted with an item, covering what re-solving its factors reads:
    /// erasure re-solves the items a person touched, and deleting an item finds its events.
    static let interactionsByItem = "CREATE INDEX IF NOT EXISTS interactions_by_item ON interactions(item_id, subject_id, kind, value)"

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-foundation") { db in
            try db.execute(
                sql: """
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
            try db.execute(
                sql: """
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
        m.registerMigration("v4-subject-rights") { db in
            // Audit entries name a person by a random handle kept beside their pseudonym, never by the
            // pseudonym itself: erasure deletes the handle, and the append-only log no longer links to anyone.
            try db.execute(
                sql: """
                    ALTER TABLE subjects ADD COLUMN audit_handle BLOB;
                    UPDATE subjects SET audit_handle = randomblob(16);
                    CREATE UNIQUE INDEX subjects_by_audit_handle ON subjects(audit_handle);
                    ALTER TABLE subjects ADD COLUMN restricted_at INTEGER;
                    DROP TRIGGER audit_log_no_update;
                    UPDATE audit_log SET subject = (SELECT s.audit_handle FROM subjects s WHERE s.pseudonym = audit_log.subject)
                    WHERE subject IS NOT NULL;
                    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE INDEX audit_by_subject ON audit_log(subject) WHERE subject IS NOT NULL;
                    ALTER TABLE interactions ADD COLUMN sealed_context BLOB;
                    \(interactionsByItem);
                    CREATE TABLE subject_requests (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        reference BLOB NOT NULL CHECK (length(reference) = 32),
                        actor TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        verified_at INTEGER,
                        completed_at INTEGER,
                        due_at INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        detail TEXT NOT NULL DEFAULT ''
                    );
                    CREATE INDEX subject_requests_by_reference ON subject_requests(reference, id);
                    """)
        }
        // After v4-subject-rights (which rewrites audit subjects): the chain covers the values as they are then.
        m.registerMigration("v5-audit-chain") { db in
            try AuditChainMigration.migrate(db)
        }
        m.registerMigration("v6-retention-and-policy-history") { db in
            try db.execute(
                sql: """
                    CREATE TABLE policy_versions (
                        id INTEGER PRIMARY KEY,
                        version TEXT NOT NULL UNIQUE,
                        policy TEXT NOT NULL,
                        first_seen_at INTEGER NOT NULL
                    );
                    CREATE TRIGGER policy_versions_no_update BEFORE UPDATE ON policy_versions
                    BEGIN SELECT RAISE(ABORT, 'a recorded policy version never changes; give the changed policy a new version'); END;
                    CREATE TRIGGER policy_versions_no_delete BEFORE DELETE ON policy_versions
                    BEGIN SELECT RAISE(ABORT, 'the policy history is append-only'); END;
                    CREATE TABLE retention_runs (
                        id INTEGER PRIMARY KEY,
                        ran_at INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        policy_version TEXT NOT NULL,
                        categories TEXT NOT NULL,
                        total INTEGER NOT NULL
                    );
                    """)
        }
        m.registerMigration("v7-privacy-ledger") { db in
            try db.execute(
                sql: """
                    CREATE TABLE privacy_ledger (
                        id INTEGER PRIMARY KEY,
                        dataset TEXT NOT NULL,
                        release TEXT NOT NULL,
                        mechanism TEXT NOT NULL,
                        epsilon REAL NOT NULL CHECK (epsilon >= 0),
                        delta REAL NOT NULL CHECK (delta >= 0 AND delta < 1),
                        recorded_at INTEGER NOT NULL
                    );
                    CREATE INDEX privacy_ledger_by_dataset ON privacy_ledger(dataset, id);
                    CREATE TRIGGER privacy_ledger_no_update BEFORE UPDATE ON privacy_ledger
                    BEGIN SELECT RAISE(ABORT, 'the privacy budget ledger is append-only'); END;
                    CREATE TRIGGER privacy_ledger_no_delete BEFORE DELETE ON privacy_ledger
                    BEGIN SELECT RAISE(ABORT, 'the privacy budget ledger is append-only'); END;
                    """)
        }
        m.registerMigration("v8-guard") { db in
            // A key the Guard suspends stops working until someone reinstates it; its alerts are kept.
            try db.execute(
                sql: """
                    ALTER TABLE api_keys ADD COLUMN suspended_at INTEGER;
                    ALTER TABLE api_keys ADD COLUMN suspension_reason TEXT;
                    CREATE TABLE guard_alerts (
                        id INTEGER PRIMARY KEY,
                        at INTEGER NOT NULL,
                        principal TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        explanation TEXT NOT NULL,
                        persons INTEGER NOT NULL,
                        action TEXT NOT NULL
                    );
                    CREATE INDEX guard_alerts_by_time ON guard_alerts(at);
                    """)
        }
        m.registerMigration("v9-model-artifacts") { db in
            // Trained models, versioned, so that every server sharing the store serves the newest one.
            try db.execute(
                sql: """
                    CREATE TABLE model_artifacts (
                        algorithm TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        sha256 BLOB NOT NULL CHECK (length(sha256) = 32),
                        bytes BLOB NOT NULL,
                        PRIMARY KEY (algorithm, version)
                    );
                    """)
        }
        m.registerMigration("v10-settings") { db in
            // What every process using the database must agree on, such as which secret made the pseudonyms.
            try db.execute(sql: "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        }
        m.registerMigration("v11-model-evaluations") { db in
            // Model quality over time: each training's held-out metrics (no personal data).
            try db.execute(
                sql: """
                    CREATE TABLE model_evaluations (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, algorithm TEXT NOT NULL, artifact_version INTEGER NOT NULL,
                        recorded_at INTEGER NOT NULL, k INTEGER NOT NULL, ndcg REAL NOT NULL, recall REAL NOT NULL,
                        baseline_ndcg REAL NOT NULL, baseline_recall REAL NOT NULL, people INTEGER NOT NULL, pairs INTEGER NOT NULL,
                        training_seconds REAL NOT NULL)
                    """)
        }
        m.registerMigration("v12-ads") { db in
            // Advertising: campaigns (their definition as JSON) and their impressions, clicks and conversions.
            // An event names a person only when their consent let the ad use their interests; erasure removes those.
            try db.execute(
                sql: """
                    CREATE TABLE ad_campaigns (id TEXT PRIMARY KEY, advertiser TEXT NOT NULL, status TEXT NOT NULL,
                                               created_at INTEGER NOT NULL, definition TEXT NOT NULL);
                    CREATE TABLE ad_events (id INTEGER PRIMARY KEY AUTOINCREMENT, campaign TEXT NOT NULL, subject_id INTEGER,
                                            kind TEXT NOT NULL, at INTEGER NOT NULL, cost REAL NOT NULL, token BLOB NOT NULL);
                    CREATE INDEX ad_events_campaign ON ad_events (campaign, kind);
                    CREATE INDEX ad_events_subject ON ad_events (subject_id, at);
                    CREATE INDEX ad_events_token ON ad_events (token);
                    """)
        }
        // The purpose each event was collected under: NULL for personalization, the common case.
        m.registerMigration("v13-interaction-purpose") { db in
            try db.execute(sql: "ALTER TABLE interactions ADD COLUMN purpose TEXT")
        }
        m.registerMigration("v14-guard-shared") { db in
            // The Guard across servers and restarts: accesses every server saw (kept an hour), the
            // long-horizon state per principal, who runs the Guard (a lease), requests per key and second.
            try db.execute(
                sql: """
                    CREATE TABLE guard_events (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, principal TEXT NOT NULL,
                                               person TEXT, route TEXT NOT NULL, kind TEXT NOT NULL, status INTEGER NOT NULL);
                    CREATE INDEX guard_events_by_time ON guard_events (at);
                    CREATE TABLE guard_states (principal TEXT PRIMARY KEY, updated_at INTEGER NOT NULL, state BLOB NOT NULL);
                    CREATE TABLE guard_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL, cursor INTEGER NOT NULL);
                    CREATE TABLE rate_usage (key_id TEXT NOT NULL, server TEXT NOT NULL, second INTEGER NOT NULL, requests INTEGER NOT NULL,
                                             PRIMARY KEY (key_id, server, second));
                    CREATE INDEX rate_usage_by_second ON rate_usage (second);
                    """)
        }
        m.registerMigration("v15-registered-items") { db in
            // Which catalog rows the operator registered (import, the items API), as against rows an event
            // created by naming an unknown item: only registered items make up the universe of private
            // releases, which must not depend on anyone's data. Rows from before carry a title, tags or a
            // creation time when they were registered; bare rows count as created by events.
            try db.execute(
                sql: """
                    ALTER TABLE items ADD COLUMN registered INTEGER NOT NULL DEFAULT 0;
                    UPDATE items SET registered = 1 WHERE title <> '' OR tags <> '[]' OR created_at IS NOT NULL;
                    """)
        }
        m.registerMigration("v16-catalog-version") { db in
            // Raised by the database on every change to the catalog, whoever makes it: servers sharing the
            // file reload their catalog in memory when it moves (`CatalogChangeWatcher`).
            try db.execute(
                sql: """
                    CREATE TABLE catalog_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
                    INSERT INTO catalog_version (id, version) VALUES (1, 0);
                    CREATE TRIGGER items_added AFTER INSERT ON items BEGIN UPDATE catalog_version SET version = version + 1 WHERE id = 1; END;
                    CREATE TRIGGER items_changed AFTER UPDATE ON items BEGIN UPDATE catalog_version SET version = version + 1 WHERE id = 1; END;
                    CREATE TRIGGER items_deleted AFTER DELETE ON items BEGIN UPDATE catalog_version SET version = version + 1 WHERE id = 1; END;
                    """)
        }
        m.registerMigration("v17-key-roles") { db in
            // What each key is for (the Guard's expected shape of access; '' for keys made before: none assigned);
            // the shared Guard's events carry it, and what the person's id said about order (never the id).
            try db.execute(
                sql: """
                    ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT '';
                    ALTER TABLE guard_events ADD COLUMN role TEXT;
                    ALTER TABLE guard_events ADD COLUMN id_order INTEGER;
                    """)
        }
        m.registerMigration("v18-erasure-under-way") { db in
            // The person an erasure is removing, held only while it is under way, so that a process that stops
            // between its steps leaves it to be finished by the next one (`InterruptedErasure`).
            try db.execute(sql: "ALTER TABLE subject_requests ADD COLUMN pending_subject BLOB CHECK (pending_subject IS NULL OR length(pending_subject) = 32)")
        }
        return m
    }
}
