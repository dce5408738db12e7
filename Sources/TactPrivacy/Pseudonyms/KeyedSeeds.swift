import Crypto
import TactCore

/// Stable, secret random seeds per person: the first 8 bytes of an HMAC of the pseudonym under a key
/// derived for one purpose only (advertising topics), so nobody without the installation secret can
/// predict a person's draws, and no other keyed value of theirs is reused.
public struct KeyedSeeds: Sendable {
    private let key: SymmetricKey

    public init(secret: SecretKey, purpose: String) {
        key = secret.derive(purpose: purpose)
    }

    public func seed(for pseudonym: Pseudonym) -> UInt64 {
        let mac = HMAC<SHA256>.authenticationCode(for: pseudonym.bytes, using: key)
        return Array(mac).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
