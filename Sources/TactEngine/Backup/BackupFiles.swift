/// The layout of a backup folder.
///
///     manifest.json              what the backup holds and every file's SHA-256 (written last)
///     store.sqlite               the store, people named by backup link
///     keys.sqlite                the key vault (only with --with-vault)
///     models/ALGORITHM.tactmodel the models, people named by backup link
///     models/search.json         the last model search's choice
///     config.json, policy.json   the data directory's configuration and policy (no personal data)
///     audit-checkpoints.log      the signed audit checkpoints as of the backup
enum BackupFiles {
    static let store = "store.sqlite"
    static let vault = "keys.sqlite"
    static let searchChoice = "models/search.json"
    static let config = "config.json"
    static let policy = "policy.json"
    static let auditCheckpoints = "audit-checkpoints.log"

    static func model(_ algorithm: String) -> String { "models/\(algorithm).tactmodel" }
}
