/// The PostgreSQL schema, as explicit, ordered migrations. A migration, once released, never changes.
///
/// Laid out for distributed PostgreSQL (Citus and the like), see docs/scaling.md:
/// - every table that holds a person's data (subjects, interactions, consent_ledger) is keyed by
///   `subject_id`, a number taken from the person's pseudonym (`PostgresSubjectID`), and hash-partitioned on it;
/// - no foreign keys, and no query on the hot path joins across people: a person's reads and writes
///   name their `subject_id` and touch one partition (one shard);
/// - the catalog (items) is small and shared: a reference table;
/// - the audit log, the ledgers and the keys are global and append-mostly: they stay on the coordinator.
enum PostgresSchema {
    /// How many hash partitions hold people's data. Citus replaces these with its own shards.
    static let partitions = 8

    /// The migrations, in order: (identifier, SQL).
    static let migrations: [(id: String, sql: String)] = [
        ("pg-v1-foundation", foundation),
        ("pg-v2-model-artifacts", modelArtifacts),
        ("pg-v3-settings", "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        (
            "pg-v4-model-evaluations",
            """
            CREATE TABLE model_evaluations (
                id BIGSERIAL PRIMARY KEY, algorithm TEXT NOT NULL, artifact_version BIGINT NOT NULL,
                recorded_at BIGINT NOT NULL, k BIGINT NOT NULL, ndcg DOUBLE PRECISION NOT NULL, recall DOUBLE PRECISION NOT NULL,
                baseline_ndcg DOUBLE PRECISION NOT NULL, baseline_recall DOUBLE PRECISION NOT NULL, people BIGINT NOT NULL, pairs BIGINT NOT NULL,
                training_seconds DOUBLE PRECISION NOT NULL)
            """
        ),
        (
            "pg-v5-ads",
            """
            CREATE TABLE ad_campaigns (id TEXT PRIMARY KEY, advertiser TEXT NOT NULL, status TEXT NOT NULL,
                                       created_at BIGINT NOT NULL, definition TEXT NOT NULL);
            CREATE TABLE ad_events (id BIGSERIAL PRIMARY KEY, campaign TEXT NOT NULL, subject_id BIGINT,
                                    kind TEXT NOT NULL, at BIGINT NOT NULL, cost DOUBLE PRECISION NOT NULL, token BYTEA NOT NULL);
            CREATE INDEX ad_events_campaign ON ad_events (campaign, kind);
            CREATE INDEX ad_events_subject ON ad_events (subject_id, at);
            CREATE INDEX ad_events_token ON ad_events (token);
            """
        ),
        // The purpose each event was collected under: NULL for personalization, the common case.
        ("pg-v6-interaction-purpose", "ALTER TABLE interactions ADD COLUMN purpose TEXT"),
        (
            "pg-v7-guard-shared",
            """
            CREATE TABLE guard_events (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, principal TEXT NOT NULL,
                                       person TEXT, route TEXT NOT NULL, kind TEXT NOT NULL, status BIGINT NOT NULL);
            CREATE INDEX guard_events_by_time ON guard_events (at);
            CREATE TABLE guard_states (principal TEXT PRIMARY KEY, updated_at BIGINT NOT NULL, state BYTEA NOT NULL);
            CREATE TABLE guard_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL, cursor BIGINT NOT NULL);
            CREATE TABLE rate_usage (key_id TEXT NOT NULL, server TEXT NOT NULL, second BIGINT NOT NULL, requests BIGINT NOT NULL,
                                     PRIMARY KEY (key_id, server, second));
            CREATE INDEX rate_usage_by_second ON rate_usage (second);
            """
        ),
        // Which catalog rows the operator registered, as against rows an event created: the universe of
        // private releases (see the SQLite migration v15-registered-items).
        (
            "pg-v8-registered-items",
            """
            ALTER TABLE items ADD COLUMN registered BOOLEAN NOT NULL DEFAULT FALSE;
            UPDATE items SET registered = TRUE WHERE title <> '' OR tags <> '[]' OR created_at IS NOT NULL;
            """
        ),
        // Raised by the database on every change to the catalog (see the SQLite migration v16-catalog-version).
        // Writes are serialized by the store's advisory lock, so the one counter row is no point of contention.
        (
            "pg-v9-catalog-version",
            """
            CREATE TABLE catalog_version (id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
            INSERT INTO catalog_version (id, version) VALUES (1, 0);
            CREATE FUNCTION tact_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE catalog_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$;
            CREATE TRIGGER items_changed AFTER INSERT OR UPDATE OR DELETE ON items FOR EACH ROW EXECUTE FUNCTION tact_catalog_changed();
            """
        ),
        // What each key is for, and what the shared Guard's events carry of it (see the SQLite migration v17-key-roles).
        (
            "pg-v10-key-roles",
            """
            ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT '';
            ALTER TABLE guard_events ADD COLUMN role TEXT;
            ALTER TABLE guard_events ADD COLUMN id_order INTEGER;
            """
        ),
        // The person an erasure under way is removing (see the SQLite migration v18-erasure-under-way).
        (
            "pg-v11-erasure-under-way",
            "ALTER TABLE subject_requests ADD COLUMN pending_subject BYTEA CHECK (pending_subject IS NULL OR length(pending_subject) = 32)"
        )
    ]

    private static func partitioned(_ table: String) -> String {
        (0..<partitions).map { r in
            "CREATE TABLE \(table)_p\(r) PARTITION OF \(table) FOR VALUES WITH (MODULUS \(partitions), REMAINDER \(r));"
        }.joined(separator: "\n")
    }

    private static func appendOnly(_ table: String, _ message: String, updates: Bool = true, deletes: Bool = true) -> String {
        var sql = ""
        if updates {
            sql += "CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table) FOR EACH ROW EXECUTE FUNCTION tact_refuse('\(message)');\n"
        }
        if deletes {
            sql += "CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION tact_refuse('\(message)');\n"
        }
        return sql
    }

    static let foundation = """
        CREATE FUNCTION tact_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation'; END $$;

        CREATE TABLE subjects (
            id BIGINT NOT NULL,
            pseudonym BYTEA NOT NULL CHECK (length(pseudonym) = 32),
            created_at BIGINT NOT NULL,
            audit_handle BYTEA NOT NULL CHECK (length(audit_handle) = 16),
            restricted_at BIGINT,
            PRIMARY KEY (id)
        ) PARTITION BY HASH (id);
        \(partitioned("subjects"))
        CREATE INDEX subjects_by_audit_handle ON subjects (audit_handle);
        CREATE INDEX subjects_restricted ON subjects (id) WHERE restricted_at IS NOT NULL;

        CREATE TABLE items (
            id BIGSERIAL PRIMARY KEY,
            external_id TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            created_at BIGINT
        );

        CREATE TABLE interactions (
            subject_id BIGINT NOT NULL,
            id BIGSERIAL NOT NULL,
            item_id BIGINT NOT NULL,
            kind TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            occurred_at BIGINT NOT NULL,
            context TEXT,
            sealed_context BYTEA,
            PRIMARY KEY (subject_id, id)
        ) PARTITION BY HASH (subject_id);
        \(partitioned("interactions"))
        CREATE INDEX interactions_by_subject ON interactions (subject_id) INCLUDE (item_id, kind, value);
        CREATE INDEX interactions_by_item ON interactions (item_id) INCLUDE (subject_id, kind, value);
        CREATE INDEX interactions_by_time ON interactions (occurred_at);

        CREATE TABLE consent_ledger (
            subject_id BIGINT NOT NULL,
            id BIGSERIAL NOT NULL,
            purpose TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('grant', 'deny')),
            source TEXT NOT NULL,
            recorded_at BIGINT NOT NULL,
            policy_version TEXT NOT NULL,
            note TEXT,
            PRIMARY KEY (subject_id, id)
        ) PARTITION BY HASH (subject_id);
        \(partitioned("consent_ledger"))
        CREATE INDEX consent_by_purpose ON consent_ledger (purpose, subject_id, id);
        \(appendOnly("consent_ledger", "the consent ledger is append-only", deletes: false))

        CREATE TABLE refusals (
            purpose TEXT PRIMARY KEY,
            count BIGINT NOT NULL
        );

        CREATE TABLE audit_log (
            id BIGINT PRIMARY KEY,
            at BIGINT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject BYTEA,
            purpose TEXT,
            detail TEXT NOT NULL DEFAULT '',
            hash BYTEA NOT NULL CHECK (length(hash) = 32)
        );
        CREATE INDEX audit_by_subject ON audit_log (subject) WHERE subject IS NOT NULL;
        \(appendOnly("audit_log", "the audit log is append-only"))

        CREATE TABLE audit_checkpoints (
            id BIGINT PRIMARY KEY,
            at BIGINT NOT NULL,
            entry_id BIGINT NOT NULL,
            entry_hash BYTEA NOT NULL CHECK (length(entry_hash) = 32),
            entry_count BIGINT NOT NULL,
            public_key BYTEA NOT NULL CHECK (length(public_key) = 32),
            signature BYTEA NOT NULL CHECK (length(signature) = 64)
        );
        \(appendOnly("audit_checkpoints", "audit checkpoints are append-only"))

        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            secret_hash BYTEA NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
            scopes TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT,
            suspended_at BIGINT,
            suspension_reason TEXT
        );

        CREATE TABLE subject_requests (
            id BIGSERIAL PRIMARY KEY,
            kind TEXT NOT NULL,
            reference BYTEA NOT NULL CHECK (length(reference) = 32),
            actor TEXT NOT NULL,
            received_at BIGINT NOT NULL,
            verified_at BIGINT,
            completed_at BIGINT,
            due_at BIGINT NOT NULL,
            status TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX subject_requests_by_reference ON subject_requests (reference, id);

        CREATE TABLE policy_versions (
            id BIGSERIAL PRIMARY KEY,
            version TEXT NOT NULL UNIQUE,
            policy TEXT NOT NULL,
            first_seen_at BIGINT NOT NULL
        );
        \(appendOnly("policy_versions", "a recorded policy version never changes; give the changed policy a new version"))

        CREATE TABLE retention_runs (
            id BIGSERIAL PRIMARY KEY,
            ran_at BIGINT NOT NULL,
            actor TEXT NOT NULL,
            policy_version TEXT NOT NULL,
            categories TEXT NOT NULL,
            total BIGINT NOT NULL
        );

        CREATE TABLE privacy_ledger (
            id BIGSERIAL PRIMARY KEY,
            dataset TEXT NOT NULL,
            release TEXT NOT NULL,
            mechanism TEXT NOT NULL,
            epsilon DOUBLE PRECISION NOT NULL CHECK (epsilon >= 0),
            delta DOUBLE PRECISION NOT NULL CHECK (delta >= 0 AND delta < 1),
            recorded_at BIGINT NOT NULL
        );
        CREATE INDEX privacy_ledger_by_dataset ON privacy_ledger (dataset, id);
        \(appendOnly("privacy_ledger", "the privacy budget ledger is append-only"))

        CREATE TABLE guard_alerts (
            id BIGSERIAL PRIMARY KEY,
            at BIGINT NOT NULL,
            principal TEXT NOT NULL,
            severity TEXT NOT NULL,
            kind TEXT NOT NULL,
            explanation TEXT NOT NULL,
            persons BIGINT NOT NULL,
            action TEXT NOT NULL
        );
        CREATE INDEX guard_alerts_by_time ON guard_alerts (at);
        """

    /// Trained models, versioned, so that every server sharing the database serves the newest one.
    static let modelArtifacts = """
        CREATE TABLE model_artifacts (
            algorithm TEXT NOT NULL,
            version BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            sha256 BYTEA NOT NULL CHECK (length(sha256) = 32),
            bytes BYTEA NOT NULL,
            PRIMARY KEY (algorithm, version)
        );
        """
}
