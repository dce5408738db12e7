import Crypto
import TactCore

/// The reference under which data-subject requests (and the tombstone of an erasure) are kept: an
/// HMAC of the person's pseudonym under a key derived from the installation secret. It is not the
/// pseudonym, so it survives erasure without linking the tombstone to anything else still held;
/// whoever holds the secret and the person's id can recompute it and so prove the request was honoured.
public struct RequestReferencer: Sendable {
    private let key: SymmetricKey

    public init(secret: SecretKey) {
        key = secret.derive(purpose: "tact/subject-request/v1")
    }

    /// 32 bytes that identify the person's requests.
    public func reference(for subject: Pseudonym) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: subject.bytes, using: key))
    }
}
