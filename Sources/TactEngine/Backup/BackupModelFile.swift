import Foundation
import TactRecommend

/// A model file copied between a data directory and a backup with its people renamed: their rows are the
/// same, only the names beside them change (pseudonyms to backup links and back).
enum BackupModelFile {
    /// Copies the model at `source` to `destination`, each user's name (64 hex digits) passed through `rename`.
    static func copy(from source: String, to destination: String, renaming rename: (String) -> String) throws {
        let (model, metadata) = try ModelFile.read(from: source)
        var renamed = metadata
        renamed.users = metadata.users.map(rename)
        try ModelFile.write(model, metadata: renamed, to: destination)
    }

    /// The users named in the model at `path`.
    static func users(at path: String) throws -> [String] {
        try ModelFile.read(from: path).metadata.users
    }
}
