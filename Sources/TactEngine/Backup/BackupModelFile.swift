import Foundation
import TactRecommend

/// A model file copied between a data directory and a backup with its people renamed: their rows are the
/// same, only the names beside them change (pseudonyms to backup links and back).
enum BackupModelFile {
    /// Copies the model at `source` to `destination`, its users' names (64 hex digits each) replaced by `rename`
    /// of the whole list, read once.
    static func copy(from source: String, to destination: String, renaming rename: ([String]) throws -> [String]) throws {
        let (model, metadata) = try ModelFile.read(from: source)
        var renamed = metadata
        renamed.users = try rename(metadata.users)
        try ModelFile.write(model, metadata: renamed, to: destination)
    }
}
