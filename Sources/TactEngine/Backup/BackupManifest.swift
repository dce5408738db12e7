import Crypto
import Foundation
import TactCore

/// What a backup folder holds (`manifest.json`, written last: a folder without it is not a backup), with a
/// SHA-256 of every file so that a restore refuses a damaged or altered copy before it changes anything.
public struct BackupManifest: Sendable, Codable, Equatable {
    /// The layout's version; a restore refuses one it does not know.
    public var format: Int
    /// When the copy was taken (seconds since 1970): erasures completed since are applied again on restore.
    public var createdAt: Int64
    /// Where the store came from: "sqlite".
    public var store: String
    public var people: Int
    public var interactions: Int
    /// The models copied (algorithm names).
    public var models: [String]
    /// Whether the key vault was copied too (`--with-vault`).
    public var vault: Bool
    /// Every other file in the folder, by relative path, with its SHA-256 in hexadecimal.
    public var files: [String: String]

    public static let currentFormat = 1
    public static let fileName = "manifest.json"

    /// Reads the manifest of the backup at `folder`.
    public static func load(from folder: String) throws -> BackupManifest {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError.invalidArgument("\(folder) is not a Tact backup: it has no \(fileName) (a backup cut short leaves none; take another)")
        }
        let manifest: BackupManifest
        do { manifest = try JSONDecoder().decode(BackupManifest.self, from: data) } catch {
            throw EngineError.invalidArgument("\(path) cannot be read as a backup manifest: \(error.localizedDescription)")
        }
        guard manifest.format == currentFormat else {
            throw EngineError.invalidArgument("\(folder) is a backup of format \(manifest.format); this Tact reads format \(currentFormat)")
        }
        return manifest
    }

    /// Writes it into `folder`, private to its owner.
    func save(to folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = folder + "/" + Self.fileName
        PrivateMode.createFile(path)
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }

    /// Throws, naming the file, unless every file listed is there with the checksum recorded.
    public func verify(folder: String) throws {
        for (name, expected) in files.sorted(by: { $0.key < $1.key }) {
            guard !name.contains(".."), let actual = try? Self.checksum(folder + "/" + name) else {
                throw EngineError.invalidArgument("the backup at \(folder) lacks \(name); it cannot be restored")
            }
            guard actual == expected else {
                throw EngineError.invalidArgument("\(folder)/\(name) does not match its checksum in \(Self.fileName): the backup was damaged or altered")
            }
        }
    }

    /// The SHA-256 of the file at `path`, in hexadecimal, read in blocks.
    static func checksum(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw EngineError.invalidArgument("cannot read \(path)")
        }
        defer { try? handle.close() }
        var hash = SHA256()
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty { hash.update(data: block) }
        return Hex.encode(hash.finalize())
    }
}
