import TactCore

/// Where per-person keys live, apart from the store, so that backups of the store hold only sealed
/// text. Keys are stored wrapped (see `SubjectKeyring`); the vault never sees one in the clear.
public protocol KeyVault: Sendable {
    /// The wrapped keys of these people (absent when none was made).
    func wrappedKeys(for subjects: [Pseudonym]) throws -> [Pseudonym: [UInt8]]
    /// Stores keys for people who have none yet and returns, for each, the key now stored: the one
    /// given, or one another writer stored first.
    func insertIfAbsent(_ keys: [Pseudonym: [UInt8]]) throws -> [Pseudonym: [UInt8]]
    /// Destroys a person's key (overwriting it on disk); false if there was none.
    func shred(_ subject: Pseudonym) throws -> Bool
    /// Every person who holds a key (a restore maps a backup's links back through them).
    func subjects() throws -> [Pseudonym]
    /// How many keys are held.
    func count() throws -> Int
}
