import Foundation
import TactCore
import TactPrivacy
import TactStore

/// The names people go by in a backup: each person's backup link (`SubjectKey.backupLink`), made from their
/// own key in the key vault. Erasure shreds the key, so a backup taken before cannot be tied to the person
/// again: not by the secret, not by their id, only by a vault that still holds the key.
struct BackupLinks {
    let keyring: SubjectKeyring
    let vault: any KeyVault

    /// The link of each of `people`, making and storing a key for those who have none. The caller holds the
    /// model lock, which every erasure takes: no key is made again for someone being erased.
    func links(for people: [Pseudonym]) throws -> [Pseudonym: [UInt8]] {
        var wrapped = try vault.wrappedKeys(for: people)
        var made: [Pseudonym: [UInt8]] = [:]
        for person in people where wrapped[person] == nil { made[person] = keyring.newKey(for: person).wrapped }
        if !made.isEmpty { wrapped.merge(try vault.insertIfAbsent(made)) { $1 } }
        return try links(wrapped)
    }

    /// The link of each of `people` who holds a key already (no key is made).
    func existingLinks(for people: [Pseudonym]) throws -> [Pseudonym: [UInt8]] {
        try links(vault.wrappedKeys(for: people))
    }

    /// The person behind each link, for everyone the vault holds a key for.
    func people() throws -> [[UInt8]: Pseudonym] {
        var result: [[UInt8]: Pseudonym] = [:]
        for (person, link) in try links(vault.wrappedKeys(for: vault.subjects())) { result[link] = person }
        return result
    }

    private func links(_ wrapped: [Pseudonym: [UInt8]]) throws -> [Pseudonym: [UInt8]] {
        try wrapped.reduce(into: [:]) { result, entry in result[entry.key] = try keyring.unwrap(entry.value, for: entry.key).backupLink() }
    }
}
