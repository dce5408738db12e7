import Crypto
import Foundation
import TactCore

/// Issues and checks person tokens: `tpt1.<payload>.<signature>`, where the payload is compact
/// JSON `{"exp":…,"iat":…,"kid":…,"sub":…}` in base64url and the signature is HMAC-SHA256 of
/// `tpt1.<payload>` under a key derived from the installation secret, in base64url.
public struct PersonTokenSigner: Sendable {
    private let envelope: SignedEnvelope

    /// The text every token starts with, naming the format version.
    public static let prefix = "tpt1"
    /// Longer texts are refused before any work is done.
    public static let maximumLength = SignedEnvelope.maximumLength

    public init(secret: SecretKey) {
        envelope = SignedEnvelope(prefix: Self.prefix, secret: secret, purpose: "tact/person-token/v1")
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
    func sign(payload: [UInt8]) -> String { envelope.seal(payload) }

    /// The token that `text` carries, if it was signed under this secret and has not expired at `now`.
    public func verify(_ text: String, now: Int64) throws(PersonTokenError) -> PersonToken {
        let json: [UInt8]
        do { json = try envelope.open(text) } catch .badSignature { throw .badSignature } catch { throw .malformed }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: Data(json)),
            let subject = Pseudonym(hex: claims.sub)
        else {
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
