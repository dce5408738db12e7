import Crypto
import TactCore

/// Turns external user ids into keyed pseudonyms: HMAC-SHA256 under a key derived from the
/// installation secret. The same id always gives the same pseudonym; without the secret,
/// a pseudonym cannot be linked back to the id, nor computed from a guessed id.
public struct Pseudonymizer: Sendable {
    private let key: SymmetricKey

    public init(secret: SecretKey) {
        key = secret.derive(purpose: "tact/pseudonym/v1")
    }

    public func pseudonym(for externalID: String) -> Pseudonym {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(externalID.utf8), using: key)
        return Pseudonym(bytes: Array(mac))
    }
}
