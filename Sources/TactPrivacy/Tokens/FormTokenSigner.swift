import Crypto
import TactCore

/// Tokens that protect web forms against cross-site request forgery. Each token is an HMAC of the
/// browser's own random form cookie (`binding`), so a page on another site, which can neither read that
/// cookie nor compute the HMAC, cannot produce a form the server accepts.
public struct FormTokenSigner: Sendable {
    private let key: SymmetricKey

    public init(secret: SecretKey) {
        key = secret.derive(purpose: "tact/form-token/v1")
    }

    /// The token to put in every form of a page served to the browser holding `binding`.
    public func token(for binding: String) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Array(("form|" + binding).utf8), using: key))
    }

    /// Whether `token` was made for `binding` (compared in constant time).
    public func check(_ token: String, binding: String) -> Bool {
        guard !binding.isEmpty, token.utf8.count <= 128, let mac = Base64URL.decode(token) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Array(("form|" + binding).utf8), using: key)
    }
}
