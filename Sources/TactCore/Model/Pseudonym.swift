/// A keyed, one-way stand-in for an external user id: the only form in which a person is stored.
public struct Pseudonym: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes of HMAC-SHA256 output.
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        precondition(bytes.count == Pseudonym.byteCount, "a pseudonym has \(Pseudonym.byteCount) bytes")
        self.bytes = bytes
    }

    /// Parses the 64-character lowercase hex form; nil if it is not one.
    public init?(hex: String) {
        guard let decoded = Hex.decode(hex), decoded.count == Pseudonym.byteCount else { return nil }
        self.bytes = decoded
    }

    public static let byteCount = 32

    /// Lowercase hex, 64 characters.
    public var hex: String { Hex.encode(bytes) }

    /// A short prefix that is safe to show in logs and tables.
    public var short: String { String(hex.prefix(12)) }

    public var description: String { hex }
}
