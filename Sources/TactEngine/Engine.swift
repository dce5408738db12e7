import Logging
import TactCore
import TactPrivacy
import TactStore

/// One opened installation: what every command and the server work through.
public final class Engine: Sendable {
    public let directory: DataDirectory
    public let configuration: TactConfiguration
    public let policy: PrivacyPolicy
    public let store: any Store
    public let pseudonymizer: Pseudonymizer
    /// Signs and checks person tokens, under a key derived from the same secret as the pseudonyms.
    public let personTokens: PersonTokenSigner
    /// Signs and checks operator console sessions.
    public let operatorSessions: OperatorSessionSigner
    /// Makes and checks the anti-forgery tokens of web forms.
    public let formTokens: FormTokenSigner
    /// Each person's secret seed for the random draws of advertising topics.
    public let adTopicSeeds: KeyedSeeds
    /// Per-person keys (wrapped), kept outside the store so that erasure can shred them.
    public let vault: any KeyVault
    /// Makes, wraps and unwraps per-person keys.
    public let keyring: SubjectKeyring
    /// The references data-subject requests are kept under.
    public let requestReferences: RequestReferencer
    public var gate: ConsentGate { ConsentGate(mode: configuration.consentMode) }
    /// Scrubs personal data from free text before it is stored (nil when the policy turns it off).
    public let scrubber: PIIRedactor?
    /// Operational log. Lines carry counts, names and pseudonym prefixes, never raw ids, free text or secrets.
    public let logger = Logger(label: "tact")

    /// Every key (pseudonyms, person tokens, person keys, request references) is derived from `secret`.
    public init(
        directory: DataDirectory, configuration: TactConfiguration, policy: PrivacyPolicy, store: any Store, vault: any KeyVault,
        secret: SecretKey
    ) throws {
        self.vault = vault
        scrubber = try (configuration.piiScrubbing ?? .standard).redactor(key: SymmetricKeyMaterial(secret.derive(purpose: "tact-pii-scrubbing")))
        keyring = SubjectKeyring(secret: secret)
        requestReferences = RequestReferencer(secret: secret)
        let pseudonymizer = Pseudonymizer(secret: secret)
        let personTokens = PersonTokenSigner(secret: secret)
        self.directory = directory
        self.configuration = configuration
        self.policy = policy
        self.store = store
        self.pseudonymizer = pseudonymizer
        self.personTokens = personTokens
        operatorSessions = OperatorSessionSigner(secret: secret)
        formTokens = FormTokenSigner(secret: secret)
        adTopicSeeds = KeyedSeeds(secret: secret, purpose: "tact/ad-topics/v1")
    }

    public func statistics() throws -> StoreStatistics {
        try store.read { try $0.statistics() }
    }

    /// How much storage the database takes, in bytes (nil when the store cannot tell).
    public func storageBytes() throws -> Int64? { try store.sizeInBytes() }

    /// Throws unless the store answers a query now (readiness).
    public func checkStoreAnswers() throws {
        _ = try store.read { try $0.itemRow(for: "") }
    }

    /// Why the store's last write failed for want of storage (a full disk, read-only storage), if that was
    /// recent and no write has succeeded since (readiness reports it).
    public var storeWriteFault: String? { store.recentWriteFault }

    /// A watcher for commits by other processes (nil when the store cannot tell): caches of what the store holds use it.
    public func storeChangeWatcher() throws -> (any StoreChangeWatcher)? { try store.changeWatcher() }

    /// Whether a store query waits on a database server (then async callers run it on threads that may block).
    public var storeWaitsOnNetwork: Bool { store.waitsOnNetwork }

    /// Whether several servers may share this store (a database server, not a local file).
    public var storeIsShared: Bool { store is PostgresStore }
}
