import Crypto

/// The one-way digest under which secrets handed out to clients (API keys) are stored.
public enum SecretDigest {
    /// SHA-256 of the text's UTF-8 bytes, 32 bytes.
    public static func sha256(_ text: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(text.utf8)))
    }
}
