import Crypto
import Foundation
import TactCore

/// Issues and checks person tokens: `tpt1.<payload>.<signature>`, where the payload is compact
/// JSON `{"exp":…,"iat":…,"kid":…,"sub":…}` in base64url and the signature is HMAC-SHA256 of
/// `tpt1.<payload>` under a key derived from the installation secret, in base64url.
public struct PersonTokenSigner: Sendable {
    private let key: SymmetricKey

    /// The text every token starts with, naming the format version.
    public static let prefix = "tpt1"
    /// Longer texts are refused before any work is done.
    public static let maximumLength = 2048

    public init(secret: SecretKey) {
        key = secret.derive(purpose: "tact/person-token/v1")
    }

    /// The token as text, ready to hand to the person's device.
    public func sign(_ token: PersonToken) -> String {
        let claims = Claims(sub: token.subject.hex, kid: token.keyID, iat: token.issuedAt, exp: token.expiresAt)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding four plain fields cannot fail.
        let json = (try? encoder.encode(claims)) ?? Data()
        return sign(payload: Array(json))
    }

    /// Wraps and signs any payload bytes (tests use it to sign payloads that are not tokens).
    func sign(payload: [UInt8]) -> String {
        let signed = Self.prefix + "." + Base64URL.encode(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(signed.utf8), using: key)
        return signed + "." + Base64URL.encode(mac)
    }

    /// The token that `text` carries, if it was signed under this secret and has not expired at `now`.
    public func verify(_ text: String, now: Int64) throws(PersonTokenError) -> PersonToken {
        let utf8 = text.utf8
        guard utf8.count <= Self.maximumLength else { throw .malformed }
        let parts = utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].elementsEqual(Self.prefix.utf8), !parts[1].isEmpty,
              let mac = Base64URL.decode(String(decoding: parts[2], as: UTF8.self)) else {
            throw .malformed
        }
        let signed = Array(Self.prefix.utf8) + [UInt8(ascii: ".")] + Array(parts[1])
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: key) else {
            throw .badSignature
        }
        guard let json = Base64URL.decode(String(decoding: parts[1], as: UTF8.self)),
              let claims = try? JSONDecoder().decode(Claims.self, from: Data(json)),
              let subject = Pseudonym(hex: claims.sub) else {
            throw .malformed
        }
        guard claims.exp > now else { throw .expired(at: claims.exp) }
        return PersonToken(subject: subject, keyID: claims.kid, issuedAt: claims.iat, expiresAt: claims.exp)
    }

    /// The payload's fields, named as in JWT.
    private struct Claims: Codable {
        var sub: String
        var kid: String
        var iat: Int64
        var exp: Int64
    }
}
