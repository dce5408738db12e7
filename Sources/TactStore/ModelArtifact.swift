/// A trained model as the store keeps it, so that every server sharing the store serves the same one:
/// each save under an algorithm gets the next version, and a server checks the version before serving.
public struct ModelArtifactInfo: Sendable, Equatable {
    public var algorithm: String
    /// 1 for the first model saved under the algorithm, then one more for each save.
    public var version: Int64
    public var createdAt: Int64
    /// SHA-256 of the model file's bytes: checked when the bytes are read back.
    public var sha256: [UInt8]

    public init(algorithm: String, version: Int64, createdAt: Int64, sha256: [UInt8]) {
        self.algorithm = algorithm
        self.version = version
        self.createdAt = createdAt
        self.sha256 = sha256
    }

    /// How many versions of each algorithm the store keeps (the newest ones): enough for a server
    /// still reading the previous one.
    public static let versionsKept: Int64 = 3
}
