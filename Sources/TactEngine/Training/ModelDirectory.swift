import Foundation

/// Where trained models live in a data directory: `DIR/models/ALGORITHM.tactmodel`.
public struct ModelDirectory: Sendable {
    public let path: String

    public init(directory: DataDirectory) { path = directory.path + "/models" }

    public func modelPath(algorithm: String) -> String { path + "/\(algorithm).tactmodel" }

    /// Creates the folder (mode 0700: models are derived from personal data) if needed.
    public func create() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}
