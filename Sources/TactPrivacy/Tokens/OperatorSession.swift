import Foundation
import TactCore

/// An operator signed in to the console: which API key they proved they hold, and until when. The
/// browser keeps it in an HttpOnly cookie instead of the key itself; the key's scopes and status are
/// checked again on every request, so revoking or suspending the key ends the session at once.
public struct OperatorSession: Sendable, Equatable {
    public var keyID: String
    public var issuedAt: Int64
    public var expiresAt: Int64

    public init(keyID: String, issuedAt: Int64, expiresAt: Int64) {
        self.keyID = keyID
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}

/// Issues and checks operator sessions: `tos1.<payload>.<signature>`, sealed like person tokens
/// but under their own derived key and prefix, so neither can pass for the other.
public struct OperatorSessionSigner: Sendable {
    private let envelope: SignedEnvelope
    public static let prefix = "tos1"

    public init(secret: SecretKey) {
        envelope = SignedEnvelope(prefix: Self.prefix, secret: secret, purpose: "tact/operator-session/v1")
    }

    public func sign(_ session: OperatorSession) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(Claims(kid: session.keyID, iat: session.issuedAt, exp: session.expiresAt))) ?? Data()
        return envelope.seal(Array(json))
    }

    /// The session `text` carries if it was signed here and has not expired at `now`; nil otherwise.
    public func verify(_ text: String, now: Int64) -> OperatorSession? {
        guard let json = try? envelope.open(text),
            let claims = try? JSONDecoder().decode(Claims.self, from: Data(json)), claims.exp > now
        else { return nil }
        return OperatorSession(keyID: claims.kid, issuedAt: claims.iat, expiresAt: claims.exp)
    }

    private struct Claims: Codable {
        var kid: String
        var iat: Int64
        var exp: Int64
    }
}
