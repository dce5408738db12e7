import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where trained models live in a data directory: `DIR/models/ALGORITHM.tactmodel`.
public struct ModelDirectory: Sendable {
    public let path: String

    public init(directory: DataDirectory) { path = directory.path + "/models" }

    public func modelPath(algorithm: String) -> String { path + "/\(algorithm).tactmodel" }

    /// The model served when no flag names one: the last model search's choice (`SearchChoice`), or iALS.
    public var defaultAlgorithm: String { SearchChoice.load(from: self)?.algorithm ?? "als" }

    /// Creates the folder (mode 0700: models are derived from personal data) if needed.
    public func create() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Runs `body` holding an exclusive lock on the model folder (an advisory `flock`, across processes):
    /// saving a retrained model and patching one for an erasure never interleave.
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        try create()
        let fd = open(path + "/.lock", O_CREAT | O_RDWR, 0o600)
        guard fd >= 0 else { throw EngineError.invalidArgument("cannot open the model lock \(path)/.lock: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw EngineError.invalidArgument("cannot lock \(path)/.lock: \(String(cString: strerror(errno)))") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
