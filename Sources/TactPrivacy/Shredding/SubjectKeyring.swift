import Crypto
import Foundation
import TactCore

/// Per-person keys for crypto-shredding: a person's free text (the context of their events) is sealed
/// under their own random key, and that key is kept, wrapped, in a key vault outside the database.
/// Once the key is shredded, every copy of the sealed text (backups included) is unreadable.
///
/// Keys are wrapped with AES-GCM under a key derived from the installation secret and bound to the
/// person's pseudonym, so a vault copied on its own is useless, and a wrapped key moved to another
/// person does not open. Sealed text is AES-GCM under the person's key, bound to the pseudonym too.
public struct SubjectKeyring: Sendable {
    private let wrappingKey: SymmetricKey

    public init(secret: SecretKey) {
        wrappingKey = secret.derive(purpose: "tact/subject-keys/v1")
    }

    /// A fresh person key, and its wrapped form for the vault.
    public func newKey(for subject: Pseudonym) -> (key: SubjectKey, wrapped: [UInt8]) {
        let key = SymmetricKey(size: .bits256)
        let wrapped = key.withUnsafeBytes { raw in
            // AES-GCM never fails to seal with a valid 256-bit key.
            try! AES.GCM.seal(Array(raw), using: wrappingKey, authenticating: subject.bytes).combined!
        }
        return (SubjectKey(key: key, subject: subject), Array(wrapped))
    }

    /// The person key inside `wrapped`; throws if it was not wrapped for this person under this secret.
    public func unwrap(_ wrapped: [UInt8], for subject: Pseudonym) throws(SealingError) -> SubjectKey {
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped)
            let raw = try AES.GCM.open(box, using: wrappingKey, authenticating: subject.bytes)
            guard raw.count == 32 else { throw SealingError.corrupt }
            return SubjectKey(key: SymmetricKey(data: raw), subject: subject)
        } catch let error as SealingError {
            throw error
        } catch {
            throw .corrupt
        }
    }
}

/// One person's key: seals and opens their free text.
public struct SubjectKey: Sendable {
    let key: SymmetricKey
    let subject: Pseudonym

    /// `text` encrypted and authenticated: nonce ‖ ciphertext ‖ tag.
    public func seal(_ text: String) -> [UInt8] {
        Array(try! AES.GCM.seal(Array(text.utf8), using: key, authenticating: subject.bytes).combined!)
    }

    /// The random-looking name a backup gives this person in place of their pseudonym (`tact backup`): an HMAC
    /// of the pseudonym under the person's own key. Only the key vault can map it back, so once erasure
    /// shreds the key, nothing in a backup taken before can be tied to the person again.
    public func backupLink() -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array("tact/backup-link/v1".utf8) + subject.bytes, using: key))
    }

    /// The text sealed in `sealed`; throws if it was sealed under another key or altered.
    public func open(_ sealed: [UInt8]) throws(SealingError) -> String {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            let bytes = try AES.GCM.open(box, using: key, authenticating: subject.bytes)
            guard let text = String(bytes: bytes, encoding: .utf8) else { throw SealingError.corrupt }
            return text
        } catch let error as SealingError {
            throw error
        } catch {
            throw .corrupt
        }
    }
}

/// Sealed data that cannot be opened: altered, or sealed under another key or for another person.
public enum SealingError: Error, CustomStringConvertible {
    case corrupt

    public var description: String {
        "sealed data could not be opened: it was altered, or its key belongs to another person or installation"
    }
}
