import TactCore

/// A signed statement of how far the audit log reached: its newest entry, that entry's chain hash and the
/// number of entries, at a time. Kept in the database and in a file outside it, so that removing the
/// newest entries (with the database's checkpoints) is still seen.
public struct AuditCheckpoint: Sendable, Equatable {
    /// 1 for the first checkpoint, then one more for each.
    public var number: Int64
    /// When it was made, in seconds since 1970.
    public var at: Int64
    /// The newest entry it covers (0 when the log was empty).
    public var entryID: Int64
    /// That entry's chain hash (`AuditChain.genesis` when the log was empty).
    public var entryHash: [UInt8]
    /// How many entries the log held.
    public var entryCount: Int64
    /// The Ed25519 public key that signed it (32 bytes).
    public var publicKey: [UInt8]
    /// The Ed25519 signature of `signedBytes` (64 bytes).
    public var signature: [UInt8]

    public init(number: Int64, at: Int64, entryID: Int64, entryHash: [UInt8], entryCount: Int64, publicKey: [UInt8], signature: [UInt8]) {
        self.number = number
        self.at = at
        self.entryID = entryID
        self.entryHash = entryHash
        self.entryCount = entryCount
        self.publicKey = publicKey
        self.signature = signature
    }

    /// What the signature covers: a version tag, then number, at, entry id, entry count (big-endian 64-bit) and the entry hash.
    public var signedBytes: [UInt8] {
        var bytes = Array("tact-audit-checkpoint/v1".utf8)
        for v in [number, at, entryID, entryCount] {
            let u = UInt64(bitPattern: v)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: u >> UInt64(shift))) }
        }
        bytes.append(contentsOf: entryHash)
        return bytes
    }

    static let lineTag = "tact-audit-checkpoint/v1"

    /// One line of the checkpoint file (no line break).
    public var line: String {
        "\(Self.lineTag) number=\(number) at=\(at) entry=\(entryID) count=\(entryCount) hash=\(Hex.encode(entryHash)) key=\(Hex.encode(publicKey)) signature=\(Hex.encode(signature))"
    }

    /// Parses a line written by `line`; nil if it is not one.
    public init?(line: some StringProtocol) {
        let parts = line.split(separator: " ")
        guard let first = parts.first, String(first) == Self.lineTag else { return nil }
        var fields: [String: String] = [:]
        for part in parts.dropFirst() {
            guard let eq = part.firstIndex(of: "=") else { return nil }
            fields[String(part[..<eq])] = String(part[part.index(after: eq)...])
        }
        guard let number = fields["number"].flatMap({ Int64($0) }), let at = fields["at"].flatMap({ Int64($0) }),
            let entryID = fields["entry"].flatMap({ Int64($0) }), let count = fields["count"].flatMap({ Int64($0) }),
            let hash = fields["hash"].flatMap(Hex.decode), hash.count == AuditChain.hashByteCount,
            let key = fields["key"].flatMap(Hex.decode), key.count == 32,
            let signature = fields["signature"].flatMap(Hex.decode), signature.count == 64
        else { return nil }
        self.init(number: number, at: at, entryID: entryID, entryHash: hash, entryCount: count, publicKey: key, signature: signature)
    }
}
