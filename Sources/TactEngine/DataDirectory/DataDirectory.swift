import Foundation
import TactCore
import TactPrivacy
import TactStore

/// The folder that holds one installation: the database, the secret, the configuration and the policy.
///
///     tact-data/
///       tact.sqlite     pseudonyms, items, interactions, consent ledger, audit log
///       secret.key      the pseudonym secret (mode 0600; or TACT_SECRET instead)
///       config.json     consent mode and format version
///       policy.json     the privacy policy in force (edit it; the built-in one is used when absent)
///       keys.sqlite     per-person keys (wrapped) that seal free text; erasure shreds them (mode 0600)
///       models/         trained models (mode 0700)
///       audit-signing.key         the Ed25519 key that signs audit checkpoints (mode 0600; or TACT_AUDIT_KEY), made on first use
///       audit-checkpoints.log     every signed checkpoint of the audit log, one line each, append-only
///
/// With `--database postgres://…` (or `TACT_DATABASE_URL`), the store and the key vault live in
/// PostgreSQL instead of the two SQLite files, so several servers can share them (docs/scaling.md);
/// the directory still holds the configuration, the policy and the local copies of models.
public struct DataDirectory: Sendable {
    public let path: String
    /// Where TACT_SECRET is looked up (the process environment unless a test supplies another).
    public let environment: [String: String]
    /// The database named on the command line, if any (else TACT_DATABASE_URL, else the SQLite file).
    public let database: String?

    public init(path: String, database: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.path = path
        self.database = database
        self.environment = environment
    }

    /// The SQLite file used when no other database is named.
    public var databasePath: String { path + "/tact.sqlite" }

    /// Where the store is: `--database`, else TACT_DATABASE_URL, else the SQLite file in the directory.
    /// A postgres:// address names PostgreSQL; anything else is a SQLite file's path.
    public var databaseAddress: String {
        if let database, !database.isEmpty { return database }
        if let fromEnvironment = environment["TACT_DATABASE_URL"], !fromEnvironment.isEmpty { return fromEnvironment }
        return databasePath
    }

    /// The database's address for people to read: a PostgreSQL address without its password.
    public var databaseDescription: String {
        usesPostgres ? ((try? PostgresURL(databaseAddress))?.description ?? "a PostgreSQL database") : databaseAddress
    }

    /// Whether the store is a PostgreSQL database.
    public var usesPostgres: Bool { PostgresURL.isPostgres(databaseAddress) }

    /// Opens the store (migrating it when needed).
    public func openStore() throws -> any Store {
        let address = databaseAddress
        return PostgresURL.isPostgres(address) ? try PostgresStore(address: address) : try SQLiteStore(path: address)
    }

    /// Opens the key vault: TACT_KEY_VAULT_URL when set; else, with a PostgreSQL store, a table in the
    /// same database; else keys.sqlite in the directory.
    public func openKeyVault() throws -> any KeyVault {
        if let vault = environment["TACT_KEY_VAULT_URL"], !vault.isEmpty {
            return PostgresURL.isPostgres(vault) ? try PostgresKeyVault(url: PostgresURL(vault)) : try SQLiteKeyVault(path: vault)
        }
        return usesPostgres ? try PostgresKeyVault(url: PostgresURL(databaseAddress)) : try SQLiteKeyVault(path: keyVaultPath)
    }
    public var secretPath: String { path + "/secret.key" }
    /// The per-person key vault: apart from the database, so backups of one lack the other.
    public var keyVaultPath: String { path + "/keys.sqlite" }
    public var configPath: String { path + "/config.json" }
    public var policyPath: String { path + "/policy.json" }
    public var auditSigningKeyPath: String { path + "/audit-signing.key" }
    public var auditCheckpointsPath: String { path + "/audit-checkpoints.log" }

    public var isInitialized: Bool { FileManager.default.fileExists(atPath: configPath) }

    /// Creates the directory, its secret (unless TACT_SECRET is set), configuration, policy and database.
    /// Returns false, changing nothing, if the directory was already initialized.
    @discardableResult
    public func initialize(mode: ConsentMode, policy: PrivacyPolicy = .builtIn) throws -> Bool {
        if isInitialized { return false }
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw EngineError.invalidArgument("cannot create the data directory \(path): \(error.localizedDescription)")
        }
        // The directory's own database file without its configuration: a damaged directory, not a new one.
        // (A database named with --database may already serve other directories.)
        if databaseAddress == databasePath && fm.fileExists(atPath: databasePath) {
            throw EngineError.invalidArgument("\(path) holds a database but no config.json; restore config.json instead of initializing again")
        }
        // A directory that existed already (or that another program made) may be open to others.
        PrivateMode.applyToTree(path)
        let secret: SecretKey
        if let fromEnvironment = try SecretFile.fromEnvironment(environment) {
            secret = fromEnvironment
        } else if fm.fileExists(atPath: secretPath) {
            secret = try SecretFile.load(path: secretPath)
        } else {
            secret = try SecretFile.create(path: secretPath)
        }
        try policy.validate()
        try policy.jsonData().write(to: URL(fileURLWithPath: policyPath), options: .atomic)
        _ = try openStore()
        try TactConfiguration(consentMode: mode, secretCheck: SecretFile.checkValue(secret)).write(path: configPath)
        PrivateMode.applyToTree(path)
        return true
    }

    /// Opens an initialized directory: checks the secret, loads configuration and policy, opens the store,
    /// and records the policy's version in the store's history when it is new.
    public func open() throws -> Engine {
        guard isInitialized else { throw EngineError.notInitialized(path: path) }
        let config = try TactConfiguration.load(path: configPath)
        let secret = try SecretFile.fromEnvironment(environment) ?? SecretFile.load(path: secretPath)
        guard SecretFile.checkValue(secret) == config.secretCheck else { throw EngineError.secretMismatch(path: secretPath) }
        var policy = PrivacyPolicy.builtIn
        var policySource = "the built-in policy"
        if let data = FileManager.default.contents(atPath: policyPath) {
            do { policy = try PrivacyPolicy.load(json: data) } catch {
                throw EngineError.configInvalid(path: policyPath, field: error.field, message: error.message)
            }
            policySource = policyPath
        }
        let store = try openStore()
        try checkSharedSettings(store, config)
        // A policy version seen for the first time joins the history; a changed text under a recorded version is refused.
        try PolicyHistory(store: store).record(policy, at: Int64(Date().timeIntervalSince1970), source: policySource)
        let vault = try openKeyVault()
        // Whoever made a file here (a backup restored, a copy, another tool), it is private from now on.
        let loosened = PrivateMode.applyToTree(path)
        let engine = try Engine(directory: self, configuration: config, policy: policy, store: store, vault: vault, secret: secret)
        // An erasure that a stopped process left under way is finished before this process reads anything. If it
        // cannot be, its request is recorded as refused (with the reason) and the store stays usable.
        do { try SubjectRights(engine: engine).finishInterruptedErasures() } catch {
            engine.logger.error("could not finish an erasure that a stopped process left under way", metadata: ["error": "\(error)"])
        }
        if !loosened.isEmpty {
            engine.logger.warning(
                "files in the data directory were readable by others; they are private now",
                metadata: ["directory": "\(path)", "files": "\(loosened.prefix(10).joined(separator: ", "))"])
        }
        return engine
    }

    /// Records (the first time) or checks the settings every data directory sharing the database must
    /// agree on: a second server with another secret would give everyone new pseudonyms, and one with
    /// another consent mode would apply other defaults.
    private func checkSharedSettings(_ store: any Store, _ config: TactConfiguration) throws {
        let expected = ["pseudonym secret": config.secretCheck, "consent mode": config.consentMode.rawValue]
        var recorded = try store.read { r in try expected.keys.reduce(into: [String: String]()) { $0[$1] = try r.setting($1) } }
        if recorded.count < expected.count {
            // The first open (or one after an upgrade): recorded now, unless another process got there first.
            recorded = try store.write { w in
                try expected.reduce(into: [String: String]()) { $0[$1.key] = try w.recordSettingIfAbsent($1.key, value: $1.value) }
            }
        }
        for (name, value) in expected where recorded[name] != value {
            throw EngineError.databaseMismatch(database: databaseDescription, setting: name)
        }
    }

    /// Opens the directory, initializing it first (opt-in, built-in policy) when it does not exist yet.
    public func openOrCreate(defaultMode: ConsentMode = .optIn) throws -> (engine: Engine, created: Bool) {
        let created = try initialize(mode: defaultMode)
        return (try open(), created)
    }
}
