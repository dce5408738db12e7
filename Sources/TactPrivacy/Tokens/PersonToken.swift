import TactCore

/// A short-lived credential that lets one person act on their own data (for example read or
/// change their consent) without an API key. It names a pseudonym, never a raw user id.
public struct PersonToken: Sendable, Equatable {
    /// The only person this token is valid for.
    public var subject: Pseudonym
    /// The id of the API key that asked for the token.
    public var keyID: String
    /// When it was issued, in seconds since 1970.
    public var issuedAt: Int64
    /// The first second (since 1970) at which it is no longer valid.
    public var expiresAt: Int64

    public init(subject: Pseudonym, keyID: String, issuedAt: Int64, expiresAt: Int64) {
        self.subject = subject
        self.keyID = keyID
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}

/// A person token that cannot be accepted, with what to do about it.
public enum PersonTokenError: Error, Equatable, CustomStringConvertible {
    /// The text is not a Tact person token at all.
    case malformed
    /// The token was altered, or signed by another installation.
    case badSignature
    /// The token was valid until `at` (seconds since 1970).
    case expired(at: Int64)

    public var description: String {
        switch self {
        case .malformed:
            return "the person token is not a valid Tact person token (expected 'tpt1.PAYLOAD.SIGNATURE'); ask the service for a new token"
        case .badSignature:
            return "the person token's signature does not match: it was altered or issued by another installation; ask the service for a new token"
        case .expired(let at):
            return "the person token expired at \(at) (seconds since 1970); ask the service for a new token"
        }
    }
}
