import Foundation
import TactPrivacy

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The installation secret: from `TACT_SECRET`, or from a file that only its owner can read.
enum SecretFile {
    static let environmentVariable = "TACT_SECRET"

    /// The secret from the environment, if set.
    static func fromEnvironment(_ environment: [String: String]) throws -> SecretKey? {
        guard let text = environment[environmentVariable], !text.isEmpty else { return nil }
        return try SecretKey(text: text)
    }

    /// Reads the secret file, refusing one that other users could read.
    static func load(path: String) throws -> SecretKey {
        var st = stat()
        guard stat(path, &st) == 0 else {
            if errno == ENOENT { throw EngineError.secretMissing(path: path) }
            throw EngineError.secretUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        if st.st_mode & 0o077 != 0 {
            throw EngineError.secretReadableByOthers(path: path, mode: String(st.st_mode & 0o777, radix: 8))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError.secretUnreadable(path: path, reason: "permission denied")
        }
        return try SecretKey(text: String(decoding: data, as: UTF8.self))
    }

    /// Creates a new random secret file with mode 0600; fails if one exists.
    static func create(path: String) throws -> SecretKey {
        let secret = SecretKey.generate()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw EngineError.secretUnreadable(path: path, reason: "cannot create: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let text = Array((secret.hexEncoded + "\n").utf8)
        guard write(fd, text, text.count) == text.count else {
            throw EngineError.secretUnreadable(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
        }
        return secret
    }

    /// A check value derived from the secret, stored in config.json to catch a wrong secret.
    static func checkValue(_ secret: SecretKey) -> String {
        secret.derive(purpose: "tact/secret-check/v1").withUnsafeBytes { raw in
            raw.prefix(8).map { String(format: "%02x", $0) }.joined()
        }
    }
}
