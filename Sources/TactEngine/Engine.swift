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
    public var gate: ConsentGate { ConsentGate(mode: configuration.consentMode) }
    /// Operational log. Lines carry counts, names and pseudonym prefixes, never raw ids, free text or secrets.
    public let logger = Logger(label: "tact")

    /// Without `personTokens`, tokens are signed under a fresh random key and only this engine accepts them.
    public init(directory: DataDirectory, configuration: TactConfiguration, policy: PrivacyPolicy, store: any Store, pseudonymizer: Pseudonymizer,
                personTokens: PersonTokenSigner = PersonTokenSigner(secret: .generate())) {
        self.directory = directory
        self.configuration = configuration
        self.policy = policy
        self.store = store
        self.pseudonymizer = pseudonymizer
        self.personTokens = personTokens
    }

    public func statistics() throws -> StoreStatistics {
        try store.read { try $0.statistics() }
    }
}
