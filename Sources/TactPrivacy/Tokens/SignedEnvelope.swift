import Crypto
import Foundation
import TactCore

/// `PREFIX.<payload>.<signature>`: the payload in base64url and HMAC-SHA256 of `PREFIX.<payload>` under
/// a key derived from the installation secret. Person tokens and operator sessions share it, each
/// with its own prefix and derived key, so one can never pass for the other.
struct SignedEnvelope: Sendable {
    let prefix: String
    let key: SymmetricKey
    /// Longer texts are refused before any work is done.
    static let maximumLength = 2048

    init(prefix: String, secret: SecretKey, purpose: String) {
        self.prefix = prefix
        key = secret.derive(purpose: purpose)
    }

    func seal(_ payload: [UInt8]) -> String {
        let signed = prefix + "." + Base64URL.encode(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(signed.utf8), using: key)
        return signed + "." + Base64URL.encode(mac)
    }

    enum OpenError: Error { case malformed, badSignature }

    /// The payload, if `text` was sealed under this key with this prefix.
    func open(_ text: String) throws(OpenError) -> [UInt8] {
        let utf8 = text.utf8
        guard utf8.count <= Self.maximumLength else { throw .malformed }
        let parts = utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].elementsEqual(prefix.utf8), !parts[1].isEmpty,
            let mac = Base64URL.decode(String(decoding: parts[2], as: UTF8.self))
        else {
            throw .malformed
        }
        let signed = Array(prefix.utf8) + [UInt8(ascii: ".")] + Array(parts[1])
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: key) else { throw .badSignature }
        guard let payload = Base64URL.decode(String(decoding: parts[1], as: UTF8.self)) else { throw .malformed }
        return payload
    }
}
