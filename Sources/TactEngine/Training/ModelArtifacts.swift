import Crypto
import Foundation
import TactRecommend
import TactStore

/// Keeps the models folder and the store's versioned copies of models in step, so that every server
/// sharing a store serves the same, newest model (docs/scaling.md):
/// - whoever writes a model file (training, an erasure's patch) `publish`es it: the store records its
///   bytes as the algorithm's next version;
/// - whoever serves a model first `sync`s: a newer version in the store replaces the local file, after
///   its SHA-256 is checked.
public struct ModelArtifacts: Sendable {
    public let store: any Store
    public let models: ModelDirectory

    public init(engine: Engine) {
        store = engine.store
        models = ModelDirectory(directory: engine.directory)
    }

    /// Runs `body` holding the models' lock, for every process on this machine (a file lock) and every
    /// server sharing the store (the store's lock), so that training's save and an erasure's patch
    /// never interleave; the local files are first brought up to the store's newest versions.
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        try store.withLock("tact.models") {
            try models.withLock {
                for algorithm in ModelAlgorithms.names { try sync(algorithm: algorithm) }
                return try body()
            }
        }
    }

    /// Records the model file of `algorithm` as its next version; call with the models folder locked,
    /// right after writing the file.
    @discardableResult
    public func publish(algorithm: String) throws -> ModelArtifactInfo {
        let path = models.modelPath(algorithm: algorithm)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError.invalidArgument("cannot read the model file \(path) to publish it")
        }
        return try store.write { try $0.appendModelArtifact(algorithm: algorithm, bytes: [UInt8](data), createdAt: Int64(Date().timeIntervalSince1970)) }
    }

    /// The id of the newest completed request that changed what models may hold (an erasure, a
    /// restriction, a withdrawal; 0 when none): a model read before it must be patched or retrained.
    public func requestMark() throws -> Int64 {
        try store.read { try $0.latestModelChangingRequest() }
    }

    /// `requestMark()` and the store's newest version of `algorithm` (0 when none), read together and
    /// each as committed now: what a server compares its served model against.
    public func markAndVersion(algorithm: String) throws -> (mark: Int64, version: Int64) {
        try store.readLatest { r in (try r.latestModelChangingRequest(), try r.latestModelArtifact(algorithm: algorithm)?.version ?? 0) }
    }

    /// The store's newest version of `algorithm`, nil when none was published.
    public func latest(algorithm: String) throws -> ModelArtifactInfo? {
        try store.readLatest { try $0.latestModelArtifact(algorithm: algorithm) }
    }

    /// Makes the local model file the store's newest version (writing it atomically when it differs);
    /// returns that version, or nil when the store has none (the local file, if any, is left as it is).
    @discardableResult
    public func sync(algorithm: String) throws -> ModelArtifactInfo? {
        guard let latest = try latest(algorithm: algorithm) else { return nil }
        let path = models.modelPath(algorithm: algorithm)
        if let local = FileManager.default.contents(atPath: path), Array(SHA256.hash(data: local)) == latest.sha256 { return latest }
        guard let bytes = try store.read({ try $0.modelArtifactBytes(algorithm: algorithm, version: latest.version) }) else {
            // Replaced by a newer version between the two reads: take that one.
            return try sync(algorithm: algorithm)
        }
        try models.create()
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        chmod(path, 0o600)
        return latest
    }
}
