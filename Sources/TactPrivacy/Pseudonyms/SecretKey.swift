import Crypto

/// The installation's master secret. Pseudonyms and other keys are derived from it;
/// it lives outside the database (a 0600 file or the environment) and never enters a log.
public struct SecretKey: Sendable {
    let key: SymmetricKey

    /// At least this many bytes of secret material are required.
    public static let minimumLength = 32

    /// A new random 256-bit secret from the system's cryptographically secure generator.
    public static func generate() -> SecretKey { SecretKey(key: SymmetricKey(size: .bits256)) }

    /// Reads a secret written as 64 hex characters, or any text of at least 32 bytes.
    public init(text: String) throws(SecretKeyError) {
        let t = text.trimmingCharactersInSet()
        if t.utf8.count == 64, let bytes = hexBytes(t) {
            key = SymmetricKey(data: bytes)
        } else if t.utf8.count >= Self.minimumLength {
            key = SymmetricKey(data: Array(t.utf8))
        } else {
            throw SecretKeyError.tooShort(length: t.utf8.count)
        }
    }

    init(key: SymmetricKey) { self.key = key }

    /// The secret as 64 hex characters, for writing to the secret file.
    public var hexEncoded: String {
        key.withUnsafeBytes { raw in
            raw.map { b in
                let d = Array("0123456789abcdef")
                return String([d[Int(b >> 4)], d[Int(b & 15)]])
            }.joined()
        }
    }

    /// A key for one use, derived with HKDF-SHA256 so that uses never share key material.
    public func derive(purpose info: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, salt: Array("tact".utf8), info: Array(info.utf8), outputByteCount: 32)
    }
}

/// A secret that cannot be used.
public enum SecretKeyError: Error, CustomStringConvertible {
    case tooShort(length: Int)

    public var description: String {
        switch self {
        case .tooShort(let n):
            return "the secret is \(n) bytes long; give 64 hex characters or at least \(SecretKey.minimumLength) bytes (for example: openssl rand -hex 32)"
        }
    }
}

private func hexBytes(_ s: String) -> [UInt8]? {
    var out: [UInt8] = []
    var high: UInt8?
    for c in s.utf8 {
        let v: UInt8
        switch c {
        case 48...57: v = c - 48
        case 97...102: v = c - 87
        case 65...70: v = c - 55
        default: return nil
        }
        if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
    }
    return out
}

private extension String {
    func trimmingCharactersInSet() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
