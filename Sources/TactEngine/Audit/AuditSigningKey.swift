import Crypto
import Foundation
import TactCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Ed25519 key that signs audit checkpoints: from `TACT_AUDIT_KEY`, or from a file in the data directory
/// that only its owner can read. It is never stored in the database, so whoever can rewrite the database
/// cannot sign a checkpoint that agrees with the rewrite.
public struct AuditSigningKey: Sendable {
    public static let environmentVariable = "TACT_AUDIT_KEY"
    private let key: Curve25519.Signing.PrivateKey

    init(key: Curve25519.Signing.PrivateKey) { self.key = key }

    /// A new random key (not saved anywhere).
    public static func generate() -> AuditSigningKey { AuditSigningKey(key: Curve25519.Signing.PrivateKey()) }

    /// The public key that checks this key's signatures (32 bytes); give it to your auditor.
    public var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }
    public var publicKeyHex: String { Hex.encode(publicKey) }

    public func sign(_ bytes: [UInt8]) throws -> [UInt8] { Array(try key.signature(for: bytes)) }

    /// Whether `signature` is `publicKey`'s Ed25519 signature of `bytes`.
    public static func isValidSignature(_ signature: [UInt8], of bytes: [UInt8], publicKey: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: bytes)
    }

    /// The key named by TACT_AUDIT_KEY, else the directory's key file, else nil (creating nothing).
    public static func existing(in directory: DataDirectory) throws -> AuditSigningKey? {
        if let text = directory.environment[environmentVariable], !text.isEmpty {
            return try parse(text, source: environmentVariable)
        }
        guard FileManager.default.fileExists(atPath: directory.auditSigningKeyPath) else { return nil }
        return try load(path: directory.auditSigningKeyPath)
    }

    /// The key in use, creating the key file (mode 0600) the first time; `created` tells whether it did.
    public static func loadOrCreate(in directory: DataDirectory) throws -> (key: AuditSigningKey, created: Bool) {
        if let key = try existing(in: directory) { return (key, false) }
        return (try create(path: directory.auditSigningKeyPath), true)
    }

    private static func parse(_ text: String, source: String) throws -> AuditSigningKey {
        guard let bytes = Hex.decode(text.trimmingWhitespace()), bytes.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
        else { throw AuditError.keyInvalid(source: source) }
        return AuditSigningKey(key: key)
    }

    /// Reads a key file, refusing one that other users could read.
    static func load(path: String) throws -> AuditSigningKey {
        var st = stat()
        guard stat(path, &st) == 0 else { throw AuditError.keyUnreadable(path: path, reason: String(cString: strerror(errno))) }
        if st.st_mode & 0o077 != 0 {
            throw AuditError.keyReadableByOthers(path: path, mode: String(st.st_mode & 0o777, radix: 8))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError.keyUnreadable(path: path, reason: "permission denied")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    /// Creates a new random key file with mode 0600; fails if one exists.
    static func create(path: String) throws -> AuditSigningKey {
        let key = generate()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw AuditError.keyUnreadable(path: path, reason: "cannot create: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let text = Array((Hex.encode(key.key.rawRepresentation) + "\n").utf8)
        guard write(fd, text, text.count) == text.count, fsync(fd) == 0 else {
            throw AuditError.keyUnreadable(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
        }
        return key
    }
}
